/*
 * h_chain — REST under /api/v1/chain/: chain-break risk and lists, cascades, the two-chain
 * coverage map, and the bureau's list edits. All work goes through service/chain_svc.
 *
 *   GET   /api/v1/chain/risk?industry=泵阀        recompute + lists + spillover
 *   GET   /api/v1/chain/cascade?node=ID           an enterprise id or an outside supplier name
 *   GET   /api/v1/chain/gaps[?industry=NAME]      two-chain coverage map
 *   GET   /api/v1/chain/scenario?county=&supplier=&cut_foreign=   what stops
 *   GET   /api/v1/chain/lists?industry=NAME       stored lists
 *   POST  /api/v1/chain/lists/{list}              {"industry","key","title","note"}: bureau adds an entry
 *   PATCH /api/v1/chain/lists/{list}              {"industry","key","action":"annotate|dismiss|reopen","note"}
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "service/chain_svc.h"

static int need(api_req *rq, api_res *rs, const char *name, const char **v)
{
	*v = api_query(rq, name);
	if (!*v || !**v)
		return api_problem(rs, 400, name, "query parameter %s is required", name);
	return 0;
}

static int bureau_only(api_req *rq, api_res *rs)
{
	if (!rq->who || rq->who->role != ROLE_BUREAU)
		return api_problem(rs, 403, NULL, "only the bureau may edit the chain lists");
	return 0;
}

static int risk_get(api_req *rq, api_res *rs, cf_err *e)
{
	const char *ind;
	json_t *o;
	int rc;
	if ((rc = need(rq, rs, "industry", &ind)) < 0)
		return rc;
	if ((rc = chain_svc_risk(rq->db, ind, &o, e)) < 0)
		return rc;
	return api_json(rs, 200, o);
}

static int cascade_get(api_req *rq, api_res *rs, cf_err *e)
{
	const char *node;
	json_t *o;
	int rc;
	if ((rc = need(rq, rs, "node", &node)) < 0)
		return rc;
	if ((rc = chain_svc_cascade(rq->db, node, &o, e)) < 0)
		return rc;
	return api_json(rs, 200, o);
}

static int gaps_get(api_req *rq, api_res *rs, cf_err *e)
{
	const char *ind = api_query(rq, "industry");
	json_t *o;
	int rc;
	if ((rc = chain_svc_gaps(rq->db, ind && *ind ? ind : NULL, &o, e)) < 0)
		return rc;
	return api_json(rs, 200, o);
}

static int lists_get(api_req *rq, api_res *rs, cf_err *e)
{
	const char *ind;
	json_t *o;
	int rc;
	if ((rc = need(rq, rs, "industry", &ind)) < 0)
		return rc;
	if ((rc = chain_svc_lists(rq->db, ind, &o, e)) < 0)
		return rc;
	return api_json(rs, 200, o);
}

static int scenario_get(api_req *rq, api_res *rs, cf_err *e)
{
	const char *county = api_query(rq, "county"), *sup = api_query(rq, "supplier"), *cut = api_query(rq, "cut_foreign");
	json_t *o;
	int rc;
	if ((rc = chain_svc_scenario(rq->db, county && *county ? county : NULL, sup && *sup ? sup : NULL,
				     cut && *cut ? cut : NULL, &o, e)) < 0) {
		if (rc == CF_EINVAL)
			return api_problem(rs, 400, NULL, "%s", e->msg);
		return rc;
	}
	return api_json(rs, 200, o);
}

static const char *body_str(api_req *rq, const char *name)
{
	return rq->body ? json_string_value(json_object_get(rq->body, name)) : NULL;
}

static int list_edit(api_req *rq, api_res *rs, cf_err *e, int add)
{
	const char *list = api_param(rq, "list"), *ind = body_str(rq, "industry"), *key = body_str(rq, "key");
	const char *action = add ? "add" : body_str(rq, "action");
	json_t *o;
	int rc;
	if ((rc = bureau_only(rq, rs)) < 0)
		return rc;
	if (!rq->body || !json_is_object(rq->body))
		return api_problem(rs, 400, NULL, "a JSON object body is required");
	if (!ind)
		return cf_err_set(e, CF_EINVAL, "$.industry", "industry is required");
	if (!key)
		return cf_err_set(e, CF_EINVAL, "$.key", "key is required");
	if (!action)
		return cf_err_set(e, CF_EINVAL, "$.action", "action is required (annotate, dismiss, reopen)");
	if (!add && !strcmp(action, "add"))
		return cf_err_set(e, CF_EINVAL, "$.action", "use POST to add an entry");
	/* the service names fields bare ("key"); the server prefixes "$." */
	if ((rc = chain_svc_edit(rq->db, ind, list, key, action, body_str(rq, "title"), body_str(rq, "note"), &o, e)) < 0)
		return rc;
	return api_json(rs, add ? 201 : 200, o);
}

static int list_post(api_req *rq, api_res *rs, cf_err *e) { return list_edit(rq, rs, e, 1); }
static int list_patch(api_req *rq, api_res *rs, cf_err *e) { return list_edit(rq, rs, e, 0); }

API_ROUTE(r_chain_risk, "GET", "/api/v1/chain/risk", risk_get)
API_ROUTE(r_chain_cascade, "GET", "/api/v1/chain/cascade", cascade_get)
API_ROUTE(r_chain_gaps, "GET", "/api/v1/chain/gaps", gaps_get)
API_ROUTE(r_chain_scenario, "GET", "/api/v1/chain/scenario", scenario_get)
API_ROUTE(r_chain_lists, "GET", "/api/v1/chain/lists", lists_get)
API_ROUTE(r_chain_list_post, "POST", "/api/v1/chain/lists/{list}", list_post)
API_ROUTE(r_chain_list_patch, "PATCH", "/api/v1/chain/lists/{list}", list_patch)

/*
 * h_match — REST matchmaking (SPEC C2):
 *   GET  /api/v1/match?demand=ID|achievement=ID[&kind=achievement][&k=20]
 *   POST /api/v1/match {"text": "...", "kind": "achievement", "k": 20,
 *                       "filters": {"industry_code", "county", "budget", "trl", "firm_size"}}
 * Answers {"kind", "weights_version", "hits": [{id, kind, score, text_score, terms, signals}]}.
 * There are deliberately no totals: a count of matches could reveal hidden rows. A source
 * row the viewer may not see is 404, exactly like one that does not exist.
 *
 * The index is the process's own (service/match, match_shared_*): built on the first match
 * request, shared by the worker threads, and kept in step through the database's change
 * journal with every write, by this process or any other, so that the next query sees it
 * without a rebuild.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/money.h"
#include "service/match.h"

static json_t *hits_json(const match_result *r, const char *weights_version)
{
	json_t *root = match_hits_json(r);
	json_object_set_new(root, "weights_version", json_string(weights_version));
	return root;
}

static int parse_k(const char *s, int *k)
{
	long long v = 0;
	const char *p = s;
	if (!s || !*s)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > 100000)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 1000)
		return -1;
	*k = (int)v;
	return 0;
}

static int parse_id(const char *s, int64_t *id)
{
	long long v = 0;
	const char *p = s;
	if (!s || !*s)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > (long long)1e15)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1)
		return -1;
	*id = v;
	return 0;
}

static int respond(api_res *rs, int rc, const match_result *res, int kind, const char *weights_version)
{
	json_t *o;
	if (rc)
		return rc;
	o = hits_json(res, weights_version);
	json_object_set_new(o, "kind", json_string(match_kind_name(kind)));
	return api_json(rs, 200, o);
}

static int match_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"demand", "achievement", "kind", "k", NULL};
	const char *demand = api_query(rq, "demand"), *ach = api_query(rq, "achievement");
	const char *kind_s = api_query(rq, "kind"), *k_s = api_query(rq, "k");
	const char *wv = NULL;
	match_result res;
	int64_t id;
	int kind, k = 20, rc;

	if (api_query_check(rq, rs, allowed, NULL, NULL))
		return CF_EINVAL;
	if (!demand == !ach)
		return api_problem(rs, 400, "demand", "give exactly one of demand=ID and achievement=ID");
	if (parse_id(demand ? demand : ach, &id))
		return api_problem(rs, 400, demand ? "demand" : "achievement", "a positive row id is required");
	if (!kind_s)
		kind_s = demand ? "achievement" : "enterprise";
	kind = match_kind_parse(kind_s);
	if (kind < 0 || kind == MK_EXPERT)
		return api_problem(rs, 400, "kind", "unknown kind \"%s\"", kind_s);
	if (k_s && parse_k(k_s, &k))
		return api_problem(rs, 400, "k", "k must be a whole number in 1..1000");
	rc = match_shared_for_row(rq->db, rq->who, schema_entity(demand ? "demand" : "achievement"), id, kind, k, rq->a,
				  &res, &wv, e);
	return respond(rs, rc, &res, kind, wv);
}

static const char *opt_str(json_t *o, const char *key, int *bad)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static int match_post(api_req *rq, api_res *rs, cf_err *e)
{
	const char *text, *kind_s, *industry = NULL, *county = NULL, *size = NULL;
	json_t *body = rq->body, *f, *v;
	match_attrs attrs;
	const char *wv = NULL;
	match_result res;
	int64_t budget = 0;
	int kind, k = 20, trl = 0, rc, bad = 0;

	if (!json_is_object(body))
		return api_problem(rs, 400, NULL, "a JSON object body is required");
	text = opt_str(body, "text", &bad);
	if (bad || !text)
		return cf_err_set(e, CF_EINVAL, "$.text", "text is required");
	kind_s = opt_str(body, "kind", &bad);
	if (bad)
		return cf_err_set(e, CF_EINVAL, "$.kind", "a string is required");
	kind = match_kind_parse(kind_s ? kind_s : "achievement");
	if (kind < 0 || kind == MK_EXPERT)
		return cf_err_set(e, CF_EINVAL, "$.kind", "unknown kind \"%s\"", kind_s);
	if ((v = json_object_get(body, "k"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000)
			return cf_err_set(e, CF_EINVAL, "$.k", "k must be a whole number in 1..1000");
		k = (int)json_integer_value(v);
	}
	if ((f = json_object_get(body, "filters")) && !json_is_null(f)) {
		if (!json_is_object(f))
			return cf_err_set(e, CF_EINVAL, "$.filters", "an object is required");
		industry = opt_str(f, "industry_code", &bad);
		county = opt_str(f, "county", &bad);
		size = opt_str(f, "firm_size", &bad);
		if (bad)
			return cf_err_set(e, CF_EINVAL, "$.filters", "industry_code, county and firm_size are strings");
		if ((v = json_object_get(f, "trl"))) {
			if (!json_is_integer(v))
				return cf_err_set(e, CF_EINVAL, "$.filters.trl", "a whole number in 1..9 is required");
			trl = (int)json_integer_value(v);
		}
		if ((v = json_object_get(f, "budget"))) {
			const char *s = json_is_string(v) ? json_string_value(v) : NULL;
			if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) < (json_int_t)9e13)
				budget = (int64_t)json_integer_value(v) * 100;
			else if (!s || money_parse(s, strlen(s), &budget, e))
				return cf_err_set(e, CF_EINVAL, "$.filters.budget", "a yuan amount is required");
		}
	}
	if ((rc = match_service_attrs(industry, county, budget, trl, size, &attrs, e))) {
		char where[48];
		snprintf(where, sizeof where, "%.40s", e->where);
		snprintf(e->where, sizeof e->where, "$.filters.%.40s", where);
		return rc;
	}
	rc = match_shared_for_text(rq->db, rq->who, text, &attrs, kind, k, rq->a, &res, &wv, e);
	return respond(rs, rc, &res, kind, wv);
}

API_ROUTE(r_match_get, "GET", "/api/v1/match", match_get)
API_ROUTE(r_match_post, "POST", "/api/v1/match", match_post)

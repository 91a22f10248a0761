/*
 * h_contracts — REST for technology contracts, broker awards, decisions, the dishonesty list
 * and the fulfilment ledger (SPEC C4, C11), over service/contracts, whatif, blacklist and
 * ledgers. Decisions (approve with override, pay, fraud) and the ledger are the bureau's; a
 * broker registers, lists and reads only the contracts it brokers (with their awards), as
 * data/auth/authz.json's "owner" says (rq->owner_only). The
 * policy versions are read from data/policies on each request that needs them, so an edited
 * file is picked up without a restart (and no global state is shared between threads).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "base/money.h"
#include "policy/award.h"
#include "policy/policy.h"
#include "service/blacklist.h"
#include "service/contracts.h"
#include "service/ledgers.h"
#include "service/sqlrows.h"
#include "service/whatif.h"

static int bureau_only(const api_req *rq, cf_err *e)
{
	if (!rq->who || rq->who->role != ROLE_BUREAU)
		return cf_err_set(e, CF_EFORBIDDEN, NULL, "only the bureau may do this");
	return 0;
}

/* The bureau, or a broker the authorization table (data/auth/authz.json) lets act on its own
 * contracts (rq->owner_only); the caller then restricts it to contracts naming it. */
static int bureau_or_own_broker(const api_req *rq, cf_err *e)
{
	if (rq->who && rq->who->role == ROLE_BUREAU)
		return 0;
	if (rq->owner_only && rq->who && rq->who->role == ROLE_BROKER && rq->who->broker_id > 0)
		return 0;
	return cf_err_set(e, CF_EFORBIDDEN, NULL, "only the bureau may do this");
}

static int first_int(void *ctx, int n, const char *const *c, const char *const *names)
{
	(void)names;
	*(int *)ctx = n > 0 && c[0] && strcmp(c[0], "0") != 0;
	return 1;
}

/* For a broker acting on its own: contract id must name it, else the 404 of a missing id. */
static int own_contract(const api_req *rq, int64_t id, cf_err *e)
{
	char ids[24], bs[24];
	const char *p[2] = {ids, bs};
	int yes = 0, rc;
	if (!rq->owner_only || rq->who->role == ROLE_BUREAU)
		return 0;
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	snprintf(bs, sizeof bs, "%lld", (long long)rq->who->broker_id);
	rc = store_sql(rq->db, "SELECT COUNT(*) FROM contract_brokers WHERE contract_id = ? AND broker_id = ?", p, 2,
		       first_int, &yes, e);
	if (rc < 0)
		return rc;
	return yes ? 0 : cf_err_set(e, CF_ENOTFOUND, "contract", "no contract with id %s", ids);
}

/* A date from query parameter or body field name; dflt when absent. */
static int date_arg(const char *text, const char *where, int32_t dflt, int32_t *out, cf_err *e)
{
	if (!text || !*text) {
		*out = dflt;
		return 0;
	}
	if (date_parse(text, strlen(text), out, e) != 0)
		return cf_err_set(e, CF_EINVAL, where, "must be a date YYYY-MM-DD");
	return 0;
}

static const char *body_text(const api_req *rq, const char *key)
{
	return rq->body ? json_string_value(json_object_get(rq->body, key)) : NULL;
}

static int contract_post(api_req *rq, api_res *rs, cf_err *e)
{
	int64_t id = 0;
	int rc;
	char *loc;
	if ((rc = bureau_or_own_broker(rq, e)))
		return rc;
	if (!rq->body)
		return cf_err_set(e, CF_EINVAL, "$", "a JSON body is required");
	if (rq->owner_only && rq->who->role == ROLE_BROKER && json_array_size(json_object_get(rq->body, "brokers"))) {
		json_t *b;
		size_t i;
		int mine = 0;
		json_array_foreach(json_object_get(rq->body, "brokers"), i, b)
			mine |= json_integer_value(json_object_get(b, "broker_id")) == rq->who->broker_id;
		if (!mine) /* (a missing list is contracts_add's 422) */
			return cf_err_set(e, CF_EFORBIDDEN, "$.brokers", "a broker registers only contracts it brokers");
	}
	if ((rc = contracts_add(rq->db, rq->body, date_today(), &id, e)))
		return rc;
	loc = arena_printf(rq->a, "/api/v1/contracts/%lld", (long long)id);
	rs->location = loc;
	return api_json(rs, 201, json_pack("{s:I}", "id", (json_int_t)id));
}
API_ROUTE(r_contract_post, "POST", "/api/v1/contracts", contract_post)

static int contract_list(api_req *rq, api_res *rs, cf_err *e)
{
	json_t *out = NULL;
	int rc;
	if ((rc = bureau_or_own_broker(rq, e)) || (rc = api_query_check(rq, rs, NULL, NULL, NULL)) ||
	    (rc = contracts_list(rq->db, &out, e)))
		return rc;
	if (rq->owner_only && rq->who->role == ROLE_BROKER) { /* only the contracts naming this broker */
		size_t i = 0;
		while (i < json_array_size(out)) {
			int64_t id = (int64_t)json_integer_value(json_object_get(json_array_get(out, i), "id"));
			rc = own_contract(rq, id, e);
			if (rc == CF_ENOTFOUND) {
				json_array_remove(out, i);
				continue;
			}
			if (rc) {
				json_decref(out);
				return rc;
			}
			i++;
		}
	}
	return api_json(rs, 200, json_pack("{s:o}", "items", out));
}
API_ROUTE(r_contract_list, "GET", "/api/v1/contracts", contract_list)

static int contract_get(api_req *rq, api_res *rs, cf_err *e)
{
	json_t *out = NULL;
	int64_t id;
	int rc;
	if ((rc = bureau_or_own_broker(rq, e)) || (rc = api_param_id(rq, rs, "id", &id)) || (rc = own_contract(rq, id, e)) ||
	    (rc = contracts_get(rq->db, id, &out, e)))
		return rc;
	return api_json(rs, 200, out);
}
API_ROUTE(r_contract_get, "GET", "/api/v1/contracts/{id}", contract_get)

static int contract_check(api_req *rq, api_res *rs, cf_err *e)
{
	policy_set *ps = NULL;
	json_t *out = NULL;
	int64_t id;
	int rc;
	if ((rc = bureau_or_own_broker(rq, e)) || (rc = api_param_id(rq, rs, "id", &id)) || (rc = own_contract(rq, id, e)) ||
	    (rc = policy_set_load_default(&ps, e)))
		return rc;
	rc = contracts_check(rq->db, ps, id, &out, e);
	policy_set_free(ps);
	return rc ? rc : api_json(rs, 200, out);
}
API_ROUTE(r_contract_check, "GET", "/api/v1/contracts/{id}/check", contract_check)

/* POST /api/v1/contracts/{id}/approve {"override_reason": "...", "officer": "...", "date": "YYYY-MM-DD"} */
static int contract_approve(api_req *rq, api_res *rs, cf_err *e)
{
	policy_set *ps = NULL;
	json_t *out = NULL;
	int64_t id;
	int32_t day;
	int rc;
	if ((rc = bureau_only(rq, e)) || (rc = api_param_id(rq, rs, "id", &id)) ||
	    (rc = date_arg(body_text(rq, "date"), "$.date", date_today(), &day, e)) || (rc = policy_set_load_default(&ps, e)))
		return rc;
	rc = contracts_approve(rq->db, ps, id, body_text(rq, "officer"), body_text(rq, "override_reason"), day, &out, e);
	policy_set_free(ps);
	return rc ? rc : api_json(rs, 200, out);
}
API_ROUTE(r_contract_approve, "POST", "/api/v1/contracts/{id}/approve", contract_approve)

static int contract_pay(api_req *rq, api_res *rs, cf_err *e)
{
	json_t *out = NULL;
	int64_t id;
	int32_t day;
	int rc;
	if ((rc = bureau_only(rq, e)) || (rc = api_param_id(rq, rs, "id", &id)) ||
	    (rc = date_arg(body_text(rq, "date"), "$.date", date_today(), &day, e)) || (rc = contracts_pay(rq->db, id, day, &out, e)))
		return rc;
	return api_json(rs, 200, out);
}
API_ROUTE(r_contract_pay, "POST", "/api/v1/contracts/{id}/pay", contract_pay)

/* POST /api/v1/contracts/{id}/fraud {"parties": ["seller", "broker:3"], "reason": "...", "officer": "...", "date": ...} */
static int contract_fraud(api_req *rq, api_res *rs, cf_err *e)
{
	policy_set *ps = NULL;
	json_t *out = NULL, *parties, *v;
	const char *list[64];
	size_t n = 0, i;
	int64_t id;
	int32_t day;
	int rc;
	if ((rc = bureau_only(rq, e)) || (rc = api_param_id(rq, rs, "id", &id)) ||
	    (rc = date_arg(body_text(rq, "date"), "$.date", date_today(), &day, e)))
		return rc;
	parties = rq->body ? json_object_get(rq->body, "parties") : NULL;
	if (!json_is_array(parties) || json_array_size(parties) == 0 || json_array_size(parties) > 64)
		return cf_err_set(e, CF_EINVAL, "$.parties", "must list the responsible parties: buyer, seller, broker:ID or a USCC");
	json_array_foreach(parties, i, v) {
		if (!json_is_string(v)) {
			char where[40];
			snprintf(where, sizeof where, "$.parties[%zu]", i);
			return cf_err_set(e, CF_EINVAL, where, "must be text");
		}
		list[n++] = json_string_value(v);
	}
	if (!body_text(rq, "reason") || !*body_text(rq, "reason"))
		return cf_err_set(e, CF_EINVAL, "$.reason", "a fraud decision needs a reason");
	if ((rc = policy_set_load_default(&ps, e)))
		return rc;
	rc = contracts_fraud(rq->db, ps, id, list, n, body_text(rq, "reason"), body_text(rq, "officer"), day, &out, e);
	policy_set_free(ps);
	return rc ? rc : api_json(rs, 200, out);
}
API_ROUTE(r_contract_fraud, "POST", "/api/v1/contracts/{id}/fraud", contract_fraud)

/* GET /api/v1/awards/calc?amount=YUAN[&policy=ID][&date=D][&type=T] — needs no stored data. */
static int award_calc_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"amount", "policy", "date", "type", NULL};
	const char *amount = api_query(rq, "amount"), *pid = api_query(rq, "policy"), *type = api_query(rq, "type");
	policy_set *ps = NULL;
	const policy *p;
	award_calc r;
	int64_t fen;
	int32_t day;
	int rc;
	char d[11];
	if ((rc = api_query_check(rq, rs, allowed, NULL, NULL)))
		return rc;
	if (!amount)
		return api_problem(rs, 400, "amount", "the amount query parameter (yuan) is required");
	if (money_parse(amount, strlen(amount), &fen, e) != 0)
		return api_problem(rs, 400, "amount", "%s", e->msg);
	if (date_arg(api_query(rq, "date"), "date", date_today(), &day, e))
		return api_problem(rs, 400, "date", "must be a date YYYY-MM-DD");
	if ((rc = policy_set_load_default(&ps, e)))
		return rc;
	p = pid ? policy_set_find(ps, pid) : policy_set_at(ps, day);
	if (!p) {
		rc = pid ? cf_err_set(e, CF_ENOTFOUND, "policy", "no policy version \"%s\"", pid)
			 : cf_err_set(e, CF_ENOTFOUND, "date", "no policy version in force on %s", date_format(day, d));
		policy_set_free(ps);
		return rc;
	}
	if ((rc = award_compute(p, fen, type, &r, e))) {
		policy_set_free(ps);
		return rc;
	}
	rc = api_json(rs, 200, json_pack("{s:I, s:I, s:s, s:b, s:b, s:I}", "award_fen", (json_int_t)r.award_fen, "amount_fen",
					 (json_int_t)r.amount_fen, "policy", p->id, "covered", r.covered, "capped", r.capped,
					 "exact_e4", (json_int_t)r.exact_e4));
	policy_set_free(ps);
	return rc;
}
API_ROUTE(r_award_calc, "GET", "/api/v1/awards/calc", award_calc_get)

/* POST /api/v1/awards/whatif {"policies": ["nbsz-2020", "us-tlo-15"], "from": D, "to": D} */
static int award_whatif(api_req *rq, api_res *rs, cf_err *e)
{
	policy_set *ps = NULL;
	json_t *pols = rq->body ? json_object_get(rq->body, "policies") : NULL, *v, *out = NULL;
	const char *ids[16];
	size_t n = 0, i;
	int32_t f, t;
	int rc;
	if ((rc = bureau_only(rq, e)))
		return rc;
	if (!json_is_array(pols) || json_array_size(pols) == 0 || json_array_size(pols) > 16)
		return cf_err_set(e, CF_EINVAL, "$.policies", "must list 1 to 16 policy version ids");
	json_array_foreach(pols, i, v) {
		if (!json_is_string(v)) {
			char where[40];
			snprintf(where, sizeof where, "$.policies[%zu]", i);
			return cf_err_set(e, CF_EINVAL, where, "must be a policy id");
		}
		ids[n++] = json_string_value(v);
	}
	if ((rc = date_arg(body_text(rq, "from"), "$.from", INT32_MIN, &f, e)) ||
	    (rc = date_arg(body_text(rq, "to"), "$.to", INT32_MAX, &t, e)) || (rc = policy_set_load_default(&ps, e)))
		return rc;
	rc = whatif_run(rq->db, ps, ids, n, f, t, &out, e);
	policy_set_free(ps);
	if (rc == CF_ENOTFOUND)
		rc = cf_err_set(e, CF_EINVAL, "$.policies", "%s", e->msg);
	return rc ? rc : api_json(rs, 200, out);
}
API_ROUTE(r_award_whatif, "POST", "/api/v1/awards/whatif", award_whatif)

static int policies_get(api_req *rq, api_res *rs, cf_err *e)
{
	policy_set *ps = NULL;
	json_t *a;
	size_t i, k;
	int rc;
	if ((rc = api_query_check(rq, rs, NULL, NULL, NULL)) || (rc = policy_set_load_default(&ps, e)))
		return rc;
	a = json_array();
	for (i = 0; i < ps->n; i++) {
		const policy *p = &ps->v[i];
		json_t *tiers = json_array();
		char f[11], t[11];
		for (k = 0; k < p->ntiers; k++)
			json_array_append_new(tiers, json_pack("{s:o, s:i}", "upto_fen",
							       p->tiers[k].upto_fen == POLICY_OPEN_FEN ? json_null() : json_integer(p->tiers[k].upto_fen),
							       "rate_bp", p->tiers[k].rate_bp));
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b, s:s, s:o, s:o, s:i}", "id", p->id, "name", p->name, "name_en",
						   p->name_en, "in_force", p->in_force, "effective_from", date_format(p->from, f),
						   "effective_to", p->to == POLICY_OPEN_DATE ? json_null() : json_string(date_format(p->to, t)),
						   "tiers", tiers, "ban_years", p->ban_years));
	}
	policy_set_free(ps);
	return api_json(rs, 200, json_pack("{s:o}", "items", a));
}
API_ROUTE(r_policies, "GET", "/api/v1/policies", policies_get)

static int decisions_get(api_req *rq, api_res *rs, cf_err *e)
{
	json_t *rows = NULL, *a;
	size_t i;
	int rc;
	if ((rc = bureau_only(rq, e)) || (rc = api_query_check(rq, rs, NULL, NULL, NULL)) ||
	    (rc = sqlrows_collect(rq->db, "SELECT id, contract_id, kind, reason, officer, flags, decided_on FROM decisions ORDER BY id",
				  NULL, 0, &rows, e)))
		return rc;
	a = json_array();
	for (i = 0; i < json_array_size(rows); i++) {
		char d[11];
		json_t *flags = json_loads(sqlrows_text(rows, i, 5), 0, NULL);
		json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:s}", "id", (json_int_t)sqlrows_i64(rows, i, 0),
						   "contract_id", (json_int_t)sqlrows_i64(rows, i, 1), "kind", sqlrows_text(rows, i, 2),
						   "reason", sqlrows_text(rows, i, 3), "officer", sqlrows_text(rows, i, 4), "flags",
						   flags ? flags : json_array(), "decided_on",
						   date_format((int32_t)sqlrows_i64(rows, i, 6), d)));
	}
	json_decref(rows);
	return api_json(rs, 200, json_pack("{s:o}", "items", a));
}
API_ROUTE(r_decisions, "GET", "/api/v1/decisions", decisions_get)

/* GET /api/v1/blacklist[?date=D][&all=1] */
static int blacklist_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"date", "all", NULL};
	json_t *out = NULL;
	int32_t day;
	int rc;
	const char *all = api_query(rq, "all");
	if ((rc = bureau_only(rq, e)) || (rc = api_query_check(rq, rs, allowed, NULL, NULL)))
		return rc;
	if (date_arg(api_query(rq, "date"), "date", date_today(), &day, e))
		return api_problem(rs, 400, "date", "must be a date YYYY-MM-DD");
	if ((rc = blacklist_list(rq->db, day, all && strcmp(all, "0") != 0, &out, e)))
		return rc;
	return api_json(rs, 200, json_pack("{s:o}", "items", out));
}
API_ROUTE(r_blacklist, "GET", "/api/v1/blacklist", blacklist_get)

static int ledger_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"subject", NULL};
	json_t *out = NULL;
	int rc;
	if ((rc = bureau_only(rq, e)) || (rc = api_query_check(rq, rs, allowed, NULL, NULL)) ||
	    (rc = ledgers_list(rq->db, api_query(rq, "subject"), &out, e)))
		return rc;
	return api_json(rs, 200, json_pack("{s:o}", "items", out));
}
API_ROUTE(r_ledger, "GET", "/api/v1/ledger", ledger_get)

/* 200 {"ok": true, "entries", "head"} or 200 {"ok": false, "first_bad": "entry N", "detail"}:
 * a broken chain is a finding, not a failed request. */
static int ledger_verify_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"expect_head", NULL};
	json_t *out = NULL;
	int rc;
	if ((rc = bureau_only(rq, e)) || (rc = api_query_check(rq, rs, allowed, NULL, NULL)))
		return rc;
	rc = ledgers_verify(rq->db, api_query(rq, "expect_head"), &out, e);
	if (rc == CF_EINVAL)
		return api_json(rs, 200, json_pack("{s:b, s:s, s:s}", "ok", 0, "first_bad", e->where, "detail", e->msg));
	if (rc)
		return rc;
	json_object_set_new(out, "ok", json_true());
	return api_json(rs, 200, out);
}
API_ROUTE(r_ledger_verify, "GET", "/api/v1/ledger/verify", ledger_verify_get)

static int ledger_overdue_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"date", NULL};
	json_t *out = NULL;
	int32_t day;
	int rc;
	if ((rc = bureau_only(rq, e)) || (rc = api_query_check(rq, rs, allowed, NULL, NULL)))
		return rc;
	if (date_arg(api_query(rq, "date"), "date", date_today(), &day, e))
		return api_problem(rs, 400, "date", "must be a date YYYY-MM-DD");
	if ((rc = ledgers_overdue(rq->db, day, &out, e)))
		return rc;
	return api_json(rs, 200, json_pack("{s:o}", "items", out));
}
API_ROUTE(r_ledger_overdue, "GET", "/api/v1/ledger/overdue", ledger_overdue_get)

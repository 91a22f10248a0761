/*
 * contracts — technology contracts and broker awards in the store; see contracts.h.
 *
 * The ownership graph for the related-party check is built from the registry at each check:
 * enterprises (legal representative), shareholders (holder → enterprise with its share) and
 * the contract's brokers (employer). The registry records natural persons by name only, so a
 * broker is linked to a shareholding or a legal representation by the broker's name; such a
 * flag is evidence for the officer to review, which is what the check is for.
 */
#include "service/contracts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "ledger/ledger.h"
#include "model/uscc.h"
#include "policy/award.h"
#include "policy/related.h"
#include "service/blacklist.h"
#include "service/ledgers.h"
#include "service/sqlrows.h"

#define MAX_BROKERS 64

typedef struct contract {
	int64_t id;
	char reg_no[64], type[16], buyer[32], seller[32], status[16], policy_id[POLICY_ID_MAX];
	int64_t amount_fen;
	int32_t sign;
	size_t nb;
	int64_t broker_id[MAX_BROKERS];
	int64_t share_bp[MAX_BROKERS];
	char broker_name[MAX_BROKERS][64];
	char broker_employer[MAX_BROKERS][32];
} contract;

static void i64s(char *out, size_t n, int64_t v) { snprintf(out, n, "%lld", (long long)v); }

/* ---- registration ------------------------------------------------------------------------ */

static int bad(cf_err *e, const char *path, const char *msg) { return cf_err_set(e, CF_EINVAL, path, "%s", msg); }

static int get_text(const json_t *in, const char *key, int required, size_t max, const char **out, cf_err *e)
{
	char path[64];
	json_t *v = json_object_get(in, key);
	snprintf(path, sizeof path, "$.%s", key);
	if (!v || json_is_null(v)) {
		*out = NULL;
		return required ? bad(e, path, "is required") : 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return bad(e, path, "must be non-empty text");
	if (json_string_length(v) > max)
		return bad(e, path, "is too long");
	*out = json_string_value(v);
	return 0;
}

int contracts_add(store *s, const json_t *in, int32_t today, int64_t *id, cf_err *e)
{
	const char *reg_no, *type, *title, *buyer, *seller, *amount_s = NULL, *sign_s;
	json_t *brokers, *b, *rows = NULL;
	int64_t amount = -1, sum = 0;
	int32_t sign;
	size_t i, k;
	int rc, listed, ok = 0, began = 0;
	char am[24], sg[16], path[64];

	if (!json_is_object(in))
		return bad(e, "$", "must be a JSON object");
	if ((rc = get_text(in, "reg_no", 1, 60, &reg_no, e)) || (rc = get_text(in, "type", 1, 15, &type, e)) ||
	    (rc = get_text(in, "title", 1, 400, &title, e)) || (rc = get_text(in, "buyer_uscc", 1, 18, &buyer, e)) ||
	    (rc = get_text(in, "seller_uscc", 1, 18, &seller, e)) || (rc = get_text(in, "sign_date", 1, 10, &sign_s, e)))
		return rc;
	for (k = 0; k < 4; k++)
		ok |= !strcmp(type, policy_contract_types[k]);
	if (!ok)
		return bad(e, "$.type", "must be one of 技术开发, 技术转让, 技术咨询, 技术服务");
	for (k = 0; k < 2; k++) {
		uscc_result ur;
		const char *u = k ? seller : buyer;
		if (uscc_check(u, strlen(u), &ur) != 0)
			return cf_err_set(e, CF_EINVAL, k ? "$.seller_uscc" : "$.buyer_uscc", "not a valid unified social credit code: %s",
					  ur.msg);
	}
	if (!strcmp(buyer, seller))
		return bad(e, "$.seller_uscc", "buyer and seller must be different enterprises");
	if (date_parse(sign_s, strlen(sign_s), &sign, e) != 0)
		return cf_err_set(e, CF_EINVAL, "$.sign_date", "must be a date YYYY-MM-DD");
	if (json_is_integer(json_object_get(in, "amount_fen")))
		amount = json_integer_value(json_object_get(in, "amount_fen"));
	else if ((rc = get_text(in, "amount", 1, 30, &amount_s, e)))
		return cf_err_set(e, CF_EINVAL, "$.amount", "amount (yuan text) or amount_fen (integer) is required");
	else if (money_parse(amount_s, strlen(amount_s), &amount, e) != 0)
		return cf_err_set(e, CF_EINVAL, "$.amount", "%s", e->msg);
	if (amount < 0 || amount > POLICY_MAX_AMOUNT_FEN)
		return bad(e, amount_s ? "$.amount" : "$.amount_fen", "must be between 0 and 1,000,000,000,000.00 yuan");
	brokers = json_object_get(in, "brokers");
	if (!json_is_array(brokers) || json_array_size(brokers) == 0 || json_array_size(brokers) > MAX_BROKERS)
		return bad(e, "$.brokers", "must list 1 to 64 brokers as {broker_id, share_bp}");
	json_array_foreach(brokers, i, b) {
		json_t *bid = json_object_get(b, "broker_id"), *sh = json_object_get(b, "share_bp");
		snprintf(path, sizeof path, "$.brokers[%zu].broker_id", i);
		if (!json_is_integer(bid) || json_integer_value(bid) <= 0)
			return bad(e, path, "must be a broker id");
		for (k = 0; k < i; k++)
			if (json_integer_value(json_object_get(json_array_get(brokers, k), "broker_id")) == json_integer_value(bid))
				return bad(e, path, "lists the same broker twice");
		snprintf(path, sizeof path, "$.brokers[%zu].share_bp", i);
		if (!json_is_integer(sh) || json_integer_value(sh) < 0 || json_integer_value(sh) > 10000)
			return bad(e, path, "must be whole basis points 0..10000");
		sum += json_integer_value(sh);
	}
	if (sum != 10000)
		return bad(e, "$.brokers", "the brokers' shares must sum to 10000 basis points (100%)");
	for (k = 0; k < 2; k++) {
		int32_t until = 0;
		char d[11];
		if ((rc = blacklist_listed(s, k ? seller : buyer, today, &listed, &until, e)))
			return rc;
		if (listed)
			return cf_err_set(e, CF_EFORBIDDEN, k ? "$.seller_uscc" : "$.buyer_uscc",
					  "%s is on the serious dishonesty list (严重失信名单) until %s and may not apply for policy support",
					  k ? seller : buyer, date_format(until, d));
	}

	if ((rc = store_begin(s, e)))
		return rc;
	began = 1;
	i64s(am, sizeof am, amount);
	snprintf(sg, sizeof sg, "%d", sign);
	{
		const char *p[] = {reg_no, type, title, buyer, seller, am, sg};
		if ((rc = sqlrows_exec(s,
				       "INSERT INTO contracts (reg_no, type, title, buyer_uscc, seller_uscc, amount_fen, sign_date, "
				       "status) VALUES (?, ?, ?, ?, ?, ?, ?, 'registered')",
				       p, 7, e))) {
			if (rc == CF_ECONFLICT)
				cf_err_set(e, CF_ECONFLICT, "$.reg_no", "a contract with registration number %s exists", reg_no);
			goto fail;
		}
		if ((rc = sqlrows_collect(s, "SELECT id FROM contracts WHERE reg_no = ?", p, 1, &rows, e)))
			goto fail;
	}
	*id = sqlrows_i64(rows, 0, 0);
	json_array_foreach(brokers, i, b) {
		char cid[24], bid[24], sh[24], seq[24];
		const char *p[] = {cid, bid, sh, seq};
		i64s(cid, sizeof cid, *id);
		i64s(bid, sizeof bid, json_integer_value(json_object_get(b, "broker_id")));
		i64s(sh, sizeof sh, json_integer_value(json_object_get(b, "share_bp")));
		i64s(seq, sizeof seq, (int64_t)i);
		if ((rc = sqlrows_exec(s, "INSERT INTO contract_brokers (contract_id, broker_id, share_bp, seq) VALUES (?, ?, ?, ?)",
				       p, 4, e))) {
			snprintf(path, sizeof path, "$.brokers[%zu].broker_id", i);
			cf_err_set(e, CF_EINVAL, path, "no broker with id %s", bid);
			goto fail;
		}
	}
	rc = store_commit(s, e);
	began = 0;
fail:
	if (began)
		store_rollback(s);
	json_decref(rows);
	return rc;
}

/* ---- loading ----------------------------------------------------------------------------- */

static int load(store *s, int64_t id, contract *c, cf_err *e)
{
	char sid[24];
	const char *p[] = {sid};
	json_t *rows = NULL;
	size_t i;
	int rc;

	memset(c, 0, sizeof *c);
	i64s(sid, sizeof sid, id);
	if ((rc = sqlrows_collect(s,
				  "SELECT id, reg_no, type, buyer_uscc, seller_uscc, amount_fen, sign_date, status, policy_id "
				  "FROM contracts WHERE id = ?",
				  p, 1, &rows, e)))
		return rc;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return cf_err_set(e, CF_ENOTFOUND, "contract", "no contract with id %s", sid);
	}
	c->id = id;
	snprintf(c->reg_no, sizeof c->reg_no, "%s", sqlrows_text(rows, 0, 1));
	snprintf(c->type, sizeof c->type, "%s", sqlrows_text(rows, 0, 2));
	snprintf(c->buyer, sizeof c->buyer, "%s", sqlrows_text(rows, 0, 3));
	snprintf(c->seller, sizeof c->seller, "%s", sqlrows_text(rows, 0, 4));
	c->amount_fen = sqlrows_i64(rows, 0, 5);
	c->sign = (int32_t)sqlrows_i64(rows, 0, 6);
	snprintf(c->status, sizeof c->status, "%s", sqlrows_text(rows, 0, 7));
	snprintf(c->policy_id, sizeof c->policy_id, "%s", sqlrows_text(rows, 0, 8));
	json_decref(rows);
	if ((rc = sqlrows_collect(s,
				  "SELECT cb.broker_id, cb.share_bp, b.name, b.employer_uscc FROM contract_brokers cb "
				  "JOIN brokers b ON b.id = cb.broker_id WHERE cb.contract_id = ? ORDER BY cb.seq",
				  p, 1, &rows, e)))
		return rc;
	for (i = 0; i < json_array_size(rows) && i < MAX_BROKERS; i++) {
		c->broker_id[i] = sqlrows_i64(rows, i, 0);
		c->share_bp[i] = sqlrows_i64(rows, i, 1);
		snprintf(c->broker_name[i], sizeof c->broker_name[i], "%s", sqlrows_text(rows, i, 2));
		snprintf(c->broker_employer[i], sizeof c->broker_employer[i], "%s", sqlrows_text(rows, i, 3));
	}
	c->nb = i;
	json_decref(rows);
	return 0;
}

static const policy *policy_of(const policy_set *ps, const contract *c, cf_err *e)
{
	const policy *p = c->policy_id[0] ? policy_set_find(ps, c->policy_id) : policy_set_at(ps, c->sign);
	char d[11];
	if (!p) {
		if (c->policy_id[0])
			cf_err_set(e, CF_EINTERNAL, "policy", "contract %lld was approved under policy %s, which is no longer shipped",
				   (long long)c->id, c->policy_id);
		else
			cf_err_set(e, CF_ENOTFOUND, "sign_date", "no policy version was in force on the sign date %s",
				   date_format(c->sign, d));
	}
	return p;
}

/* ---- related-party check ------------------------------------------------------------------ */

static int build_graph(store *s, const contract *c, rp_graph *g, cf_err *e)
{
	json_t *rows = NULL;
	size_t i, k;
	int rc;
	char key[200], bkey[32];

	if ((rc = sqlrows_collect(s, "SELECT uscc, legal_rep FROM enterprises WHERE legal_rep IS NOT NULL AND legal_rep <> ''",
				  NULL, 0, &rows, e)))
		return rc;
	for (i = 0; i < json_array_size(rows); i++) {
		snprintf(key, sizeof key, "person:%s", sqlrows_text(rows, i, 1));
		if ((rc = rp_add_legal_rep(g, key, sqlrows_text(rows, i, 0), e)))
			goto done;
		for (k = 0; k < c->nb; k++)
			if (!strcmp(c->broker_name[k], sqlrows_text(rows, i, 1))) {
				snprintf(bkey, sizeof bkey, "broker:%lld", (long long)c->broker_id[k]);
				if ((rc = rp_add_legal_rep(g, bkey, sqlrows_text(rows, i, 0), e)))
					goto done;
			}
	}
	json_decref(rows);
	rows = NULL;
	if ((rc = sqlrows_collect(s,
				  "SELECT e.uscc, s.holder_kind, s.holder_name, s.holder_uscc, s.share FROM shareholders s "
				  "JOIN enterprises e ON e.id = s.enterprise_id WHERE s.share > 0",
				  NULL, 0, &rows, e)))
		return rc;
	for (i = 0; i < json_array_size(rows); i++) {
		const char *company = sqlrows_text(rows, i, 0), *kind = sqlrows_text(rows, i, 1), *name = sqlrows_text(rows, i, 2),
			   *uscc = sqlrows_text(rows, i, 3);
		int32_t share = (int32_t)sqlrows_i64(rows, i, 4);
		if (!strcmp(kind, "entity"))
			snprintf(key, sizeof key, "%s%s", *uscc ? "" : "entity:", *uscc ? uscc : name);
		else
			snprintf(key, sizeof key, "person:%s", name);
		if (strcmp(key, company) != 0 && (rc = rp_add_holding(g, key, company, share, e)))
			goto done;
		for (k = 0; !strcmp(kind, "person") && k < c->nb; k++)
			if (!strcmp(c->broker_name[k], name)) {
				snprintf(bkey, sizeof bkey, "broker:%lld", (long long)c->broker_id[k]);
				if ((rc = rp_add_holding(g, bkey, company, share, e)))
					goto done;
			}
	}
	for (k = 0; k < c->nb; k++)
		if (c->broker_employer[k][0]) {
			snprintf(bkey, sizeof bkey, "broker:%lld", (long long)c->broker_id[k]);
			if ((rc = rp_add_employment(g, bkey, c->broker_employer[k], e)))
				goto done;
		}
done:
	json_decref(rows);
	return rc;
}

json_t *contracts_flags_json(const rp_flag *f, size_t nf)
{
	char path[2048];
	json_t *a = json_array();
	size_t i, k;

	for (i = 0; i < nf; i++) {
		json_t *steps = json_array();
		for (k = 0; k < f[i].nsteps; k++) {
			const rp_step *st = &f[i].steps[k];
			json_t *o = json_pack("{s:s, s:s, s:s}", "from", st->from, "to", st->to, "rel",
					      st->rel == RP_HOLDS ? "holds" : st->rel == RP_REPRESENTS ? "legal_rep" : "employed_by");
			if (st->rel == RP_HOLDS)
				json_object_set_new(o, "share_bp", json_integer(st->share_bp));
			json_array_append_new(steps, o);
		}
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o}", "kind", rp_kind_name(f[i].kind), "who", f[i].who,
						   "path", rp_flag_path(&f[i], path, sizeof path), "steps", steps));
	}
	return a;
}

/* The flags as JSON; *n their count. */
static int check(store *s, const policy *p, const contract *c, json_t **out, size_t *n, cf_err *e)
{
	rp_graph *g = rp_graph_create();
	rp_flag *f = NULL;
	char keys[MAX_BROKERS][32];
	const char *bk[MAX_BROKERS];
	size_t nf = 0, k;
	json_t *a;
	int rc;

	if (!g)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	for (k = 0; k < c->nb; k++) {
		snprintf(keys[k], sizeof keys[k], "broker:%lld", (long long)c->broker_id[k]);
		bk[k] = keys[k];
	}
	if ((rc = build_graph(s, c, g, e)) || (rc = rp_check(g, p, c->buyer, c->seller, bk, c->nb, &f, &nf, e))) {
		rp_graph_free(g);
		return rc;
	}
	a = contracts_flags_json(f, nf);
	free(f);
	rp_graph_free(g);
	*out = a;
	*n = nf;
	return 0;
}

int contracts_check(store *s, const policy_set *ps, int64_t id, json_t **out, cf_err *e)
{
	contract c;
	const policy *p;
	json_t *flags = NULL;
	size_t n;
	int rc;
	if ((rc = load(s, id, &c, e)))
		return rc;
	if (!(p = policy_of(ps, &c, e)))
		return e->code;
	if ((rc = check(s, p, &c, &flags, &n, e)))
		return rc;
	*out = json_pack("{s:I, s:s, s:b, s:o}", "contract_id", (json_int_t)id, "policy", p->id, "related", n > 0, "flags", flags);
	return 0;
}

/* ---- approval, payment, fraud ------------------------------------------------------------ */

static void subject_of(const contract *c, char *out, size_t n) { snprintf(out, n, "contract:%lld", (long long)c->id); }

int contracts_approve(store *s, const policy_set *ps, int64_t id, const char *officer, const char *override_reason,
		      int32_t today, json_t **out, cf_err *e)
{
	contract c;
	const policy *p;
	json_t *flags = NULL, *rows = NULL, *awards = NULL;
	award_calc calc;
	award_broker ab[MAX_BROKERS];
	award_part parts[MAX_BROKERS];
	size_t nf = 0, k;
	int rc, began = 0, year, m, d;
	char sid[24], subj[48], buf1[24], buf2[24], buf3[24], yr[8];

	if ((rc = store_begin(s, e)))
		return rc;
	began = 1;
	if ((rc = load(s, id, &c, e)))
		goto fail;
	if (strcmp(c.status, "registered") != 0) {
		rc = cf_err_set(e, CF_ECONFLICT, "status", "contract %lld is %s, not registered", (long long)id, c.status);
		goto fail;
	}
	if (!(p = policy_of(ps, &c, e))) {
		rc = e->code;
		goto fail;
	}
	if ((rc = check(s, p, &c, &flags, &nf, e)))
		goto fail;
	if (nf > 0 && (!override_reason || !*override_reason)) {
		const char *first = json_string_value(json_object_get(json_array_get(flags, 0), "path"));
		rc = cf_err_set(e, CF_ECONFLICT, "related_party",
				"%zu related-party flag(s) (first: %s); approval needs a bureau override with a reason", nf,
				first ? first : "");
		goto fail;
	}
	if ((rc = award_compute(p, c.amount_fen, c.type, &calc, e)))
		goto fail;
	date_to_ymd(c.sign, &year, &m, &d);
	snprintf(yr, sizeof yr, "%d", year);
	for (k = 0; k < c.nb; k++) {
		char key[32];
		const char *q[] = {buf1, yr};
		int listed = 0;
		memset(&ab[k], 0, sizeof ab[k]);
		ab[k].share_bp = c.share_bp[k];
		snprintf(key, sizeof key, "broker:%lld", (long long)c.broker_id[k]);
		if ((rc = blacklist_listed(s, key, today, &listed, NULL, e)))
			goto fail;
		ab[k].barred = listed;
		i64s(buf1, sizeof buf1, c.broker_id[k]);
		if ((rc = sqlrows_collect(s,
					  "SELECT COALESCE(SUM(grant_fen), 0) FROM awards WHERE broker_id = ? AND year = ? "
					  "AND status IN ('committed', 'paid')",
					  q, 2, &rows, e)))
			goto fail;
		ab[k].year_to_date_fen = sqlrows_i64(rows, 0, 0);
		json_decref(rows);
		rows = NULL;
	}
	if ((rc = award_distribute(p, calc.award_fen, ab, c.nb, parts, e)))
		goto fail;
	subject_of(&c, subj, sizeof subj);
	i64s(sid, sizeof sid, id);
	if (nf > 0) {
		/* the override is a decision and a ledger entry: who approved what, and why */
		char *fl = json_dumps(flags, JSON_COMPACT);
		char dd[16];
		ledger_entry le;
		const char *q[] = {sid, override_reason, officer ? officer : "", fl ? fl : "[]", dd};
		snprintf(dd, sizeof dd, "%d", today);
		rc = sqlrows_exec(s,
				  "INSERT INTO decisions (contract_id, kind, reason, officer, flags, decided_on) VALUES (?, 'override', ?, ?, ?, ?)",
				  q, 5, e);
		free(fl);
		if (rc)
			goto fail;
		memset(&le, 0, sizeof le);
		snprintf(le.kind, sizeof le.kind, "override");
		snprintf(le.policy_id, sizeof le.policy_id, "%s", p->id);
		snprintf(le.subject, sizeof le.subject, "%s", subj);
		snprintf(le.party, sizeof le.party, "%s", officer ? officer : "");
		le.day = today;
		le.due = LEDGER_NO_DATE;
		snprintf(le.memo, sizeof le.memo, "%s", override_reason);
		if ((rc = ledgers_append(s, &le, e)))
			goto fail;
	}
	awards = json_array();
	for (k = 0; k < c.nb; k++) {
		static const char *const why[] = {"granted", "barred", "year_cap"};
		ledger_entry le;
		char bid[24], seqs[24];
		const char *status = parts[k].grant_fen > 0 ? "committed" : "withheld";
		/* a zero award (a type the policy does not reward, or a tiny amount) is not a withholding */
		const char *reason = parts[k].split_fen == 0 ? (calc.covered ? "zero_award" : "type_not_covered") : why[parts[k].reason];
		const char *q[] = {sid, bid, p->id, yr, buf2, buf3, status, reason, seqs};
		i64s(bid, sizeof bid, c.broker_id[k]);
		i64s(buf2, sizeof buf2, parts[k].split_fen);
		i64s(buf3, sizeof buf3, parts[k].grant_fen);
		memset(&le, 0, sizeof le);
		if (parts[k].grant_fen > 0) {
			snprintf(le.kind, sizeof le.kind, "commitment");
			snprintf(le.policy_id, sizeof le.policy_id, "%s", p->id);
			snprintf(le.subject, sizeof le.subject, "%s", subj);
			snprintf(le.party, sizeof le.party, "broker:%s", bid);
			le.amount_fen = parts[k].grant_fen;
			le.day = today;
			le.due = today + p->payment_due_days;
			if ((rc = ledgers_append(s, &le, e)))
				goto fail;
		}
		i64s(seqs, sizeof seqs, le.seq);
		if ((rc = sqlrows_exec(s,
				       "INSERT INTO awards (contract_id, broker_id, policy_id, year, split_fen, grant_fen, status, reason, "
				       "commitment_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, '0'))",
				       q, 9, e)))
			goto fail;
		json_array_append_new(awards, json_pack("{s:I, s:I, s:I, s:I, s:s, s:s}", "broker_id", (json_int_t)c.broker_id[k],
							"share_bp", (json_int_t)c.share_bp[k], "award_fen",
							(json_int_t)parts[k].split_fen, "grant_fen", (json_int_t)parts[k].grant_fen,
							"status", status, "reason", reason));
	}
	{
		const char *q[] = {p->id, buf1, sid};
		i64s(buf1, sizeof buf1, calc.award_fen);
		if ((rc = sqlrows_exec(s, "UPDATE contracts SET status = 'approved', policy_id = ?, award_fen = ? WHERE id = ?", q, 3, e)))
			goto fail;
	}
	if ((rc = store_commit(s, e)))
		goto fail;
	began = 0;
	*out = json_pack("{s:I, s:s, s:I, s:I, s:b, s:b, s:o, s:o}", "contract_id", (json_int_t)id, "policy", p->id, "amount_fen",
			 (json_int_t)c.amount_fen, "award_fen", (json_int_t)calc.award_fen, "covered", calc.covered, "override",
			 nf > 0, "flags", flags, "awards", awards);
	return 0;
fail:
	if (began)
		store_rollback(s);
	json_decref(flags);
	json_decref(rows);
	json_decref(awards);
	return rc;
}

/* Moves every award of contract sid whose status is one of from_sql (SQL literals) to status
 * to, appending for each a ledger entry of kind (amount = its grant, referring to its
 * commitment, memo when not NULL). Adds the amounts to *total and sets *n to the number of
 * entries. Runs inside the caller's transaction. */
static int settle_awards(store *s, const char *sid, const char *subj, const char *from_sql, const char *kind,
			 const char *to, const char *memo, int32_t today, int64_t *total, size_t *n, cf_err *e)
{
	char sql[256];
	json_t *rows = NULL;
	const char *q[] = {sid};
	size_t i;
	int rc;

	snprintf(sql, sizeof sql,
		 "SELECT id, broker_id, grant_fen, commitment_seq, policy_id FROM awards WHERE contract_id = ? "
		 "AND status IN (%s) ORDER BY id",
		 from_sql);
	if ((rc = sqlrows_collect(s, sql, q, 1, &rows, e)))
		return rc;
	for (i = 0; i < json_array_size(rows); i++) {
		ledger_entry le;
		const char *u[] = {to, sqlrows_text(rows, i, 0)};
		memset(&le, 0, sizeof le);
		snprintf(le.kind, sizeof le.kind, "%s", kind);
		snprintf(le.policy_id, sizeof le.policy_id, "%s", sqlrows_text(rows, i, 4));
		snprintf(le.subject, sizeof le.subject, "%s", subj);
		snprintf(le.party, sizeof le.party, "broker:%s", sqlrows_text(rows, i, 1));
		le.amount_fen = sqlrows_i64(rows, i, 2);
		le.day = today;
		le.due = LEDGER_NO_DATE;
		le.ref_seq = sqlrows_i64(rows, i, 3);
		if (memo)
			snprintf(le.memo, sizeof le.memo, "%s", memo);
		*total += le.amount_fen;
		if ((rc = ledgers_append(s, &le, e)) ||
		    (rc = sqlrows_exec(s, "UPDATE awards SET status = ? WHERE id = ?", u, 2, e)))
			break;
	}
	*n = i;
	json_decref(rows);
	return rc;
}

int contracts_pay(store *s, int64_t id, int32_t today, json_t **out, cf_err *e)
{
	contract c;
	int64_t total = 0;
	size_t n = 0;
	int rc, began = 0;
	char sid[24], subj[48];

	if ((rc = store_begin(s, e)))
		return rc;
	began = 1;
	if ((rc = load(s, id, &c, e)))
		goto fail;
	if (strcmp(c.status, "approved") != 0) {
		rc = cf_err_set(e, CF_ECONFLICT, "status", "contract %lld is %s; only approved contracts are paid", (long long)id, c.status);
		goto fail;
	}
	i64s(sid, sizeof sid, id);
	subject_of(&c, subj, sizeof subj);
	if ((rc = settle_awards(s, sid, subj, "'committed'", "payment", "paid", NULL, today, &total, &n, e)))
		goto fail;
	{
		const char *q[] = {sid};
		if ((rc = sqlrows_exec(s, "UPDATE contracts SET status = 'paid' WHERE id = ?", q, 1, e)))
			goto fail;
	}
	if ((rc = store_commit(s, e)))
		goto fail;
	began = 0;
	*out = json_pack("{s:I, s:I, s:I}", "contract_id", (json_int_t)id, "payments", (json_int_t)n,
			 "paid_fen", (json_int_t)total);
fail:
	if (began)
		store_rollback(s);
	return rc;
}

int contracts_fraud(store *s, const policy_set *ps, int64_t id, const char *const *parties, size_t nparties,
		    const char *reason, const char *officer, int32_t today, json_t **out, cf_err *e)
{
	contract c;
	const policy *p;
	json_t *rows = NULL, *listed = NULL;
	size_t k;
	int64_t total = 0, decision = 0;
	size_t n = 0;
	int rc, began = 0;
	char sid[24], subj[48], dd[16];

	if (!reason || !*reason)
		return cf_err_set(e, CF_EINVAL, "reason", "a fraud decision needs a reason");
	if (nparties == 0)
		return cf_err_set(e, CF_EINVAL, "parties", "name at least one responsible party");
	if (!(listed = json_array()))
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if ((rc = store_begin(s, e))) {
		json_decref(listed);
		return rc;
	}
	began = 1;
	if ((rc = load(s, id, &c, e)))
		goto fail;
	if (!strcmp(c.status, "fraud")) {
		rc = cf_err_set(e, CF_ECONFLICT, "status", "contract %lld was already decided fraudulent", (long long)id);
		goto fail;
	}
	if (!(p = policy_of(ps, &c, e))) {
		rc = e->code;
		goto fail;
	}
	i64s(sid, sizeof sid, id);
	subject_of(&c, subj, sizeof subj);
	snprintf(dd, sizeof dd, "%d", today);
	{
		const char *q[] = {sid, reason, officer ? officer : "", dd};
		if ((rc = sqlrows_exec(s,
				       "INSERT INTO decisions (contract_id, kind, reason, officer, flags, decided_on) VALUES (?, 'fraud', ?, ?, '[]', ?)",
				       q, 4, e)) ||
		    (rc = sqlrows_collect(s, "SELECT MAX(id) FROM decisions WHERE contract_id = ?", q, 1, &rows, e)))
			goto fail;
		decision = sqlrows_i64(rows, 0, 0);
		json_decref(rows);
		rows = NULL;
	}
	/* §四.4: the whole award is clawed back, whether already paid or only committed */
	if ((rc = settle_awards(s, sid, subj, "'committed', 'paid'", "clawback", "clawed_back", reason, today, &total, &n,
				e)))
		goto fail;
	for (k = 0; k < nparties; k++) {
		const char *party = parties[k], *kind = "enterprise";
		char key[40], until[11];
		if (!strcmp(party, "buyer"))
			party = c.buyer;
		else if (!strcmp(party, "seller"))
			party = c.seller;
		else if (!strncmp(party, "broker:", 7)) {
			size_t j;
			int found = 0;
			for (j = 0; j < c.nb; j++)
				if (snprintf(key, sizeof key, "broker:%lld", (long long)c.broker_id[j]) > 0 && !strcmp(key, party))
					found = 1;
			if (!found) {
				rc = cf_err_set(e, CF_EINVAL, "parties", "%s is not a broker of contract %lld", party, (long long)id);
				goto fail;
			}
			kind = "broker";
		} else if (strcmp(party, c.buyer) != 0 && strcmp(party, c.seller) != 0) {
			rc = cf_err_set(e, CF_EINVAL, "parties",
					"\"%s\" is not a party of contract %lld (use buyer, seller, broker:ID or a party's USCC)", party,
					(long long)id);
			goto fail;
		}
		if ((rc = blacklist_add(s, party, kind, reason, decision, p->id, today, p->ban_years, e)))
			goto fail;
		json_array_append_new(listed, json_pack("{s:s, s:s, s:s, s:s}", "party", party, "party_kind", kind, "start_date",
							date_format(today, key), "end_date",
							date_format(date_add_years(today, p->ban_years) - 1, until)));
	}
	{
		const char *q[] = {sid};
		if ((rc = sqlrows_exec(s, "UPDATE contracts SET status = 'fraud' WHERE id = ?", q, 1, e)))
			goto fail;
	}
	if ((rc = store_commit(s, e)))
		goto fail;
	began = 0;
	*out = json_pack("{s:I, s:I, s:I, s:I, s:o}", "contract_id", (json_int_t)id, "decision_id", (json_int_t)decision,
			 "clawbacks", (json_int_t)n, "clawed_back_fen", (json_int_t)total, "listed", listed);
	listed = NULL;
fail:
	if (began)
		store_rollback(s);
	json_decref(rows);
	json_decref(listed);
	return rc;
}

/* ---- reading ----------------------------------------------------------------------------- */

static json_t *rows_to_objects(const json_t *rows, const char *const *names, const char *ints)
{
	json_t *a = json_array();
	size_t i, k;
	for (i = 0; i < json_array_size(rows); i++) {
		json_t *o = json_object();
		for (k = 0; names[k]; k++) {
			if (sqlrows_null(rows, i, k))
				json_object_set_new(o, names[k], json_null());
			else if (ints[k] == 'i')
				json_object_set_new(o, names[k], json_integer(sqlrows_i64(rows, i, k)));
			else if (ints[k] == 'd') {
				char d[11];
				json_object_set_new(o, names[k], json_string(date_format((int32_t)sqlrows_i64(rows, i, k), d)));
			} else
				json_object_set_new(o, names[k], json_string(sqlrows_text(rows, i, k)));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static const char *const contract_cols[] = {"id",	  "reg_no",    "type",	   "title",  "buyer_uscc", "seller_uscc",
					    "amount_fen", "sign_date", "status", "policy", "award_fen",  NULL};
static const char contract_kinds[] = "isssssidssi";
#define CONTRACT_SELECT                                                                                                \
	"SELECT id, reg_no, type, title, buyer_uscc, seller_uscc, amount_fen, sign_date, status, policy_id, award_fen FROM contracts "

int contracts_list(store *s, json_t **out, cf_err *e)
{
	json_t *rows = NULL;
	int rc;
	if ((rc = sqlrows_collect(s, CONTRACT_SELECT "ORDER BY id DESC", NULL, 0, &rows, e)))
		return rc;
	*out = rows_to_objects(rows, contract_cols, contract_kinds);
	json_decref(rows);
	return 0;
}

int contracts_get(store *s, int64_t id, json_t **out, cf_err *e)
{
	static const char *const bcols[] = {"broker_id", "share_bp", "name", "employer_uscc", NULL};
	static const char *const acols[] = {"broker_id", "policy", "split_fen", "grant_fen", "status", "reason", "commitment_seq", NULL};
	static const char *const dcols[] = {"id", "kind", "reason", "officer", "flags", "decided_on", NULL};
	json_t *rows = NULL, *o;
	char sid[24];
	const char *q[] = {sid};
	int rc;

	i64s(sid, sizeof sid, id);
	if ((rc = sqlrows_collect(s, CONTRACT_SELECT "WHERE id = ?", q, 1, &rows, e)))
		return rc;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return cf_err_set(e, CF_ENOTFOUND, "contract", "no contract with id %s", sid);
	}
	{
		json_t *all = rows_to_objects(rows, contract_cols, contract_kinds);
		o = json_incref(json_array_get(all, 0));
		json_decref(all);
	}
	json_decref(rows);
	if ((rc = sqlrows_collect(s,
				  "SELECT cb.broker_id, cb.share_bp, b.name, b.employer_uscc FROM contract_brokers cb JOIN brokers b "
				  "ON b.id = cb.broker_id WHERE cb.contract_id = ? ORDER BY cb.seq",
				  q, 1, &rows, e)))
		goto fail;
	json_object_set_new(o, "brokers", rows_to_objects(rows, bcols, "iiss"));
	json_decref(rows);
	if ((rc = sqlrows_collect(s,
				  "SELECT broker_id, policy_id, split_fen, grant_fen, status, reason, commitment_seq FROM awards "
				  "WHERE contract_id = ? ORDER BY id",
				  q, 1, &rows, e)))
		goto fail;
	json_object_set_new(o, "awards", rows_to_objects(rows, acols, "isiissi"));
	json_decref(rows);
	if ((rc = sqlrows_collect(s, "SELECT id, kind, reason, officer, flags, decided_on FROM decisions WHERE contract_id = ? ORDER BY id",
				  q, 1, &rows, e)))
		goto fail;
	json_object_set_new(o, "decisions", rows_to_objects(rows, dcols, "issssd"));
	json_decref(rows);
	*out = o;
	return 0;
fail:
	json_decref(o);
	return rc;
}

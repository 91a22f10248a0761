/*
 * demo_contracts (service) — synthetic technology contracts (四技) for the demo; see
 * demo_extra.h. Registration, payment and the fraud decision go through service/contracts;
 * approval writes what contracts_approve writes (decision and override entry for a flagged
 * contract, one award row and one ledger commitment per broker, the contract's status),
 * with the award from policy/award under the version in force on the sign date. It does not
 * call contracts_approve because that rebuilds the whole ownership graph from the registry
 * for every check (about a second each on the demo); here the graph is built once.
 */
#include "service/demo_extra.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "policy/award.h"
#include "policy/policy.h"
#include "policy/related.h"
#include "service/blacklist.h"
#include "service/contracts.h"
#include "service/ledgers.h"
#include "service/sqlrows.h"

#define MAXB 3

/* ---- random stream (splitmix64; separate from demo_gen's) ---- */

static uint64_t nextr(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t *r, uint64_t n) { return n ? (uint64_t)(((unsigned __int128)nextr(r) * n) >> 64) : 0; }

/* ---- the registry, as the check needs it ---- */

typedef struct party {
	char uscc[20];
} party;

typedef struct broker {
	int64_t id;
	char name[64];
	char employer[20];
	int employer_registered; /* the employer is an enterprise of the registry */
} broker;

typedef struct ctx {
	store *s;
	rp_graph *g;
	broker *b;
	size_t nb;
	party *buy, *sell;
	size_t nbuy, nsell, capbuy, capsell;
	int fail;
	cf_err *e;
} ctx;

static int cmp_bname(const void *a, const void *b) { return strcmp(((const broker *)a)->name, ((const broker *)b)->name); }

/* First index of a broker named name in the name-sorted array, or nb. */
static size_t bfirst(const ctx *c, const char *name)
{
	size_t lo = 0, hi = c->nb;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(c->b[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int broker_row(void *p, int n, const char *const *v, const char *const *names)
{
	ctx *c = p;
	broker *b = &c->b[c->nb];
	(void)names;
	if (n < 3 || !v[0] || !v[1])
		return 0;
	b->id = strtoll(v[0], NULL, 10);
	snprintf(b->name, sizeof b->name, "%s", v[1]);
	snprintf(b->employer, sizeof b->employer, "%s", v[2] ? v[2] : "");
	c->nb++;
	return 0;
}

static int rep_row(void *p, int n, const char *const *v, const char *const *names)
{
	ctx *c = p;
	char key[200], bkey[32];
	size_t k;
	(void)names;
	if (n < 2 || !v[0] || !v[1])
		return 0;
	snprintf(key, sizeof key, "person:%s", v[1]);
	if (rp_add_legal_rep(c->g, key, v[0], c->e))
		return c->fail = 1;
	for (k = bfirst(c, v[1]); k < c->nb && !strcmp(c->b[k].name, v[1]); k++) {
		snprintf(bkey, sizeof bkey, "broker:%lld", (long long)c->b[k].id);
		if (rp_add_legal_rep(c->g, bkey, v[0], c->e))
			return c->fail = 1;
	}
	return 0;
}

static int hold_row(void *p, int n, const char *const *v, const char *const *names)
{
	ctx *c = p;
	char key[200], bkey[32];
	size_t k;
	int32_t share;
	(void)names;
	if (n < 5 || !v[0] || !v[1] || !v[4])
		return 0;
	share = (int32_t)strtol(v[4], NULL, 10);
	if (!strcmp(v[1], "entity"))
		snprintf(key, sizeof key, "%s%s", v[3] && *v[3] ? "" : "entity:", v[3] && *v[3] ? v[3] : (v[2] ? v[2] : ""));
	else
		snprintf(key, sizeof key, "person:%s", v[2] ? v[2] : "");
	if (strcmp(key, v[0]) != 0 && rp_add_holding(c->g, key, v[0], share, c->e))
		return c->fail = 1;
	if (!strcmp(v[1], "person") && v[2])
		for (k = bfirst(c, v[2]); k < c->nb && !strcmp(c->b[k].name, v[2]); k++) {
			snprintf(bkey, sizeof bkey, "broker:%lld", (long long)c->b[k].id);
			if (rp_add_holding(c->g, bkey, v[0], share, c->e))
				return c->fail = 1;
		}
	return 0;
}

static int cmp_bid(const void *a, const void *b)
{
	int64_t x = ((const broker *)a)->id, y = ((const broker *)b)->id;
	return (x > y) - (x < y);
}

static int employed_row(void *p, int n, const char *const *v, const char *const *names)
{
	ctx *c = p;
	broker key, *b;
	(void)names;
	if (n < 1 || !v[0])
		return 0;
	key.id = strtoll(v[0], NULL, 10);
	if ((b = bsearch(&key, c->b, c->nb, sizeof *c->b, cmp_bid)))
		b->employer_registered = 1;
	return 0;
}

static int party_row(void *p, int n, const char *const *v, const char *const *names)
{
	ctx *c = p;
	int sell = n > 1 && v[1] && !strcmp(v[1], "1");
	party **a = sell ? &c->sell : &c->buy;
	size_t *len = sell ? &c->nsell : &c->nbuy, *cap = sell ? &c->capsell : &c->capbuy;
	(void)names;
	if (!v[0])
		return 0;
	if (*len == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		party *np = realloc(*a, nc * sizeof *np);
		if (!np)
			return c->fail = 1;
		*a = np;
		*cap = nc;
	}
	snprintf((*a)[*len].uscc, sizeof (*a)[*len].uscc, "%s", v[0]);
	(*len)++;
	return 0;
}

/* The ownership graph with every broker's edges, built as service/contracts.c builds it. */
static int build(ctx *c, cf_err *e)
{
	int rc;
	json_t *rows = NULL;
	size_t i;
	c->e = e;
	if ((rc = sqlrows_collect(c->s, "SELECT COUNT(*) FROM brokers", NULL, 0, &rows, e)))
		return rc;
	c->b = calloc((size_t)sqlrows_i64(rows, 0, 0) + 1, sizeof *c->b);
	json_decref(rows);
	if (!c->b || !(c->g = rp_graph_create()))
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if ((rc = store_sql(c->s, "SELECT id, name, employer_uscc FROM brokers WHERE status = 'active' ORDER BY id", NULL, 0,
			    broker_row, c, e)) < 0)
		return rc;
	qsort(c->b, c->nb, sizeof *c->b, cmp_bname);
	if ((rc = store_sql(c->s, "SELECT uscc, legal_rep FROM enterprises WHERE legal_rep IS NOT NULL AND legal_rep <> ''",
			    NULL, 0, rep_row, c, e)) < 0 || c->fail)
		return rc < 0 ? rc : e->code ? e->code : CF_ENOMEM;
	if ((rc = store_sql(c->s,
			    "SELECT e.uscc, s.holder_kind, s.holder_name, s.holder_uscc, s.share FROM shareholders s "
			    "JOIN enterprises e ON e.id = s.enterprise_id WHERE s.share > 0",
			    NULL, 0, hold_row, c, e)) < 0 || c->fail)
		return rc < 0 ? rc : e->code ? e->code : CF_ENOMEM;
	for (i = 0; i < c->nb; i++)
		if (c->b[i].employer[0]) {
			char bkey[32];
			snprintf(bkey, sizeof bkey, "broker:%lld", (long long)c->b[i].id);
			if ((rc = rp_add_employment(c->g, bkey, c->b[i].employer, e)))
				return rc;
		}
	if ((rc = rp_graph_index(c->g, e)))
		return rc;
	/* the brokers back in id order, so that picks do not depend on names */
	qsort(c->b, c->nb, sizeof *c->b, cmp_bid);
	if ((rc = store_sql(c->s, "SELECT id FROM brokers WHERE employer_uscc IN (SELECT uscc FROM enterprises)", NULL, 0,
			    employed_row, c, e)) < 0)
		return rc;
	/* buyers: above-scale firms and tech SMEs; sellers (flag 1): high-tech firms and firms
	 * with a provincial R&D centre */
	if ((rc = store_sql(c->s,
			    "SELECT uscc, CASE WHEN high_tech = 1 OR rd_centre = 'province' THEN 1 ELSE 0 END FROM enterprises "
			    "WHERE above_scale = 1 OR tech_sme = 1 OR high_tech = 1 OR rd_centre = 'province' ORDER BY id",
			    NULL, 0, party_row, c, e)) < 0 || c->fail)
		return rc < 0 ? rc : cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if (c->nbuy == 0 || c->nsell == 0 || c->nb < MAXB)
		return cf_err_set(e, CF_EINTERNAL, "demo contracts", "the registry lacks buyers, sellers or brokers");
	return 0;
}

/* ---- the plan ---- */

typedef struct plan {
	size_t seq;                 /* order of drawing, the tie-break of equal sign dates */
	int32_t sign, approve, pay; /* 0: not approved / not paid */
	int kind;                   /* 0 clean, 1 holding pair, 2 broker employed by the buyer */
	int type;
	int64_t amount;
	char buyer[20], seller[20];
	size_t nb;
	int64_t bid[MAXB], share[MAXB];
	int64_t id;
	json_t *flags;
	const policy *p;
} plan;

static int cmp_plan(const void *a, const void *b)
{
	const plan *x = a, *y = b;
	if (x->sign != y->sign)
		return (x->sign > y->sign) - (x->sign < y->sign);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int64_t jint(const json_t *o, const char *k, int64_t dflt)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

/* The flags of pl on g under p, as contracts_check reports them. */
static int flags_of(ctx *c, const policy *p, plan *pl, json_t **out, cf_err *e)
{
	char keys[MAXB][32];
	const char *bk[MAXB];
	rp_flag *f = NULL;
	size_t nf = 0, k;
	json_t *a;
	int rc;
	for (k = 0; k < pl->nb; k++) {
		snprintf(keys[k], sizeof keys[k], "broker:%lld", (long long)pl->bid[k]);
		bk[k] = keys[k];
	}
	if ((rc = rp_check(c->g, p, pl->buyer, pl->seller, bk, pl->nb, &f, &nf, e)))
		return rc;
	a = contracts_flags_json(f, nf);
	free(f);
	*out = a;
	return 0;
}

static void pick_brokers(ctx *c, uint64_t *r, plan *pl, int64_t must)
{
	static const int64_t shares[MAXB][MAXB] = {{10000, 0, 0}, {6000, 4000, 0}, {5000, 3000, 2000}};
	uint64_t u = below(r, 100);
	size_t k, j;
	pl->nb = u < 60 ? 1 : u < 90 ? 2 : 3;
	for (k = 0; k < pl->nb; k++) {
		int64_t id;
		do {
			id = k == 0 && must ? must : c->b[below(r, c->nb)].id;
			for (j = 0; j < k && pl->bid[j] != id; j++)
				;
		} while (j < k);
		pl->bid[k] = id;
		pl->share[k] = shares[pl->nb - 1][k];
	}
}

static const char *const type_zh[4] = {"技术开发", "技术转让", "技术咨询", "技术服务"};
static const char *const title_zh[4] = {"%s关键工艺联合开发", "%s专利技术转让", "%s数字化改造技术咨询", "%s检测与工艺优化技术服务"};
static const char *const topics[] = {"智能低压电器", "鞋服智能制造", "汽摩配精密零部件", "阀门密封", "新能源汽车电驱",
				     "医疗器械", "眼视光", "新材料涂层", "工业互联网", "激光与光电"};

/* Approves pl on day as contracts_approve does; reason non-NULL for a flagged contract. */
static int approve(ctx *c, plan *pl, const char *officer, const char *reason, demo_extra_stats *st, cf_err *e)
{
	award_calc calc;
	award_broker ab[MAXB];
	award_part parts[MAXB];
	char sid[24], subj[48], yr[8], buf1[24], buf2[24], buf3[24];
	json_t *rows = NULL;
	size_t k;
	int rc, y, m, d;

	if ((rc = award_compute(pl->p, pl->amount, type_zh[pl->type], &calc, e)))
		return rc;
	date_to_ymd(pl->sign, &y, &m, &d);
	snprintf(yr, sizeof yr, "%d", y);
	snprintf(sid, sizeof sid, "%lld", (long long)pl->id);
	snprintf(subj, sizeof subj, "contract:%lld", (long long)pl->id);
	for (k = 0; k < pl->nb; k++) {
		char key[32];
		const char *q[] = {buf1, yr};
		int listed = 0;
		memset(&ab[k], 0, sizeof ab[k]);
		ab[k].share_bp = pl->share[k];
		snprintf(key, sizeof key, "broker:%lld", (long long)pl->bid[k]);
		if ((rc = blacklist_listed(c->s, key, pl->approve, &listed, NULL, e)))
			return rc;
		ab[k].barred = listed;
		snprintf(buf1, sizeof buf1, "%lld", (long long)pl->bid[k]);
		if ((rc = sqlrows_collect(c->s,
					  "SELECT COALESCE(SUM(grant_fen), 0) FROM awards WHERE broker_id = ? AND year = ? "
					  "AND status IN ('committed', 'paid')",
					  q, 2, &rows, e)))
			return rc;
		ab[k].year_to_date_fen = sqlrows_i64(rows, 0, 0);
		json_decref(rows);
	}
	if ((rc = award_distribute(pl->p, calc.award_fen, ab, pl->nb, parts, e)))
		return rc;
	if (reason) {
		char *fl = json_dumps(pl->flags, JSON_COMPACT);
		char dd[16];
		ledger_entry le;
		const char *q[] = {sid, reason, officer, fl ? fl : "[]", dd};
		snprintf(dd, sizeof dd, "%d", pl->approve);
		rc = sqlrows_exec(c->s,
				  "INSERT INTO decisions (contract_id, kind, reason, officer, flags, decided_on) VALUES (?, 'override', ?, ?, ?, ?)",
				  q, 5, e);
		free(fl);
		if (rc)
			return rc;
		memset(&le, 0, sizeof le);
		snprintf(le.kind, sizeof le.kind, "override");
		snprintf(le.policy_id, sizeof le.policy_id, "%s", pl->p->id);
		snprintf(le.subject, sizeof le.subject, "%s", subj);
		snprintf(le.party, sizeof le.party, "%s", officer);
		le.day = pl->approve;
		le.due = LEDGER_NO_DATE;
		snprintf(le.memo, sizeof le.memo, "%s", reason);
		if ((rc = ledgers_append(c->s, &le, e)))
			return rc;
		st->ledger_entries++;
	}
	for (k = 0; k < pl->nb; k++) {
		static const char *const why[] = {"granted", "barred", "year_cap"};
		ledger_entry le;
		char bid[24], seqs[24];
		const char *status = parts[k].grant_fen > 0 ? "committed" : "withheld";
		const char *rsn = parts[k].split_fen == 0 ? (calc.covered ? "zero_award" : "type_not_covered") : why[parts[k].reason];
		const char *q[] = {sid, bid, pl->p->id, yr, buf2, buf3, status, rsn, seqs};
		snprintf(bid, sizeof bid, "%lld", (long long)pl->bid[k]);
		snprintf(buf2, sizeof buf2, "%lld", (long long)parts[k].split_fen);
		snprintf(buf3, sizeof buf3, "%lld", (long long)parts[k].grant_fen);
		memset(&le, 0, sizeof le);
		if (parts[k].grant_fen > 0) {
			snprintf(le.kind, sizeof le.kind, "commitment");
			snprintf(le.policy_id, sizeof le.policy_id, "%s", pl->p->id);
			snprintf(le.subject, sizeof le.subject, "%s", subj);
			snprintf(le.party, sizeof le.party, "broker:%s", bid);
			le.amount_fen = parts[k].grant_fen;
			le.day = pl->approve;
			le.due = pl->approve + pl->p->payment_due_days;
			if ((rc = ledgers_append(c->s, &le, e)))
				return rc;
			st->ledger_entries++;
		}
		snprintf(seqs, sizeof seqs, "%lld", (long long)le.seq);
		if ((rc = sqlrows_exec(c->s,
				       "INSERT INTO awards (contract_id, broker_id, policy_id, year, split_fen, grant_fen, status, reason, "
				       "commitment_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, '0'))",
				       q, 9, e)))
			return rc;
		st->awards++;
	}
	{
		const char *q[] = {pl->p->id, buf1, sid};
		snprintf(buf1, sizeof buf1, "%lld", (long long)calc.award_fen);
		if ((rc = sqlrows_exec(c->s, "UPDATE contracts SET status = 'approved', policy_id = ?, award_fen = ? WHERE id = ?", q, 3, e)))
			return rc;
	}
	st->approved++;
	return 0;
}

/* Holding pairs for related-party contracts: (holder, company) with both in the registry. */
static int holding_pairs(store *s, int32_t min_bp, json_t **rows, cf_err *e)
{
	char m[16];
	const char *q[] = {m};
	snprintf(m, sizeof m, "%d", (int)min_bp);
	return sqlrows_collect(s,
			       "SELECT s.holder_uscc, e.uscc FROM shareholders s JOIN enterprises e ON e.id = s.enterprise_id "
			       "WHERE s.holder_kind = 'entity' AND s.share >= ? AND s.holder_uscc IN (SELECT uscc FROM enterprises) "
			       "ORDER BY s.id",
			       q, 1, rows, e);
}

typedef struct event {
	int32_t day;
	int kind; /* 0 approve, 1 pay */
	size_t i;
} event;

static int cmp_event(const void *a, const void *b)
{
	const event *x = a, *y = b;
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return (x->i > y->i) - (x->i < y->i);
}

int demo_contracts(store *s, uint64_t seed, const json_t *params, demo_extra_stats *st, cf_err *e)
{
	const json_t *cp = json_object_get(params, "contracts");
	ctx c;
	policy_set *ps = NULL;
	plan *pl = NULL;
	event *ev = NULL;
	json_t *pairs = NULL, *tw, *bands, *out = NULL;
	int64_t n, nhold, nemp, approve_pm, pay_pm, typew[4], tsum = 0;
	int32_t from, to, last = 0, fraud_day;
	uint64_t r = seed ^ 0xC0A7A5C7ULL;
	size_t i, k, nev = 0, nemp_brokers = 0;
	const char *officer, *reason;
	int rc;

	memset(&c, 0, sizeof c);
	c.s = s;
	if (!json_is_object(cp))
		return cf_err_set(e, CF_EINVAL, "profile.json:params.contracts", "is required (an object)");
	n = jint(cp, "count", -1);
	nhold = jint(cp, "flagged_holding", -1);
	nemp = jint(cp, "flagged_broker_employed", -1);
	approve_pm = jint(cp, "approve_permille", -1);
	pay_pm = jint(cp, "paid_permille", -1);
	tw = json_object_get(cp, "type_weights");
	bands = json_object_get(cp, "amount_bands_yuan");
	officer = json_string_value(json_object_get(cp, "officer"));
	reason = json_string_value(json_object_get(cp, "override_reason"));
	if (n < 10 || n > 100000 || nhold < 1 || nemp < 0 || nhold + nemp > n / 2 || approve_pm < 0 || approve_pm > 1000 ||
	    pay_pm < 0 || pay_pm > 1000 || !json_is_object(tw) || !json_is_array(bands) || json_array_size(bands) == 0 ||
	    !officer || !reason)
		return cf_err_set(e, CF_EINVAL, "profile.json:params.contracts",
				  "needs count, flagged_holding (>= 1), flagged_broker_employed, approve_permille, paid_permille, "
				  "type_weights, amount_bands_yuan, officer, override_reason");
	for (k = 0; k < 4; k++) {
		typew[k] = jint(tw, type_zh[k], -1);
		if (typew[k] < 1)
			return cf_err_set(e, CF_EINVAL, "profile.json:params.contracts.type_weights", "needs a positive weight for %s",
					  type_zh[k]);
		tsum += typew[k];
	}
	from = date_from_ymd(2019, 1, 1);
	to = date_from_ymd(2021, 12, 31);
	if ((rc = policy_set_load_default(&ps, e)))
		return rc;
	if ((rc = build(&c, e)))
		goto done;
	{
		const policy *p0 = policy_set_at(ps, date_from_ymd(2020, 1, 1));
		if (!p0) {
			rc = cf_err_set(e, CF_EINTERNAL, "data/policies", "no award policy in force on 2020-01-01");
			goto done;
		}
		if ((rc = holding_pairs(s, p0->rp_min_share_bp, &pairs, e)))
			goto done;
	}
	if ((int64_t)json_array_size(pairs) < nhold) {
		rc = cf_err_set(e, CF_EINTERNAL, "profile.json:params.contracts.flagged_holding",
				"the registry has %zu related-party holding pairs, fewer than %lld", json_array_size(pairs), (long long)nhold);
		goto done;
	}
	if (!(pl = calloc((size_t)n, sizeof *pl)) || !(ev = calloc((size_t)n * 2, sizeof *ev))) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	for (i = 0; i < c.nb; i++)
		nemp_brokers += c.b[i].employer_registered;
	if (nemp > 0 && nemp_brokers == 0) {
		rc = cf_err_set(e, CF_EINTERNAL, "profile.json:params.contracts.flagged_broker_employed",
				"no active broker works for an enterprise of the registry");
		goto done;
	}
	for (i = 0; i < (size_t)n; i++) {
		plan *q = &pl[i];
		int64_t u = (int64_t)below(&r, (uint64_t)tsum), lo = 0, hi = 0, w = 0, tot = 0;
		size_t bi;
		int tries;
		q->seq = i;
		for (q->type = 0; q->type < 3 && u >= typew[q->type]; q->type++)
			u -= typew[q->type];
		/* flagged ones are signed in 2020-2021, under a policy version */
		q->kind = (int64_t)i < nhold ? 1 : (int64_t)i < nhold + nemp ? 2 : 0;
		q->sign = q->kind ? date_from_ymd(2020, 1, 1) + (int32_t)below(&r, (uint64_t)(to - date_from_ymd(2020, 1, 1) + 1))
				  : from + (int32_t)below(&r, (uint64_t)(to - from + 1));
		/* amount band by weight, then within the band skewed to its low end (in hundreds of yuan) */
		for (bi = 0; bi < json_array_size(bands); bi++)
			tot += jint(json_array_get(bands, bi), "weight", 0);
		u = (int64_t)below(&r, (uint64_t)(tot > 0 ? tot : 1));
		for (bi = 0; bi < json_array_size(bands); bi++) {
			w = jint(json_array_get(bands, bi), "weight", 0);
			if (u < w)
				break;
			u -= w;
		}
		if (bi == json_array_size(bands))
			bi--;
		lo = jint(json_array_get(bands, bi), "from", -1);
		hi = jint(json_array_get(bands, bi), "to", -1);
		if (lo < 100 || hi <= lo || hi > 1000000000) {
			rc = cf_err_set(e, CF_EINVAL, "profile.json:params.contracts.amount_bands_yuan", "bands need 100 <= from < to");
			goto done;
		}
		{
			uint64_t a = below(&r, 1000000), span = (uint64_t)(hi - lo) / 100;
			q->amount = (lo + (int64_t)((unsigned __int128)span * a * a / 1000000000000ULL) * 100) * 100;
		}
		for (tries = 0;; tries++) {
			json_t *j = NULL;
			size_t t;
			if (q->kind == 1) {
				/* the pair of the i-th holding structure: holder sells to its subsidiary */
				size_t pi = (size_t)i * json_array_size(pairs) / (size_t)nhold;
				snprintf(q->seller, sizeof q->seller, "%s", sqlrows_text(pairs, pi, 0));
				snprintf(q->buyer, sizeof q->buyer, "%s", sqlrows_text(pairs, pi, 1));
				pick_brokers(&c, &r, q, 0);
			} else if (q->kind == 2) {
				/* a broker employed by the buyer, a firm of the registry */
				size_t want = (size_t)below(&r, nemp_brokers), seen = 0;
				for (t = 0; t < c.nb; t++)
					if (c.b[t].employer_registered && seen++ == want)
						break;
				snprintf(q->buyer, sizeof q->buyer, "%s", c.b[t].employer);
				snprintf(q->seller, sizeof q->seller, "%s", c.sell[below(&r, c.nsell)].uscc);
				pick_brokers(&c, &r, q, c.b[t].id);
			} else {
				snprintf(q->buyer, sizeof q->buyer, "%s", c.buy[below(&r, c.nbuy)].uscc);
				snprintf(q->seller, sizeof q->seller, "%s", c.sell[below(&r, c.nsell)].uscc);
				pick_brokers(&c, &r, q, 0);
			}
			if (!strcmp(q->buyer, q->seller))
				continue;
			q->p = policy_set_at(ps, q->sign);
			if ((rc = flags_of(&c, q->p ? q->p : policy_set_at(ps, date_from_ymd(2020, 1, 1)), q, &j, e)))
				goto done;
			if ((json_array_size(j) > 0) == (q->kind != 0)) {
				q->flags = j;
				break;
			}
			json_decref(j);
			if (tries > 200) {
				rc = cf_err_set(e, CF_EINTERNAL, "demo contracts", "cannot find parties for contract %zu", i);
				goto done;
			}
		}
	}
	qsort(pl, (size_t)n, sizeof *pl, cmp_plan);
	for (i = 0; i < (size_t)n; i++) {
		plan *q = &pl[i];
		json_t *in, *bl = json_array();
		char reg[40], title[160], d[11];
		int y, m, dd;
		date_to_ymd(q->sign, &y, &m, &dd);
		snprintf(reg, sizeof reg, "SYN%04d3303%06zu", y, i + 1);
		snprintf(title, sizeof title, title_zh[q->type], topics[below(&r, sizeof topics / sizeof topics[0])]);
		for (k = 0; k < q->nb; k++)
			json_array_append_new(bl, json_pack("{s:I, s:I}", "broker_id", (json_int_t)q->bid[k], "share_bp",
							    (json_int_t)q->share[k]));
		in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o}", "reg_no", reg, "type", type_zh[q->type], "title", title,
			       "buyer_uscc", q->buyer, "seller_uscc", q->seller, "amount_fen", (json_int_t)q->amount, "sign_date",
			       date_format(q->sign, d), "brokers", bl);
		rc = in ? contracts_add(s, in, q->sign, &q->id, e) : cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		json_decref(in);
		if (rc)
			goto done;
		st->contracts++;
		/* approval (flagged ones always, with the bureau's override) and payment */
		if (q->p && (q->kind || (int64_t)below(&r, 1000) < approve_pm)) {
			q->approve = q->sign + 20 + (int32_t)below(&r, 56);
			ev[nev++] = (event){q->approve, 0, i};
			if (q->kind == 1 || (int64_t)below(&r, 1000) < pay_pm) {
				q->pay = q->approve + 15 + (int32_t)below(&r, 66);
				ev[nev++] = (event){q->pay, 1, i};
			}
		}
	}
	qsort(ev, nev, sizeof *ev, cmp_event);
	for (k = 0; k < nev; k++) {
		plan *q = &pl[ev[k].i];
		if (ev[k].day > last)
			last = ev[k].day;
		if (ev[k].kind == 0) {
			if ((rc = approve(&c, q, officer, q->kind ? reason : NULL, st, e)))
				goto done;
			st->flagged += q->kind != 0;
		} else {
			if ((rc = contracts_pay(s, q->id, q->pay, &out, e)))
				goto done;
			st->ledger_entries += json_integer_value(json_object_get(out, "payments"));
			json_decref(out);
			out = NULL;
			st->paid++;
		}
	}
	/* the fraud case (§四.4): the first holding-pair contract, found out after everything
	 * else happened, so that no earlier approval would have seen the listing */
	fraud_day = last + 30;
	for (i = 0; i < (size_t)n; i++)
		if (pl[i].kind == 1 && pl[i].pay) {
			char b0[32];
			const char *parties[2] = {"seller", b0};
			snprintf(b0, sizeof b0, "broker:%lld", (long long)pl[i].bid[0]);
			if ((rc = contracts_fraud(s, ps, pl[i].id, parties, 2,
						  json_string_value(json_object_get(cp, "fraud_reason")) ? json_string_value(json_object_get(cp, "fraud_reason"))
													  : "虚假申报（合成数据）",
						  officer, fraud_day, &out, e)))
				goto done;
			st->ledger_entries += json_integer_value(json_object_get(out, "clawbacks"));
			json_decref(out);
			out = NULL;
			st->fraud++;
			break;
		}
	rc = 0;
done:
	if (pl)
		for (i = 0; i < (size_t)n; i++)
			json_decref(pl[i].flags);
	free(pl);
	free(ev);
	json_decref(pairs);
	json_decref(out);
	rp_graph_free(c.g);
	free(c.b);
	free(c.buy);
	free(c.sell);
	policy_set_free(ps);
	return rc;
}

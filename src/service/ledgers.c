/* ledgers — the hash-chained ledger stored in ledger_entries; see ledgers.h. */
#include "service/ledgers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/num.h"
#include "service/sqlrows.h"

static const char cols[] = "seq, kind, policy_id, subject, party, amount_fen, day, due, ref_seq, memo, prev_hash, hash";

int ledgers_append(store *s, ledger_entry *en, cf_err *e)
{
	json_t *head = NULL;
	unsigned char prev[LEDGER_HASH_LEN];
	int64_t prev_seq = 0;
	char seq[24], amount[24], day[16], due[16], ref[24], ph[LEDGER_HEX_LEN], h[LEDGER_HEX_LEN];
	int rc;

	if ((rc = sqlrows_collect(s, "SELECT seq, hash FROM ledger_entries ORDER BY seq DESC LIMIT 1", NULL, 0, &head, e)))
		return rc;
	if (json_array_size(head) == 1) {
		prev_seq = sqlrows_i64(head, 0, 0);
		if (ledger_unhex(sqlrows_text(head, 0, 1), prev) != 0) {
			json_decref(head);
			return cf_err_set(e, CF_EINTERNAL, "ledger", "the ledger head's hash is damaged; run chainfuse ledger verify");
		}
	}
	json_decref(head);
	if ((rc = ledger_seal(en, prev_seq, prev_seq ? prev : NULL, e)))
		return rc;
	snprintf(seq, sizeof seq, "%lld", (long long)en->seq);
	snprintf(amount, sizeof amount, "%lld", (long long)en->amount_fen);
	snprintf(day, sizeof day, "%d", en->day);
	snprintf(due, sizeof due, "%d", en->due);
	snprintf(ref, sizeof ref, "%lld", (long long)en->ref_seq);
	{
		const char *p[] = {seq, en->kind, en->policy_id, en->subject, en->party, amount, day,
				   en->due == LEDGER_NO_DATE ? NULL : due, ref, en->memo, ledger_hex(en->prev, ph), ledger_hex(en->hash, h)};
		return sqlrows_exec(s,
				    "INSERT INTO ledger_entries (seq, kind, policy_id, subject, party, amount_fen, day, due, "
				    "ref_seq, memo, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				    p, 12, e);
	}
}

static void copy_text(char *dst, size_t size, const char *src) { snprintf(dst, size, "%s", src ? src : ""); }

static int64_t num(const char *t)
{
	int64_t v;
	return num_parse_i64(t, &v) ? 0 : v;
}

/* One row of `cols` (in that order) into en. Hashes that are not 64 hex digits stay zero, so
 * verification fails on that entry. */
static void row_to_entry(const char *const *c, ledger_entry *en)
{
	memset(en->prev, 0, LEDGER_HASH_LEN);
	memset(en->hash, 0, LEDGER_HASH_LEN);
	en->seq = num(c[0]);
	copy_text(en->kind, sizeof en->kind, c[1]);
	copy_text(en->policy_id, sizeof en->policy_id, c[2]);
	copy_text(en->subject, sizeof en->subject, c[3]);
	copy_text(en->party, sizeof en->party, c[4]);
	en->amount_fen = num(c[5]);
	en->day = (int32_t)num(c[6]);
	en->due = c[7] ? (int32_t)num(c[7]) : LEDGER_NO_DATE;
	en->ref_seq = num(c[8]);
	copy_text(en->memo, sizeof en->memo, c[9]);
	ledger_unhex(c[10], en->prev);
	ledger_unhex(c[11], en->hash);
}

typedef struct loader {
	ledger_entry *v;
	size_t n, cap;
} loader;

static int load_row(void *ctx, int ncols, const char *const *c, const char *const *names)
{
	loader *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		ledger_entry *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv)
			return CF_ENOMEM;
		l->v = nv;
		l->cap = cap;
	}
	row_to_entry(c, &l->v[l->n++]);
	return 0;
}

int ledgers_load(store *s, ledger_entry **out, size_t *nout, cf_err *e)
{
	loader l = {NULL, 0, 0};
	char sql[256];
	int rc;

	snprintf(sql, sizeof sql, "SELECT %s FROM ledger_entries ORDER BY seq", cols);
	if ((rc = store_sql(s, sql, NULL, 0, load_row, &l, e))) {
		free(l.v);
		return rc == CF_ENOMEM ? cf_err_set(e, CF_ENOMEM, NULL, "out of memory") : rc;
	}
	*out = l.v;
	*nout = l.n;
	return 0;
}

typedef struct streamer {
	ledger_verifier vf;
	cf_err *e;
	int failed;
} streamer;

/* Verification streams the rows: memory stays flat however long the chain. */
static int verify_row(void *ctx, int ncols, const char *const *c, const char *const *names)
{
	streamer *st = ctx;
	ledger_entry en;
	row_to_entry(c, &en);
	if (ledger_verifier_feed(&st->vf, &en, st->e) != 0) {
		st->failed = 1;
		return CF_EINVAL;
	}
	return 0;
}

int ledgers_verify(store *s, const char *expect_head, json_t **report, cf_err *e)
{
	streamer st;
	char sql[256], h[LEDGER_HEX_LEN];
	int rc;

	ledger_verifier_init(&st.vf);
	st.e = e;
	st.failed = 0;
	snprintf(sql, sizeof sql, "SELECT %s FROM ledger_entries ORDER BY seq", cols);
	rc = store_sql(s, sql, NULL, 0, verify_row, &st, e);
	if (rc) {
		ledger_verifier_end(&st.vf, NULL, NULL);
		return rc;
	}
	if ((rc = ledger_verifier_end(&st.vf, expect_head, e)))
		return rc;
	*report = json_pack("{s:I, s:s}", "entries", (json_int_t)st.vf.n, "head", ledger_hex(st.vf.head, h));
	return 0;
}

json_t *ledgers_entry_json(const ledger_entry *en)
{
	char d[11], u[11], ph[LEDGER_HEX_LEN], h[LEDGER_HEX_LEN];
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:I, s:s, s:s, s:s}", "seq", (json_int_t)en->seq, "kind",
			 en->kind, "policy", en->policy_id, "subject", en->subject, "party", en->party, "amount_fen",
			 (json_int_t)en->amount_fen, "date", date_format(en->day, d), "due",
			 en->due == LEDGER_NO_DATE ? json_null() : json_string(date_format(en->due, u)), "ref_seq",
			 (json_int_t)en->ref_seq, "memo", en->memo, "prev_hash", ledger_hex(en->prev, ph), "hash",
			 ledger_hex(en->hash, h));
}

int ledgers_list(store *s, const char *subject, json_t **out, cf_err *e)
{
	ledger_entry *v = NULL;
	size_t n = 0, i;
	json_t *a;
	int rc;
	if ((rc = ledgers_load(s, &v, &n, e)))
		return rc;
	a = json_array();
	for (i = 0; i < n; i++)
		if (!subject || !strcmp(subject, v[i].subject))
			json_array_append_new(a, ledgers_entry_json(&v[i]));
	free(v);
	*out = a;
	return 0;
}

int ledgers_overdue(store *s, int32_t today, json_t **out, cf_err *e)
{
	ledger_entry *v = NULL;
	ledger_overdue *o = NULL;
	size_t n = 0, no = 0, i;
	json_t *a;
	int rc;
	if ((rc = ledgers_load(s, &v, &n, e)))
		return rc;
	if ((rc = ledger_overdue_list(v, n, today, &o, &no, e))) {
		free(v);
		return rc;
	}
	a = json_array();
	for (i = 0; i < no; i++) {
		json_t *x = ledgers_entry_json(&v[o[i].index]);
		json_object_set_new(x, "outstanding_fen", json_integer(o[i].outstanding_fen));
		json_object_set_new(x, "days_late", json_integer(o[i].days_late));
		json_array_append_new(a, x);
	}
	free(o);
	free(v);
	*out = a;
	return 0;
}

/* Tests of src/ledger/ledger.c: the canonical encoding, a known hash, and every kind of
 * tampering (change, delete, insert, reseal, truncate) caught at the first bad entry. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "ledger/ledger.h"

static ledger_entry entry(const char *kind, const char *party, int64_t fen, int64_t ref)
{
	ledger_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.kind, sizeof e.kind, "%s", kind);
	snprintf(e.policy_id, sizeof e.policy_id, "nbsz-2020");
	snprintf(e.subject, sizeof e.subject, "contract:1");
	snprintf(e.party, sizeof e.party, "%s", party);
	e.amount_fen = fen;
	e.day = date_from_ymd(2024, 3, 1);
	e.due = strcmp(kind, "commitment") ? LEDGER_NO_DATE : date_from_ymd(2024, 5, 30);
	e.ref_seq = ref;
	return e;
}

/* A chain of five: two commitments, a payment, a clawback, an override. */
static void chain(ledger_entry v[5])
{
	size_t i;
	v[0] = entry("commitment", "broker:1", 92593, 0);
	v[1] = entry("commitment", "broker:2", 55555, 0);
	v[2] = entry("payment", "broker:1", 92593, 1);
	v[3] = entry("clawback", "broker:1", 92593, 1);
	v[4] = entry("override", "", 0, 0);
	snprintf(v[4].memo, sizeof v[4].memo, "局长批准：共同股东为国有平台，非关联交易");
	for (i = 0; i < 5; i++)
		cr_assert_eq(ledger_seal(&v[i], (int64_t)i, i ? v[i - 1].hash : NULL, NULL), 0);
}

Test(ledger_ledger, canonical_encoding_is_exact)
{
	ledger_entry e = entry("payment", "broker:1", 92593, 1);
	buf b;
	e.seq = 3;
	snprintf(e.memo, sizeof e.memo, "a\nb");
	buf_init(&b, 0);
	cr_assert_eq(ledger_encode(&e, &b), 0);
	cr_assert_str_eq(buf_cstr(&b), "chainfuse-ledger-v1\nseq=3\nkind=7:payment\npolicy=9:nbsz-2020\n"
				       "subject=10:contract:1\nparty=8:broker:1\namount_fen=92593\nday=2024-03-01\n"
				       "due=-\nref=1\nmemo=3:a\nb\n");
	buf_free(&b);
}

Test(ledger_ledger, genesis_hash_known_answer)
{
	/* SHA-256 of 32 zero bytes followed by the encoding, computed independently with
	 * Python's hashlib. */
	ledger_entry e = entry("commitment", "broker:1", 92593, 0);
	char hex[LEDGER_HEX_LEN];
	cr_assert_eq(ledger_seal(&e, 0, NULL, NULL), 0);
	cr_assert_eq(e.seq, 1);
	cr_assert_str_eq(ledger_hex(e.hash, hex), "c4fb53d1e716db7aae6f3eaa5dcf3dbeef4994c400271ae69ad9bd9176ff9181");
}

Test(ledger_ledger, intact_chain_verifies)
{
	ledger_entry v[5];
	size_t bad = 99;
	cf_err e;
	char hex[LEDGER_HEX_LEN];
	chain(v);
	cr_assert_eq(ledger_verify(v, 5, NULL, &bad, &e), 0, "%s: %s", e.where, e.msg);
	cr_assert_eq(ledger_verify(v, 5, ledger_hex(v[4].hash, hex), &bad, &e), 0);
	cr_assert_eq(ledger_verify(v, 0, NULL, &bad, &e), 0);
}

Test(ledger_ledger, changed_amount_is_caught_at_that_entry)
{
	ledger_entry v[5];
	size_t bad = 99;
	cf_err e;
	chain(v);
	v[2].amount_fen = 92594;
	cr_assert_eq(ledger_verify(v, 5, NULL, &bad, &e), CF_EINVAL);
	cr_assert_eq(bad, 2);
	cr_assert_str_eq(e.where, "entry 3");
	cr_assert(strstr(e.msg, "hash mismatch"));
}

Test(ledger_ledger, changed_memo_and_policy_are_caught)
{
	ledger_entry v[5];
	size_t bad = 99;
	chain(v);
	v[4].memo[0] = 'X';
	cr_assert_eq(ledger_verify(v, 5, NULL, &bad, NULL), CF_EINVAL);
	cr_assert_eq(bad, 4);
	chain(v);
	snprintf(v[0].policy_id, sizeof v[0].policy_id, "us-tlo-15");
	cr_assert_eq(ledger_verify(v, 5, NULL, &bad, NULL), CF_EINVAL);
	cr_assert_eq(bad, 0);
}

Test(ledger_ledger, resealed_change_breaks_the_next_link)
{
	ledger_entry v[5];
	size_t bad = 99;
	cf_err e;
	chain(v);
	/* a forger who recomputes entry 2's own hash still breaks entry 3's link */
	v[1].amount_fen = 1;
	cr_assert_eq(ledger_seal(&v[1], 1, v[0].hash, NULL), 0);
	cr_assert_eq(ledger_verify(v, 5, NULL, &bad, &e), CF_EINVAL);
	cr_assert_eq(bad, 2);
	cr_assert_str_eq(e.where, "entry 3");
	cr_assert(strstr(e.msg, "previous-hash link"));
}

Test(ledger_ledger, deleted_entry_is_caught)
{
	ledger_entry v[5];
	size_t bad = 99;
	cf_err e;
	chain(v);
	memmove(&v[1], &v[2], 3 * sizeof v[0]);
	cr_assert_eq(ledger_verify(v, 4, NULL, &bad, &e), CF_EINVAL);
	cr_assert_eq(bad, 1);
	cr_assert_str_eq(e.where, "entry 3");
}

Test(ledger_ledger, inserted_entry_is_caught)
{
	ledger_entry v[6], x;
	size_t bad = 99;
	cf_err e;
	chain(v);
	x = entry("payment", "broker:9", 100000, 2);
	cr_assert_eq(ledger_seal(&x, 2, v[1].hash, NULL), 0); /* sealed as a valid entry 3 */
	memmove(&v[3], &v[2], 3 * sizeof v[0]);
	v[2] = x;
	cr_assert_eq(ledger_verify(v, 6, NULL, &bad, &e), CF_EINVAL);
	cr_assert_eq(bad, 3);
	cr_assert_str_eq(e.where, "entry 3"); /* the old entry 3, now in fourth place */
}

Test(ledger_ledger, truncation_needs_the_recorded_head)
{
	ledger_entry v[5];
	size_t bad = 99;
	cf_err e;
	char head[LEDGER_HEX_LEN];
	chain(v);
	ledger_hex(v[4].hash, head);
	cr_assert_eq(ledger_verify(v, 4, NULL, &bad, &e), 0); /* a shorter chain is still a chain */
	cr_assert_eq(ledger_verify(v, 4, head, &bad, &e), CF_EINVAL);
	cr_assert_eq(bad, 4);
}

Test(ledger_ledger, seal_refuses_bad_entries)
{
	ledger_entry x = entry("gift", "broker:1", 1, 0);
	cf_err e;
	cr_assert_eq(ledger_seal(&x, 0, NULL, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "kind");
	x = entry("payment", "broker:1", -1, 0);
	cr_assert_eq(ledger_seal(&x, 0, NULL, &e), CF_EINVAL);
	x = entry("payment", "broker:1", 1, 5);
	cr_assert_eq(ledger_seal(&x, 3, NULL, &e), CF_EINVAL); /* entry 4 cannot settle entry 5 */
	x = entry("commitment", "broker:1", 1, 0);
	x.due = LEDGER_NO_DATE;
	cr_assert_eq(ledger_seal(&x, 0, NULL, &e), CF_EINVAL);
}

Test(ledger_ledger, overdue_commitments)
{
	ledger_entry v[5];
	ledger_overdue *o = NULL;
	size_t n = 0;
	chain(v);
	/* entry 1 is clawed back, entry 2 is unpaid; due 2024-05-30 */
	cr_assert_eq(ledger_overdue_list(v, 5, date_from_ymd(2024, 5, 30), &o, &n, NULL), 0);
	cr_assert_eq(n, 0);
	cr_assert_null(o);
	cr_assert_eq(ledger_overdue_list(v, 5, date_from_ymd(2024, 6, 9), &o, &n, NULL), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(o[0].index, 1);
	cr_assert_eq(o[0].outstanding_fen, 55555);
	cr_assert_eq(o[0].days_late, 10);
	free(o);
	/* a partial payment leaves the rest outstanding */
	ledger_entry w[2] = {entry("commitment", "broker:2", 55555, 0), entry("payment", "broker:2", 50000, 1)};
	cr_assert_eq(ledger_seal(&w[0], 0, NULL, NULL), 0);
	cr_assert_eq(ledger_seal(&w[1], 1, w[0].hash, NULL), 0);
	cr_assert_eq(ledger_overdue_list(w, 2, date_from_ymd(2024, 7, 1), &o, &n, NULL), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(o[0].outstanding_fen, 5555);
	free(o);
}

/*
 * ledger — canonical encoding, SHA-256 chaining, verification and overdue commitments;
 * see ledger.h and docs/awards.md for the encoding.
 */
#include "ledger/ledger.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

const char *const ledger_kinds[] = {"commitment", "payment", "clawback", "override", NULL};

/* Text fields are length-prefixed ("memo=12:..."), so no content can imitate a field
 * boundary; integers are plain decimal; dates ISO 8601 or "-". */
static int put_text(buf *b, const char *name, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	int rc = buf_printf(b, "%s=%zu:", name, n);
	if (rc == 0)
		rc = buf_append(b, s, n);
	if (rc == 0)
		rc = buf_putc(b, '\n');
	return rc;
}

static int put_date(buf *b, const char *name, int32_t d)
{
	char s[11];
	if (d == LEDGER_NO_DATE)
		return buf_printf(b, "%s=-\n", name);
	return buf_printf(b, "%s=%s\n", name, date_format(d, s));
}

int ledger_encode(const ledger_entry *e, buf *b)
{
	int rc;
	if ((rc = buf_puts(b, "chainfuse-ledger-v1\n")) != 0 || (rc = buf_printf(b, "seq=%lld\n", (long long)e->seq)) != 0 ||
	    (rc = put_text(b, "kind", e->kind, sizeof e->kind)) != 0 ||
	    (rc = put_text(b, "policy", e->policy_id, sizeof e->policy_id)) != 0 ||
	    (rc = put_text(b, "subject", e->subject, sizeof e->subject)) != 0 ||
	    (rc = put_text(b, "party", e->party, sizeof e->party)) != 0 ||
	    (rc = buf_printf(b, "amount_fen=%lld\n", (long long)e->amount_fen)) != 0 ||
	    (rc = put_date(b, "day", e->day)) != 0 || (rc = put_date(b, "due", e->due)) != 0 ||
	    (rc = buf_printf(b, "ref=%lld\n", (long long)e->ref_seq)) != 0 ||
	    (rc = put_text(b, "memo", e->memo, sizeof e->memo)) != 0)
		return rc;
	return 0;
}

int ledger_check(const ledger_entry *e, cf_err *err)
{
	const char *const *k;
	int known = 0;
	for (k = ledger_kinds; *k; k++)
		known |= !strncmp(*k, e->kind, sizeof e->kind);
	if (!known)
		return cf_err_set(err, CF_EINVAL, "kind", "unknown ledger entry kind \"%.*s\"", (int)sizeof e->kind, e->kind);
	if (e->amount_fen < 0)
		return cf_err_set(err, CF_EINVAL, "amount_fen", "a ledger amount is never negative");
	if (e->ref_seq < 0 || (e->ref_seq > 0 && e->ref_seq >= e->seq && e->seq > 0))
		return cf_err_set(err, CF_EINVAL, "ref_seq", "a ledger entry may refer only to an earlier entry");
	if (!strcmp(e->kind, "commitment") && e->due == LEDGER_NO_DATE)
		return cf_err_set(err, CF_EINVAL, "due", "a commitment needs a due date");
	return 0;
}

/* hash = SHA-256(prev || encoding(e)); b is scratch (reset here). */
static int digest_with(const ledger_entry *e, const unsigned char prev[LEDGER_HASH_LEN], buf *b,
		       unsigned char out[LEDGER_HASH_LEN])
{
	crypto_hash_sha256_state st;
	int rc;

	buf_reset(b);
	if ((rc = ledger_encode(e, b)) != 0)
		return rc;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, prev, LEDGER_HASH_LEN);
	crypto_hash_sha256_update(&st, (const unsigned char *)b->p, b->len);
	crypto_hash_sha256_final(&st, out);
	return 0;
}

static int digest(const ledger_entry *e, const unsigned char prev[LEDGER_HASH_LEN], unsigned char out[LEDGER_HASH_LEN])
{
	buf b;
	int rc;
	buf_init(&b, 1 << 16);
	rc = digest_with(e, prev, &b, out);
	buf_free(&b);
	return rc;
}

int ledger_seal(ledger_entry *e, int64_t prev_seq, const unsigned char *prev_hash, cf_err *err)
{
	ledger_entry t = *e;
	int rc;

	if (sodium_init() < 0)
		return cf_err_set(err, CF_EINTERNAL, NULL, "libsodium failed to initialise");
	t.seq = prev_seq + 1;
	if ((rc = ledger_check(&t, err)) != 0)
		return rc;
	if (prev_hash)
		memcpy(t.prev, prev_hash, LEDGER_HASH_LEN);
	else
		memset(t.prev, 0, LEDGER_HASH_LEN);
	if ((rc = digest(&t, t.prev, t.hash)) != 0)
		return cf_err_set(err, rc, "memo", "ledger entry too large to encode");
	*e = t;
	return 0;
}

void ledger_verifier_init(ledger_verifier *vf)
{
	vf->n = 0;
	memset(vf->head, 0, LEDGER_HASH_LEN);
	buf_init(&vf->enc, 1 << 16);
}

int ledger_verifier_feed(ledger_verifier *vf, const ledger_entry *en, cf_err *err)
{
	unsigned char h[LEDGER_HASH_LEN];
	char where[64];
	cf_err ce;

	if (sodium_init() < 0)
		return cf_err_set(err, CF_EINTERNAL, NULL, "libsodium failed to initialise");
	snprintf(where, sizeof where, "entry %lld", (long long)en->seq);
	if (en->seq != vf->n + 1)
		return cf_err_set(err, CF_EINVAL, where,
				  "sequence broken: expected entry %lld here (an entry was deleted or inserted)", (long long)vf->n + 1);
	if (memcmp(en->prev, vf->head, LEDGER_HASH_LEN) != 0)
		return cf_err_set(err, CF_EINVAL, where,
				  "previous-hash link broken: the entry before it was changed, deleted or inserted");
	if (ledger_check(en, &ce) != 0)
		return cf_err_set(err, CF_EINVAL, where, "invalid field %s: %s", ce.where, ce.msg);
	if (digest_with(en, vf->head, &vf->enc, h) != 0)
		return cf_err_set(err, CF_EINVAL, where, "entry too large to encode");
	if (memcmp(h, en->hash, LEDGER_HASH_LEN) != 0)
		return cf_err_set(err, CF_EINVAL, where, "hash mismatch: the entry's content was changed");
	memcpy(vf->head, h, LEDGER_HASH_LEN);
	vf->n++;
	return 0;
}

int ledger_verifier_end(ledger_verifier *vf, const char *expect_head, cf_err *err)
{
	unsigned char want[LEDGER_HASH_LEN];
	buf_free(&vf->enc);
	if (!expect_head)
		return 0;
	if (ledger_unhex(expect_head, want) != 0)
		return cf_err_set(err, CF_EINVAL, "--expect-head", "must be 64 hex digits");
	if (memcmp(want, vf->head, LEDGER_HASH_LEN) != 0)
		return cf_err_set(err, CF_EINVAL, "chain end",
				  "head hash differs from the recorded one: entries after %lld were removed or the chain was rebuilt",
				  (long long)vf->n);
	return 0;
}

int ledger_verify(const ledger_entry *v, size_t n, const char *expect_head, size_t *bad, cf_err *err)
{
	ledger_verifier vf;
	size_t i;
	int rc;

	ledger_verifier_init(&vf);
	for (i = 0; i < n; i++) {
		*bad = i;
		if ((rc = ledger_verifier_feed(&vf, &v[i], err)) != 0) {
			ledger_verifier_end(&vf, NULL, NULL);
			return rc;
		}
	}
	*bad = n;
	return ledger_verifier_end(&vf, expect_head, err);
}

char *ledger_hex(const unsigned char hash[LEDGER_HASH_LEN], char out[LEDGER_HEX_LEN])
{
	static const char dig[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < LEDGER_HASH_LEN; i++) {
		out[2 * i] = dig[hash[i] >> 4];
		out[2 * i + 1] = dig[hash[i] & 15];
	}
	out[2 * LEDGER_HASH_LEN] = '\0';
	return out;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ledger_unhex(const char *hex, unsigned char hash[LEDGER_HASH_LEN])
{
	unsigned char t[LEDGER_HASH_LEN];
	size_t i;
	if (!hex || strlen(hex) != 2 * LEDGER_HASH_LEN)
		return CF_EINVAL;
	for (i = 0; i < LEDGER_HASH_LEN; i++) {
		int a = hexval(hex[2 * i]), b = hexval(hex[2 * i + 1]);
		if (a < 0 || b < 0)
			return CF_EINVAL;
		t[i] = (unsigned char)(a << 4 | b);
	}
	memcpy(hash, t, LEDGER_HASH_LEN);
	return 0;
}

int ledger_overdue_list(const ledger_entry *v, size_t n, int32_t today, ledger_overdue **out, size_t *nout,
			cf_err *err)
{
	ledger_overdue *r = NULL;
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		int64_t paid = 0;
		int clawed = 0;
		if (strcmp(v[i].kind, "commitment") != 0 || v[i].due == LEDGER_NO_DATE || v[i].due >= today)
			continue;
		/* settlements always come later in the chain */
		for (j = i + 1; j < n; j++) {
			if (v[j].ref_seq != v[i].seq)
				continue;
			if (!strcmp(v[j].kind, "payment"))
				paid += v[j].amount_fen;
			else if (!strcmp(v[j].kind, "clawback"))
				clawed = 1;
		}
		if (clawed || paid >= v[i].amount_fen)
			continue;
		if (!r && !(r = malloc(n * sizeof *r)))
			return cf_err_set(err, CF_ENOMEM, NULL, "out of memory");
		r[k].index = i;
		r[k].outstanding_fen = v[i].amount_fen - paid;
		r[k].days_late = today - v[i].due;
		k++;
	}
	*out = r;
	*nout = k;
	return 0;
}

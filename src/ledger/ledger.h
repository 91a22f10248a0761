/*
 * ledger — the policy fulfilment ledger (兑付台账, SPEC C11): an append-only hash chain.
 *
 * Every commitment (award approved), payment, clawback and bureau override is one entry that
 * carries the policy version it was made under. Entry k's hash is SHA-256 (libsodium) over
 * entry k-1's hash followed by the canonical encoding of entry k (docs/awards.md, "Ledger
 * encoding"); the first entry chains from 32 zero bytes. Changing, deleting or inserting any
 * entry breaks the chain from that entry on, and ledger_verify names the first bad one.
 * Deleting entries at the tail leaves a shorter valid chain: that is caught only by comparing
 * the head hash with one recorded elsewhere (ledger_verify's expect_head).
 *
 * This is an engine: it works over an in-memory array; service/ loads and stores the rows.
 */
#ifndef CF_LEDGER_LEDGER_H
#define CF_LEDGER_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

#define LEDGER_HASH_LEN 32
#define LEDGER_HEX_LEN 65 /* 64 hex digits and a NUL */
#define LEDGER_NO_DATE INT32_MIN

/* Entry kinds, as written in the encoding and the store. */
extern const char *const ledger_kinds[]; /* commitment, payment, clawback, override; NULL-terminated */

typedef struct ledger_entry {
	int64_t seq;           /* 1, 2, 3, ... without gaps */
	char kind[16];         /* one of ledger_kinds */
	char policy_id[64];    /* the policy version the entry was made under */
	char subject[64];      /* what it is about: "contract:42" */
	char party[64];        /* who receives or repays: "broker:7", a USCC, "" */
	int64_t amount_fen;    /* >= 0; a clawback records the amount to be repaid */
	int32_t day;           /* date of the event */
	int32_t due;           /* commitments: when payment is due; LEDGER_NO_DATE otherwise */
	int64_t ref_seq;       /* payment or clawback: the commitment it settles; 0 none */
	char memo[512];        /* override reason or other note, UTF-8 */
	unsigned char prev[LEDGER_HASH_LEN];
	unsigned char hash[LEDGER_HASH_LEN];
} ledger_entry;

/* Appends the canonical encoding of e (every field but the hashes) to b. Returns 0 or the
 * buf error. */
int ledger_encode(const ledger_entry *e, buf *b);

/* Checks the fields of e that the chain relies on (kind, amount, ref). CF_EINVAL with the
 * field name in where. */
int ledger_check(const ledger_entry *e, cf_err *err);

/* Sets e->seq to prev_seq + 1, e->prev to prev_hash (NULL: 32 zero bytes, the genesis) and
 * computes e->hash. The caller appends e after the entry whose hash is prev_hash. */
int ledger_seal(ledger_entry *e, int64_t prev_seq, const unsigned char *prev_hash, cf_err *err);

/* Verifies entries v[0..n) as a whole chain from the genesis. Returns 0 when it holds; else
 * CF_EINVAL with *bad set to the index of the first bad entry, err->where = "entry SEQ"
 * (the seq found in that row) and the reason. When expect_head (64 hex digits) is given, a
 * different head hash is reported as a bad chain end at index n (*bad = n). */
int ledger_verify(const ledger_entry *v, size_t n, const char *expect_head, size_t *bad, cf_err *err);

/* A verifier fed one entry at a time, for chains too long to hold in memory. */
typedef struct ledger_verifier {
	int64_t n;                           /* entries accepted so far */
	unsigned char head[LEDGER_HASH_LEN]; /* hash of the last accepted entry (zeros at first) */
	buf enc;                             /* scratch for the encoding, reused */
} ledger_verifier;

/* Starts a verifier at the genesis. */
void ledger_verifier_init(ledger_verifier *vf);
/* Checks the next entry as ledger_verify does. 0 when it holds; CF_EINVAL with where =
 * "entry SEQ" and the reason otherwise (feeding further entries after that is meaningless). */
int ledger_verifier_feed(ledger_verifier *vf, const ledger_entry *en, cf_err *err);
/* Checks the head against expect_head (64 hex digits) when given, then frees the scratch.
 * CF_EINVAL as ledger_verify. Always call it, also after a failed feed. */
int ledger_verifier_end(ledger_verifier *vf, const char *expect_head, cf_err *err);

/* Writes hash as 64 lowercase hex digits; returns out. */
char *ledger_hex(const unsigned char hash[LEDGER_HASH_LEN], char out[LEDGER_HEX_LEN]);
/* Reads 64 hex digits into hash. CF_EINVAL on any other text; hash untouched then. */
int ledger_unhex(const char *hex, unsigned char hash[LEDGER_HASH_LEN]);

/* A commitment that is unpaid past its due date. */
typedef struct ledger_overdue {
	size_t index;           /* of the commitment in the array */
	int64_t outstanding_fen;/* amount minus the payments against it */
	int32_t days_late;
} ledger_overdue;

/* Lists commitments of v[0..n) whose due date is before today and that are neither paid in
 * full nor clawed back. *out is malloc'd (free() it; NULL when none), *nout its length.
 * CF_ENOMEM. */
int ledger_overdue_list(const ledger_entry *v, size_t n, int32_t today, ledger_overdue **out, size_t *nout,
			cf_err *err);

#endif

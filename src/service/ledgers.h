/*
 * ledgers — the fulfilment ledger (兑付台账) in the store: append, load, verify, overdue.
 *
 * Rows of ledger_entries are written only through ledgers_append, inside the caller's
 * transaction, so the read of the chain head and the insert of the next entry are one
 * atomic step (SQLite: BEGIN IMMEDIATE serialises writers). The hash chain itself is the
 * engine in src/ledger.
 */
#ifndef CF_SERVICE_LEDGERS_H
#define CF_SERVICE_LEDGERS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ledger/ledger.h"
#include "store/store.h"

/* Seals en after the current head (setting seq, prev and hash) and inserts it. The caller
 * holds a transaction (store_begin). */
int ledgers_append(store *s, ledger_entry *en, cf_err *e);
/* Loads every entry in seq order into *v (malloc'd, free()); *n its length. A row whose
 * stored hashes are not 64 hex digits is loaded with zero hashes, so verify fails there. */
int ledgers_load(store *s, ledger_entry **v, size_t *n, cf_err *e);
/* Verifies the whole chain. 0 with *report = {"entries": N, "head": HEX}; CF_EINVAL with
 * e->where = "entry SEQ" naming the first bad entry (and *report NULL). */
int ledgers_verify(store *s, const char *expect_head, json_t **report, cf_err *e);
/* Entries as JSON (array of objects), optionally only those whose subject is subject. */
int ledgers_list(store *s, const char *subject, json_t **out, cf_err *e);
/* Commitments unpaid past their due date as of today, as JSON. */
int ledgers_overdue(store *s, int32_t today, json_t **out, cf_err *e);
/* One entry as JSON (hashes in hex). */
json_t *ledgers_entry_json(const ledger_entry *en);

#endif

/*
 * sqlrows — store_sql results gathered into memory, for the policy room's use cases
 * (contracts, ledgers, blacklist, whatif).
 *
 * store_sql hands rows to a callback; most use cases want them all as values they can walk
 * after the statement is done, so this collects them as a JSON array of arrays of strings
 * (SQL NULL as JSON null), and reads integers back with end checks.
 */
#ifndef CF_SERVICE_SQLROWS_H
#define CF_SERVICE_SQLROWS_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* Runs sql with params and returns every row in *out (a new reference, json_decref() it).
 * Errors as store_sql; CF_ENOMEM. */
int sqlrows_collect(store *s, const char *sql, const char *const *params, size_t n, json_t **out, cf_err *e);
/* Runs a statement that returns no rows of interest. */
int sqlrows_exec(store *s, const char *sql, const char *const *params, size_t n, cf_err *e);
/* Column c of row r as text ("" for NULL). Owned by the rows array. */
const char *sqlrows_text(const json_t *rows, size_t r, size_t c);
/* 1 when column c of row r is SQL NULL. */
int sqlrows_null(const json_t *rows, size_t r, size_t c);
/* Column c of row r as int64 (0 for NULL or text that is not an integer). */
int64_t sqlrows_i64(const json_t *rows, size_t r, size_t c);

#endif

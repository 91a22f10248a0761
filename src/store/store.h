/*
 * store — the one interface to persistent data.
 *
 * Backends implement it behind an opaque handle: sqlite.c (the default, embedded, WAL,
 * foreign keys on) and, later, pg.c. SQL is kept portable (no SQLite-only syntax in
 * migrations or queries that service/ writes), with '?' placeholders that the PostgreSQL
 * backend rewrites. Rows with visibility are filtered in SQL for the given viewer, so
 * counts, pages and errors never reveal a row the viewer may not see.
 *
 * Every write is in a transaction: store_insert/update/delete open one of their own unless
 * the caller holds one (store_begin ... store_commit/store_rollback), as imports do.
 * A store handle is used by one thread at a time; the server opens one per worker.
 */
#ifndef CF_STORE_STORE_H
#define CF_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/schema.h"
#include "model/viewer.h"

typedef struct store store;

/* Opens (creating if absent) the database at path ("postgres://..." selects PostgreSQL once
 * that backend exists) and applies pending migrations. *out is NULL on failure. */
int store_open(const char *path, store **out, cf_err *e);
void store_close(store *s);

int store_begin(store *s, cf_err *e);
int store_commit(store *s, cf_err *e);
int store_rollback(store *s);

/* Bulk load, inside the caller's transaction: store_bulk_begin drops the secondary indexes
 * of ent's table that enforce nothing (not unique, not automatic), remembering their
 * definitions, so that many inserts need not maintain them row by row; store_bulk_end
 * recreates them, before the caller commits. Rolling the transaction back restores them as
 * they were. The table's match journal triggers are dropped likewise; store_bulk_end writes
 * one journal entry naming the range of ids inserted meanwhile (migration 041), and updates
 * and deletes of the table through the store meanwhile still journal their row.
 * CF_EINTERNAL outside a transaction or when a bulk load is already open. */
int store_bulk_begin(store *s, const cf_entity *ent, cf_err *e);
int store_bulk_end(store *s, cf_err *e);

/* Inserts recs[0..n) (one entity) in order, as store_insert would each, many rows per
 * statement; inside the caller's transaction (CF_EINTERNAL outside one). Returns 0 with
 * *done = n and every r->id set, or the error of the first row that fails (as store_insert
 * reports it), with *done its index: the rows before it are inserted, none after. */
int store_insert_many(store *s, cf_record *recs, size_t n, size_t *done, cf_err *e);

/* Inserts r (its present values; r->id ignored) and sets r->id. CF_ECONFLICT on a unique
 * field already taken (e->where names the field), CF_EINVAL on a reference to a missing row. */
int store_insert(store *s, cf_record *r, cf_err *e);
/* Replaces every field of row r->id with r's values (absent = NULL). CF_ENOTFOUND when no row. */
int store_update(store *s, const cf_record *r, cf_err *e);
/* Deletes row id. CF_ENOTFOUND when absent; CF_ECONFLICT when other rows refer to it. */
int store_delete(store *s, const cf_entity *ent, int64_t id, cf_err *e);
/* Reads row id as the viewer may see it, strings in a. CF_ENOTFOUND when absent or hidden. */
int store_get(store *s, const cf_entity *ent, int64_t id, const cf_viewer *who, arena *a, cf_record *r,
	      cf_err *e);
/* Finds the id of the row whose unique field has value text; CF_ENOTFOUND when none. */
int store_find(store *s, const cf_entity *ent, const char *field, const char *text, int64_t *id, cf_err *e);

typedef struct store_filter {
	int field;         /* index into ent->fields; must be F_FILTER */
	const char *value; /* text as value_parse() reads it */
} store_filter;

typedef struct store_query {
	const char *q;                /* substring over F_SEARCH fields; NULL for none */
	const store_filter *filters;  /* ANDed equality filters */
	size_t nfilters;
	int sort_field;               /* index of an F_SORT field, or -1 for id */
	int sort_desc;
	const char *cursor;           /* from a previous page's next_cursor, or NULL */
	int limit;                    /* 1..1000; 0 means 50 */
	const cf_viewer *who;
} store_query;

typedef struct store_page {
	cf_record *rows;
	size_t n;
	int64_t total;           /* rows matching the query that the viewer may see */
	const char *next_cursor; /* NULL on the last page; opaque text, owned by the arena */
} store_page;

/* Lists rows of ent. Rows, strings and the cursor live in a. CF_EINVAL for a bad cursor. */
int store_list(store *s, const cf_entity *ent, const store_query *q, arena *a, store_page *out, cf_err *e);
/* Counts rows of ent visible to who. */
int store_count(store *s, const cf_entity *ent, const cf_viewer *who, int64_t *n, cf_err *e);

/* Raw portable SQL for service/: runs sql with text parameters ('?' placeholders, NULL for
 * SQL NULL) and calls row() for each result row with column texts (NULL for SQL NULL).
 * row() returns 0 to go on, non-zero to stop (that value is returned). */
typedef int (*store_row_fn)(void *ctx, int ncols, const char *const *cols, const char *const *names);
int store_sql(store *s, const char *sql, const char *const *params, size_t nparams, store_row_fn row,
	      void *ctx, cf_err *e);

#endif

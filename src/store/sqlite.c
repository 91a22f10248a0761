/*
 * sqlite — the embedded SQLite backend of store.h.
 *
 * SQL is built from the entity field tables of model/schema.h: a table per entity with
 * columns id, synthetic, the fields in order, created_at, updated_at (migrations/001).
 * Writes use statements prepared once per entity and operation and kept for the life of
 * the handle, so a bulk import inside one transaction costs one step per row. Reads that
 * depend on the viewer (get, list, count) are built per call with the visibility rule as
 * a WHERE clause, so totals, pages and cursors never count or reveal a hidden row.
 *
 * Transactions nest: the outermost store_begin is BEGIN IMMEDIATE, inner ones savepoints.
 * A single insert/update/delete outside a caller's transaction runs in one of its own.
 * Constraint failures are turned into the store's errors (conflict on a unique field,
 * invalid reference, row still referenced) naming the field and the value; a failed CHECK or
 * NOT NULL is CF_EINVAL naming the field. store_update leaves synthetic as inserted: it marks
 * where a row came from, not a value the client edits.
 *
 * Visibility (SPEC): demand/achievement rows with visibility "public" are seen by everyone;
 * "brokers" by the bureau, any broker and the owner (the entity's owner field matched against
 * the viewer's enterprise or platform); "confidential" by the bureau, the owner and the
 * brokers named in the row's broker id list. Entities without a visibility field are public.
 */
#include "store/store.h"

#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/money.h"
#include "base/num.h"
#include "model/value.h"
#include "store/store_int.h"

#define MAX_ENT 64      /* entities the statement cache can hold */
#define MAX_ARGS 160    /* bound parameters of one built query */
#define CURSOR_MAC 16   /* bytes of the cursor's keyed hash */
#define LIMIT_DEFAULT 50
#define LIMIT_MAX 1000
/* Rows per statement of store_insert_many: each execution of the INSERT pays fixed costs
 * (the ephemeral tables of CHECK ... IN (list) constraints, the statement journal, halt and
 * reset); 64 rows share them while binding at most 64 x (fields + 1) parameters, far below
 * SQLite's limit. */
#define MANY_ROWS 64

enum { OP_INSERT, OP_UPDATE, OP_DELETE, OP_GET, OP_COUNT };

struct store {
	sqlite3 *db;
	int depth; /* transactions held: 0 none, 1 BEGIN, >1 savepoints */
	sqlite3_stmt *ops[MAX_ENT][OP_COUNT];
	sqlite3_stmt **find[MAX_ENT]; /* per field, allocated on first store_find */
	unsigned char cursor_key[crypto_generichash_KEYBYTES];
	sqlite3_stmt *many[MAX_ENT]; /* INSERT of MANY_ROWS rows, prepared on first store_insert_many */
	char **bulk_sql;   /* CREATE INDEX / TRIGGER statements store_bulk_begin dropped (malloc'd) */
	size_t nbulk;
	int bulk_open;     /* a bulk load is open in the current transaction, begun at depth bulk_open */
	int bulk_k;        /* its entity's index */
	int bulk_journal;  /* it dropped the table's match journal triggers (migration 041) */
	int64_t bulk_lo;   /* the first id a row it inserts can have */
};

static void bulk_forget(store *s);

/* ---- small helpers ---------------------------------------------------------------- */

/* SQL text under construction; err turns sticky on the first failed append. */
typedef struct sqlb {
	buf b;
	int err;
} sqlb;

static void sq(sqlb *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sq(sqlb *q, const char *fmt, ...)
{
	va_list ap;
	if (q->err)
		return;
	va_start(ap, fmt);
	if (buf_vprintf(&q->b, fmt, ap))
		q->err = 1;
	va_end(ap);
}

/* Parameters of a built query, bound in order. */
typedef struct qarg {
	int kind; /* 0 int, 1 text (borrowed), 2 small text (inline) */
	int64_t i;
	const char *s;
	char small[48];
} qarg;

typedef struct qargs {
	qarg v[MAX_ARGS];
	int n;
	int over;
} qargs;

static void arg_int(qargs *a, int64_t i)
{
	if (a->n >= MAX_ARGS) {
		a->over = 1;
		return;
	}
	a->v[a->n].kind = 0;
	a->v[a->n++].i = i;
}

static void arg_text(qargs *a, const char *s)
{
	if (a->n >= MAX_ARGS) {
		a->over = 1;
		return;
	}
	a->v[a->n].kind = 1;
	a->v[a->n++].s = s;
}

static int bind_args(sqlite3_stmt *st, const qargs *a, int first)
{
	int i, rc = SQLITE_OK;
	for (i = 0; i < a->n && rc == SQLITE_OK; i++) {
		const qarg *p = &a->v[i];
		if (p->kind == 0)
			rc = sqlite3_bind_int64(st, first + i, p->i);
		else if (p->kind == 1)
			rc = sqlite3_bind_text(st, first + i, p->s, -1, SQLITE_STATIC);
		else
			rc = sqlite3_bind_text(st, first + i, p->small, -1, SQLITE_TRANSIENT);
	}
	return rc;
}

static int is_int_type(field_type t)
{
	return t == FT_INT || t == FT_MONEY || t == FT_DATE || t == FT_BOOL || t == FT_PERCENT || t == FT_REF;
}

static int ent_index(const cf_entity *ent)
{
	size_t i;
	if (!ent)
		return -1;
	for (i = 0; i < cf_nentities && i < MAX_ENT; i++)
		if (cf_entities[i] == ent || !strcmp(cf_entities[i]->name, ent->name))
			return (int)i;
	return -1;
}

static int bad_entity(const cf_entity *ent, cf_err *e)
{
	return cf_err_set(e, CF_EINVAL, NULL, "unknown entity %s", ent && ent->name ? ent->name : "(null)");
}

static int io_fail(store *s, cf_err *e, const char *what)
{
	return cf_err_set(e, CF_EIO, NULL, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(store *s, const char *sql, cf_err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		cf_err_set(e, CF_EIO, NULL, "%s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return CF_EIO;
	}
	return 0;
}

static size_t value_len(const cf_value *v) { return v->n ? v->n : strlen(v->s); }

static int bind_value(sqlite3_stmt *st, int idx, const cf_field *f, const cf_value *v)
{
	if (!v->present)
		return sqlite3_bind_null(st, idx);
	if (is_int_type(f->type))
		return sqlite3_bind_int64(st, idx, v->i);
	if (!v->s)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, v->s, (int)value_len(v), SQLITE_STATIC);
}

/* Writes the value of v as text for messages. */
static void value_text(const cf_field *f, const cf_value *v, char *out, size_t n)
{
	if (!v->present)
		snprintf(out, n, "(empty)");
	else if (f->type == FT_MONEY) {
		char m[MONEY_FMT_MAX];
		snprintf(out, n, "%s", money_format(v->i, m));
	} else if (f->type == FT_DATE) {
		char d[11];
		snprintf(out, n, "%s", date_format((int32_t)v->i, d));
	} else if (is_int_type(f->type))
		snprintf(out, n, "%lld", (long long)v->i);
	else
		snprintf(out, n, "%.*s", (int)(v->s ? value_len(v) : 0), v->s ? v->s : "");
}

/* Column list "id, synthetic, f1, ..." of ent. */
static void select_cols(sqlb *q, const cf_entity *ent)
{
	size_t i;
	sq(q, "id, synthetic");
	for (i = 0; i < ent->nfields; i++)
		sq(q, ", %s", ent->fields[i].name);
}

/* Reads the current row of st (columns as select_cols) into r, strings in a. */
static int read_row(sqlite3_stmt *st, const cf_entity *ent, arena *a, cf_record *r)
{
	size_t i;
	cf_value *v = arena_alloc(a, sizeof(cf_value) * (ent->nfields ? ent->nfields : 1));
	if (!v)
		return CF_ENOMEM;
	for (i = 0; i < ent->nfields; i++) {
		int c = (int)i + 2;
		if (sqlite3_column_type(st, c) == SQLITE_NULL)
			continue;
		v[i].present = 1;
		if (is_int_type(ent->fields[i].type)) {
			v[i].i = sqlite3_column_int64(st, c);
		} else {
			const unsigned char *t = sqlite3_column_text(st, c);
			int n = sqlite3_column_bytes(st, c);
			v[i].s = arena_strndup(a, t ? (const char *)t : "", (size_t)n);
			if (!v[i].s)
				return CF_ENOMEM;
			v[i].n = (size_t)n;
		}
	}
	r->ent = ent;
	r->id = sqlite3_column_int64(st, 0);
	r->synthetic = (int)sqlite3_column_int64(st, 1);
	r->v = v;
	return 0;
}

/* ---- open, migrations, close -------------------------------------------------------- */

static int migrate(store *s, cf_err *e)
{
	size_t i;
	sqlite3_stmt *has = NULL, *add = NULL;
	int rc = 0;

	if ((rc = exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, "
			  "applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
		       e)))
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &has, NULL) ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO schema_migrations (version) VALUES (?)", -1, &add, NULL)) {
		rc = io_fail(s, e, "schema_migrations");
		goto fail;
	}
	for (i = 0; i < store__nmigrations; i++) {
		const store__migration *m = &store__migrations[i];
		int done;
		/* BEGIN IMMEDIATE first, so two processes opening at once apply it once. */
		if ((rc = exec(s, "BEGIN IMMEDIATE", e)))
			goto fail;
		sqlite3_bind_text(has, 1, m->version, -1, SQLITE_STATIC);
		done = sqlite3_step(has) == SQLITE_ROW;
		sqlite3_reset(has);
		if (!done) {
			if ((rc = exec(s, m->sql, e))) {
				char msg[sizeof e->msg];
				snprintf(msg, sizeof msg, "%s", e ? e->msg : "");
				exec(s, "ROLLBACK", NULL);
				rc = cf_err_set(e, CF_EIO, m->version, "migration %s failed: %s", m->version, msg);
				goto fail;
			}
			sqlite3_bind_text(add, 1, m->version, -1, SQLITE_STATIC);
			if (sqlite3_step(add) != SQLITE_DONE) {
				rc = io_fail(s, e, m->version);
				sqlite3_reset(add);
				exec(s, "ROLLBACK", NULL);
				goto fail;
			}
			sqlite3_reset(add);
		}
		if ((rc = exec(s, "COMMIT", e))) {
			exec(s, "ROLLBACK", NULL);
			goto fail;
		}
	}
fail:
	sqlite3_finalize(has);
	sqlite3_finalize(add);
	return rc;
}

/* Loads the cursor-signing key from store_meta, creating it on first open. */
static int load_cursor_key(store *s, cf_err *e)
{
	sqlite3_stmt *st = NULL;
	unsigned char key[crypto_generichash_KEYBYTES];
	char hex[2 * sizeof key + 1];
	int rc = 0, tries;

	for (tries = 0; tries < 2; tries++) {
		if (sqlite3_prepare_v2(s->db, "SELECT value FROM store_meta WHERE name = 'cursor_key'", -1, &st, NULL))
			return io_fail(s, e, "store_meta");
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			size_t n = 0;
			if (t && !sodium_hex2bin(s->cursor_key, sizeof s->cursor_key, t, strlen(t), NULL, &n, NULL) &&
			    n == sizeof s->cursor_key) {
				sqlite3_finalize(st);
				return 0;
			}
			sqlite3_finalize(st);
			return cf_err_set(e, CF_EIO, "store_meta", "cursor_key is not %zu bytes of hex", sizeof key);
		}
		sqlite3_finalize(st);
		st = NULL;
		randombytes_buf(key, sizeof key);
		sodium_bin2hex(hex, sizeof hex, key, sizeof key);
		if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO store_meta (name, value) VALUES ('cursor_key', ?)",
				       -1, &st, NULL))
			return io_fail(s, e, "store_meta");
		sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = io_fail(s, e, "store_meta");
		sqlite3_finalize(st);
		st = NULL;
		if (rc)
			return rc;
	}
	return cf_err_set(e, CF_EIO, "store_meta", "could not create the cursor key");
}

int store_open(const char *path, store **out, cf_err *e)
{
	store *s = NULL;
	int rc;

	*out = NULL;
	if (!path || !*path)
		return cf_err_set(e, CF_EINVAL, NULL, "no database path given");
	if (!strncmp(path, "postgres://", 11) || !strncmp(path, "postgresql://", 13))
		return cf_err_set(e, CF_EINVAL, path, "the PostgreSQL backend is not built yet");
	if (sodium_init() < 0)
		return cf_err_set(e, CF_EINTERNAL, NULL, "libsodium failed to initialise");
	s = calloc(1, sizeof *s);
	if (!s)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory opening %s", path);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = cf_err_set(e, CF_EIO, path, "cannot open database: %s",
				s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	if ((rc = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
			   "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY", e)))
		goto fail;
	if ((rc = migrate(s, e)) || (rc = load_cursor_key(s, e)))
		goto fail;
	*out = s;
	return 0;
fail:
	if (e && !e->where[0])
		snprintf(e->where, sizeof e->where, "%s", path);
	store_close(s);
	return rc;
}

void store_close(store *s)
{
	size_t i, j;
	if (!s)
		return;
	for (i = 0; i < MAX_ENT; i++) {
		for (j = 0; j < OP_COUNT; j++)
			sqlite3_finalize(s->ops[i][j]);
		sqlite3_finalize(s->many[i]);
		if (s->find[i]) {
			for (j = 0; j < cf_entities[i]->nfields; j++)
				sqlite3_finalize(s->find[i][j]);
			free(s->find[i]);
		}
	}
	if (s->depth)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	bulk_forget(s);
	sqlite3_close(s->db);
	free(s);
}

/* ---- transactions --------------------------------------------------------------------- */

int store_begin(store *s, cf_err *e)
{
	char sql[64];
	int rc;
	if (s->depth == 0)
		snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
	else
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", s->depth);
	if ((rc = exec(s, sql, e)))
		return rc;
	s->depth++;
	return 0;
}

int store_commit(store *s, cf_err *e)
{
	char sql[64];
	int rc;
	if (s->depth == 0)
		return cf_err_set(e, CF_EINTERNAL, NULL, "commit without a transaction");
	if (s->depth == 1 && s->bulk_open && (rc = store_bulk_end(s, e)) != 0) {
		/* never commit without the indexes a bulk load dropped */
		store_rollback(s);
		return rc;
	}
	if (s->depth == 1)
		snprintf(sql, sizeof sql, "COMMIT");
	else
		snprintf(sql, sizeof sql, "RELEASE sp%d", s->depth - 1);
	rc = exec(s, sql, e);
	if (rc && s->depth == 1) /* a failed COMMIT leaves the transaction open: end it */
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (rc && s->depth > 1)
		return rc;
	s->depth--;
	return rc;
}

static void bulk_forget(store *s)
{
	size_t i;
	for (i = 0; i < s->nbulk; i++)
		free(s->bulk_sql[i]);
	free(s->bulk_sql);
	s->bulk_sql = NULL;
	s->nbulk = 0;
	s->bulk_open = 0;
	s->bulk_journal = 0;
}

int store_rollback(store *s)
{
	char sql[96];
	if (s->depth == 0)
		return CF_EINTERNAL;
	s->depth--;
	if (s->bulk_open && s->depth < s->bulk_open) /* the dropped indexes and triggers come back with the rollback */
		bulk_forget(s);
	if (s->depth == 0)
		snprintf(sql, sizeof sql, "ROLLBACK");
	else
		snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d", s->depth, s->depth);
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : CF_EIO;
}

/* ---- bulk load ------------------------------------------------------------------------ */

int store_bulk_begin(store *s, const cf_entity *ent, cf_err *e)
{
	/* the plain indexes of the table: named in sqlite_master with their SQL (automatic ones
	 * have none), and not unique, so that every constraint still holds row by row; then the
	 * table's match journal triggers (migration 040), which store_bulk_end replaces by one
	 * journal entry for the whole load. Indexes sort before triggers: recreated first. */
	static const char q[] = "SELECT m.name, m.sql, m.type FROM sqlite_master m JOIN pragma_index_list(?1) l ON l.name = m.name"
				" WHERE m.type = 'index' AND m.tbl_name = ?1 AND m.sql IS NOT NULL AND l.\"unique\" = 0"
				" UNION ALL SELECT name, sql, type FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1"
				" AND sql IS NOT NULL AND name LIKE 'match\\_journal\\_%' ESCAPE '\\'"
				" ORDER BY 3, 1";
	sqlite3_stmt *st = NULL;
	char **saved = NULL, **names = NULL;
	size_t n = 0, cap = 0, i, ntrig = 0;
	int64_t lo = 1;
	int rc = 0, step;

	if (ent_index(ent) < 0)
		return bad_entity(ent, e);
	if (s->depth == 0 || s->bulk_open)
		return cf_err_set(e, CF_EINTERNAL, NULL, "%s",
				  s->depth ? "a bulk load is already open" : "a bulk load needs a transaction");
	if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK)
		return io_fail(s, e, ent->table);
	sqlite3_bind_text(st, 1, ent->table, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		const char *type = (const char *)sqlite3_column_text(st, 2);
		int trig = type && !strcmp(type, "trigger");
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **a1 = realloc(saved, nc * sizeof *saved), **a2;
			if (a1)
				saved = a1;
			a2 = a1 ? realloc(names, nc * sizeof *names) : NULL;
			if (!a2) {
				rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
				goto fail;
			}
			names = a2;
			cap = nc;
		}
		saved[n] = sql ? strdup(sql) : NULL;
		names[n] = name ? sqlite3_mprintf("%s \"%w\"", trig ? "TRIGGER" : "INDEX", name) : NULL;
		ntrig += trig;
		if (!saved[n] || !names[n]) {
			free(saved[n]);
			sqlite3_free(names[n]);
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = io_fail(s, e, ent->table);
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	for (i = 0; i < n; i++) {
		char *drop = sqlite3_mprintf("DROP %s", names[i]);
		if (!drop) {
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		rc = exec(s, drop, e);
		sqlite3_free(drop);
		if (rc)
			goto fail; /* the caller rolls back, which restores those already dropped */
	}
	if (ntrig) {
		/* rowids grow from the largest: every row the load inserts has an id >= lo */
		char *mx = sqlite3_mprintf("SELECT COALESCE(MAX(id), 0) + 1 FROM \"%w\"", ent->table);
		if (!mx) {
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		step = sqlite3_prepare_v2(s->db, mx, -1, &st, NULL);
		sqlite3_free(mx);
		if (step != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
			rc = io_fail(s, e, ent->table);
			goto fail;
		}
		lo = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
	}
	for (i = 0; i < n; i++)
		sqlite3_free(names[i]);
	free(names);
	s->bulk_sql = saved;
	s->nbulk = n;
	s->bulk_open = s->depth;
	s->bulk_k = ent_index(ent);
	s->bulk_journal = ntrig > 0;
	s->bulk_lo = lo;
	return 0;
fail:
	sqlite3_finalize(st);
	for (i = 0; i < n; i++) {
		free(saved[i]);
		sqlite3_free(names[i]);
	}
	free(saved);
	free(names);
	return rc;
}

int store_bulk_end(store *s, cf_err *e)
{
	size_t i;
	int rc;
	if (!s->bulk_open || s->depth == 0)
		return cf_err_set(e, CF_EINTERNAL, NULL, "no bulk load is open");
	for (i = 0; i < s->nbulk; i++)
		if ((rc = exec(s, s->bulk_sql[i], e)))
			return rc; /* the caller rolls back, which restores the indexes */
	if (s->bulk_journal) {
		/* the load's one journal entry: its first and last inserted id (none inserted: none) */
		const cf_entity *ent = cf_entities[s->bulk_k];
		char *sql = sqlite3_mprintf("INSERT INTO match_journal (entity, row_id, row_id_hi) SELECT %Q, %lld, hi"
					    " FROM (SELECT MAX(id) AS hi FROM \"%w\" WHERE id >= %lld) WHERE hi IS NOT NULL",
					    ent->name, (long long)s->bulk_lo, ent->table, (long long)s->bulk_lo);
		if (!sql)
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		rc = exec(s, sql, e);
		sqlite3_free(sql);
		if (rc)
			return rc;
	}
	bulk_forget(s);
	return 0;
}

/* An update or delete of the table a bulk load has taken the journal triggers off writes
 * the entry its trigger would have (the load's range entry covers only inserted ids). */
static int bulk_note(store *s, int k, int64_t id, cf_err *e)
{
	char *sql;
	int rc;
	if (!s->bulk_open || !s->bulk_journal || s->bulk_k != k)
		return 0;
	sql = sqlite3_mprintf("INSERT INTO match_journal (entity, row_id) VALUES (%Q, %lld)", cf_entities[k]->name,
			      (long long)id);
	if (!sql)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	rc = exec(s, sql, e);
	sqlite3_free(sql);
	return rc;
}

/* A write's own transaction when the caller holds none. */
static int auto_begin(store *s, int *mine, cf_err *e)
{
	*mine = s->depth == 0;
	return *mine ? store_begin(s, e) : 0;
}

static int auto_end(store *s, int mine, int rc, cf_err *e)
{
	if (!mine)
		return rc;
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

/* ---- constraint errors ---------------------------------------------------------------- */

static int row_exists(store *s, const char *table, const char *col, int64_t id)
{
	char sql[256];
	sqlite3_stmt *st = NULL;
	int found = 0;
	snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" WHERE \"%s\" = ? LIMIT 1", table, col);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

/* The field named after the last '.' (or ': ') in sqlite's constraint message. */
static int field_from_msg(const cf_entity *ent, const char *msg)
{
	const char *p = strrchr(msg, '.');
	const char *colon = strstr(msg, ": ");
	size_t i;
	if (!p && colon)
		p = colon + 1;
	if (!p)
		return -1;
	p++;
	for (i = 0; i < ent->nfields; i++) {
		size_t n = strlen(ent->fields[i].name);
		if (!strncmp(p, ent->fields[i].name, n) && (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
			return (int)i;
	}
	return -1;
}

/* Turns a failed insert/update of r into the store's error. */
static int write_error(store *s, const cf_record *r, int xrc, cf_err *e)
{
	const cf_entity *ent = r->ent;
	char msg[256], val[160];
	size_t i;
	int f;

	snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(s->db));
	switch (xrc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		f = field_from_msg(ent, msg);
		if (f < 0)
			return cf_err_set(e, CF_ECONFLICT, NULL, "%s: %s", ent->name, msg);
		value_text(&ent->fields[f], &r->v[f], val, sizeof val);
		return cf_err_set(e, CF_ECONFLICT, ent->fields[f].name, "%s %s \"%s\" is already taken", ent->name,
				  ent->fields[f].name, val);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		for (i = 0; i < ent->nfields; i++) {
			const cf_field *fd = &ent->fields[i];
			const cf_entity *target;
			if (fd->type != FT_REF || !r->v[i].present)
				continue;
			target = schema_entity(fd->ref);
			if (target && !row_exists(s, target->table, "id", r->v[i].i))
				return cf_err_set(e, CF_EINVAL, fd->name, "no %s with id %lld", fd->ref,
						  (long long)r->v[i].i);
		}
		return cf_err_set(e, CF_EINVAL, NULL, "%s: a reference names a missing row", ent->name);
	case SQLITE_CONSTRAINT_NOTNULL:
		f = field_from_msg(ent, msg);
		return cf_err_set(e, CF_EINVAL, f >= 0 ? ent->fields[f].name : NULL, "%s %s is required", ent->name,
				  f >= 0 ? ent->fields[f].name : "field");
	case SQLITE_CONSTRAINT_CHECK: {
		/* "CHECK constraint failed: county IN (...)": the expression starts with the column. */
		const char *p = strstr(msg, ": ");
		int fi = -1;
		if (p)
			for (i = 0; i < ent->nfields && fi < 0; i++) {
				size_t n = strlen(ent->fields[i].name);
				if (!strncmp(p + 2, ent->fields[i].name, n) && (p[2 + n] == ' ' || p[2 + n] == '\0'))
					fi = (int)i;
			}
		if (fi < 0)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: %s", ent->name, msg);
		value_text(&ent->fields[fi], &r->v[fi], val, sizeof val);
		return cf_err_set(e, CF_EINVAL, ent->fields[fi].name, "%s %s: \"%s\" is not allowed", ent->name,
				  ent->fields[fi].name, val);
	}
	default:
		return cf_err_set(e, CF_EIO, NULL, "%s: %s", ent->name, msg);
	}
}

/* Names the first table with a row that refers to row id of ent. */
static int delete_conflict(store *s, const cf_entity *ent, int64_t id, cf_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = cf_err_set(e, CF_ECONFLICT, NULL, "%s %lld is still referred to by other rows", ent->name,
			    (long long)id);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT m.name, p.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) p "
			       "WHERE m.type = 'table' AND p.\"table\" = ? ORDER BY m.name, p.\"from\"",
			       -1, &st, NULL) != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, ent->table, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		const char *c = (const char *)sqlite3_column_text(st, 1);
		if (t && c && row_exists(s, t, c, id)) {
			rc = cf_err_set(e, CF_ECONFLICT, ent->name, "%s %lld is referred to by %s.%s", ent->name,
					(long long)id, t, c);
			break;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- insert, update, delete ----------------------------------------------------------- */

static int broker_list_field(const cf_entity *ent);

/* The cached statement of op for entity k, prepared on first use. */
static int op_stmt(store *s, int k, int op, sqlite3_stmt **out, cf_err *e)
{
	const cf_entity *ent = cf_entities[k];
	sqlb q = {0};
	size_t i;
	int rc = 0;

	if (s->ops[k][op]) {
		*out = s->ops[k][op];
		return 0;
	}
	buf_init(&q.b, 0);
	if (op == OP_INSERT) {
		sq(&q, "INSERT INTO %s (synthetic", ent->table);
		for (i = 0; i < ent->nfields; i++)
			sq(&q, ", %s", ent->fields[i].name);
		sq(&q, ") VALUES (?");
		for (i = 0; i < ent->nfields; i++)
			sq(&q, ", ?");
		sq(&q, ")");
	} else if (op == OP_UPDATE) {
		sq(&q, "UPDATE %s SET ", ent->table);
		for (i = 0; i < ent->nfields; i++)
			sq(&q, "%s = ?, ", ent->fields[i].name);
		sq(&q, "updated_at = CURRENT_TIMESTAMP WHERE id = ?");
	} else if (op == OP_GET) {
		/* one statement for every viewer: ?2 bureau, ?3 broker, ?4 the broker's id-list
		 * pattern, ?5 the viewer's owned row (NULLs when they do not apply); the same rule as
		 * vis_where(), which list and count use */
		sq(&q, "SELECT ");
		select_cols(&q, ent);
		sq(&q, " FROM %s WHERE id = ?1", ent->table);
		if (ent->visibility) {
			const char *vis = ent->visibility;
			int idl = broker_list_field(ent);
			sq(&q, " AND (?2 = 1 OR %s = 'public' OR (?3 = 1 AND %s = 'brokers')", vis, vis);
			if (idl >= 0)
				sq(&q, " OR (%s = 'confidential' AND (',' || %s || ',') LIKE ?4)", vis,
				   ent->fields[idl].name);
			if (ent->owner)
				sq(&q, " OR %s = ?5", ent->owner);
			sq(&q, ")");
		}
	} else {
		sq(&q, "DELETE FROM %s WHERE id = ?", ent->table);
	}
	if (q.err) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory building SQL");
		goto fail;
	}
	if (sqlite3_prepare_v3(s->db, buf_cstr(&q.b), -1, SQLITE_PREPARE_PERSISTENT, &s->ops[k][op], NULL)) {
		rc = io_fail(s, e, ent->table);
		goto fail;
	}
	*out = s->ops[k][op];
fail:
	buf_free(&q.b);
	return rc;
}

int store_insert(store *s, cf_record *r, cf_err *e)
{
	const cf_entity *ent = r->ent;
	sqlite3_stmt *st;
	int k = ent_index(ent), rc, mine, step;
	size_t i;

	if (k < 0)
		return bad_entity(ent, e);
	if ((rc = op_stmt(s, k, OP_INSERT, &st, e)))
		return rc;
	if ((rc = auto_begin(s, &mine, e)))
		return rc;
	sqlite3_bind_int64(st, 1, r->synthetic ? 1 : 0);
	for (i = 0; i < ent->nfields; i++)
		bind_value(st, (int)i + 2, &ent->fields[i], &r->v[i]);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		sqlite3_reset(st);
		rc = auto_end(s, mine, 0, e);
		if (!rc)
			r->id = sqlite3_last_insert_rowid(s->db);
	} else {
		rc = write_error(s, r, step, e);
		sqlite3_reset(st);
		auto_end(s, mine, rc, e);
	}
	sqlite3_clear_bindings(st);
	return rc;
}

/* The cached INSERT of MANY_ROWS rows of entity k. */
static int many_stmt(store *s, int k, sqlite3_stmt **out, cf_err *e)
{
	const cf_entity *ent = cf_entities[k];
	sqlb q = {0};
	size_t i, j;
	int rc = 0;

	if (s->many[k]) {
		*out = s->many[k];
		return 0;
	}
	buf_init(&q.b, 0);
	sq(&q, "INSERT INTO %s (synthetic", ent->table);
	for (i = 0; i < ent->nfields; i++)
		sq(&q, ", %s", ent->fields[i].name);
	sq(&q, ") VALUES ");
	for (j = 0; j < MANY_ROWS; j++) {
		sq(&q, "%s(?", j ? ", " : "");
		for (i = 0; i < ent->nfields; i++)
			sq(&q, ", ?");
		sq(&q, ")");
	}
	if (q.err) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory building SQL");
		goto fail;
	}
	if (sqlite3_prepare_v3(s->db, buf_cstr(&q.b), -1, SQLITE_PREPARE_PERSISTENT, &s->many[k], NULL)) {
		rc = io_fail(s, e, ent->table);
		goto fail;
	}
	*out = s->many[k];
fail:
	buf_free(&q.b);
	return rc;
}

int store_insert_many(store *s, cf_record *recs, size_t n, size_t *done, cf_err *e)
{
	const cf_entity *ent = n ? recs[0].ent : NULL;
	sqlite3_stmt *st = NULL;
	size_t at = 0, i, j;
	int k, rc, step;

	*done = 0;
	if (!n)
		return 0;
	if ((k = ent_index(ent)) < 0)
		return bad_entity(ent, e);
	if (s->depth == 0)
		return cf_err_set(e, CF_EINTERNAL, NULL, "store_insert_many needs a transaction");
	for (i = 1; i < n; i++)
		if (recs[i].ent != ent)
			return cf_err_set(e, CF_EINTERNAL, NULL, "store_insert_many: records of different entities");
	while (n - at >= MANY_ROWS) {
		int64_t last;
		if ((rc = many_stmt(s, k, &st, e)))
			return rc;
		for (j = 0; j < MANY_ROWS; j++) {
			const cf_record *r = &recs[at + j];
			int base = (int)(j * (ent->nfields + 1)) + 1;
			sqlite3_bind_int64(st, base, r->synthetic ? 1 : 0);
			for (i = 0; i < ent->nfields; i++)
				bind_value(st, base + (int)i + 1, &ent->fields[i], &r->v[i]);
		}
		step = sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (step != SQLITE_DONE)
			break; /* the statement left nothing behind: find the row one by one below */
		/* a rowid table without AUTOINCREMENT numbers new rows max(id) + 1, in order */
		last = sqlite3_last_insert_rowid(s->db);
		for (j = 0; j < MANY_ROWS; j++)
			recs[at + j].id = last - (int64_t)(MANY_ROWS - 1 - j);
		at += MANY_ROWS;
		*done = at;
	}
	for (; at < n; at++) {
		if ((rc = store_insert(s, &recs[at], e)))
			return rc;
		*done = at + 1;
	}
	return 0;
}

int store_update(store *s, const cf_record *r, cf_err *e)
{
	const cf_entity *ent = r->ent;
	sqlite3_stmt *st;
	int k = ent_index(ent), rc, mine, step;
	size_t i;

	if (k < 0)
		return bad_entity(ent, e);
	if ((rc = op_stmt(s, k, OP_UPDATE, &st, e)))
		return rc;
	if ((rc = auto_begin(s, &mine, e)))
		return rc;
	for (i = 0; i < ent->nfields; i++)
		bind_value(st, (int)i + 1, &ent->fields[i], &r->v[i]);
	sqlite3_bind_int64(st, (int)ent->nfields + 1, r->id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		rc = sqlite3_changes(s->db) ? bulk_note(s, k, r->id, e)
					    : cf_err_set(e, CF_ENOTFOUND, NULL, "no %s with id %lld", ent->name,
							 (long long)r->id);
	else
		rc = write_error(s, r, step, e);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return auto_end(s, mine, rc, e);
}

int store_delete(store *s, const cf_entity *ent, int64_t id, cf_err *e)
{
	sqlite3_stmt *st;
	int k = ent_index(ent), rc, mine, step;

	if (k < 0)
		return bad_entity(ent, e);
	if ((rc = op_stmt(s, k, OP_DELETE, &st, e)))
		return rc;
	if ((rc = auto_begin(s, &mine, e)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		rc = sqlite3_changes(s->db)
			     ? bulk_note(s, k, id, e)
			     : cf_err_set(e, CF_ENOTFOUND, NULL, "no %s with id %lld", ent->name, (long long)id);
	else if (step == SQLITE_CONSTRAINT_FOREIGNKEY) {
		sqlite3_reset(st);
		rc = delete_conflict(s, ent, id, e);
	} else
		rc = io_fail(s, e, ent->table);
	sqlite3_reset(st);
	return auto_end(s, mine, rc, e);
}

/* ---- key values ---------------------------------------------------------------------- */

/* num_parse_i64 without its leading blanks and '+': cursor fields are written by us. */
static int parse_i64(const char *t, int64_t *out)
{
	if (!*t || (*t != '-' && (*t < '0' || *t > '9')))
		return -1;
	return num_parse_i64(t, out);
}

/* ---- visibility ----------------------------------------------------------------------- */

/* Index of ent's id list of brokers (named on confidential rows), or -1. */
static int broker_list_field(const cf_entity *ent)
{
	size_t i;
	for (i = 0; i < ent->nfields; i++)
		if (ent->fields[i].type == FT_IDLIST && ent->fields[i].ref && !strcmp(ent->fields[i].ref, "broker"))
			return (int)i;
	return -1;
}

/* The id of the row who owns in the sense of ent->owner (its enterprise or platform), or 0. */
static int64_t viewer_owned(const cf_entity *ent, const cf_viewer *who)
{
	int of = ent->owner ? schema_field(ent, ent->owner) : -1;
	const char *ref = of >= 0 ? ent->fields[of].ref : NULL;
	if (ref && !strcmp(ref, "enterprise") && who->role == ROLE_ENTERPRISE && who->enterprise_id > 0)
		return who->enterprise_id;
	if (ref && !strcmp(ref, "platform") && who->role == ROLE_PLATFORM && who->platform_id > 0)
		return who->platform_id;
	return 0;
}

/* Appends " AND (rule)" restricting ent's rows to those who may see. */
static void vis_where(const cf_entity *ent, const cf_viewer *who, sqlb *q, qargs *a)
{
	const char *vis = ent->visibility;
	cf_viewer pub = {ROLE_PUBLIC, 0, 0, 0, 0};
	int64_t mine;

	if (!vis)
		return;
	if (!who)
		who = &pub;
	if (who->role == ROLE_BUREAU)
		return;
	sq(q, " AND (%s = 'public'", vis);
	if (who->role == ROLE_BROKER) {
		int idl = broker_list_field(ent);
		sq(q, " OR %s = 'brokers'", vis);
		if (idl >= 0 && who->broker_id > 0 && a->n < MAX_ARGS) {
			qarg *p = &a->v[a->n++];
			p->kind = 2;
			snprintf(p->small, sizeof p->small, "%%,%lld,%%", (long long)who->broker_id);
			sq(q, " OR (%s = 'confidential' AND (',' || %s || ',') LIKE ?)", vis, ent->fields[idl].name);
		}
	}
	if ((mine = viewer_owned(ent, who)) > 0) {
		sq(q, " OR %s = ?", ent->owner);
		arg_int(a, mine);
	}
	sq(q, ")");
}

/* Runs a built query that yields one integer. */
static int query_int(store *s, const char *sql, const qargs *a, int64_t *n, cf_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) || bind_args(st, a, 1))
		rc = io_fail(s, e, "count");
	else if (sqlite3_step(st) != SQLITE_ROW)
		rc = io_fail(s, e, "count");
	else
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

/* ---- get, find, count --------------------------------------------------------------------- */

int store_get(store *s, const cf_entity *ent, int64_t id, const cf_viewer *who, arena *a, cf_record *r,
	      cf_err *e)
{
	cf_viewer pub = {ROLE_PUBLIC, 0, 0, 0, 0};
	sqlite3_stmt *st;
	cf_record tmp = {0};
	int k = ent_index(ent), rc, step;

	if (k < 0)
		return bad_entity(ent, e);
	if ((rc = op_stmt(s, k, OP_GET, &st, e)))
		return rc;
	if (!who)
		who = &pub;
	sqlite3_bind_int64(st, 1, id);
	if (ent->visibility) {
		int64_t mine = viewer_owned(ent, who);
		/* binding a number absent from the statement only returns SQLITE_RANGE */
		sqlite3_bind_int(st, 2, who->role == ROLE_BUREAU);
		sqlite3_bind_int(st, 3, who->role == ROLE_BROKER);
		if (who->role == ROLE_BROKER && who->broker_id > 0) {
			char pat[48];
			snprintf(pat, sizeof pat, "%%,%lld,%%", (long long)who->broker_id);
			sqlite3_bind_text(st, 4, pat, -1, SQLITE_TRANSIENT);
		}
		if (mine > 0)
			sqlite3_bind_int64(st, 5, mine);
	}
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		rc = cf_err_set(e, CF_ENOTFOUND, NULL, "no %s with id %lld", ent->name, (long long)id);
	else if (step != SQLITE_ROW)
		rc = io_fail(s, e, ent->table);
	else if ((rc = read_row(st, ent, a, &tmp)))
		cf_err_set(e, rc, NULL, "out of memory reading %s", ent->name);
	else
		*r = tmp;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int store_find(store *s, const cf_entity *ent, const char *field, const char *text, int64_t *id, cf_err *e)
{
	int k = ent_index(ent), f, rc = 0, step;
	sqlite3_stmt *st;
	int64_t key = 0;

	if (k < 0)
		return bad_entity(ent, e);
	f = schema_field(ent, field);
	if (f < 0 || !(ent->fields[f].flags & F_UNIQUE))
		return cf_err_set(e, CF_EINVAL, field, "%s has no unique field %s", ent->name, field);
	if (!s->find[k] && !(s->find[k] = calloc(ent->nfields, sizeof(sqlite3_stmt *))))
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if (!s->find[k][f]) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ?", ent->table, field);
		if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->find[k][f], NULL))
			return io_fail(s, e, ent->table);
	}
	st = s->find[k][f];
	/* the key as the column holds it: integers parsed, text exactly as given (a lookup never
	 * trims or rewrites a key); bound directly, with no allocation, as imports call this per row */
	if (!text || !*text)
		return cf_err_set(e, CF_ENOTFOUND, field, "no %s with an empty %s", ent->name, field);
	if (is_int_type(ent->fields[f].type)) {
		if (parse_i64(text, &key))
			return cf_err_set(e, CF_EINVAL, ent->fields[f].name, "%s: \"%s\" is not a whole number",
					  ent->fields[f].name, text);
		sqlite3_bind_int64(st, 1, key);
	} else {
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	}
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (step == SQLITE_DONE)
		rc = cf_err_set(e, CF_ENOTFOUND, field, "no %s with %s \"%s\"", ent->name, field, text);
	else
		rc = io_fail(s, e, ent->table);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int store_count(store *s, const cf_entity *ent, const cf_viewer *who, int64_t *n, cf_err *e)
{
	sqlb q = {0};
	qargs *args;
	int rc;

	if (ent_index(ent) < 0)
		return bad_entity(ent, e);
	args = calloc(1, sizeof *args);
	if (!args)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	buf_init(&q.b, 0);
	sq(&q, "SELECT COUNT(*) FROM %s WHERE 1 = 1", ent->table);
	vis_where(ent, who, &q, args);
	rc = q.err ? cf_err_set(e, CF_ENOMEM, NULL, "out of memory building SQL")
		   : query_int(s, buf_cstr(&q.b), args, n, e);
	buf_free(&q.b);
	free(args);
	return rc;
}

/* ---- list: filters, search, keyset pages ------------------------------------------------ */

/* The decoded position of a cursor. */
typedef struct cursor_pos {
	int is_null;
	int64_t id;
	int64_t i;     /* sort value, integer columns */
	const char *s; /* sort value, text columns (in the arena) */
} cursor_pos;

static void cursor_mac(const store *s, const cf_entity *ent, const char *payload, size_t n,
		       unsigned char mac[CURSOR_MAC])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, s->cursor_key, sizeof s->cursor_key, CURSOR_MAC);
	crypto_generichash_update(&h, (const unsigned char *)ent->table, strlen(ent->table) + 1);
	crypto_generichash_update(&h, (const unsigned char *)payload, n);
	crypto_generichash_final(&h, mac, CURSOR_MAC);
}

/* Payload "sort|desc|null|id|value", base64url, ".", base64url of its keyed hash.
 * The position is that of the last row returned (r). Owned by a; NULL when out of memory. */
static const char *cursor_make(const store *s, const cf_entity *ent, const store_query *qq, const cf_record *r,
			       arena *a)
{
	unsigned char mac[CURSOR_MAC];
	const char *payload;
	char *out;
	size_t plen, blen, mlen;
	int sort = qq->sort_field, desc = qq->sort_desc ? 1 : 0;
	const cf_value *v = sort >= 0 ? &r->v[sort] : NULL;
	long long id = (long long)r->id;

	if (!v || !v->present)
		payload = arena_printf(a, "%d|%d|%d|%lld|", sort, desc, v ? 1 : 0, id);
	else if (!is_int_type(ent->fields[sort].type))
		payload = arena_printf(a, "%d|%d|0|%lld|%s", sort, desc, id, v->s);
	else
		payload = arena_printf(a, "%d|%d|0|%lld|%lld", sort, desc, id, (long long)v->i);
	if (!payload)
		return NULL;
	plen = strlen(payload);
	cursor_mac(s, ent, payload, plen, mac);
	blen = sodium_base64_ENCODED_LEN(plen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	mlen = sodium_base64_ENCODED_LEN(CURSOR_MAC, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out = arena_alloc(a, blen + mlen + 1);
	if (!out)
		return NULL;
	sodium_bin2base64(out, blen, (const unsigned char *)payload, plen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	plen = strlen(out);
	out[plen] = '.';
	sodium_bin2base64(out + plen + 1, mlen, mac, CURSOR_MAC, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static int cursor_bad(cf_err *e) { return cf_err_set(e, CF_EINVAL, "cursor", "the cursor is not valid for this list"); }

static int cursor_read(const store *s, const cf_entity *ent, const store_query *qq, int text_col, arena *a,
		       cursor_pos *pos, cf_err *e)
{
	const char *c = qq->cursor, *dot = strchr(c, '.');
	unsigned char mac[CURSOR_MAC], want[CURSOR_MAC];
	unsigned char *payload;
	size_t plen = 0, mlen = 0, n;
	char *p, *fld[5];
	int i, isnull;
	int64_t id;

	if (!dot || (size_t)(dot - c) > 4096)
		return cursor_bad(e);
	n = (size_t)(dot - c);
	payload = arena_alloc(a, n + 1);
	if (!payload)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if (sodium_base642bin(payload, n, c, n, NULL, &plen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    sodium_base642bin(mac, sizeof mac, dot + 1, strlen(dot + 1), NULL, &mlen, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    mlen != CURSOR_MAC)
		return cursor_bad(e);
	cursor_mac(s, ent, (const char *)payload, plen, want);
	if (sodium_memcmp(mac, want, CURSOR_MAC))
		return cursor_bad(e);
	payload[plen] = '\0';
	if (strlen((char *)payload) != plen)
		return cursor_bad(e);
	/* split into 5 fields; the value (last) may itself hold '|' */
	p = (char *)payload;
	for (i = 0; i < 4; i++) {
		char *bar = strchr(p, '|');
		if (!bar)
			return cursor_bad(e);
		*bar = '\0';
		fld[i] = p;
		p = bar + 1;
	}
	fld[4] = p;
	{
		int64_t v;
		if (parse_i64(fld[0], &v) || v != qq->sort_field)
			return cursor_bad(e);
		if (parse_i64(fld[1], &v) || v != (qq->sort_desc ? 1 : 0))
			return cursor_bad(e);
		if (parse_i64(fld[2], &v) || (v != 0 && v != 1))
			return cursor_bad(e);
		isnull = (int)v;
		if (parse_i64(fld[3], &id))
			return cursor_bad(e);
	}
	pos->is_null = isnull;
	pos->id = id;
	pos->s = NULL;
	pos->i = 0;
	if (qq->sort_field >= 0 && !isnull) {
		if (text_col)
			pos->s = fld[4];
		else if (parse_i64(fld[4], &pos->i))
			return cursor_bad(e);
	}
	return 0;
}

/* Appends "col op ?" with the cursor's sort value. */
static void cmp_val(sqlb *q, qargs *a, const char *col, const char *op, const cursor_pos *pos, int text_col)
{
	sq(q, "%s %s ?", col, op);
	if (text_col)
		arg_text(a, pos->s);
	else
		arg_int(a, pos->i);
}

int store_list(store *s, const cf_entity *ent, const store_query *qq, arena *a, store_page *out, cf_err *e)
{
	sqlb w = {0}, q = {0};
	qargs *args = NULL, *pargs = NULL;
	sqlite3_stmt *st = NULL;
	const char *col = "id";
	int limit = qq->limit ? qq->limit : LIMIT_DEFAULT;
	int text_col = 0, sort_col = -1, rc = 0, step;
	size_t i, n = 0;
	cursor_pos pos = {0};
	store_page page = {0};

	if (ent_index(ent) < 0)
		return bad_entity(ent, e);
	if (limit < 1 || limit > LIMIT_MAX)
		return cf_err_set(e, CF_EINVAL, "limit", "limit must be 1..%d, not %d", LIMIT_MAX, qq->limit);
	if (qq->sort_field >= 0) {
		const cf_field *f;
		if ((size_t)qq->sort_field >= ent->nfields || !(ent->fields[qq->sort_field].flags & F_SORT))
			return cf_err_set(e, CF_EINVAL, "sort", "%s cannot be sorted by that field", ent->name);
		f = &ent->fields[qq->sort_field];
		col = f->name;
		text_col = !is_int_type(f->type);
		sort_col = qq->sort_field + 2;
	} else if (qq->sort_field != -1) {
		return cf_err_set(e, CF_EINVAL, "sort", "%s cannot be sorted by that field", ent->name);
	}
	args = calloc(2, sizeof *args);
	if (!args)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	pargs = args + 1;
	buf_init(&w.b, 0);
	buf_init(&q.b, 0);

	/* WHERE shared by the total and the page */
	sq(&w, " FROM %s WHERE 1 = 1", ent->table);
	vis_where(ent, qq->who, &w, args);
	for (i = 0; i < qq->nfilters; i++) {
		const store_filter *fl = &qq->filters[i];
		cf_value fv = {0};
		const cf_field *f;
		if (fl->field < 0 || (size_t)fl->field >= ent->nfields || !(ent->fields[fl->field].flags & F_FILTER)) {
			rc = cf_err_set(e, CF_EINVAL, fl->field >= 0 && (size_t)fl->field < ent->nfields
							      ? ent->fields[fl->field].name
							      : "filter",
					"%s cannot be filtered by that field", ent->name);
			goto fail;
		}
		f = &ent->fields[fl->field];
		if ((rc = value_parse(f, fl->value ? fl->value : "", fl->value ? strlen(fl->value) : 0, a, &fv, e))) {
			if (e && !e->where[0])
				snprintf(e->where, sizeof e->where, "%s", f->name);
			goto fail;
		}
		if (!fv.present) {
			sq(&w, " AND %s IS NULL", f->name);
			continue;
		}
		sq(&w, " AND %s = ?", f->name);
		if (is_int_type(f->type))
			arg_int(args, fv.i);
		else
			arg_text(args, fv.s);
	}
	if (qq->q && *qq->q) {
		buf pat;
		const char *c;
		int any = 0;
		buf_init(&pat, 0);
		buf_putc(&pat, '%');
		for (c = qq->q; *c; c++) {
			if (*c == '%' || *c == '_' || *c == '\\')
				buf_putc(&pat, '\\');
			buf_putc(&pat, *c);
		}
		if (buf_putc(&pat, '%')) {
			buf_free(&pat);
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		{
			const char *ps = arena_strdup(a, buf_cstr(&pat));
			buf_free(&pat);
			if (!ps) {
				rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
				goto fail;
			}
			sq(&w, " AND (");
			for (i = 0; i < ent->nfields; i++) {
				if (!(ent->fields[i].flags & F_SEARCH))
					continue;
				sq(&w, "%s%s LIKE ? ESCAPE '\\'", any ? " OR " : "", ent->fields[i].name);
				arg_text(args, ps);
				any = 1;
			}
			sq(&w, any ? ")" : "1 = 0)");
		}
	}
	if (w.err || args->over) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "query too large");
		goto fail;
	}

	/* total */
	{
		sqlb t = {0};
		buf_init(&t.b, 0);
		sq(&t, "SELECT COUNT(*)%s", buf_cstr(&w.b));
		rc = t.err ? cf_err_set(e, CF_ENOMEM, NULL, "out of memory") : query_int(s, buf_cstr(&t.b), args, &page.total, e);
		buf_free(&t.b);
		if (rc)
			goto fail;
	}

	/* page: NULLs sort lowest, so first ascending and last descending; id breaks ties */
	sq(&q, "SELECT ");
	select_cols(&q, ent);
	sq(&q, "%s", buf_cstr(&w.b));
	if (qq->cursor) {
		if ((rc = cursor_read(s, ent, qq, text_col, a, &pos, e)))
			goto fail;
		if (sort_col < 0) {
			sq(&q, " AND id %s ?", qq->sort_desc ? "<" : ">");
			arg_int(pargs, pos.id);
		} else if (!qq->sort_desc) {
			if (pos.is_null) {
				sq(&q, " AND (%s IS NOT NULL OR id > ?)", col);
				arg_int(pargs, pos.id);
			} else {
				sq(&q, " AND (");
				cmp_val(&q, pargs, col, ">", &pos, text_col);
				sq(&q, " OR (");
				cmp_val(&q, pargs, col, "=", &pos, text_col);
				sq(&q, " AND id > ?))");
				arg_int(pargs, pos.id);
			}
		} else {
			if (pos.is_null) {
				sq(&q, " AND %s IS NULL AND id < ?", col);
				arg_int(pargs, pos.id);
			} else {
				sq(&q, " AND (%s IS NULL OR ", col);
				cmp_val(&q, pargs, col, "<", &pos, text_col);
				sq(&q, " OR (");
				cmp_val(&q, pargs, col, "=", &pos, text_col);
				sq(&q, " AND id < ?))");
				arg_int(pargs, pos.id);
			}
		}
	}
	if (sort_col < 0)
		sq(&q, " ORDER BY id %s", qq->sort_desc ? "DESC" : "ASC");
	else if (!qq->sort_desc)
		sq(&q, " ORDER BY %s ASC NULLS FIRST, id ASC", col);
	else
		sq(&q, " ORDER BY %s DESC NULLS LAST, id DESC", col);
	sq(&q, " LIMIT %d", limit + 1);
	if (q.err || pargs->over) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "query too large");
		goto fail;
	}
	if (sqlite3_prepare_v2(s->db, buf_cstr(&q.b), -1, &st, NULL) || bind_args(st, args, 1) ||
	    bind_args(st, pargs, args->n + 1)) {
		rc = io_fail(s, e, ent->table);
		goto fail;
	}
	page.rows = arena_alloc(a, sizeof(cf_record) * (size_t)limit);
	if (!page.rows) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == (size_t)limit) {
			/* one more row exists: the cursor points after the last row returned */
			break;
		}
		if ((rc = read_row(st, ent, a, &page.rows[n]))) {
			cf_err_set(e, rc, NULL, "out of memory reading %s", ent->name);
			goto fail;
		}
		n++;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		rc = io_fail(s, e, ent->table);
		goto fail;
	}
	if (step == SQLITE_ROW) {
		page.next_cursor = cursor_make(s, ent, qq, &page.rows[n - 1], a);
		if (!page.next_cursor) {
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
	}
	page.n = n;
	*out = page;
fail:
	sqlite3_finalize(st);
	buf_free(&w.b);
	buf_free(&q.b);
	free(args);
	return rc;
}

/* ---- raw SQL ---------------------------------------------------------------------------- */

int store_sql(store *s, const char *sql, const char *const *params, size_t nparams, store_row_fn row,
	      void *ctx, cf_err *e)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	const char **cols = NULL, **names = NULL;
	int rc = 0, ncols, step;
	size_t i;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, &tail) != SQLITE_OK)
		return cf_err_set(e, CF_EINVAL, NULL, "SQL: %s", sqlite3_errmsg(s->db));
	if (!st)
		return cf_err_set(e, CF_EINVAL, NULL, "SQL: no statement");
	while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
		tail++;
	if (tail && *tail) {
		rc = cf_err_set(e, CF_EINVAL, NULL, "SQL: one statement at a time");
		goto fail;
	}
	if ((size_t)sqlite3_bind_parameter_count(st) != nparams) {
		rc = cf_err_set(e, CF_EINVAL, NULL, "SQL wants %d parameters, %zu given", sqlite3_bind_parameter_count(st),
				nparams);
		goto fail;
	}
	for (i = 0; i < nparams; i++)
		if (params[i])
			sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_STATIC);
	ncols = sqlite3_column_count(st);
	cols = calloc((size_t)ncols + 1, sizeof *cols);
	names = calloc((size_t)ncols + 1, sizeof *names);
	if (!cols || !names) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (i = 0; i < (size_t)ncols; i++)
		names[i] = sqlite3_column_name(st, (int)i);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < (size_t)ncols; i++)
			cols[i] = (const char *)sqlite3_column_text(st, (int)i);
		if (row && (rc = row(ctx, ncols, cols, names)))
			goto fail;
	}
	if (step != SQLITE_DONE) {
		int x = sqlite3_extended_errcode(s->db);
		if (x == SQLITE_CONSTRAINT_UNIQUE || x == SQLITE_CONSTRAINT_PRIMARYKEY)
			rc = cf_err_set(e, CF_ECONFLICT, NULL, "%s", sqlite3_errmsg(s->db));
		else if ((x & 0xff) == SQLITE_CONSTRAINT)
			rc = cf_err_set(e, CF_EINVAL, NULL, "%s", sqlite3_errmsg(s->db));
		else
			rc = io_fail(s, e, "SQL");
	}
fail:
	sqlite3_finalize(st);
	free(cols);
	free(names);
	return rc;
}

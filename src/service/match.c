/*
 * service/match — the registry's rows as matchmaking documents and queries; see match.h.
 *
 * Which fields make a kind's text and attributes is declared in one table (kinds[]) so that
 * adding a field to the index is one line.
 */
#include "service/match.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/num.h"
#include "base/path.h"
#include "model/industry.h"
#include "model/schema.h"

typedef struct kind_map {
	int kind;
	const char *entity;
	const char *text[5]; /* text fields joined by a space; NULL-terminated */
} kind_map;

static const kind_map kinds[] = {
	{MK_ACHIEVEMENT, "achievement", {"title", "abstract", "keywords", "owner_name", NULL}},
	{MK_DEMAND, "demand", {"title", "description", "product", "break_point", NULL}},
	{MK_PLATFORM, "platform", {"name", "industries", "co_builder", NULL}},
	{MK_TEAM, "team", {"name", "field", "leader", NULL}},
	{MK_INSTRUMENT, "instrument", {"name", "model", "category", "description", NULL}},
	{MK_ENTERPRISE, "enterprise", {"name", NULL}},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const kind_map *map_of_entity(const cf_entity *ent)
{
	size_t i;
	for (i = 0; ent && i < NKINDS; i++)
		if (!strcmp(kinds[i].entity, ent->name))
			return &kinds[i];
	return NULL;
}

int match_service_kind_of(const cf_entity *ent)
{
	const kind_map *m = map_of_entity(ent);
	return m ? m->kind : -1;
}

const cf_entity *match_service_entity_of(int kind)
{
	size_t i;
	for (i = 0; i < NKINDS; i++)
		if (kinds[i].kind == kind)
			return schema_entity(kinds[i].entity);
	return NULL;
}

static const cf_value *val(const cf_record *r, const char *field)
{
	int i = schema_field(r->ent, field);
	return i >= 0 && r->v[i].present ? &r->v[i] : NULL;
}

static void set_industry(match_attrs *at, const char *code, size_t n)
{
	char sec;
	at->industry[0] = '\0';
	if (!code || !n)
		return;
	if (n == 1) {
		snprintf(at->industry, sizeof at->industry, "%c", code[0]);
		return;
	}
	sec = industry_section_of(code, n);
	if (n > 4)
		n = 4;
	if (sec)
		snprintf(at->industry, sizeof at->industry, "%c%.*s", sec, (int)n, code);
	else
		snprintf(at->industry, sizeof at->industry, "%.*s", (int)n, code);
}

/* Wenzhou's counties as 6-character region codes: "3303" (the city) + the county's place in
 * the schema's list, so the locality signal sees same county > same city. */
static void set_region(match_attrs *at, const char *county)
{
	int i;
	at->region[0] = '\0';
	for (i = 0; county && cf_counties[i]; i++)
		if (!strcmp(cf_counties[i], county)) {
			snprintf(at->region, sizeof at->region, "3303%02d", i + 1);
			return;
		}
}

static int size_of_enterprise(const cf_record *r)
{
	const cf_value *v;
	if ((v = val(r, "micro")) && v->i)
		return MATCH_FIRM_MICRO;
	if ((v = val(r, "leading")) && v->i)
		return MATCH_FIRM_LARGE;
	if ((v = val(r, "above_scale")) && v->i)
		return MATCH_FIRM_MEDIUM;
	return MATCH_FIRM_SMALL;
}

static int parse_idlist(const char *s, match_access *acc)
{
	acc->nbrokers = 0;
	while (s && *s) {
		char *end;
		long long id = strtoll(s, &end, 10);
		if (end == s)
			return CF_EINVAL;
		if (acc->nbrokers < MATCH_MAX_BROKERS)
			acc->brokers[acc->nbrokers++] = id;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return CF_EINVAL;
	}
	return 0;
}

/* Fills d (text in b) from record r; enterprise attributes of a demand come from its firm. */
static int doc_of(store *db, const cf_record *r, buf *b, match_doc *d, cf_err *e)
{
	const kind_map *m = map_of_entity(r->ent);
	const cf_value *v;
	size_t i;
	int rc;

	memset(d, 0, sizeof *d);
	buf_reset(b);
	if (!m)
		return cf_err_set(e, CF_EINVAL, NULL, "%s rows are not matched", r->ent->name);
	for (i = 0; m->text[i]; i++)
		if ((v = val(r, m->text[i])) && v->s) {
			if ((b->len && (rc = buf_putc(b, ' '))) || (rc = buf_append(b, v->s, v->n)))
				return cf_err_set(e, rc, NULL, "row text too long");
		}
	d->id = r->id;
	d->kind = m->kind;
	d->text = b->p ? b->p : "";
	d->len = b->len;
	if ((v = val(r, "industry_code")))
		set_industry(&d->attrs, v->s, v->n);
	if ((v = val(r, "segment_id")))
		d->attrs.segment = (int32_t)v->i;
	if ((v = val(r, "trl")))
		d->attrs.trl = (int8_t)v->i;
	if ((v = val(r, "price")))
		d->attrs.price_fen = v->i;
	if ((v = val(r, "budget")))
		d->attrs.budget_fen = v->i;
	if ((v = val(r, "county")))
		set_region(&d->attrs, v->s);
	if (m->kind == MK_ENTERPRISE) {
		d->attrs.firm_size = (int8_t)size_of_enterprise(r);
		d->access.owner_enterprise = r->id;
	}
	if ((v = val(r, "visibility"))) {
		d->access.visibility = !strcmp(v->s, "confidential") ? MATCH_VIS_CONFIDENTIAL
				       : !strcmp(v->s, "brokers")    ? MATCH_VIS_BROKERS
								     : MATCH_VIS_PUBLIC;
	}
	if (m->kind == MK_DEMAND && (v = val(r, "enterprise_id"))) {
		arena *a = arena_create();
		cf_record er;
		d->access.owner_enterprise = v->i;
		if (!a)
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		if (store_get(db, schema_entity("enterprise"), v->i, &cf_viewer_bureau, a, &er, e) == 0) {
			const cf_value *c;
			d->attrs.firm_size = (int8_t)size_of_enterprise(&er);
			if (!d->attrs.region[0] && (c = val(&er, "county")))
				set_region(&d->attrs, c->s);
			if (!d->attrs.industry[0] && (c = val(&er, "industry_code")))
				set_industry(&d->attrs, c->s, c->n);
		}
		arena_free(a);
	}
	if ((v = val(r, "platform_id")))
		d->access.owner_platform = v->i;
	if ((v = val(r, "brokers")) && parse_idlist(v->s, &d->access))
		return cf_err_set(e, CF_EINVAL, "brokers", "bad id list \"%s\"", v->s);
	return 0;
}

/* A tokenizer with the stop words of data/text/stopwords.txt. */
static int new_tokenizer(text_tokenizer **out, cf_err *e)
{
	char path[4096];
	text_tokenizer *t = NULL;
	int rc;
	*out = NULL;
	if ((rc = text_tokenizer_create(0, &t, e)))
		return rc;
	if (path_data("text/stopwords.txt", path, sizeof path)) {
		text_tokenizer_free(t);
		return cf_err_set(e, CF_ETOOBIG, NULL, "data path too long");
	}
	if ((rc = text_tokenizer_load_stopwords(t, path, e))) {
		text_tokenizer_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int match_service_open(store *db, match_service *out, cf_err *e)
{
	match_service ms;
	buf b;
	size_t k;
	int rc;

	memset(&ms, 0, sizeof ms);
	memset(out, 0, sizeof *out);
	buf_init(&b, 1u << 20);
	ms.db = db;
	if ((rc = match_weights_load_default(&ms.w, e)) || (rc = new_tokenizer(&ms.tok, e)) ||
	    (rc = match_index_create(ms.tok, &ms.ix, e)))
		goto fail;
	for (k = 0; k < NKINDS; k++) {
		const cf_entity *ent = schema_entity(kinds[k].entity);
		const char *cursor = NULL;
		arena *a = NULL;
		if (!ent)
			continue;
		do {
			store_query q;
			store_page page;
			size_t i;
			arena *na = arena_create();
			if (!na) {
				arena_free(a);
				rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
				goto fail;
			}
			memset(&q, 0, sizeof q);
			q.sort_field = -1;
			q.limit = 1000;
			q.cursor = cursor;
			q.who = &cf_viewer_bureau;
			rc = store_list(db, ent, &q, na, &page, e);
			arena_free(a); /* the previous page, whose cursor q used */
			a = na;
			if (rc) {
				arena_free(a);
				goto fail;
			}
			for (i = 0; i < page.n; i++) {
				match_doc d;
				if ((rc = doc_of(db, &page.rows[i], &b, &d, e)) || (rc = match_index_put(ms.ix, &d, e))) {
					arena_free(a);
					goto fail;
				}
			}
			cursor = page.next_cursor;
		} while (cursor);
		arena_free(a);
	}
	if ((rc = match_index_pack(ms.ix, e)))
		goto fail;
	buf_free(&b);
	*out = ms;
	return 0;
fail:
	buf_free(&b);
	match_service_free(&ms);
	return rc;
}

void match_service_free(match_service *ms)
{
	match_index_free(ms->ix);
	text_tokenizer_free(ms->tok);
	memset(ms, 0, sizeof *ms);
}

static int sync_db(match_service *ms, store *db, const cf_entity *ent, int64_t id, cf_err *e)
{
	int kind = match_service_kind_of(ent), rc;
	arena *a;
	cf_record r;
	match_doc d;
	buf b;

	if (kind < 0)
		return 0;
	a = arena_create();
	if (!a)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	buf_init(&b, 1u << 20);
	rc = store_get(db, ent, id, &cf_viewer_bureau, a, &r, e);
	if (rc == CF_ENOTFOUND) {
		rc = match_index_delete(ms->ix, kind, id, e);
		if (rc == CF_ENOTFOUND)
			rc = 0;
	} else if (rc == 0 && (rc = doc_of(db, &r, &b, &d, e)) == 0) {
		rc = match_index_put(ms->ix, &d, e);
	}
	buf_free(&b);
	arena_free(a);
	return rc;
}

typedef struct ids_ctx {
	int64_t *v;
	size_t n, cap;
	int bad;
} ids_ctx;

static int ids_push(ids_ctx *c, int64_t id)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		int64_t *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return CF_ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = id;
	return 0;
}

static int ids_row(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	ids_ctx *c = ctx;
	int64_t id;
	(void)ncols;
	(void)names;
	if (num_parse_i64(cols[0], &id)) {
		c->bad = 1;
		return CF_EINTERNAL;
	}
	return ids_push(c, id);
}

/* The demands of enterprise id: their firm size, county and industry come from it. */
static int sync_demands_of(match_service *ms, store *db, int64_t enterprise, cf_err *e)
{
	const cf_entity *dem = schema_entity("demand");
	char sql[128], idtext[24];
	const char *params[1] = {idtext};
	ids_ctx c = {NULL, 0, 0, 0};
	size_t i;
	int rc;

	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE enterprise_id = ?", dem->table);
	snprintf(idtext, sizeof idtext, "%lld", (long long)enterprise);
	rc = store_sql(db, sql, params, 1, ids_row, &c, e);
	if (rc && (c.bad || rc == CF_ENOMEM))
		rc = cf_err_set(e, rc, NULL, "reading the demands of enterprise %lld", (long long)enterprise);
	for (i = 0; rc == 0 && i < c.n; i++)
		rc = sync_db(ms, db, dem, c.v[i], e);
	free(c.v);
	return rc;
}

/* sync_db, and for an enterprise also the demands that take their attributes from it. */
static int sync_deep(match_service *ms, store *db, const cf_entity *ent, int64_t id, cf_err *e)
{
	int rc = sync_db(ms, db, ent, id, e);
	if (rc == 0 && match_service_kind_of(ent) == MK_ENTERPRISE)
		rc = sync_demands_of(ms, db, id, e);
	return rc;
}

int match_service_sync(match_service *ms, const cf_entity *ent, int64_t id, cf_err *e)
{
	return sync_deep(ms, ms->db, ent, id, e);
}

/* ---- the change journal (migration 040_match_journal) ---- */

/* Pending entries beyond which a rebuild is cheaper than syncing row by row (a full build
 * reads rows page by page; a sync reads each one with its own query). */
#define JOURNAL_REBUILD_AT 50000
/* Entries match_journal_trim keeps: more than JOURNAL_REBUILD_AT, so that a reader whose
 * entries were trimmed away would have rebuilt anyway. */
#define JOURNAL_KEEP 100000

typedef struct bounds_ctx {
	int64_t lo, hi;
	int bad;
} bounds_ctx;

static int bounds_row(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	bounds_ctx *c = ctx;
	(void)names;
	if (ncols != 2 || (cols[0] && num_parse_i64(cols[0], &c->lo)) || (cols[1] && num_parse_i64(cols[1], &c->hi)))
		c->bad = 1;
	return 0;
}

/* The oldest and newest seq of the journal, 0 and 0 when it is empty: two index look-ups. */
static int journal_bounds(store *db, int64_t *lo, int64_t *hi, cf_err *e)
{
	bounds_ctx c = {0, 0, 0};
	int rc = store_sql(db,
			   "SELECT (SELECT MIN(seq) FROM match_journal), "
			   "(SELECT MAX(seq) FROM match_journal)",
			   NULL, 0, bounds_row, &c, e);
	if (rc)
		return rc;
	if (c.bad)
		return cf_err_set(e, CF_EINTERNAL, "match_journal", "unreadable journal bounds");
	*lo = c.lo;
	*hi = c.hi;
	return 0;
}

typedef struct entries_ctx {
	ids_ctx ids;  /* row ids */
	ids_ctx kind; /* their kinds, in step */
	int bad;
} entries_ctx;

static int entries_row(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	entries_ctx *c = ctx;
	const kind_map *m = NULL;
	int64_t id, last;
	size_t i;
	(void)names;
	if (ncols != 3 || !cols[0] || num_parse_i64(cols[1], &id) || (cols[2] && num_parse_i64(cols[2], &last)) ||
	    (cols[2] && (last < id || last - id > JOURNAL_REBUILD_AT))) {
		c->bad = 1;
		return CF_EINTERNAL;
	}
	if (!cols[2])
		last = id;
	for (i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].entity, cols[0]))
			m = &kinds[i];
	if (!m)
		return 0; /* an entity this build does not index */
	for (;; id++) { /* a bulk load's range entry (migration 041): each id in it */
		if (ids_push(&c->ids, id) || ids_push(&c->kind, m->kind))
			return CF_ENOMEM;
		if (id == last)
			break;
	}
	return 0;
}

/* Applies the journal entries (from, to] to ms's index, each row once (a range entry: each id
 * in it, an absent one indexing nothing), reading through db. *applied is the number of
 * rows brought into step. */
static int journal_apply(match_service *ms, store *db, int64_t from, int64_t to, size_t *applied, cf_err *e)
{
	char a[24], b[24];
	const char *params[2] = {a, b};
	entries_ctx c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof c);
	*applied = 0;
	snprintf(a, sizeof a, "%lld", (long long)from);
	snprintf(b, sizeof b, "%lld", (long long)to);
	rc = store_sql(db,
		       "SELECT entity, row_id, row_id_hi FROM match_journal WHERE seq > ? AND seq <= ? "
		       "GROUP BY entity, row_id, row_id_hi",
		       params, 2, entries_row, &c, e);
	if (rc && (c.bad || rc == CF_ENOMEM))
		rc = cf_err_set(e, c.bad ? CF_EINTERNAL : CF_ENOMEM, "match_journal",
				c.bad ? "unreadable journal entry" : "out of memory");
	for (i = 0; rc == 0 && i < c.ids.n; i++)
		rc = sync_deep(ms, db, match_service_entity_of((int)c.kind.v[i]), c.ids.v[i], e);
	if (rc == 0)
		*applied = c.ids.n;
	free(c.ids.v);
	free(c.kind.v);
	return rc;
}

/* The rows the entries (from, to] name beyond one each: a bulk load's range entry names
 * row_id_hi - row_id + 1. */
static int journal_extra(store *db, int64_t from, int64_t to, int64_t *extra, cf_err *e)
{
	char a[24], b[24];
	const char *params[2] = {a, b};
	bounds_ctx c = {0, 0, 0};
	int rc;
	snprintf(a, sizeof a, "%lld", (long long)from);
	snprintf(b, sizeof b, "%lld", (long long)to);
	rc = store_sql(db,
		       "SELECT 0, COALESCE(SUM(row_id_hi - row_id), 0) FROM match_journal "
		       "WHERE seq > ? AND seq <= ? AND row_id_hi IS NOT NULL",
		       params, 2, bounds_row, &c, e);
	if (rc)
		return rc;
	if (c.bad || c.hi < 0)
		return cf_err_set(e, CF_EINTERNAL, "match_journal", "unreadable journal ranges");
	*extra = c.hi;
	return 0;
}

int match_journal_trim(store *db, cf_err *e)
{
	char sql[128];
	snprintf(sql, sizeof sql,
		 "DELETE FROM match_journal WHERE seq <= (SELECT MAX(seq) FROM match_journal) - %d",
		 JOURNAL_KEEP);
	return store_sql(db, sql, NULL, 0, NULL, NULL, e);
}

typedef struct fb_ctx {
	store *db;
	arena *a;
	buf b;
} fb_ctx;

/* Feedback texts come from the store, read as the bureau: only documents that already
 * passed the viewer's filter are ever asked for. */
static int fb_text(void *ctx, int kind, int64_t id, const char **text, size_t *len)
{
	fb_ctx *c = ctx;
	const cf_entity *ent = match_service_entity_of(kind);
	cf_record r;
	match_doc d;
	cf_err e;
	if (!ent || store_get(c->db, ent, id, &cf_viewer_bureau, c->a, &r, &e) || doc_of(c->db, &r, &c->b, &d, &e))
		return -1;
	*text = d.text;
	*len = d.len;
	return 0;
}

/* Runs q on ms's index, reading feedback texts from db, tokenizing with tok (NULL: the
 * index's own). */
static int run(match_service *ms, store *db, text_tokenizer *tok, match_query *q, arena *a, match_result *out,
	       cf_err *e)
{
	fb_ctx fc = {db, a, {0}};
	int rc;
	buf_init(&fc.b, 1u << 20);
	q->doc_text = fb_text;
	q->doc_text_ctx = &fc;
	q->tok = tok;
	rc = match_search(ms->ix, &ms->w, q, a, out, e);
	buf_free(&fc.b);
	return rc;
}

static int for_row(match_service *ms, store *db, text_tokenizer *tok, const cf_viewer *who, const cf_entity *src,
		   int64_t id, int kind, int k, arena *a, match_result *out, cf_err *e)
{
	match_query q;
	match_doc d;
	cf_record r;
	buf b;
	int rc;

	if (map_of_entity(src) == NULL)
		return cf_err_set(e, CF_EINVAL, "source", "%s rows cannot be matched", src->name);
	/* hidden and absent read alike: the store filters for who */
	if ((rc = store_get(db, src, id, who, a, &r, e)))
		return rc == CF_ENOTFOUND ? cf_err_set(e, CF_ENOTFOUND, NULL, "no %s %lld", src->name, (long long)id)
					  : rc;
	buf_init(&b, 1u << 20);
	if ((rc = doc_of(db, &r, &b, &d, e)))
		goto done;
	memset(&q, 0, sizeof q);
	q.text = d.text;
	q.len = d.len;
	q.kind = kind;
	q.attrs = d.attrs;
	q.who = who;
	q.k = k;
	q.exclude_kind = d.kind;
	q.exclude_id = id;
	rc = run(ms, db, tok, &q, a, out, e);
done:
	buf_free(&b);
	return rc;
}

int match_service_for_row(match_service *ms, const cf_viewer *who, const cf_entity *src, int64_t id, int kind,
			  int k, arena *a, match_result *out, cf_err *e)
{
	return for_row(ms, ms->db, NULL, who, src, id, kind, k, a, out, e);
}

static int for_text(match_service *ms, store *db, text_tokenizer *tok, const cf_viewer *who, const char *text,
		    const match_attrs *attrs, int kind, int k, arena *a, match_result *out, cf_err *e)
{
	match_query q;
	memset(&q, 0, sizeof q);
	q.text = text ? text : "";
	q.len = strlen(q.text);
	q.kind = kind;
	if (attrs)
		q.attrs = *attrs;
	q.who = who;
	q.k = k;
	q.exclude_kind = -1;
	return run(ms, db, tok, &q, a, out, e);
}

int match_service_for_text(match_service *ms, const cf_viewer *who, const char *text, const match_attrs *attrs,
			   int kind, int k, arena *a, match_result *out, cf_err *e)
{
	return for_text(ms, ms->db, NULL, who, text, attrs, kind, k, a, out, e);
}

/* ---- the process-wide index ---- */

#define POOL_MAX 16

/* One index per process, built on first use, read under the reader lock by any number of
 * searches (each with a tokenizer from the pool), brought into step with the change journal
 * under the writer lock. seq is the last journal entry the index reflects. built = 0 after a
 * failed sync: the next query rebuilds. */
static struct {
	pthread_rwlock_t lock;
	pthread_mutex_t pool_mu;
	int built;
	match_service ms;
	int64_t seq;
	text_tokenizer *pool[POOL_MAX];
	int npool;
	uint64_t builds;
} g = {PTHREAD_RWLOCK_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, 0, {0}, 0, {0}, 0, 0};

/* Builds the index from db; the journal's newest seq is read first, so a change committed
 * during the build is applied again by the next catch-up (applying is idempotent). Caller
 * holds the writer lock. */
static int shared_build(store *db, const char *why, cf_err *e)
{
	int64_t lo, hi;
	int rc;
	if (g.built) {
		match_service_free(&g.ms);
		g.built = 0;
	}
	if ((rc = journal_bounds(db, &lo, &hi, e)) || (rc = match_service_open(db, &g.ms, e)))
		return rc;
	g.ms.db = NULL; /* every call brings its own thread's store */
	g.built = 1;
	g.seq = hi;
	g.builds++;
	log_info("match index built (%s): %zu documents, %zu bytes, journal at %lld", why,
		 match_index_count(g.ms.ix), match_index_memory(g.ms.ix), (long long)hi);
	return 0;
}

/* Brings the index up to the journal's newest entry: builds it when there is none; rebuilds
 * when entries it needs were trimmed away, the journal went backwards (emptied) or the
 * pending entries name more than JOURNAL_REBUILD_AT rows (a bulk load's range entry counting
 * each row of its range); otherwise syncs just the rows the pending entries name. *trim = 1 when the journal has grown past its bound (the caller trims it, after
 * letting go of the lock). Caller holds the writer lock. */
static int shared_catch_up(store *db, int *trim, cf_err *e)
{
	int64_t lo, hi, extra = 0;
	size_t n;
	int rc;

	*trim = 0;
	if ((rc = journal_bounds(db, &lo, &hi, e)))
		return rc;
	if (!g.built)
		rc = shared_build(db, "first query", e);
	else if (hi == g.seq)
		return 0;
	else if (hi < g.seq || (lo > g.seq + 1))
		rc = shared_build(db, "journal entries it needed were trimmed", e);
	else if (hi - g.seq > JOURNAL_REBUILD_AT ||
		 (rc = journal_extra(db, g.seq, hi, &extra, e)) != 0 || hi - g.seq + extra > JOURNAL_REBUILD_AT)
		rc = rc ? rc : shared_build(db, "many pending changes", e);
	else if ((rc = journal_apply(&g.ms, db, g.seq, hi, &n, e)) == 0) {
		log_info("match index: %zu rows brought into step from the journal (%lld..%lld)", n,
			 (long long)g.seq + 1, (long long)hi);
		g.seq = hi;
	} else {
		log_warn("match index: journal %lld..%lld not applied (%s); rebuilding on the next query",
			 (long long)g.seq + 1, (long long)hi, e->msg);
		match_service_free(&g.ms);
		g.built = 0;
	}
	*trim = rc == 0 && hi - lo + 1 > JOURNAL_KEEP + JOURNAL_KEEP / 10;
	return rc;
}

/* Returns with the reader lock held and the index at least as new as the journal was when
 * the call began, or an error with no lock held. The cheap check (two index look-ups) runs
 * on every query; a change committed by any process before it is in the answer. */
static int shared_read(store *db, cf_err *e)
{
	int64_t lo, hi;
	int rc, tries, caught = 0, trim = 0;
	cf_err te;
	memset(&te, 0, sizeof te);
	if ((rc = journal_bounds(db, &lo, &hi, e)))
		return rc;
	for (tries = 0; tries < 3; tries++) {
		pthread_rwlock_rdlock(&g.lock);
		/* after our own catch-up, later entries belong to later queries */
		if (g.built && (caught || g.seq == hi))
			return 0;
		pthread_rwlock_unlock(&g.lock);
		pthread_rwlock_wrlock(&g.lock);
		rc = shared_catch_up(db, &trim, e);
		pthread_rwlock_unlock(&g.lock);
		if (rc)
			return rc;
		/* a write: outside the lock, so that a writer holding the database (an import)
		 * delays this query only */
		if (trim && match_journal_trim(db, &te))
			log_warn("match index: journal not trimmed (%s)", te.msg);
		caught = 1;
	}
	return cf_err_set(e, CF_EINTERNAL, NULL, "the match index keeps being invalidated");
}

static int tok_take(text_tokenizer **out, cf_err *e)
{
	pthread_mutex_lock(&g.pool_mu);
	if (g.npool) {
		*out = g.pool[--g.npool];
		pthread_mutex_unlock(&g.pool_mu);
		return 0;
	}
	pthread_mutex_unlock(&g.pool_mu);
	return new_tokenizer(out, e);
}

static void tok_give(text_tokenizer *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&g.pool_mu);
	if (g.npool < POOL_MAX) {
		g.pool[g.npool++] = t;
		t = NULL;
	}
	pthread_mutex_unlock(&g.pool_mu);
	text_tokenizer_free(t);
}

int match_shared_for_row(store *db, const cf_viewer *who, const cf_entity *src, int64_t id, int kind, int k,
			 arena *a, match_result *out, const char **weights_version, cf_err *e)
{
	text_tokenizer *tok;
	int rc;
	if ((rc = tok_take(&tok, e)))
		return rc;
	if ((rc = shared_read(db, e)) == 0) {
		rc = for_row(&g.ms, db, tok, who, src, id, kind, k, a, out, e);
		if (rc == 0 && weights_version && !(*weights_version = arena_strdup(a, g.ms.w.version)))
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		pthread_rwlock_unlock(&g.lock);
	}
	tok_give(tok);
	return rc;
}

int match_shared_for_text(store *db, const cf_viewer *who, const char *text, const match_attrs *attrs, int kind,
			  int k, arena *a, match_result *out, const char **weights_version, cf_err *e)
{
	text_tokenizer *tok;
	int rc;
	if ((rc = tok_take(&tok, e)))
		return rc;
	if ((rc = shared_read(db, e)) == 0) {
		rc = for_text(&g.ms, db, tok, who, text, attrs, kind, k, a, out, e);
		if (rc == 0 && weights_version && !(*weights_version = arena_strdup(a, g.ms.w.version)))
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		pthread_rwlock_unlock(&g.lock);
	}
	tok_give(tok);
	return rc;
}

uint64_t match_shared_builds(void)
{
	uint64_t n;
	pthread_rwlock_rdlock(&g.lock);
	n = g.builds;
	pthread_rwlock_unlock(&g.lock);
	return n;
}

void match_shared_reset(void)
{
	int i;
	pthread_rwlock_wrlock(&g.lock);
	if (g.built)
		match_service_free(&g.ms);
	g.built = 0;
	pthread_rwlock_unlock(&g.lock);
	pthread_mutex_lock(&g.pool_mu);
	for (i = 0; i < g.npool; i++)
		text_tokenizer_free(g.pool[i]);
	g.npool = 0;
	pthread_mutex_unlock(&g.pool_mu);
}

int match_service_attrs(const char *industry, const char *county, int64_t budget_fen, int trl,
			const char *firm_size, match_attrs *attrs, cf_err *e)
{
	static const char *const sizes[] = {"micro", "small", "medium", "large", NULL};
	match_attrs at;
	int i;

	memset(&at, 0, sizeof at);
	if (industry && *industry) {
		industry_level lvl;
		if (industry_shape(industry, strlen(industry), &lvl, e))
			return cf_err_set(e, CF_EINVAL, "industry_code", "not a GB/T 4754-2017 code: \"%s\"", industry);
		set_industry(&at, industry, strlen(industry));
	}
	if (county && *county) {
		set_region(&at, county);
		if (!at.region[0])
			return cf_err_set(e, CF_EINVAL, "county", "not one of Wenzhou's counties: \"%s\"", county);
	}
	if (budget_fen < 0)
		return cf_err_set(e, CF_EINVAL, "budget", "a budget cannot be negative");
	at.budget_fen = budget_fen;
	if (trl && (trl < 1 || trl > 9))
		return cf_err_set(e, CF_EINVAL, "trl", "TRL lies in 1..9");
	at.trl = (int8_t)trl;
	if (firm_size && *firm_size) {
		for (i = 0; sizes[i] && strcmp(sizes[i], firm_size); i++)
			;
		if (!sizes[i])
			return cf_err_set(e, CF_EINVAL, "firm_size", "one of micro, small, medium, large");
		at.firm_size = (int8_t)(i + 1);
	}
	*attrs = at;
	return 0;
}

json_t *match_hits_json(const match_result *r)
{
	json_t *root = json_object(), *hits = json_array();
	size_t i, j;
	for (i = 0; i < r->n; i++) {
		const match_hit *h = &r->hits[i];
		json_t *o = json_object(), *terms = json_array(), *sig = json_object();
		json_object_set_new(o, "id", json_integer(h->id));
		json_object_set_new(o, "kind", json_string(match_kind_name(h->kind)));
		json_object_set_new(o, "score", json_real(h->score));
		json_object_set_new(o, "text_score", json_real(h->text_score));
		for (j = 0; j < h->nterms; j++) {
			json_t *t = json_object();
			json_object_set_new(t, "term", json_string(h->terms[j].term));
			json_object_set_new(t, "score", json_real(h->terms[j].score));
			json_array_append_new(terms, t);
		}
		for (j = 0; j < MS_COUNT; j++)
			json_object_set_new(sig, match_signal_name((int)j), json_real(h->signal[j]));
		json_object_set_new(o, "terms", terms);
		json_object_set_new(o, "signals", sig);
		json_array_append_new(hits, o);
	}
	json_object_set_new(root, "hits", hits);
	return root;
}

/*
 * import — CSV rows into the registry: parse and check everything, then write all or
 * nothing (see import.h).
 */
#include "service/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/log.h"
#include "model/industry.h"
#include "model/uscc.h"
#include "model/value.h"
#include "service/match.h"
#include "service/registry.h"

#define COL_SYNTHETIC (-2)

/* Bulk path: an import writing at least this many rows, and at least as many as the table
 * already holds, drops the table's plain (non-unique) indexes inside its transaction and
 * rebuilds them before the commit (store_bulk_begin): one sort per index instead of a
 * B-tree descent per row and index. Below it, or into a larger table, the rebuild would cost
 * more than it saves. Measured on the demo's 79,437 enterprises (12 plain indexes): see
 * bench/import. */
#define IMPORT_BULK_MIN_ROWS 5000

/* A growable list of problems (malloc'd; copied into the arena at the end). */
typedef struct imp_ctx {
	arena *a;
	const char *path;
	import_problem *probs;
	size_t nprobs, cap;
	int oom;
} imp_ctx;

static void imp_problem(imp_ctx *c, size_t row, const char *col, const char *msg)
{
	import_problem *p;
	if (c->nprobs == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 32;
		import_problem *np = realloc(c->probs, nc * sizeof *np);
		if (!np) {
			c->oom = 1;
			return;
		}
		c->probs = np;
		c->cap = nc;
	}
	/* the location names the column: drop the message's own "field: " lead */
	if (col) {
		const char *q = msg;
		while ((*q >= 'a' && *q <= 'z') || *q == '_')
			q++;
		if (q > msg && q[0] == ':' && q[1] == ' ')
			msg = q + 2;
	}
	p = &c->probs[c->nprobs];
	p->where = col ? arena_printf(c->a, "%s:%zu:%s", c->path, row, col) : arena_printf(c->a, "%s:%zu", c->path, row);
	p->msg = arena_strdup(c->a, msg);
	if (!p->where || !p->msg) {
		c->oom = 1;
		return;
	}
	c->nprobs++;
}

/* A set of strings mapping to the row where each was first seen (open addressing). */
typedef struct imp_set {
	const char **keys;
	size_t *rows;
	size_t cap;
} imp_set;

static int imp_set_init(imp_set *set, size_t n, arena *a)
{
	set->cap = 16;
	while (set->cap < n * 2 + 16)
		set->cap *= 2;
	set->keys = arena_alloc(a, set->cap * sizeof *set->keys);
	set->rows = arena_alloc(a, set->cap * sizeof *set->rows);
	return set->keys && set->rows ? 0 : CF_ENOMEM;
}

static size_t imp_hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Returns the row that already holds key, or 0 after adding it with row. */
static size_t imp_set_add(imp_set *set, const char *key, size_t row)
{
	size_t i = imp_hash(key) & (set->cap - 1);
	while (set->keys[i]) {
		if (!strcmp(set->keys[i], key))
			return set->rows[i];
		i = (i + 1) & (set->cap - 1);
	}
	set->keys[i] = key;
	set->rows[i] = row;
	return 0;
}

static int imp_set_has(const imp_set *set, const char *key)
{
	size_t i = imp_hash(key) & (set->cap - 1);
	while (set->keys[i]) {
		if (!strcmp(set->keys[i], key))
			return 1;
		i = (i + 1) & (set->cap - 1);
	}
	return 0;
}

/* The field a header cell names (English name, Chinese label, or an industry alias). */
static int imp_column(const cf_entity *ent, const char *h)
{
	size_t i;
	int is_ind = !strcmp(ent->name, "industry");
	if (!strcmp(h, "synthetic") || !strcmp(h, "合成数据"))
		return COL_SYNTHETIC;
	if (is_ind && !strcmp(h, "parent_code"))
		h = "parent";
	for (i = 0; i < ent->nfields; i++)
		if (!strcmp(ent->fields[i].name, h) || !strcmp(ent->fields[i].zh, h))
			return (int)i;
	return -1;
}

static const char *imp_level_alias(const char *s)
{
	static const char *const zh[] = {"门类", "大类", "中类", "小类"};
	static const char *const en[] = {"section", "division", "group", "class"};
	size_t i;
	for (i = 0; i < 4; i++)
		if (!strcmp(s, zh[i]))
			return en[i];
	return s;
}

static int imp_all_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* Checks one field's references alone, so that every bad cell of a row is reported. */
static int imp_check_ref(store *s, const cf_record *r, size_t fi, arena *a, cf_err *e)
{
	cf_record one = *r;
	size_t i;
	one.v = arena_alloc(a, r->ent->nfields * sizeof *one.v);
	if (!one.v)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < r->ent->nfields; i++)
		one.v[i].present = 0;
	one.v[fi] = r->v[fi];
	return registry_check_refs(s, &one, e);
}

/* Industry rows: level, section and parent agree with the code. */
static void imp_industry_checks(imp_ctx *c, const cf_record *r, size_t row, const int *colof, char **hdr,
				const imp_set *codes, store *s, int *bad)
{
	const cf_value *code = &r->v[0], *level = &r->v[2], *parent = &r->v[3], *section = &r->v[4];
	industry_level lvl;
	cf_err e;
	char msg[400], sec;
	int64_t id;
	const char *pcol = colof[3] >= 0 ? hdr[colof[3]] : "parent";
	if (!code->present || !level->present)
		return;
	if (industry_shape(code->s, code->n, &lvl, &e)) {
		imp_problem(c, row, hdr[colof[0]], e.msg);
		*bad = 1;
		return;
	}
	if (strcmp(industry_level_name(lvl), level->s)) {
		snprintf(msg, sizeof msg, "level: code %s is a %s (%s), not a %s", code->s, industry_level_name(lvl),
			 industry_level_zh(lvl), level->s);
		imp_problem(c, row, hdr[colof[2]], msg);
		*bad = 1;
	}
	sec = industry_section_of(code->s, code->n);
	if (section->present && (section->n != 1 || section->s[0] != sec)) {
		snprintf(msg, sizeof msg, "section: code %s belongs to section %c, not %s", code->s, sec, section->s);
		imp_problem(c, row, hdr[colof[4]], msg);
		*bad = 1;
	}
	if (lvl == IND_SECTION) {
		if (parent->present) {
			imp_problem(c, row, pcol, "parent: a section has no parent");
			*bad = 1;
		}
		return;
	}
	{
		char want[5];
		if (lvl == IND_DIVISION) {
			want[0] = sec;
			want[1] = 0;
		} else {
			memcpy(want, code->s, code->n - 1);
			want[code->n - 1] = 0;
		}
		if (!parent->present || strcmp(parent->s, want)) {
			snprintf(msg, sizeof msg, "parent: the parent of %s is %s, not \"%s\"", code->s, want,
				 parent->present ? parent->s : "");
			imp_problem(c, row, pcol, msg);
			*bad = 1;
			return;
		}
		if (!imp_set_has(codes, want) && store_find(s, r->ent, "code", want, &id, &e)) {
			snprintf(msg, sizeof msg, "parent: %s is neither earlier in the file nor in the table", want);
			imp_problem(c, row, pcol, msg);
			*bad = 1;
		}
	}
}

int import_csv(store *s, const cf_viewer *who, const cf_entity *ent, const char *path, int partial, arena *a,
	       import_progress_fn progress, void *pctx, import_report *rep, cf_err *e)
{
	imp_ctx c = {a, path, NULL, 0, 0, 0};
	csv_table t;
	csv_row *h;
	int *colof = NULL, *fieldof = NULL;
	cf_record *recs = NULL;
	unsigned char *good = NULL;
	imp_set *uniq = NULL, *refok = NULL;
	const cf_entity *ent_ent = schema_entity("enterprise");
	int is_ind = !strcmp(ent->name, "industry");
	size_t i, j, k, nfields = ent->nfields, ndata, written = 0, updated = 0, nbad = 0;
	char msg[700];
	cf_err ce;
	int rc = 0, in_tx = 0;

	memset(rep, 0, sizeof *rep);
	if (who->role != ROLE_BUREAU)
		return cf_err_set(e, CF_EFORBIDDEN, NULL, "only the bureau may import files");
	if ((rc = csv_read_file(path, 0, a, &t, e)) != 0)
		return rc;
	rep->encoding = t.encoding;
	if (t.nrows == 0 || t.rows[0].row != 1)
		return cf_err_set(e, CF_EINVAL, path, "the file has no header row");
	h = &t.rows[0];
	ndata = t.nrows - 1;
	colof = arena_alloc(a, nfields * sizeof *colof);
	fieldof = arena_alloc(a, h->ncells * sizeof *fieldof);
	recs = arena_alloc(a, (ndata ? ndata : 1) * sizeof *recs);
	good = arena_alloc(a, ndata + 1);
	uniq = arena_alloc(a, nfields * sizeof *uniq);
	refok = arena_alloc(a, nfields * sizeof *refok);
	if (!colof || !fieldof || !recs || !good || !uniq || !refok)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");

	/* header */
	for (i = 0; i < nfields; i++)
		colof[i] = -1;
	{
		int synth_seen = 0;
		for (j = 0; j < h->ncells; j++) {
			int f = imp_column(ent, h->cells[j]);
			fieldof[j] = f;
			if (f == -1) {
				snprintf(msg, sizeof msg, "unknown column \"%s\" for %s (%s)", h->cells[j], ent->name, ent->zh);
				imp_problem(&c, 1, h->cells[j], msg);
			} else if (f == COL_SYNTHETIC) {
				if (synth_seen++)
					imp_problem(&c, 1, h->cells[j], "column synthetic appears twice");
			} else if (colof[f] >= 0) {
				snprintf(msg, sizeof msg, "column %s appears twice (also column %d)", ent->fields[f].name,
					 colof[f] + 1);
				imp_problem(&c, 1, h->cells[j], msg);
				fieldof[j] = -1;
			} else {
				colof[f] = (int)j;
			}
		}
	}
	for (i = 0; i < nfields; i++)
		if ((ent->fields[i].flags & F_REQUIRED) && colof[i] < 0) {
			snprintf(msg, sizeof msg, "missing required column %s (%s)", ent->fields[i].name, ent->fields[i].zh);
			imp_problem(&c, 1, NULL, msg);
		}
	if (c.nprobs) {
		rc = cf_err_set(e, CF_EINVAL, path, "the header row has %zu problem(s)", c.nprobs);
		goto done;
	}
	for (i = 0; i < nfields; i++)
		if (((ent->fields[i].flags & F_UNIQUE) && (rc = imp_set_init(&uniq[i], ndata, a)) != 0) ||
		    ((ent->fields[i].type == FT_REF || ent->fields[i].type == FT_IDLIST ||
		      ent->fields[i].type == FT_INDUSTRY) &&
		     (rc = imp_set_init(&refok[i], ndata, a)) != 0)) {
			cf_err_set(e, rc, NULL, "out of memory");
			goto done;
		}

	/* rows: parse and check everything, collecting every problem. The checks and the writes
	 * share one transaction, so that what was checked is what is written to. */
	if ((rc = store_begin(s, e)) != 0)
		goto done;
	in_tx = 1;
	for (k = 0; k < ndata; k++) {
		csv_row *row = &t.rows[k + 1];
		cf_record *r = &recs[k];
		int bad = 0, cellbad = 0;
		if (progress && (k % 256 == 0))
			progress(pctx, k, ndata);
		if ((rc = record_new(ent, a, r)) != 0) {
			cf_err_set(e, rc, NULL, "out of memory");
			goto done;
		}
		if (row->ncells > h->ncells) {
			snprintf(msg, sizeof msg, "row has %zu cells, the header %zu", row->ncells, h->ncells);
			imp_problem(&c, row->row, NULL, msg);
			bad = 1;
		}
		for (j = 0; j < h->ncells && j < row->ncells; j++) {
			int f = fieldof[j];
			const cf_field *fd;
			const char *txt = row->cells[j];
			size_t n = row->lens[j];
			if (f == COL_SYNTHETIC) {
				static const cf_field synth = {"synthetic", "合成数据", FT_BOOL, 0, NULL, NULL, 0, 0, 0};
				cf_value v;
				if (value_parse(&synth, txt, n, a, &v, &ce)) {
					imp_problem(&c, row->row, h->cells[j], ce.msg);
					bad = cellbad = 1;
				} else
					r->synthetic = v.present && v.i;
				continue;
			}
			if (f < 0)
				continue;
			fd = &ent->fields[f];
			if (is_ind && f == 2)
				txt = imp_level_alias(txt), n = strlen(txt);
			/* an enterprise reference may be given by its USCC */
			if (fd->type == FT_REF && !strcmp(fd->ref, "enterprise") && n == USCC_LEN && !imp_all_digits(txt, n)) {
				int64_t id;
				uscc_result ur;
				if (uscc_check(txt, n, &ur)) {
					snprintf(msg, sizeof msg, "%s: %s", fd->name, ur.msg);
					imp_problem(&c, row->row, h->cells[j], msg);
					bad = cellbad = 1;
				} else if ((rc = store_find(s, ent_ent, "uscc", txt, &id, &ce)) != 0) {
					if (rc != CF_ENOTFOUND) {
						*e = ce;
						goto done;
					}
					rc = 0;
					snprintf(msg, sizeof msg, "%s: no enterprise with unified social credit code %s", fd->name, txt);
					imp_problem(&c, row->row, h->cells[j], msg);
					bad = cellbad = 1;
				} else {
					r->v[f].present = 1;
					r->v[f].i = id;
				}
				continue;
			}
			if (value_parse(fd, txt, n, a, &r->v[f], &ce)) {
				imp_problem(&c, row->row, h->cells[j], ce.msg);
				bad = cellbad = 1;
			}
		}
		if (!cellbad) {
			for (i = 0; i < nfields; i++) {
				const cf_field *fd = &ent->fields[i];
				if ((fd->flags & F_REQUIRED) && !r->v[i].present) {
					snprintf(msg, sizeof msg, "%s (%s) is required", fd->name, fd->zh);
					imp_problem(&c, row->row, h->cells[colof[i]], msg);
					bad = 1;
				}
			}
		}
		/* references, industry codes, unique values: each bad cell on its own */
		for (i = 0; i < nfields; i++) {
			const cf_field *fd = &ent->fields[i];
			if (!r->v[i].present || colof[i] < 0)
				continue;
			if (fd->type == FT_REF || fd->type == FT_IDLIST || fd->type == FT_INDUSTRY) {
				/* values already found good in this file need no second look-up */
				const char *key = value_format(fd, &r->v[i], a);
				if (key && imp_set_has(&refok[i], key))
					continue;
				if ((rc = imp_check_ref(s, r, i, a, &ce)) == 0 && key)
					imp_set_add(&refok[i], key, row->row);
				if (rc) {
					if (rc != CF_EINVAL) {
						*e = ce;
						goto done;
					}
					rc = 0;
					imp_problem(&c, row->row, h->cells[colof[i]], ce.msg);
					bad = 1;
				}
			}
			if (fd->flags & F_UNIQUE) {
				const char *key = value_format(fd, &r->v[i], a);
				size_t prev = key ? imp_set_add(&uniq[i], key, row->row) : 0;
				int64_t id;
				if (prev) {
					snprintf(msg, sizeof msg, "%s: %s is already in row %zu of this file", fd->name, key, prev);
					imp_problem(&c, row->row, h->cells[colof[i]], msg);
					bad = 1;
				} else if (!is_ind && key) {
					rc = store_find(s, ent, fd->name, key, &id, &ce);
					if (rc == 0) {
						snprintf(msg, sizeof msg, "%s: %s is already taken by %s %lld", fd->name, key,
							 ent->name, (long long)id);
						imp_problem(&c, row->row, h->cells[colof[i]], msg);
						bad = 1;
					} else if (rc != CF_ENOTFOUND) {
						*e = ce;
						goto done;
					}
					rc = 0;
				}
			}
		}
		if (is_ind && !cellbad)
			imp_industry_checks(&c, r, row->row, colof, h->cells, &uniq[0], s, &bad);
		good[k] = !bad;
		if (bad)
			nbad++;
		if (c.oom) {
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto done;
		}
	}
	if (progress)
		progress(pctx, ndata, ndata);

	/* write: nothing when a row is bad (unless partial), else one transaction */
	if (nbad && !partial)
		goto done; /* rolls back: nothing written */
	if (ndata - nbad >= IMPORT_BULK_MIN_ROWS) {
		int64_t have = 0;
		if ((rc = store_count(s, ent, who, &have, e)) != 0 ||
		    ((size_t)have <= ndata - nbad && (rc = store_bulk_begin(s, ent, e)) != 0))
			goto done;
	}
	for (k = 0; k < ndata;) {
		int64_t id;
		if (!good[k]) {
			k++;
			continue;
		}
		if (is_ind) {
			if (store_find(s, ent, "code", recs[k].v[0].s, &id, &ce) == 0) {
				recs[k].id = id;
				rc = store_update(s, &recs[k], &ce);
				if (!rc)
					updated++;
			} else {
				rc = store_insert(s, &recs[k], &ce);
			}
		} else {
			/* the run of good rows from k: many rows per statement; on a failure k is
			 * left at the row that failed, the rows before it written */
			size_t m = 1, done = 0;
			while (k + m < ndata && good[k + m])
				m++;
			rc = store_insert_many(s, &recs[k], m, &done, &ce);
			written += done;
			k += done;
			if (!rc)
				continue;
		}
		if (rc) {
			/* a conflict the checks above could not see: report it at its row */
			char col[64] = "";
			if (ce.where[0] && schema_field(ent, ce.where) >= 0 && colof[schema_field(ent, ce.where)] >= 0)
				snprintf(col, sizeof col, "%s", h->cells[colof[schema_field(ent, ce.where)]]);
			imp_problem(&c, t.rows[k + 1].row, col[0] ? col : NULL, ce.msg);
			good[k] = 0;
			nbad++;
			if (!partial || (rc != CF_ECONFLICT && rc != CF_EINVAL)) {
				store_rollback(s);
				in_tx = 0;
				written = updated = 0;
				if (rc != CF_ECONFLICT && rc != CF_EINVAL)
					*e = ce;
				else
					rc = 0;
				goto done;
			}
			rc = 0;
			k++;
			continue;
		}
		written++;
		k++;
	}
	/* store_commit rebuilds the indexes a bulk load dropped, or rolls back */
	if ((rc = store_commit(s, e)) != 0) {
		store_rollback(s);
		written = updated = 0;
	} else if (written + updated) {
		/* the rows went into the match journal (040_match_journal); keep it bounded */
		cf_err te;
		memset(&te, 0, sizeof te);
		if (match_journal_trim(s, &te))
			log_warn("import: match journal not trimmed (%s)", te.msg);
	}
	in_tx = 0;
done:
	if (in_tx)
		store_rollback(s);
	rep->rows = ndata;
	rep->imported = written;
	rep->updated = updated;
	rep->rejected = nbad;
	if (c.nprobs) {
		rep->problems = arena_alloc(a, c.nprobs * sizeof *rep->problems);
		if (rep->problems) {
			memcpy(rep->problems, c.probs, c.nprobs * sizeof *c.probs);
			rep->nproblems = c.nprobs;
		}
	}
	free(c.probs);
	return rc;
}

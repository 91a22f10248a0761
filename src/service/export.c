/*
 * export — registry rows as CSV or XLSX, page by page from the store (see export.h).
 */
#include "service/export.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/csv.h"
#include "model/value.h"

#define EXPORT_PAGE 1000

typedef int (*export_row_fn)(void *ctx, const cf_record *r, arena *a, cf_err *e);

/* Calls fn for every row of ent visible to who, in id order. */
static int export_each(store *s, const cf_viewer *who, const cf_entity *ent, export_row_fn fn, void *ctx,
		       size_t *nrows, cf_err *e)
{
	arena *a = NULL, *prev = NULL;
	store_query q;
	store_page page;
	const char *cursor = NULL;
	size_t i, n = 0;
	int rc = 0;

	do {
		if (!(a = arena_create())) {
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			break;
		}
		memset(&q, 0, sizeof q);
		q.sort_field = -1;
		q.limit = EXPORT_PAGE;
		q.cursor = cursor;
		q.who = who;
		if ((rc = store_list(s, ent, &q, a, &page, e)) != 0)
			break;
		for (i = 0; i < page.n && !rc; i++, n++)
			rc = fn(ctx, &page.rows[i], a, e);
		/* the cursor lives in this page's arena: keep it until the next page is read */
		arena_free(prev);
		prev = a;
		a = NULL;
		cursor = page.next_cursor;
	} while (!rc && cursor && page.n);
	arena_free(a);
	arena_free(prev);
	if (!rc && nrows)
		*nrows = n;
	return rc;
}

typedef struct csv_ctx {
	FILE *out;
	buf b;
	const char **cells;
} csv_ctx;

static int export_csv_row(void *ctx, const cf_record *r, arena *a, cf_err *e)
{
	csv_ctx *c = ctx;
	size_t i, nf = r->ent->nfields;
	for (i = 0; i < nf; i++)
		if (!(c->cells[i] = value_format(&r->ent->fields[i], &r->v[i], a)))
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	c->cells[nf] = r->synthetic ? "1" : "0";
	buf_reset(&c->b);
	if (csv_write_row(&c->b, c->cells, NULL, nf + 1))
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if (fwrite(c->b.p, 1, c->b.len, c->out) != c->b.len)
		return cf_err_set(e, CF_EIO, NULL, "write failed");
	return 0;
}

int export_csv(store *s, const cf_viewer *who, const cf_entity *ent, FILE *out, size_t *nrows, cf_err *e)
{
	csv_ctx c = {out, {0}, NULL};
	size_t i;
	int rc;
	buf_init(&c.b, 0);
	c.cells = calloc(ent->nfields + 1, sizeof *c.cells);
	if (!c.cells)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < ent->nfields; i++)
		c.cells[i] = ent->fields[i].name;
	c.cells[i] = "synthetic";
	if (csv_write_row(&c.b, c.cells, NULL, ent->nfields + 1) || fwrite(c.b.p, 1, c.b.len, out) != c.b.len) {
		rc = cf_err_set(e, CF_EIO, NULL, "write failed");
		goto fail;
	}
	rc = export_each(s, who, ent, export_csv_row, &c, nrows, e);
	if (!rc && fflush(out))
		rc = cf_err_set(e, CF_EIO, NULL, "write failed");
fail:
	buf_free(&c.b);
	free(c.cells);
	return rc;
}

typedef struct xlsx_ctx {
	lxw_worksheet *ws;
	lxw_row_t row;
} xlsx_ctx;

static int export_xlsx_row(void *ctx, const cf_record *r, arena *a, cf_err *e)
{
	xlsx_ctx *c = ctx;
	size_t i, nf = r->ent->nfields;
	c->row++;
	for (i = 0; i < nf; i++) {
		const char *t = value_format(&r->ent->fields[i], &r->v[i], a);
		if (!t)
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		if (*t && worksheet_write_string(c->ws, c->row, (lxw_col_t)i, t, NULL) != LXW_NO_ERROR)
			return cf_err_set(e, CF_EIO, NULL, "xlsx: cannot write row %u", (unsigned)c->row);
	}
	worksheet_write_string(c->ws, c->row, (lxw_col_t)nf, r->synthetic ? "1" : "0", NULL);
	return 0;
}

static const char *export_type_name(field_type t)
{
	static const char *const names[] = {"text", "integer", "money (yuan)", "date", "yes/no", "choice",
					    "percent", "uscc", "industry code", "county", "row id", "row ids"};
	return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "";
}

int export_xlsx(store *s, const cf_viewer *who, const cf_entity *ent, const char *path, size_t *nrows, cf_err *e)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws, *wf;
	lxw_format *bold;
	xlsx_ctx c;
	size_t i;
	lxw_error le;
	int rc;
	char colname[8];

	if (!wb)
		return cf_err_set(e, CF_EIO, path, "cannot create the XLSX file");
	ws = workbook_add_worksheet(wb, ent->zh);
	wf = workbook_add_worksheet(wb, "fields");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (i = 0; i < ent->nfields; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, ent->fields[i].zh, bold);
	worksheet_write_string(ws, 0, (lxw_col_t)ent->nfields, "合成数据", bold);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_write_string(wf, 0, 0, "列 column", bold);
	worksheet_write_string(wf, 0, 1, "中文 label", bold);
	worksheet_write_string(wf, 0, 2, "field", bold);
	worksheet_write_string(wf, 0, 3, "type", bold);
	worksheet_write_string(wf, 0, 4, "required", bold);
	for (i = 0; i <= ent->nfields; i++) {
		int last = i == ent->nfields;
		lxw_row_t r = (lxw_row_t)(i + 1);
		lxw_col_t col = (lxw_col_t)i;
		size_t o = 0;
		char tmp[8];
		/* spreadsheet column letters: A..Z, AA.. */
		do {
			tmp[o++] = (char)('A' + col % 26);
			col = col / 26;
		} while (col-- > 0 && o < sizeof tmp - 1);
		for (size_t k = 0; k < o; k++)
			colname[k] = tmp[o - 1 - k];
		colname[o] = 0;
		worksheet_write_string(wf, r, 0, colname, NULL);
		worksheet_write_string(wf, r, 1, last ? "合成数据" : ent->fields[i].zh, NULL);
		worksheet_write_string(wf, r, 2, last ? "synthetic" : ent->fields[i].name, NULL);
		worksheet_write_string(wf, r, 3, last ? "yes/no" : export_type_name(ent->fields[i].type), NULL);
		worksheet_write_string(wf, r, 4, !last && (ent->fields[i].flags & F_REQUIRED) ? "yes" : "no", NULL);
	}
	c.ws = ws;
	c.row = 0;
	rc = export_each(s, who, ent, export_xlsx_row, &c, nrows, e);
	le = workbook_close(wb);
	if (!rc && le != LXW_NO_ERROR)
		rc = cf_err_set(e, CF_EIO, path, "cannot write the XLSX file: %s", lxw_strerror(le));
	return rc;
}

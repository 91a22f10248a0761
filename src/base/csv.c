/*
 * csv — RFC 4180 reader and writer over libcsv, with encoding detection (see csv.h).
 */
#include "base/csv.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "base/path.h"
#include "base/utf8.h"

/* State of one parse: cells of the current record, records so far (malloc'd, moved into
 * the arena at the end). */
typedef struct csv_state {
	arena *a;
	char **cells;
	size_t *lens;
	size_t ncells, capcells;
	csv_row *rows;
	size_t nrows, caprows;
	size_t recno;  /* records seen, blank lines included */
	int last_term; /* the character that ended the previous record, -1 at the start */
	int oom;
} csv_state;

static void csv__cell(void *s, size_t len, void *ctx)
{
	csv_state *st = ctx;
	char *copy;
	if (st->oom)
		return;
	if (st->ncells == st->capcells) {
		size_t nc = st->capcells ? st->capcells * 2 : 16;
		char **c = realloc(st->cells, nc * sizeof *c);
		size_t *l;
		if (!c) {
			st->oom = 1;
			return;
		}
		st->cells = c;
		l = realloc(st->lens, nc * sizeof *l);
		if (!l) {
			st->oom = 1;
			return;
		}
		st->lens = l;
		st->capcells = nc;
	}
	copy = arena_strndup(st->a, s ? s : "", s ? len : 0);
	if (!copy) {
		st->oom = 1;
		return;
	}
	st->cells[st->ncells] = copy;
	st->lens[st->ncells] = s ? len : 0;
	st->ncells++;
}

static void csv__row(int c, void *ctx)
{
	csv_state *st = ctx;
	csv_row *r;
	int prev = st->last_term;
	st->last_term = c;
	/* with CSV_REPALL_NL every unquoted CR and LF ends a record: the LF of a CRLF pair ends
	 * nothing new */
	if (c == '\n' && prev == '\r' && st->ncells == 0)
		return;
	st->recno++;
	if (st->oom)
		return;
	/* a blank line arrives as one empty cell: skip it, keep counting */
	if (st->ncells == 0 || (st->ncells == 1 && st->lens[0] == 0)) {
		st->ncells = 0;
		return;
	}
	if (st->nrows == st->caprows) {
		size_t nc = st->caprows ? st->caprows * 2 : 64;
		csv_row *nr = realloc(st->rows, nc * sizeof *nr);
		if (!nr) {
			st->oom = 1;
			return;
		}
		st->rows = nr;
		st->caprows = nc;
	}
	r = &st->rows[st->nrows];
	r->row = st->recno;
	r->ncells = st->ncells;
	r->cells = arena_alloc(st->a, st->ncells * sizeof *r->cells);
	r->lens = arena_alloc(st->a, st->ncells * sizeof *r->lens);
	if (!r->cells || !r->lens) {
		st->oom = 1;
		return;
	}
	memcpy(r->cells, st->cells, st->ncells * sizeof *r->cells);
	memcpy(r->lens, st->lens, st->ncells * sizeof *r->lens);
	st->nrows++;
	st->ncells = 0;
}

/* Converts GB18030 text to UTF-8 into b. On an invalid sequence returns CF_EINVAL with
 * *bad = its byte offset. */
static int csv__from_gb18030(const char *s, size_t n, buf *b, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char out[4096];
	char *in = (char *)s;
	size_t inleft = n;
	int rc = 0;
	if (cd == (iconv_t)-1)
		return CF_EIO;
	while (inleft) {
		char *o = out;
		size_t oleft = sizeof out;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		if (o > out && (rc = buf_append(b, out, (size_t)(o - out))) != 0)
			break;
		if (r == (size_t)-1 && errno != E2BIG) {
			*bad = (size_t)(in - s);
			rc = CF_EINVAL;
			break;
		}
	}
	iconv_close(cd);
	return rc;
}

int csv_read_mem(const char *data, size_t n, const char *name, arena *a, csv_table *out, cf_err *e)
{
	struct csv_parser p;
	csv_state st = {0};
	buf conv;
	const char *text = data, *enc = "UTF-8";
	size_t len = n, bad = 0, done;
	int rc = 0;

	buf_init(&conv, 0);
	st.a = a;
	st.last_term = -1;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
		enc = "UTF-8 (BOM)";
	}
	if (!utf8_valid(text, len, &bad)) {
		size_t gbad = 0;
		int crc = csv__from_gb18030(data, n, &conv, &gbad);
		if (crc == CF_EINVAL) {
			rc = cf_err_set(e, CF_EINVAL, name,
					"not valid UTF-8 (byte %zu) nor GBK/GB18030 (byte %zu); save the file as UTF-8",
					bad + (size_t)(text - data), gbad);
			goto fail;
		}
		if (crc) {
			rc = cf_err_set(e, crc, name, "could not convert the file from GB18030");
			goto fail;
		}
		text = conv.p ? conv.p : "";
		len = conv.len;
		enc = "GB18030";
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
		rc = cf_err_set(e, CF_ENOMEM, name, "out of memory");
		goto fail;
	}
	done = csv_parse(&p, text, len, csv__cell, csv__row, &st);
	if (done != len || csv_fini(&p, csv__cell, csv__row, &st) != 0) {
		char where[256];
		snprintf(where, sizeof where, "%s:%zu", name ? name : "", st.recno + 1);
		rc = cf_err_set(e, CF_EINVAL, where, "malformed CSV near byte %zu: %s (a quote inside a cell must be doubled)",
				done, csv_strerror(csv_error(&p)));
		csv_free(&p);
		goto fail;
	}
	csv_free(&p);
	if (st.oom) {
		rc = cf_err_set(e, CF_ENOMEM, name, "out of memory");
		goto fail;
	}
	out->rows = arena_alloc(a, (st.nrows ? st.nrows : 1) * sizeof *out->rows);
	if (!out->rows) {
		rc = cf_err_set(e, CF_ENOMEM, name, "out of memory");
		goto fail;
	}
	if (st.nrows)
		memcpy(out->rows, st.rows, st.nrows * sizeof *st.rows);
	out->nrows = st.nrows;
	out->encoding = enc;
fail:
	free(st.cells);
	free(st.lens);
	free(st.rows);
	buf_free(&conv);
	return rc;
}

int csv_read_file(const char *path, size_t max, arena *a, csv_table *out, cf_err *e)
{
	buf b;
	int rc;
	buf_init(&b, max ? max : CSV_MAX_FILE);
	rc = path_read_file(path, &b, e);
	if (rc == CF_ETOOBIG)
		rc = cf_err_set(e, CF_ETOOBIG, path, "file is larger than %zu bytes", max ? max : (size_t)CSV_MAX_FILE);
	if (!rc)
		rc = csv_read_mem(b.p ? b.p : "", b.len, path, a, out, e);
	buf_free(&b);
	return rc;
}

int csv_write_row(buf *b, const char *const *cells, const size_t *lens, size_t n)
{
	size_t i, j, len;
	int rc;
	for (i = 0; i < n; i++) {
		const char *c = cells[i] ? cells[i] : "";
		int quote = 0;
		len = lens ? lens[i] : strlen(c);
		if (i && (rc = buf_putc(b, ',')) != 0)
			return rc;
		for (j = 0; j < len; j++)
			if (c[j] == ',' || c[j] == '"' || c[j] == '\r' || c[j] == '\n')
				quote = 1;
		if (len && (c[0] == ' ' || c[0] == '\t' || c[len - 1] == ' ' || c[len - 1] == '\t'))
			quote = 1;
		if (!quote) {
			if ((rc = buf_append(b, c, len)) != 0)
				return rc;
			continue;
		}
		if ((rc = buf_putc(b, '"')) != 0)
			return rc;
		for (j = 0; j < len; j++) {
			if (c[j] == '"' && (rc = buf_putc(b, '"')) != 0)
				return rc;
			if ((rc = buf_putc(b, c[j])) != 0)
				return rc;
		}
		if ((rc = buf_putc(b, '"')) != 0)
			return rc;
	}
	return buf_append(b, "\r\n", 2);
}

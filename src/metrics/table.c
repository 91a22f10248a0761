/* table — numeric CSV tables through libcsv; see table.h. */
#include "metrics/table.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_MAX_CELLS 20000000

struct pstate {
	metrics_table *t;
	const char *name;
	cf_err *e;
	int rc;
	size_t row, col;   /* 1-based row in the file, 0-based field index */
	size_t cap;        /* capacity of x in cells */
	size_t idcap;
	int have_id;       /* ids[rows] holds the current row's label, not yet committed */
};

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static void fail_at(struct pstate *s, int code, const char *fmt, const char *what)
{
	char where[320];
	if (s->rc)
		return;
	snprintf(where, sizeof where, "%s:%zu:%zu", s->name, s->row, s->col + 1);
	s->rc = cf_err_set(s->e, code, where, fmt, what);
}

static void on_field(void *data, size_t n, void *ud)
{
	struct pstate *s = ud;
	metrics_table *t = s->t;
	const char *f = data;

	if (s->rc)
		return;
	if (s->row == 1) {
		char *d = dupn(f, n);
		if (!d)
			return fail_at(s, CF_ENOMEM, "%s", "out of memory");
		if (s->col == 0) {
			t->id_name = d;
		} else {
			char **nn = realloc(t->names, (t->cols + 1) * sizeof *nn);
			if (!nn) {
				free(d);
				return fail_at(s, CF_ENOMEM, "%s", "out of memory");
			}
			t->names = nn;
			t->names[t->cols++] = d;
		}
	} else if (s->col == 0) {
		char *d = dupn(f, n);
		if (!d)
			return fail_at(s, CF_ENOMEM, "%s", "out of memory");
		if (t->rows >= s->idcap) {
			size_t nc = s->idcap ? s->idcap * 2 : 16;
			char **ni = realloc(t->ids, nc * sizeof *ni);
			if (!ni) {
				free(d);
				return fail_at(s, CF_ENOMEM, "%s", "out of memory");
			}
			t->ids = ni;
			s->idcap = nc;
		}
		t->ids[t->rows] = d;
		s->have_id = 1;
	} else {
		char tmp[64], *end;
		double v;
		size_t k = t->rows * t->cols + (s->col - 1);
		if (s->col > t->cols)
			return fail_at(s, CF_EINVAL, "%s", "more fields than the header has");
		while (n && (*f == ' ' || *f == '\t'))
			f++, n--;
		while (n && (f[n - 1] == ' ' || f[n - 1] == '\t'))
			n--;
		if (n == 0 || n >= sizeof tmp)
			return fail_at(s, CF_EINVAL, "%s", n ? "number too long" : "empty cell where a number is needed");
		memcpy(tmp, f, n);
		tmp[n] = '\0';
		errno = 0;
		v = strtod(tmp, &end);
		if (*end || errno == ERANGE || !isfinite(v)) {
			char msg[96];
			snprintf(msg, sizeof msg, "\"%s\" is not a number", tmp);
			return fail_at(s, CF_EINVAL, "%s", msg);
		}
		if (k >= TABLE_MAX_CELLS)
			return fail_at(s, CF_ETOOBIG, "%s", "more than 20,000,000 cells");
		if (k >= s->cap) {
			size_t nc = s->cap ? s->cap * 2 : 256;
			double *nx = realloc(t->x, nc * sizeof *nx);
			if (!nx)
				return fail_at(s, CF_ENOMEM, "%s", "out of memory");
			t->x = nx;
			s->cap = nc;
		}
		t->x[k] = v;
	}
	s->col++;
}

static void on_row(int c, void *ud)
{
	struct pstate *s = ud;
	if (s->rc)
		goto drop;
	if (s->row == 1) {
		if (s->t->cols == 0)
			fail_at(s, CF_EINVAL, "%s", "the header needs an id column and at least one value column");
	} else if (s->col == 1 && s->t->cols > 0) {
		/* a lone field: a blank line ends up here only if it has content */
		s->col = 1;
		fail_at(s, CF_EINVAL, "%s", "row has only an id and no values");
	} else if (s->col != s->t->cols + 1) {
		fail_at(s, CF_EINVAL, "%s", "row has a different number of fields than the header");
	} else {
		s->t->rows++;
		s->have_id = 0;
	}
	s->row++;
	s->col = 0;
drop:
	if (s->have_id) {
		free(s->t->ids[s->t->rows]);
		s->have_id = 0;
	}
}

int metrics_table_parse(const char *p, size_t len, const char *name, metrics_table *t, cf_err *e)
{
	struct csv_parser cp;
	struct pstate s = {0};
	metrics_table tmp = {0};

	if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3, len -= 3; /* spreadsheet BOM */
	s.t = &tmp;
	s.name = name;
	s.e = e;
	s.row = 1;
	if (csv_init(&cp, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0)
		return cf_err_set(e, CF_ENOMEM, name, "out of memory");
	if (csv_parse(&cp, p, len, on_field, on_row, &s) != len && !s.rc) {
		char where[320];
		snprintf(where, sizeof where, "%s:%zu:%zu", name, s.row, s.col + 1);
		s.rc = cf_err_set(e, CF_EINVAL, where, "CSV syntax: %s", csv_strerror(csv_error(&cp)));
	}
	if (csv_fini(&cp, on_field, on_row, &s) != 0 && !s.rc) {
		char where[320];
		snprintf(where, sizeof where, "%s:%zu:%zu", name, s.row, s.col + 1);
		s.rc = cf_err_set(e, CF_EINVAL, where, "CSV syntax: %s", csv_strerror(csv_error(&cp)));
	}
	csv_free(&cp);
	if (!s.rc && tmp.cols == 0)
		s.rc = cf_err_set(e, CF_EINVAL, name, "empty file: a header row is needed");
	if (!s.rc && tmp.rows == 0)
		s.rc = cf_err_set(e, CF_EINVAL, name, "no data rows after the header");
	if (s.rc) {
		if (s.have_id)
			free(tmp.ids[tmp.rows]);
		metrics_table_free(&tmp);
		return s.rc;
	}
	*t = tmp;
	return 0;
}

void metrics_table_free(metrics_table *t)
{
	size_t i;
	for (i = 0; i < t->cols; i++)
		free(t->names[i]);
	for (i = 0; i < t->rows; i++)
		free(t->ids[i]);
	free(t->names);
	free(t->ids);
	free(t->id_name);
	free(t->x);
	memset(t, 0, sizeof *t);
}

int metrics_table_col(const metrics_table *t, const char *name, size_t len)
{
	size_t i;
	for (i = 0; i < t->cols; i++)
		if (strlen(t->names[i]) == len && !memcmp(t->names[i], name, len))
			return (int)i;
	return -1;
}

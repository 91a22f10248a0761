/*
 * io_table — loading NBS input–output tables and the Leontief analysis over them.
 */
#include "chain/io_table.h"

#include <errno.h>
#include <lapacke.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/path.h"
#include "chain/csvrow.h"

static int is_sector_code(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int parse_num(const char *s, double *out)
{
	char *end;
	double v;
	if (!*s) {
		*out = 0;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

void io_table_free(io_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n; i++) {
		if (t->code)
			free(t->code[i]);
		if (t->name_en)
			free(t->name_en[i]);
		if (t->name_zh)
			free(t->name_zh[i]);
	}
	free(t->code);
	free(t->name_en);
	free(t->name_zh);
	free(t->z);
	free(t->x);
	memset(t, 0, sizeof *t);
}

int io_table_load(const char *path, io_table *out, cf_err *e)
{
	buf b;
	chain_csv c;
	io_table t;
	int rc, first = -1, n = 0, origin = -1, rows = 0, have_ti = 0;
	int colmap[CHAIN_CSV_MAXCOLS];
	char where[300];

	memset(&t, 0, sizeof t);
	buf_init(&b, 64u << 20);
	if ((rc = path_read_file(path, &b, e)) < 0)
		goto fail;
	chain_csv_init(&c, (char *)buf_cstr(&b), path);
	rc = chain_csv_next(&c, e);
	if (rc <= 0) {
		rc = rc < 0 ? rc : cf_err_set(e, CF_EINVAL, path, "empty table");
		goto fail;
	}
	if (c.ncols < 4 || strcmp(c.col[0], "Code") != 0) {
		snprintf(where, sizeof where, "%s:1:1", path);
		rc = cf_err_set(e, CF_EINVAL, where, "header must start with Code,Description,DescriptionInChinese");
		goto fail;
	}
	for (int j = 0; j < c.ncols; j++) {
		colmap[j] = -1;
		if (!strcmp(c.col[j], "Origin"))
			origin = j;
		else if (j >= 3 && is_sector_code(c.col[j])) {
			if (first < 0)
				first = j;
			colmap[j] = n++;
		}
	}
	if (n == 0) {
		snprintf(where, sizeof where, "%s:1", path);
		rc = cf_err_set(e, CF_EINVAL, where, "no sector columns (numeric codes) in the header");
		goto fail;
	}
	t.n = n;
	t.noncompetitive = origin >= 0;
	t.code = calloc((size_t)n, sizeof *t.code);
	t.name_en = calloc((size_t)n, sizeof *t.name_en);
	t.name_zh = calloc((size_t)n, sizeof *t.name_zh);
	t.z = calloc((size_t)n * (size_t)n, sizeof *t.z);
	t.x = calloc((size_t)n, sizeof *t.x);
	if (!t.code || !t.name_en || !t.name_zh || !t.z || !t.x) {
		rc = cf_err_set(e, CF_ENOMEM, path, "out of memory");
		goto fail;
	}
	for (int j = 0; j < c.ncols; j++)
		if (colmap[j] >= 0 && !(t.code[colmap[j]] = strdup(c.col[j]))) {
			rc = cf_err_set(e, CF_ENOMEM, path, "out of memory");
			goto fail;
		}
	while ((rc = chain_csv_next(&c, e)) == 1) {
		int is_ti = !strcmp(c.col[0], "TI"), i = -1;
		if (!is_ti) {
			if (origin >= 0 && (c.ncols <= origin || strcmp(c.col[origin], "Domestic") != 0))
				continue;
			for (int k = 0; k < n; k++)
				if (!strcmp(t.code[k], c.col[0])) {
					i = k;
					break;
				}
			if (i < 0)
				continue;
			if (t.name_en[i]) {
				snprintf(where, sizeof where, "%s:%ld:1", path, c.row);
				rc = cf_err_set(e, CF_EINVAL, where, "sector %s appears twice", c.col[0]);
				goto fail;
			}
			if (!(t.name_en[i] = strdup(c.col[1])) || !(t.name_zh[i] = strdup(c.col[2]))) {
				rc = cf_err_set(e, CF_ENOMEM, path, "out of memory");
				goto fail;
			}
			rows++;
		} else
			have_ti = 1;
		for (int j = 0; j < c.ncols; j++) {
			double v;
			if (colmap[j] < 0)
				continue;
			if (parse_num(c.col[j], &v) < 0) {
				snprintf(where, sizeof where, "%s:%ld:%d", path, c.row, j + 1);
				rc = cf_err_set(e, CF_EINVAL, where, "not a number: \"%.40s\"", c.col[j]);
				goto fail;
			}
			if (is_ti)
				t.x[colmap[j]] = v;
			else
				t.z[(size_t)i * (size_t)n + (size_t)colmap[j]] = v;
		}
	}
	if (rc < 0)
		goto fail;
	if (rows != n || !have_ti) {
		rc = cf_err_set(e, CF_EINVAL, path, "table has %d of %d sector rows%s", rows, n,
				have_ti ? "" : " and no TI (total input) row");
		goto fail;
	}
	buf_free(&b);
	*out = t;
	return 0;
fail:
	buf_free(&b);
	io_table_free(&t);
	return rc;
}

void io_result_free(io_result *r)
{
	if (!r)
		return;
	free(r->a);
	free(r->l);
	free(r->bl);
	free(r->fl);
	free(r->key);
	memset(r, 0, sizeof *r);
}

int io_analyze(const io_table *t, io_result *out, cf_err *e)
{
	io_result r;
	size_t n = (size_t)t->n;
	double *m = NULL, total = 0;
	lapack_int *ipiv = NULL;
	int rc;

	memset(&r, 0, sizeof r);
	r.n = t->n;
	r.a = calloc(n * n, sizeof *r.a);
	r.l = calloc(n * n, sizeof *r.l);
	r.bl = calloc(n, sizeof *r.bl);
	r.fl = calloc(n, sizeof *r.fl);
	r.key = calloc(n, sizeof *r.key);
	m = calloc(n * n, sizeof *m);
	ipiv = calloc(n, sizeof *ipiv);
	if (!r.a || !r.l || !r.bl || !r.fl || !r.key || !m || !ipiv) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (size_t j = 0; j < n; j++)
		if (!(t->x[j] > 0)) {
			rc = cf_err_set(e, CF_EINVAL, t->code[j], "sector %s has no positive total input", t->code[j]);
			goto fail;
		}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			r.a[i * n + j] = t->z[i * n + j] / t->x[j];
			m[i * n + j] = (i == j) - r.a[i * n + j];
			r.l[i * n + j] = i == j;
		}
	/* Solve (I − A) L = I: LU with partial pivoting, n right-hand sides. */
	if (LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)n, m, (lapack_int)n, ipiv, r.l,
			  (lapack_int)n) != 0) {
		rc = cf_err_set(e, CF_EINVAL, NULL, "I - A is singular");
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double acc = 0;
			for (size_t k = 0; k < n; k++)
				acc += ((double)(i == k) - r.a[i * n + k]) * r.l[k * n + j];
			acc -= (double)(i == j);
			if (acc < 0)
				acc = -acc;
			if (acc > r.residual)
				r.residual = acc;
		}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			r.fl[i] += r.l[i * n + j];
			r.bl[j] += r.l[i * n + j];
			total += r.l[i * n + j];
		}
	/* Rasmussen: index = (sum of the column/row) / (average over all sectors of such sums). */
	for (size_t i = 0; i < n; i++) {
		r.bl[i] = r.bl[i] * (double)n / total;
		r.fl[i] = r.fl[i] * (double)n / total;
		r.key[i] = r.bl[i] > 1.0 && r.fl[i] > 1.0;
	}
	free(m);
	free(ipiv);
	*out = r;
	return 0;
fail:
	free(m);
	free(ipiv);
	io_result_free(&r);
	return rc;
}

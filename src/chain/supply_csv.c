/*
 * supply_csv — the standalone supply file (supplier,customer,input,grade,region,value) that
 * `chainfuse chain analyze` reads without a database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/money.h"
#include "base/path.h"
#include "chain/chain.h"
#include "chain/csvrow.h"

static int parse_grade(const char *s)
{
	if (!*s || !strcmp(s, "standard") || !strcmp(s, "标准"))
		return CHAIN_STANDARD;
	if (!strcmp(s, "high") || !strcmp(s, "高"))
		return CHAIN_HIGH;
	if (!strcmp(s, "low") || !strcmp(s, "低"))
		return CHAIN_LOW;
	return -1;
}

static int parse_region(const char *s)
{
	if (!*s || !strcmp(s, "domestic") || !strcmp(s, "国内"))
		return CHAIN_DOMESTIC;
	if (!strcmp(s, "local") || !strcmp(s, "本地"))
		return CHAIN_LOCAL;
	if (!strcmp(s, "foreign") || !strcmp(s, "国外") || !strcmp(s, "境外"))
		return CHAIN_FOREIGN;
	return -1;
}

int chain_load_csv(const char *path, chain_graph **out, cf_err *e)
{
	static const char *names[6] = {"supplier", "customer", "input", "grade", "region", "value"};
	int col[6] = {-1, -1, -1, -1, -1, -1};
	buf b;
	chain_csv c;
	chain_edge *ed = NULL;
	size_t m = 0, cap = 0;
	int rc;
	char where[300];

	buf_init(&b, 0);
	if ((rc = path_read_file(path, &b, e)) < 0)
		goto fail;
	chain_csv_init(&c, (char *)buf_cstr(&b), path);
	if ((rc = chain_csv_next(&c, e)) <= 0) {
		if (rc == 0)
			rc = cf_err_set(e, CF_EINVAL, path, "empty file: expected a header supplier,customer,input,grade,region,value");
		goto fail;
	}
	for (int j = 0; j < c.ncols; j++)
		for (int k = 0; k < 6; k++)
			if (!strcmp(c.col[j], names[k]))
				col[k] = j;
	for (int k = 0; k < 2; k++)
		if (col[k] < 0) {
			snprintf(where, sizeof where, "%s:1", path);
			rc = cf_err_set(e, CF_EINVAL, where, "header lacks the column %s", names[k]);
			goto fail;
		}
	while ((rc = chain_csv_next(&c, e)) == 1) {
		const char *f[6];
		chain_edge x;
		for (int k = 0; k < 6; k++)
			f[k] = col[k] >= 0 && col[k] < c.ncols ? c.col[col[k]] : "";
		x.supplier = f[0];
		x.customer = f[1];
		x.input = f[2];
		x.grade = parse_grade(f[3]);
		x.region = parse_region(f[4]);
		x.value = 0;
		if (!*f[0] || !*f[1]) {
			snprintf(where, sizeof where, "%s:%ld:%d", path, c.row, (*f[0] ? col[1] : col[0]) + 1);
			rc = cf_err_set(e, CF_EINVAL, where, "empty %s", *f[0] ? "customer" : "supplier");
			goto fail;
		}
		if (!strcmp(f[0], f[1])) {
			snprintf(where, sizeof where, "%s:%ld:%d", path, c.row, col[1] + 1);
			rc = cf_err_set(e, CF_EINVAL, where, "firm %s supplies itself", f[0]);
			goto fail;
		}
		if (x.grade < 0) {
			snprintf(where, sizeof where, "%s:%ld:%d", path, c.row, col[3] + 1);
			rc = cf_err_set(e, CF_EINVAL, where, "grade must be high, standard or low, not \"%.40s\"", f[3]);
			goto fail;
		}
		if (x.region < 0) {
			snprintf(where, sizeof where, "%s:%ld:%d", path, c.row, col[4] + 1);
			rc = cf_err_set(e, CF_EINVAL, where, "region must be local, domestic or foreign, not \"%.40s\"", f[4]);
			goto fail;
		}
		if (*f[5]) {
			cf_err sub;
			if (money_parse(f[5], strlen(f[5]), &x.value, &sub) < 0 || x.value < 0) {
				snprintf(where, sizeof where, "%s:%ld:%d", path, c.row, col[5] + 1);
				rc = cf_err_set(e, CF_EINVAL, where, "value must be a non-negative amount in yuan, not \"%.40s\"", f[5]);
				goto fail;
			}
		}
		if (m == cap) {
			size_t nc = cap ? cap * 2 : 4096;
			chain_edge *ne = realloc(ed, nc * sizeof *ne);
			if (!ne) {
				rc = cf_err_set(e, CF_ENOMEM, path, "out of memory");
				goto fail;
			}
			ed = ne;
			cap = nc;
		}
		ed[m++] = x;
	}
	if (rc < 0)
		goto fail;
	rc = chain_graph_build(ed, m, out, e);
fail:
	free(ed);
	buf_free(&b);
	return rc;
}

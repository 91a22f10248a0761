/* Unit tests for src/metrics/figures.c and src/metrics/table.c over the shipped data file. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/path.h"
#include "metrics/figures.h"
#include "metrics/table.h"

static metrics_figures *load(void)
{
	char p[4096];
	metrics_figures *f = NULL;
	cf_err e;
	cr_assert_eq(path_data("paper_figures.json", p, sizeof p), 0);
	cr_assert_eq(metrics_figures_load(p, &f, &e), 0, "%s: %s", e.where, e.msg);
	return f;
}

static const metrics_derived *find(const metrics_derived *d, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(d[i].id, id))
			return &d[i];
	cr_assert_fail("no derived value %s", id);
	return NULL;
}

Test(metrics_figures, table1_average_value_added_recomputed)
{
	metrics_figures *f = load();
	metrics_derived *d;
	size_t n;
	const metrics_derived *w, *h, *nb;
	cr_assert_eq(metrics_figures_derive(f, &d, &n, NULL), 0);
	w = find(d, n, "table1.avg_value_added.温州");
	h = find(d, n, "table1.avg_value_added.杭州");
	nb = find(d, n, "table1.avg_value_added.宁波");
	/* 1921 亿元 / 79437 家 = 241.83 万元/家; the paper prints 241.9, which an unrounded value
	 * added in [1921.17, 1921.5) gives: consistent with the rounding of the inputs */
	cr_assert_float_eq(w->value, 19210000.0 / 79437, 1e-9);
	cr_assert_float_eq(round(w->value * 10) / 10, 241.8, 1e-9);
	cr_assert_float_eq(round(h->value * 10) / 10, 829.6, 1e-9);
	cr_assert_float_eq(round(nb->value * 10) / 10, 559.3, 1e-9);
	cr_assert(w->has_published && w->consistent);
	cr_assert(h->has_published && h->consistent);
	cr_assert(nb->has_published && nb->consistent);
	cr_assert_float_eq(w->published, 241.9, 1e-9);
	free(d);
	metrics_figures_free(f);
}

Test(metrics_figures, top_level_derived)
{
	metrics_figures *f = load();
	metrics_derived *d;
	size_t n;
	cr_assert_eq(metrics_figures_derive(f, &d, &n, NULL), 0);
	cr_assert_float_eq(find(d, n, "tech_sme_growth")->value, 12494.0 / 2652, 1e-12);
	cr_assert_float_eq(find(d, n, "subfund_avg")->value, 34.6 / 19, 1e-12);
	cr_assert_float_eq(find(d, n, "ip_financing_per_firm")->value, 1.9 / 12 * 10000, 1e-9);
	cr_assert_float_eq(find(d, n, "table1.above_scale_share.温州")->value, 4618.0 / 79437 * 100, 1e-9);
	free(d);
	metrics_figures_free(f);
}

Test(metrics_figures, facts_have_sections)
{
	metrics_figures *f = load();
	size_t n, i;
	const metrics_point *p = metrics_figures_facts(f, &n);
	int seen = 0;
	cr_assert_geq(n, 40);
	for (i = 0; i < n; i++) {
		cr_assert_neq(p[i].section[0], '\0');
		if (!strcmp(p[i].id, "rd_gdp_ratio")) {
			cr_assert_float_eq(p[i].value, 2.2, 1e-12);
			seen = 1;
		}
	}
	cr_assert(seen);
	metrics_figures_free(f);
}

Test(metrics_figures, bad_json_names_line_and_column)
{
	metrics_figures *f = NULL;
	cf_err e;
	cr_assert_eq(metrics_figures_load("/nonexistent/paper_figures.json", &f, &e), CF_EIO);
	cr_assert_null(f);
}

Test(metrics_table, parses_and_locates_errors)
{
	const char ok[] = "\xEF\xBB\xBFid,U1,U2\r\na,0.1,0.2\r\n\"b,c\",0.3, 0.4\r\n";
	const char bad[] = "id,U1,U2\na,0.1,0.2\nb,0.3,x\n";
	const char narrow[] = "id,U1,U2\na,0.1\n";
	metrics_table t;
	cf_err e;
	cr_assert_eq(metrics_table_parse(ok, sizeof ok - 1, "t.csv", &t, &e), 0, "%s %s", e.where, e.msg);
	cr_assert_eq(t.rows, 2);
	cr_assert_eq(t.cols, 2);
	cr_assert_str_eq(t.ids[1], "b,c");
	cr_assert_float_eq(t.x[3], 0.4, 1e-15);
	cr_assert_eq(metrics_table_col(&t, "U2", 2), 1);
	metrics_table_free(&t);
	cr_assert_eq(metrics_table_parse(bad, sizeof bad - 1, "t.csv", &t, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "t.csv:3:3");
	cr_assert_eq(metrics_table_parse(narrow, sizeof narrow - 1, "t.csv", &t, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "t.csv:2:3");
	{
		const char q[] = "id,U1\na,\"0.2\n";
		cr_assert_eq(metrics_table_parse(q, sizeof q - 1, "t.csv", &t, &e), CF_EINVAL);
		cr_assert_str_eq(e.msg, "CSV syntax: error parsing data while strict checking enabled");
	}
}

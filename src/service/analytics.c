/* analytics — registry-backed analytics use cases; see analytics.h. */
#include "service/analytics.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"

static double num(const char *s)
{
	char *end;
	double v;
	if (!s)
		return 0;
	errno = 0;
	v = strtod(s, &end);
	return end != s && *end == '\0' && errno == 0 ? v : 0;
}

static int64_t inum(const char *s)
{
	int64_t v;
	return num_parse_i64(s, &v) ? 0 : v;
}

/* ---- indicator table ---- */

#define BASE_COLS 11
static const char *base_names[BASE_COLS] = {
	"U1.enterprises", "U1.above_scale", "U1.output_value", "U1.value_added",
	"U2.rd_expense", "U2.tech_sme", "U2.high_tech", "U2.little_giant",
	"U2.platform_contracts", "U2.spinoffs", "U2.patents_transferred",
};

struct years {
	size_t n, cap;
	int *year;
	double (*v)[BASE_COLS];
	int synthetic;
	int fail;
};

static long find_year(const struct years *y, int year)
{
	for (size_t i = 0; i < y->n; i++)
		if (y->year[i] == year)
			return (long)i;
	return -1;
}

static int ent_row(void *ctx, int ncols, const char *const *c, const char *const *names)
{
	struct years *y = ctx;
	if (ncols < 10)
		return 1;
	if (y->n == y->cap) {
		size_t nc = y->cap ? y->cap * 2 : 16;
		int *ny = realloc(y->year, nc * sizeof *ny);
		double(*nv)[BASE_COLS];
		if (!ny)
			return y->fail = 1;
		y->year = ny;
		nv = realloc(y->v, nc * sizeof *nv);
		if (!nv)
			return y->fail = 1;
		y->v = nv;
		y->cap = nc;
	}
	y->year[y->n] = (int)inum(c[0]);
	memset(y->v[y->n], 0, sizeof y->v[y->n]);
	y->v[y->n][0] = num(c[1]);
	y->v[y->n][1] = num(c[2]);
	y->v[y->n][2] = num(c[3]) / 100; /* fen to yuan */
	y->v[y->n][3] = num(c[4]) / 100;
	y->v[y->n][4] = num(c[5]) / 100;
	y->v[y->n][5] = num(c[6]);
	y->v[y->n][6] = num(c[7]);
	y->v[y->n][7] = num(c[8]);
	if (inum(c[9]))
		y->synthetic = 1;
	y->n++;
	return 0;
}

static int plat_row(void *ctx, int ncols, const char *const *c, const char *const *names)
{
	struct years *y = ctx;
	long i = find_year(y, (int)inum(c[0]));
	if (ncols < 4 || i < 0)
		return 0;
	y->v[i][8] = num(c[1]) / 100;
	y->v[i][9] = num(c[2]);
	y->v[i][10] = num(c[3]);
	return 0;
}

struct series {
	size_t n, cap;
	char **name;
	int *year;
	double *value;
	int fail;
};

static int series_row(void *ctx, int ncols, const char *const *c, const char *const *names)
{
	struct series *s = ctx;
	if (ncols < 3 || !c[0])
		return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 32;
		char **nn = realloc(s->name, nc * sizeof *nn);
		int *ny;
		double *nv;
		if (!nn)
			return s->fail = 1;
		s->name = nn;
		ny = realloc(s->year, nc * sizeof *ny);
		if (!ny)
			return s->fail = 1;
		s->year = ny;
		nv = realloc(s->value, nc * sizeof *nv);
		if (!nv)
			return s->fail = 1;
		s->value = nv;
		s->cap = nc;
	}
	s->name[s->n] = strdup(c[0]);
	if (!s->name[s->n])
		return s->fail = 1;
	s->year[s->n] = (int)inum(c[1]);
	s->value[s->n] = num(c[2]);
	s->n++;
	return 0;
}

int analytics_indicators(store *db, metrics_table *out, int *synthetic, cf_err *e)
{
	struct years y = {0};
	struct series s = {0};
	metrics_table t = {0};
	size_t i, j, k, extra = 0, col;
	char **cand = NULL;
	int rc;

	rc = store_sql(db,
		       "SELECT year, COUNT(*), SUM(above_scale), SUM(COALESCE(output_value, 0)), SUM(COALESCE(value_added, 0)), "
		       "SUM(COALESCE(rd_expense, 0)), SUM(tech_sme), SUM(high_tech), SUM(little_giant), MAX(synthetic) "
		       "FROM enterprise_years GROUP BY year ORDER BY year",
		       NULL, 0, ent_row, &y, e);
	if (rc < 0 || y.fail) {
		rc = rc < 0 ? rc : cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	if (y.n == 0) {
		rc = cf_err_set(e, CF_ENOTFOUND, "enterprise_years", "no yearly enterprise data: nothing to build indicators from");
		goto done;
	}
	if ((rc = store_sql(db,
			    "SELECT year, SUM(local_contracts), SUM(spinoffs), SUM(patents_transferred) FROM platform_years "
			    "GROUP BY year ORDER BY year",
			    NULL, 0, plat_row, &y, e)) < 0)
		goto done;
	if ((rc = store_sql(db, "SELECT name, year, value FROM indicator_series ORDER BY name, year", NULL, 0, series_row, &s, e)) < 0)
		goto done;
	if (s.fail) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	/* series names covering every year, U1./U2. only */
	cand = calloc(s.n + 1, sizeof *cand);
	if (!cand) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	for (i = 0; i < s.n; i = j) {
		size_t covered = 0;
		for (j = i; j < s.n && !strcmp(s.name[j], s.name[i]); j++)
			if (find_year(&y, s.year[j]) >= 0)
				covered++;
		if (covered == y.n && (!strncmp(s.name[i], "U1.", 3) || !strncmp(s.name[i], "U2.", 3)))
			cand[extra++] = s.name[i];
	}
	t.rows = y.n;
	t.cols = BASE_COLS + extra;
	t.names = calloc(t.cols, sizeof *t.names);
	t.ids = calloc(t.rows, sizeof *t.ids);
	t.id_name = strdup("year");
	t.x = calloc(t.rows * t.cols, sizeof *t.x);
	if (!t.names || !t.ids || !t.id_name || !t.x) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	for (col = 0; col < t.cols; col++)
		if (!(t.names[col] = strdup(col < BASE_COLS ? base_names[col] : cand[col - BASE_COLS]))) {
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto done;
		}
	for (i = 0; i < y.n; i++) {
		char buf_[16];
		snprintf(buf_, sizeof buf_, "%d", y.year[i]);
		if (!(t.ids[i] = strdup(buf_))) {
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto done;
		}
		for (col = 0; col < BASE_COLS; col++)
			t.x[i * t.cols + col] = y.v[i][col];
	}
	for (k = 0; k < extra; k++)
		for (j = 0; j < s.n; j++)
			if (!strcmp(s.name[j], cand[k])) {
				long r = find_year(&y, s.year[j]);
				if (r >= 0)
					t.x[(size_t)r * t.cols + BASE_COLS + k] = s.value[j];
			}
	*synthetic = y.synthetic;
	*out = t;
	memset(&t, 0, sizeof t);
	rc = 0;
done:
	metrics_table_free(&t);
	free(cand);
	for (i = 0; i < s.n; i++)
		free(s.name[i]);
	free(s.name);
	free(s.year);
	free(s.value);
	free(y.year);
	free(y.v);
	return rc;
}

/* ---- ladder ---- */

struct obs {
	size_t n, cap;
	metrics_ladder_obs *o;
	int synthetic;
	int fail;
};

static int obs_row(void *ctx, int ncols, const char *const *c, const char *const *names)
{
	struct obs *b = ctx;
	int r;
	if (ncols < 8)
		return 1;
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		metrics_ladder_obs *no = realloc(b->o, nc * sizeof *no);
		if (!no)
			return b->fail = 1;
		b->o = no;
		b->cap = nc;
	}
	b->o[b->n].enterprise = inum(c[0]);
	b->o[b->n].year = (int32_t)inum(c[1]);
	b->o[b->n].flags = 0;
	for (r = 1; r < METRICS_RUNG_N; r++)
		if (inum(c[1 + r]))
			b->o[b->n].flags |= 1u << r;
	if (inum(c[7]))
		b->synthetic = 1;
	b->n++;
	return 0;
}

int analytics_ladder(store *db, int year, metrics_ladder_flows *f, int *synthetic, cf_err *e)
{
	struct obs b = {0};
	char y0[16], y1[16];
	const char *params[2] = {y0, y1};
	int rc;

	snprintf(y0, sizeof y0, "%d", year - 1);
	snprintf(y1, sizeof y1, "%d", year);
	rc = store_sql(db,
		       "SELECT enterprise_id, year, above_scale, tech_sme, high_tech, little_giant, leading, synthetic "
		       "FROM enterprise_years WHERE year IN (?, ?)",
		       params, 2, obs_row, &b, e);
	if (rc == 0 && b.fail)
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if (rc == 0)
		rc = metrics_ladder_flows_compute(b.o, b.n, year, f, e);
	if (rc == 0)
		*synthetic = b.synthetic;
	free(b.o);
	return rc < 0 ? rc : 0;
}

/* ---- platforms ---- */

struct plats {
	size_t n, cap;
	analytics_platform *p;
	int fail;
};

static int plat_assess_row(void *ctx, int ncols, const char *const *c, const char *const *names)
{
	struct plats *b = ctx;
	analytics_platform *q;
	if (ncols < 11)
		return 1;
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 64;
		analytics_platform *np = realloc(b->p, nc * sizeof *np);
		if (!np)
			return b->fail = 1;
		b->p = np;
		b->cap = nc;
	}
	q = &b->p[b->n];
	memset(q, 0, sizeof *q);
	q->in.id = inum(c[0]);
	snprintf(q->name, sizeof q->name, "%s", c[1] ? c[1] : "");
	q->in.function = metrics_platform_function_of(c[2]);
	q->in.stage = metrics_platform_stage_of(c[3]);
	q->support_fen = inum(c[4]);
	q->in.market_based = (int)inum(c[5]);
	q->in.ind[METRICS_PI_LOCAL_CONTRACTS] = num(c[6]) / 100;
	q->in.ind[METRICS_PI_SPINOFFS] = num(c[7]);
	q->in.ind[METRICS_PI_PATENTS_TRANSFERRED] = num(c[8]);
	q->in.ind[METRICS_PI_OWN_REVENUE_SHARE] = num(c[9]) / 10000;
	q->in.ind[METRICS_PI_CROSS_COUNTY] = num(c[10]);
	b->n++;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int analytics_platforms(store *db, int year, double market_threshold, analytics_platform **out, size_t *n, cf_err *e)
{
	struct plats b = {0};
	metrics_platform *in = NULL;
	metrics_platform_result *res = NULL;
	int64_t *sup = NULL, median = 0;
	char y[16];
	const char *params[1] = {y};
	size_t i;
	int rc;

	snprintf(y, sizeof y, "%d", year);
	rc = store_sql(db,
		       "SELECT p.id, p.name, p.positioning, p.stage, COALESCE(p.support, 0), COALESCE(p.market_based, 0), "
		       "y.local_contracts, y.spinoffs, y.patents_transferred, y.own_revenue_share, y.cross_county "
		       "FROM platforms p JOIN platform_years y ON y.platform_id = p.id WHERE y.year = ? ORDER BY p.id",
		       params, 1, plat_assess_row, &b, e);
	if (rc == 0 && b.fail)
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if (rc < 0)
		goto done;
	in = calloc(b.n ? b.n : 1, sizeof *in);
	res = calloc(b.n ? b.n : 1, sizeof *res);
	sup = calloc(b.n ? b.n : 1, sizeof *sup);
	if (!in || !res || !sup) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	for (i = 0; i < b.n; i++)
		sup[i] = b.p[i].support_fen;
	qsort(sup, b.n, sizeof *sup, cmp_i64);
	if (b.n)
		median = sup[b.n / 2];
	for (i = 0; i < b.n; i++) {
		b.p[i].in.support = b.p[i].support_fen >= median ? METRICS_PL_KEY : METRICS_PL_GENERAL;
		in[i] = b.p[i].in;
	}
	if ((rc = metrics_platform_assess(in, b.n, market_threshold, res, e)) < 0)
		goto done;
	for (i = 0; i < b.n; i++)
		b.p[i].r = res[i];
	*out = b.p;
	*n = b.n;
	b.p = NULL;
done:
	free(b.p);
	free(in);
	free(res);
	free(sup);
	return rc < 0 ? rc : 0;
}

/* ---- layout gap ---- */

struct chains {
	size_t n, cap;
	analytics_gap *g;
	char (*codes)[400];
	int64_t *id;
	int fail;
};

static int chain_row(void *ctx, int ncols, const char *const *c, const char *const *names)
{
	struct chains *b = ctx;
	if (ncols < 4)
		return 1;
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 16;
		analytics_gap *ng = realloc(b->g, nc * sizeof *ng);
		char(*ncode)[400];
		int64_t *nid;
		if (!ng)
			return b->fail = 1;
		b->g = ng;
		ncode = realloc(b->codes, nc * sizeof *ncode);
		if (!ncode)
			return b->fail = 1;
		b->codes = ncode;
		nid = realloc(b->id, nc * sizeof *nid);
		if (!nid)
			return b->fail = 1;
		b->id = nid;
		b->cap = nc;
	}
	memset(&b->g[b->n], 0, sizeof b->g[b->n]);
	b->id[b->n] = inum(c[0]);
	snprintf(b->g[b->n].name, sizeof b->g[b->n].name, "%s", c[1] ? c[1] : "");
	snprintf(b->codes[b->n], sizeof b->codes[b->n], "%s", c[2] ? c[2] : "");
	b->g[b->n].value_added = num(c[3]) / 100;
	b->n++;
	return 0;
}

/* 1 when code starts with one of the comma/space-separated prefixes in list. */
static int code_in(const char *code, const char *list)
{
	const char *p = list;
	while (*p) {
		size_t n;
		while (*p == ',' || *p == ' ' || *p == ';')
			p++;
		n = strcspn(p, ", ;");
		if (n && !strncmp(code, p, n))
			return 1;
		p += n;
	}
	return 0;
}

struct codes {
	struct chains *c;
};

static int platform_code_row(void *ctx, int ncols, const char *const *c, const char *const *names)
{
	struct chains *b = ctx;
	size_t i;
	if (ncols < 1 || !c[0] || !*c[0])
		return 0;
	for (i = 0; i < b->n; i++)
		if (code_in(c[0], b->codes[i]))
			b->g[i].platforms++;
	return 0;
}

int analytics_layout_gap(store *db, double ratio, analytics_gap **out, size_t *n, cf_err *e)
{
	struct chains b = {0};
	metrics_industry_base *ind = NULL;
	metrics_layout_gap *g = NULL;
	analytics_gap *res = NULL;
	size_t i, j;
	int rc;

	rc = store_sql(db,
		       "SELECT c.id, c.name, COALESCE(c.industry_codes, ''), "
		       "(SELECT COALESCE(SUM(value_added), 0) FROM enterprises WHERE chain_id = c.id) FROM chains c ORDER BY c.id",
		       NULL, 0, chain_row, &b, e);
	if (rc == 0 && b.fail)
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if (rc == 0)
		rc = store_sql(db, "SELECT industry_code FROM platforms", NULL, 0, platform_code_row, &b, e);
	if (rc < 0)
		goto done;
	if (b.n == 0) {
		rc = cf_err_set(e, CF_ENOTFOUND, "chains", "no chains in the registry");
		goto done;
	}
	ind = calloc(b.n, sizeof *ind);
	g = calloc(b.n, sizeof *g);
	res = calloc(b.n, sizeof *res);
	if (!ind || !g || !res) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	for (i = 0; i < b.n; i++) {
		ind[i].code = b.g[i].name;
		ind[i].base = b.g[i].value_added;
		ind[i].support = (double)b.g[i].platforms;
	}
	if ((rc = metrics_platform_layout_gap(ind, b.n, ratio, g, e)) < 0)
		goto done;
	for (i = 0; i < b.n; i++)
		for (j = 0; j < b.n; j++)
			if (g[i].code == b.g[j].name) {
				res[i] = b.g[j];
				res[i].g = g[i];
				res[i].g.code = res[i].name;
			}
	*out = res;
	*n = b.n;
	res = NULL;
	rc = 0;
done:
	free(res);
	free(ind);
	free(g);
	free(b.g);
	free(b.codes);
	free(b.id);
	return rc;
}

/* ---- series import ---- */

int analytics_series_put(store *db, const analytics_series_point *p, size_t n, cf_err *e)
{
	size_t i;
	int rc;
	char where[64];

	for (i = 0; i < n; i++) {
		snprintf(where, sizeof where, "$.series[%zu]", i);
		if (!p[i].name || (strncmp(p[i].name, "U1.", 3) && strncmp(p[i].name, "U2.", 3)) || strlen(p[i].name) > 80 ||
		    strlen(p[i].name) < 4)
			return cf_err_set(e, CF_EINVAL, where, "name must start with U1. (industry chain) or U2. (innovation chain), at most 80 bytes");
		if (p[i].year < 1900 || p[i].year > 2200)
			return cf_err_set(e, CF_EINVAL, where, "year %d is outside 1900-2200", p[i].year);
		if (!isfinite(p[i].value))
			return cf_err_set(e, CF_EINVAL, where, "value must be a finite number");
	}
	if ((rc = store_begin(db, e)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		char y[16], v[40];
		const char *del[2] = {p[i].name, y};
		const char *ins[4] = {p[i].name, y, v, p[i].source};
		snprintf(y, sizeof y, "%d", p[i].year);
		snprintf(v, sizeof v, "%.17g", p[i].value);
		if ((rc = store_sql(db, "DELETE FROM indicator_series WHERE name = ? AND year = ?", del, 2, NULL, NULL, e)) < 0 ||
		    (rc = store_sql(db, "INSERT INTO indicator_series (name, year, value, source) VALUES (?, ?, ?, ?)", ins, 4, NULL, NULL, e)) < 0) {
			store_rollback(db);
			return rc;
		}
	}
	return store_commit(db, e);
}

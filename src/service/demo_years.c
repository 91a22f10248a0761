/*
 * demo_years (service) — the yearly tables of the synthetic demo (030_analytics); see
 * demo_extra.h.
 *
 * enterprise_years: the registry holds the end-2018 census amounts (表1) and the 2021.9
 * status flags (§一.1), so the first year's amounts are the registry's and the last year's
 * flags are the registry's. Each status is acquired in a year drawn so that the yearly
 * counts are those of params.years.counts (the last year: the registry's); above-scale
 * status churns (firms joining and leaving in equal numbers, so every year has the census
 * count). Amounts grow by a per-firm yearly rate; R&D expense of the above-scale firms sums
 * to the R&D intensity of params.years.rd_intensity_pct of their output, exactly to the fen.
 * platform_years: each platform from the year its stage implies, indicators by positioning.
 * indicator_series: the points of params.years.series, as given (each with its source).
 */
#include "service/demo_extra.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "service/sqlrows.h"

#define NY_MAX 8
#define BATCH 100
#define NCOL 11

static uint64_t nextr(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t *r, uint64_t n) { return n ? (uint64_t)(((unsigned __int128)nextr(r) * n) >> 64) : 0; }

enum { S_TECH, S_HIGH, S_GIANT, S_LEAD, S_N };
static const char *const status_key[S_N] = {"tech_sme", "high_tech", "little_giant", "leading"};

typedef struct firm {
	int64_t id;
	int above, micro, flag[S_N];
	int64_t output, va;
	int since[S_N]; /* first year holding the status (flag set only) */
	int above_from, above_to; /* above-scale in [from, to]; from > to: never */
	int growth_pm;
} firm;

typedef struct fctx {
	firm *f;
	size_t n, cap;
	int fail;
} fctx;

static int64_t i64(const char *s) { return s ? strtoll(s, NULL, 10) : 0; }

static int firm_row(void *p, int n, const char *const *v, const char *const *names)
{
	fctx *c = p;
	firm *f;
	int k;
	(void)names;
	if (n < 9)
		return 0;
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 4096;
		firm *nf = realloc(c->f, nc * sizeof *nf);
		if (!nf)
			return c->fail = 1;
		c->f = nf;
		c->cap = nc;
	}
	f = &c->f[c->n++];
	memset(f, 0, sizeof *f);
	f->id = i64(v[0]);
	f->above = i64(v[1]) == 1;
	f->micro = i64(v[2]) == 1;
	for (k = 0; k < S_N; k++)
		f->flag[k] = i64(v[3 + k]) == 1;
	f->output = i64(v[7]);
	f->va = i64(v[8]);
	return 0;
}

static void shuffle(size_t *a, size_t n, uint64_t *r)
{
	size_t i;
	for (i = n; i > 1; i--) {
		size_t j = (size_t)below(r, i), t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* ---- batched inserts ---- */

typedef struct batch {
	store *s;
	const char *head; /* INSERT INTO t (cols) VALUES */
	int ncol;
	char (*v)[24];
	const char **p;
	int rows;
	char *sql_full;
} batch;

static char *values_sql(const char *head, int ncol, int rows)
{
	size_t len = strlen(head) + (size_t)rows * ((size_t)ncol * 3 + 4) + 1, k = 0;
	char *q = malloc(len);
	int i, j;
	if (!q)
		return NULL;
	k += (size_t)snprintf(q, len, "%s", head);
	for (i = 0; i < rows; i++) {
		q[k++] = i ? ',' : ' ';
		q[k++] = '(';
		for (j = 0; j < ncol; j++) {
			if (j)
				q[k++] = ',';
			q[k++] = '?';
		}
		q[k++] = ')';
	}
	q[k] = '\0';
	return q;
}

static int flush(batch *b, cf_err *e)
{
	char *q;
	int rc, i;
	if (b->rows == 0)
		return 0;
	if (b->rows == BATCH) {
		if (!b->sql_full && !(b->sql_full = values_sql(b->head, b->ncol, BATCH)))
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		q = b->sql_full;
	} else if (!(q = values_sql(b->head, b->ncol, b->rows)))
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < b->rows * b->ncol; i++)
		b->p[i] = b->v[i][0] == '\x01' ? NULL : b->v[i];
	rc = store_sql(b->s, q, b->p, (size_t)(b->rows * b->ncol), NULL, NULL, e);
	if (q != b->sql_full)
		free(q);
	b->rows = 0;
	return rc < 0 ? rc : 0;
}

/* Sets column j of the current row; null when isnull. */
static void put(batch *b, int j, int64_t x, int isnull)
{
	char *cell = b->v[b->rows * b->ncol + j];
	char tmp[24];
	size_t n = 0, k = 0;
	uint64_t u;
	if (isnull) {
		cell[0] = '\x01';
		cell[1] = '\0';
		return;
	}
	/* decimal digits by hand: snprintf was most of the time of 3.5 million cells */
	u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (x < 0)
		cell[k++] = '-';
	while (n)
		cell[k++] = tmp[--n];
	cell[k] = '\0';
}

static int row_done(batch *b, cf_err *e)
{
	b->rows++;
	return b->rows == BATCH ? flush(b, e) : 0;
}

static int batch_init(batch *b, store *s, const char *head, int ncol)
{
	memset(b, 0, sizeof *b);
	b->s = s;
	b->head = head;
	b->ncol = ncol;
	b->v = calloc((size_t)(BATCH * ncol), sizeof *b->v);
	b->p = calloc((size_t)(BATCH * ncol), sizeof *b->p);
	return b->v && b->p ? 0 : -1;
}

static void batch_free(batch *b)
{
	free(b->v);
	free(b->p);
	free(b->sql_full);
}

static int jarr_int(const json_t *o, const char *k, int64_t *out, size_t n)
{
	json_t *a = json_object_get(o, k);
	size_t i;
	if (!json_is_array(a) || json_array_size(a) != n)
		return -1;
	for (i = 0; i < n; i++) {
		if (!json_is_integer(json_array_get(a, i)))
			return -1;
		out[i] = (int64_t)json_integer_value(json_array_get(a, i));
	}
	return 0;
}

/* ---- enterprise_years ---- */

/* The output reported for a year: a firm that leaves the above-scale list had at least the
 * threshold of 20,000,000 yuan (§二.1) while it was on it. */
static int64_t row_output(const firm *f, int ab)
{
	static const int64_t threshold_fen = INT64_C(2000000000);
	if (ab && !f->above && f->output < threshold_fen)
		return threshold_fen + (f->id % 1000) * 100000;
	return f->output;
}

static int enterprise_years(store *s, uint64_t *r, const json_t *yp, int y0, int y1, demo_extra_stats *st, cf_err *e)
{
	static const char *const where = "profile.json:params.years";
	int ny = y1 - y0 + 1, y, k, rc = 0;
	int64_t cnt[S_N][NY_MAX], churn, gmin, gmax, rd_bp[NY_MAX];
	fctx c = {0};
	size_t *idx = NULL, i, m;
	batch b;
	json_t *counts = json_object_get(yp, "counts"), *rdi = json_object_get(yp, "rd_intensity_pct");
	int64_t *rd = NULL;

	memset(&b, 0, sizeof b);
	churn = json_integer_value(json_object_get(yp, "above_scale_churn"));
	gmin = json_integer_value(json_object_get(yp, "growth_permille_min"));
	gmax = json_integer_value(json_object_get(yp, "growth_permille_max"));
	if (!json_is_object(counts) || !json_is_array(rdi) || json_array_size(rdi) != (size_t)ny || churn < 0 || gmin < -500 ||
	    gmax < gmin || gmax > 1000)
		return cf_err_set(e, CF_EINVAL, where,
				  "needs counts, rd_intensity_pct (one per year), above_scale_churn, growth_permille_min/max");
	for (y = 0; y < ny; y++) {
		const char *t = json_string_value(json_array_get(rdi, (size_t)y));
		if (!t || money_parse(t, strlen(t), &rd_bp[y], e) != 0 || rd_bp[y] <= 0 || rd_bp[y] > 10000)
			return cf_err_set(e, CF_EINVAL, "profile.json:params.years.rd_intensity_pct", "must be percent texts like \"2.32\"");
	}
	for (k = 0; k < S_N; k++)
		if (jarr_int(counts, status_key[k], cnt[k], (size_t)ny - 1) < 0)
			return cf_err_set(e, CF_EINVAL, "profile.json:params.years.counts",
					  "%s needs %d yearly counts (%d-%d; %d is the registry's)", status_key[k], ny - 1, y0, y1 - 1, y1);
	if ((rc = store_sql(s,
			    "SELECT id, COALESCE(above_scale, 0), COALESCE(micro, 0), COALESCE(tech_sme, 0), COALESCE(high_tech, 0), "
			    "COALESCE(little_giant, 0), COALESCE(leading, 0), COALESCE(output_value, 0), COALESCE(value_added, 0) "
			    "FROM enterprises ORDER BY id",
			    NULL, 0, firm_row, &c, e)) < 0)
		goto done;
	if (c.fail || !(idx = malloc((c.n + 1) * sizeof *idx)) || !(rd = calloc(c.n + 1, sizeof *rd)) ||
	    batch_init(&b, s,
		       "INSERT INTO enterprise_years (synthetic, enterprise_id, year, above_scale, tech_sme, high_tech, little_giant, "
		       "leading, output_value, value_added, rd_expense) VALUES",
		       NCOL) < 0) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	/* status acquisition years */
	for (k = 0; k < S_N; k++) {
		int64_t have = 0, prev = 0;
		for (m = 0, i = 0; i < c.n; i++)
			if (c.f[i].flag[k])
				idx[m++] = i;
		have = (int64_t)m;
		shuffle(idx, m, r);
		for (y = 0; y < ny - 1; y++) {
			if (cnt[k][y] < prev || cnt[k][y] > have) {
				rc = cf_err_set(e, CF_EINTERNAL, "profile.json:params.years.counts",
						"%s: %d count %lld must not fall and not exceed the registry's %lld", status_key[k], y0 + y,
						(long long)cnt[k][y], (long long)have);
				goto done;
			}
			prev = cnt[k][y];
		}
		for (i = 0; i < m; i++) {
			int yy = ny - 1;
			for (y = 0; y < ny - 1; y++)
				if ((int64_t)i < cnt[k][y]) {
					yy = y;
					break;
				}
			c.f[idx[i]].since[k] = y0 + yy;
		}
	}
	/* above-scale: registry firms always, except joiners; micro firms without any flag leave */
	for (i = 0; i < c.n; i++) {
		c.f[i].above_from = c.f[i].above ? y0 : 1;
		c.f[i].above_to = c.f[i].above ? y1 : 0;
		c.f[i].growth_pm = (int)(gmin + (int64_t)below(r, (uint64_t)(gmax - gmin + 1)));
	}
	{
		size_t nj = 0, nl = 0;
		for (m = 0, i = 0; i < c.n; i++)
			if (c.f[i].above && !c.f[i].flag[S_TECH] && !c.f[i].flag[S_HIGH] && !c.f[i].flag[S_GIANT] && !c.f[i].flag[S_LEAD])
				idx[m++] = i;
		shuffle(idx, m, r);
		for (y = 1; y < ny; y++)
			for (i = 0; i < (size_t)churn && nj < m; i++)
				c.f[idx[nj++]].above_from = y0 + y;
		for (m = 0, i = 0; i < c.n; i++)
			if (!c.f[i].above && c.f[i].micro && !c.f[i].flag[S_TECH] && !c.f[i].flag[S_HIGH] && !c.f[i].flag[S_GIANT] &&
			    !c.f[i].flag[S_LEAD])
				idx[m++] = i;
		shuffle(idx, m, r);
		for (y = 1; y < ny; y++)
			for (i = 0; i < (size_t)churn && nl < m; i++) {
				c.f[idx[nl]].above_from = y0;
				c.f[idx[nl++]].above_to = y0 + y - 1;
			}
		if (nj != nl || nj != (size_t)churn * (size_t)(ny - 1)) {
			rc = cf_err_set(e, CF_EINTERNAL, "profile.json:params.years.above_scale_churn", "too few firms to churn %lld a year",
					(long long)churn);
			goto done;
		}
	}
	/* one pass per year: amounts, R&D split, rows */
	for (y = 0; y < ny; y++) {
		int64_t tot_out = 0, tot_w = 0, rd_total, given = 0;
		int year = y0 + y;
		for (i = 0; i < c.n; i++) {
			firm *f = &c.f[i];
			int ab = year >= f->above_from && year <= f->above_to;
			if (y > 0) {
				f->output = money_muldiv_round(f->output, 1000 + f->growth_pm, 1000);
				f->va = money_muldiv_round(f->va, 1000 + f->growth_pm, 1000);
			}
			if (ab) {
				tot_out += row_output(f, ab);
				tot_w += row_output(f, ab) / 1000 * (int64_t)(1 + f->id % 7);
			}
		}
		rd_total = money_muldiv_round(tot_out, rd_bp[y], 10000);
		for (i = 0; i < c.n; i++) {
			firm *f = &c.f[i];
			rd[i] = 0;
			if (year >= f->above_from && year <= f->above_to && tot_w > 0) {
				rd[i] = (int64_t)((__int128)rd_total * (row_output(f, 1) / 1000 * (1 + f->id % 7)) / tot_w);
				given += rd[i];
			}
		}
		/* the fen lost to flooring go one each to the above-scale firms in id order */
		for (i = 0; i < c.n && given < rd_total; i++)
			if (year >= c.f[i].above_from && year <= c.f[i].above_to) {
				rd[i]++;
				given++;
			}
		for (i = 0; i < c.n; i++) {
			firm *f = &c.f[i];
			int ab = year >= f->above_from && year <= f->above_to, has[S_N];
			for (k = 0; k < S_N; k++)
				has[k] = f->flag[k] && f->since[k] <= year;
			if (!ab && (has[S_TECH] || has[S_HIGH]))
				rd[i] = money_muldiv_round(f->output, 300 + f->id % 400, 10000);
			put(&b, 0, 1, 0);
			put(&b, 1, f->id, 0);
			put(&b, 2, year, 0);
			put(&b, 3, ab, 0);
			for (k = 0; k < S_N; k++)
				put(&b, 4 + k, has[k], 0);
			put(&b, 8, row_output(f, ab), 0);
			put(&b, 9, f->va, 0);
			put(&b, 10, rd[i], rd[i] == 0);
			if ((rc = row_done(&b, e)) < 0)
				goto done;
			st->enterprise_years++;
		}
	}
	rc = flush(&b, e);
done:
	batch_free(&b);
	free(c.f);
	free(idx);
	free(rd);
	return rc;
}

/* ---- platform_years ---- */

typedef struct pl {
	int64_t id;
	char stage[16], pos[16];
	int market;
} pl;

typedef struct pctx {
	pl v[256];
	size_t n;
} pctx;

static int plat_row(void *p, int n, const char *const *v, const char *const *names)
{
	pctx *c = p;
	(void)names;
	if (n < 4 || c->n >= 256)
		return 0;
	c->v[c->n].id = i64(v[0]);
	snprintf(c->v[c->n].stage, sizeof c->v[c->n].stage, "%s", v[1] ? v[1] : "");
	snprintf(c->v[c->n].pos, sizeof c->v[c->n].pos, "%s", v[2] ? v[2] : "");
	c->v[c->n].market = i64(v[3]) == 1;
	c->n++;
	return 0;
}

static int platform_years(store *s, uint64_t *r, const json_t *yp, int y0, int y1, demo_extra_stats *st, cf_err *e)
{
	json_t *start = json_object_get(yp, "platform_start_year");
	pctx *c = calloc(1, sizeof *c);
	batch b;
	size_t i;
	int rc, y;

	memset(&b, 0, sizeof b);
	if (!c || batch_init(&b, s,
			     "INSERT INTO platform_years (synthetic, platform_id, year, local_contracts, spinoffs, patents_transferred, "
			     "own_revenue_share, cross_county) VALUES",
			     8) < 0) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	if (!json_is_object(start)) {
		rc = cf_err_set(e, CF_EINVAL, "profile.json:params.years.platform_start_year", "needs the first year of each stage");
		goto done;
	}
	if ((rc = store_sql(s, "SELECT id, stage, positioning, COALESCE(market_based, 0) FROM platforms ORDER BY id", NULL, 0,
			    plat_row, c, e)) < 0)
		goto done;
	for (i = 0; i < c->n; i++) {
		const pl *p = &c->v[i];
		json_t *sy = json_object_get(start, p->stage);
		int first = json_is_integer(sy) ? (int)json_integer_value(sy) : y0;
		/* yearly technology-contract turnover with local firms (万元 scale by positioning) */
		int64_t base = !strcmp(p->pos, "成果转化") ? 3000 : !strcmp(p->pos, "产业服务") ? 2000 : !strcmp(p->pos, "技术创新") ? 1500 : 600;
		if (first < y0)
			first = y0;
		if (first > y1)
			first = y1;
		base = base / 2 + (int64_t)below(r, (uint64_t)base);
		for (y = first; y <= y1; y++) {
			int age = y - first + 1;
			int64_t contracts_wan = base * age * (90 + (int64_t)below(r, 21)) / 100;
			put(&b, 0, 1, 0);
			put(&b, 1, p->id, 0);
			put(&b, 2, y, 0);
			put(&b, 3, contracts_wan * 1000000, 0); /* 万元 → fen */
			put(&b, 4, (int64_t)below(r, (uint64_t)(2 + 2 * age)), 0);
			put(&b, 5, (int64_t)below(r, (uint64_t)(4 + 6 * age)), 0);
			put(&b, 6, p->market ? 4000 + (int64_t)below(r, 4001) : 500 + (int64_t)below(r, 3001), 0);
			put(&b, 7, (int64_t)below(r, (uint64_t)(3 + 2 * age)), 0);
			if ((rc = row_done(&b, e)) < 0)
				goto done;
			st->platform_years++;
		}
	}
	rc = flush(&b, e);
done:
	batch_free(&b);
	free(c);
	return rc;
}

/* ---- indicator_series ---- */

static int series(store *s, const json_t *yp, demo_extra_stats *st, cf_err *e)
{
	json_t *a = json_object_get(yp, "series"), *sr, *pt;
	size_t i, j;
	int rc;
	if (!json_is_array(a))
		return cf_err_set(e, CF_EINVAL, "profile.json:params.years.series", "must be a list of {name, points}");
	json_array_foreach(a, i, sr) {
		const char *name = json_string_value(json_object_get(sr, "name"));
		json_t *pts = json_object_get(sr, "points");
		char where[80];
		snprintf(where, sizeof where, "profile.json:params.years.series[%zu]", i);
		if (!name || (strncmp(name, "U1.", 3) && strncmp(name, "U2.", 3)) || !json_is_array(pts))
			return cf_err_set(e, CF_EINVAL, where, "needs a U1./U2. name and points");
		json_array_foreach(pts, j, pt) {
			const char *v = json_string_value(json_object_get(pt, "value"));
			const char *src = json_string_value(json_object_get(pt, "source"));
			json_t *yr = json_object_get(pt, "year");
			char ys[16];
			const char *q[4] = {name, ys, v, src};
			if (!v || !json_is_integer(yr) || !src)
				return cf_err_set(e, CF_EINVAL, where, "point %zu needs year, value (decimal text) and source", j);
			snprintf(ys, sizeof ys, "%lld", (long long)json_integer_value(yr));
			if ((rc = sqlrows_exec(s, "INSERT INTO indicator_series (synthetic, name, year, value, source) VALUES (1, ?, ?, ?, ?)",
					       q, 4, e)))
				return rc;
			st->series_points++;
		}
	}
	return 0;
}

int demo_years(store *s, uint64_t seed, const json_t *p, demo_extra_stats *st, cf_err *e)
{
	const json_t *yp = json_object_get(p, "years");
	uint64_t r = seed ^ 0x9EA75ULL;
	int64_t y0, y1;
	int rc;
	if (!json_is_object(yp))
		return cf_err_set(e, CF_EINVAL, "profile.json:params.years", "is required (an object)");
	y0 = json_integer_value(json_object_get(yp, "from"));
	y1 = json_integer_value(json_object_get(yp, "to"));
	if (y0 < 1990 || y1 <= y0 || y1 - y0 + 1 > NY_MAX)
		return cf_err_set(e, CF_EINVAL, "profile.json:params.years", "from/to must span 2 to %d years", NY_MAX);
	if ((rc = enterprise_years(s, &r, yp, (int)y0, (int)y1, st, e)) < 0 ||
	    (rc = platform_years(s, &r, yp, (int)y0, (int)y1, st, e)) < 0 || (rc = series(s, yp, st, e)) < 0)
		return rc;
	return 0;
}

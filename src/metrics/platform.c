/* platform — platform classes, in-class scores and ranks, market track, layout gap; see platform.h. */
#include "metrics/platform.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/entropy.h"

/* Indicators per function (one declarative table): applied research is judged by what
 * leaves the lab, service platforms by what they deliver, industrial ones by both. */
static const unsigned char uses[METRICS_PF_FUNCTIONS][METRICS_PI_N] = {
	/* contracts spinoffs patents own_rev cross_county */
	{1, 0, 1, 0, 0}, /* 基础研究: what leaves the lab */
	{1, 1, 1, 0, 0}, /* 技术创新 */
	{1, 0, 0, 1, 1}, /* 产业服务: what it delivers, and where */
	{1, 1, 1, 1, 0}, /* 成果转化 */
};
/* Market track: what a self-sustaining platform sells. */
static const unsigned char market_uses[METRICS_PI_N] = {1, 1, 0, 1, 1};

static const char *fn_zh[] = {"基础研究", "技术创新", "产业服务", "成果转化"};
static const char *st_zh[] = {"筹建期", "建设期", "运行期", "成熟期"};
static const char *sp_zh[] = {"重点扶持", "一般扶持"};

int metrics_platform_class(int function, int stage, int support)
{
	return (function * METRICS_PS_STAGES + stage) * METRICS_PL_LEVELS + support;
}

static int index_of(const char *const *names, int n, const char *zh)
{
	for (int i = 0; i < n; i++)
		if (zh && !strcmp(names[i], zh))
			return i;
	return -1;
}
int metrics_platform_function_of(const char *zh) { return index_of(fn_zh, METRICS_PF_FUNCTIONS, zh); }
int metrics_platform_stage_of(const char *zh) { return index_of(st_zh, METRICS_PS_STAGES, zh); }

int metrics_platform_uses(int function, int ind)
{
	return function >= 0 && function < METRICS_PF_FUNCTIONS && ind >= 0 && ind < METRICS_PI_N && uses[function][ind];
}
const char *metrics_platform_function_zh(int f) { return f >= 0 && f < METRICS_PF_FUNCTIONS ? fn_zh[f] : "?"; }
const char *metrics_platform_stage_zh(int s) { return s >= 0 && s < METRICS_PS_STAGES ? st_zh[s] : "?"; }
const char *metrics_platform_support_zh(int s) { return s >= 0 && s < METRICS_PL_LEVELS ? sp_zh[s] : "?"; }

/* Scores the members idx[0..k) of one group on the indicators in mask. */
static int score_group(const metrics_platform *p, const size_t *idx, size_t k, const unsigned char *mask,
		       metrics_platform_result *r, cf_err *e)
{
	size_t m = 0, i, j, c;
	double *x = NULL, *w = NULL, *s = NULL;
	int rc = 0;

	for (j = 0; j < METRICS_PI_N; j++)
		m += mask[j];
	if (k == 1) {
		r[idx[0]].score = 1;
		r[idx[0]].rank = 1;
		r[idx[0]].group_size = 1;
		return 0;
	}
	x = malloc(k * m * sizeof *x);
	w = malloc(m * sizeof *w);
	s = malloc(k * sizeof *s);
	if (!x || !w || !s) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	for (i = 0; i < k; i++)
		for (j = 0, c = 0; j < METRICS_PI_N; j++)
			if (mask[j])
				x[i * m + c++] = p[idx[i]].ind[j];
	if (metrics_entropy(x, k, m, NULL, 0, NULL, w, s, NULL, NULL) < 0) {
		/* every indicator equal across the group: all tie */
		for (i = 0; i < k; i++)
			s[i] = 1;
	}
	for (i = 0; i < k; i++) {
		int rank = 1;
		for (c = 0; c < k; c++)
			if (s[c] > s[i] + 1e-12)
				rank++;
		r[idx[i]].score = s[i];
		r[idx[i]].rank = rank;
		r[idx[i]].group_size = (int)k;
	}
done:
	free(x);
	free(w);
	free(s);
	return rc;
}

int metrics_platform_assess(const metrics_platform *p, size_t n, double market_threshold, metrics_platform_result *out, cf_err *e)
{
	metrics_platform_result *r;
	size_t *idx, i, k;
	int g, rc = 0;

	for (i = 0; i < n; i++) {
		const metrics_platform *q = &p[i];
		if (q->function < 0 || q->function >= METRICS_PF_FUNCTIONS || q->stage < 0 || q->stage >= METRICS_PS_STAGES ||
		    q->support < 0 || q->support >= METRICS_PL_LEVELS)
			return cf_err_set(e, CF_EINVAL, NULL, "platform %lld: function, stage or support level out of range", (long long)q->id);
		for (k = 0; k < METRICS_PI_N; k++)
			if (!(q->ind[k] >= 0) || !isfinite(q->ind[k]))
				return cf_err_set(e, CF_EINVAL, NULL, "platform %lld: indicator %zu must be a non-negative number", (long long)q->id, k + 1);
	}
	r = calloc(n ? n : 1, sizeof *r);
	idx = malloc((n ? n : 1) * sizeof *idx);
	if (!r || !idx) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		r[i].id = p[i].id;
		r[i].market = p[i].market_based || p[i].ind[METRICS_PI_OWN_REVENUE_SHARE] >= market_threshold;
		r[i].class_key = r[i].market ? -1 : metrics_platform_class(p[i].function, p[i].stage, p[i].support);
	}
	for (g = -1; g < METRICS_PLATFORM_CLASSES; g++) {
		for (i = 0, k = 0; i < n; i++)
			if (r[i].class_key == g)
				idx[k++] = i;
		if (k == 0)
			continue;
		if ((rc = score_group(p, idx, k, g < 0 ? market_uses : uses[g / (METRICS_PS_STAGES * METRICS_PL_LEVELS)], r, e)) < 0)
			goto done;
	}
	memcpy(out, r, n * sizeof *r);
done:
	free(r);
	free(idx);
	return rc;
}

static int by_gap(const void *a, const void *b)
{
	const metrics_layout_gap *x = a, *y = b;
	if (x->gap != y->gap)
		return x->gap > y->gap ? -1 : 1;
	return strcmp(x->code, y->code);
}

int metrics_platform_layout_gap(const metrics_industry_base *ind, size_t n, double ratio, metrics_layout_gap *out, cf_err *e)
{
	double tb = 0, ts = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		if (!(ind[i].base >= 0) || !(ind[i].support >= 0))
			return cf_err_set(e, CF_EINVAL, NULL, "industry %s: base and support must be non-negative", ind[i].code);
		tb += ind[i].base;
		ts += ind[i].support;
	}
	if (n == 0 || tb <= 0)
		return cf_err_set(e, CF_EINVAL, NULL, "no industry has a positive base");
	for (i = 0; i < n; i++) {
		metrics_layout_gap *g = &out[i];
		g->code = ind[i].code;
		g->base_share = ind[i].base / tb;
		g->support_share = ts > 0 ? ind[i].support / ts : 0;
		g->gap = g->base_share - g->support_share;
		g->flagged = g->base_share >= 1.0 / (double)n && g->support_share < ratio * g->base_share;
	}
	qsort(out, n, sizeof *out, by_gap);
	return 0;
}

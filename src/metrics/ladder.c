/* ladder — enterprise ladder rungs and yearly flows; see ladder.h. */
#include "metrics/ladder.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *zh, *en;
	int level;
} rungs[METRICS_RUNG_N] = {
	{"小微企业", "micro", 0},
	{"规上企业", "above-scale", 1},
	{"科技型中小企业", "tech SME", 1},
	{"高新技术企业", "high-tech", 2},
	{"专精特新“小巨人”", "little giant", 3},
	{"龙头企业", "leading", 4},
};

int metrics_ladder_rung(unsigned flags)
{
	int r;
	for (r = METRICS_RUNG_N - 1; r > 0; r--)
		if (flags & (1u << r))
			return r;
	return METRICS_RUNG_MICRO;
}

int metrics_ladder_level(int rung) { return rung >= 0 && rung < METRICS_RUNG_N ? rungs[rung].level : -1; }
const char *metrics_ladder_rung_zh(int rung) { return rung >= 0 && rung < METRICS_RUNG_N ? rungs[rung].zh : "?"; }
const char *metrics_ladder_rung_en(int rung) { return rung >= 0 && rung < METRICS_RUNG_N ? rungs[rung].en : "?"; }

static int by_firm_year(const void *a, const void *b)
{
	const metrics_ladder_obs *x = a, *y = b;
	if (x->enterprise != y->enterprise)
		return x->enterprise < y->enterprise ? -1 : 1;
	return (x->year > y->year) - (x->year < y->year);
}

int metrics_ladder_flows_compute(const metrics_ladder_obs *obs, size_t n, int32_t year, metrics_ladder_flows *out, cf_err *e)
{
	metrics_ladder_obs *s;
	metrics_ladder_flows f;
	size_t i, k = 0;

	memset(&f, 0, sizeof f);
	f.year = year;
	s = malloc((n ? n : 1) * sizeof *s);
	if (!s)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < n; i++)
		if (obs[i].year == year || obs[i].year == year - 1)
			s[k++] = obs[i];
	qsort(s, k, sizeof *s, by_firm_year);
	for (i = 0; i < k; i++) {
		if (i + 1 < k && s[i + 1].enterprise == s[i].enterprise && s[i + 1].year == s[i].year) {
			int rc = cf_err_set(e, CF_EINVAL, NULL, "enterprise %lld is observed twice in %d",
					    (long long)s[i].enterprise, (int)s[i].year);
			free(s);
			return rc;
		}
	}
	for (i = 0; i < k;) {
		int has_prev = s[i].year == year - 1;
		int prev = has_prev ? metrics_ladder_rung(s[i].flags) : -1;
		int cur = -1;
		if (has_prev && i + 1 < k && s[i + 1].enterprise == s[i].enterprise) {
			cur = metrics_ladder_rung(s[i + 1].flags);
			i += 2;
		} else {
			if (!has_prev)
				cur = metrics_ladder_rung(s[i].flags);
			i += 1;
		}
		if (cur >= 0)
			f.count[cur]++;
		if (prev >= 0 && cur >= 0) {
			int dl = metrics_ladder_level(cur) - metrics_ladder_level(prev);
			f.n[prev][cur]++;
			if (dl > 0)
				f.up++;
			else if (dl < 0)
				f.down++;
			else
				f.stay++;
		} else if (cur >= 0) {
			f.entered[cur]++;
		} else {
			f.left[prev]++;
		}
	}
	free(s);
	*out = f;
	return 0;
}

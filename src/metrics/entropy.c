/* entropy — entropy weight method and obstacle degree; see entropy.h. */
#include "metrics/entropy.h"

#include <math.h>
#include <stdlib.h>

int metrics_entropy(const double *x, size_t n, size_t m, const int *negative, double eps,
		    double *e_out, double *w_out, double *s_out, double *y_out, cf_err *e)
{
	double *y = NULL, *ent = NULL, *w = NULL, dsum = 0;
	size_t i, j;
	int rc = 0;

	if (n < 2 || m < 1)
		return cf_err_set(e, CF_EINVAL, NULL, "entropy weights need at least 2 samples and 1 indicator (got %zu x %zu)", n, m);
	if (!(eps >= 0 && eps < 1))
		return cf_err_set(e, CF_EINVAL, NULL, "epsilon must be in [0, 1), got %g", eps);
	for (i = 0; i < n * m; i++)
		if (!isfinite(x[i]))
			return cf_err_set(e, CF_EINVAL, NULL, "row %zu, indicator %zu: value is not a finite number", i / m + 1, i % m + 1);
	y = malloc(n * m * sizeof *y);
	ent = malloc(m * sizeof *ent);
	w = malloc(m * sizeof *w);
	if (!y || !ent || !w) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (j = 0; j < m; j++) {
		double lo = x[j], hi = x[j], tot = 0, h = 0;
		for (i = 1; i < n; i++) {
			lo = fmin(lo, x[i * m + j]);
			hi = fmax(hi, x[i * m + j]);
		}
		for (i = 0; i < n; i++) {
			double v = x[i * m + j];
			if (hi == lo)
				y[i * m + j] = 1;
			else
				y[i * m + j] = negative && negative[j] ? (hi - v) / (hi - lo) : (v - lo) / (hi - lo);
		}
		if (hi == lo) {
			ent[j] = 1;
			continue;
		}
		for (i = 0; i < n; i++)
			tot += eps + (1 - eps) * y[i * m + j];
		for (i = 0; i < n; i++) {
			double p = (eps + (1 - eps) * y[i * m + j]) / tot;
			if (p > 0)
				h -= p * log(p);
		}
		ent[j] = h / log((double)n);
		dsum += 1 - ent[j];
	}
	if (!(dsum > 0)) {
		rc = cf_err_set(e, CF_EINVAL, NULL, "every indicator is constant across samples: no weights can be derived");
		goto fail;
	}
	for (j = 0; j < m; j++)
		w[j] = (1 - ent[j]) / dsum;
	for (j = 0; j < m; j++) {
		w_out[j] = w[j];
		if (e_out)
			e_out[j] = ent[j];
	}
	if (s_out)
		for (i = 0; i < n; i++) {
			double s = 0;
			for (j = 0; j < m; j++)
				s += w[j] * (eps + (1 - eps) * y[i * m + j]);
			s_out[i] = s;
		}
	if (y_out)
		for (i = 0; i < n * m; i++)
			y_out[i] = y[i];
fail:
	free(y);
	free(ent);
	free(w);
	return rc;
}

void metrics_obstacle(const double *y, const double *w, size_t m, double *o)
{
	double tot = 0;
	size_t j;
	for (j = 0; j < m; j++)
		tot += w[j] * (1 - y[j]);
	for (j = 0; j < m; j++)
		o[j] = tot > 0 ? w[j] * (1 - y[j]) / tot : 0;
}

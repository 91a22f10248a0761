/* coupling — coupling coordination degree and its ten grades; see coupling.h. */
#include "metrics/coupling.h"

#include <math.h>

/* The usual ten-grade scale (廖重斌 1999), D in steps of 0.1. One declarative table. */
static const struct {
	const char *zh, *en;
} grades[10] = {
	{"极度失调", "extreme imbalance"},     {"严重失调", "serious imbalance"},
	{"中度失调", "moderate imbalance"},    {"轻度失调", "mild imbalance"},
	{"濒临失调", "on the verge of imbalance"}, {"勉强协调", "barely coordinated"},
	{"初级协调", "primary coordination"},  {"中级协调", "intermediate coordination"},
	{"良好协调", "good coordination"},     {"优质协调", "quality coordination"},
};

int metrics_coupling_grade(double D)
{
	int g;
	if (!(D > 0))
		return 0;
	/* the small tolerance keeps 0.3 (printed) in grade 3 despite binary rounding */
	g = (int)floor(D * 10 + 1e-9);
	return g > 9 ? 9 : g;
}

const char *metrics_coupling_grade_zh(int grade) { return grade >= 0 && grade < 10 ? grades[grade].zh : "?"; }
const char *metrics_coupling_grade_en(int grade) { return grade >= 0 && grade < 10 ? grades[grade].en : "?"; }

int metrics_coupling_compute(const double *u, size_t p, const double *w, int form, metrics_coupling *r, cf_err *e)
{
	double sum = 0, prod = 1, mx = 0, wsum = 0, C, T = 0;
	size_t i, j;

	if (p < 2)
		return cf_err_set(e, CF_EINVAL, NULL, "coupling needs at least 2 subsystems, got %zu", p);
	for (i = 0; i < p; i++) {
		if (!(u[i] >= 0 && u[i] <= 1))
			return cf_err_set(e, CF_EINVAL, NULL, "U%zu = %g is outside [0, 1]", i + 1, u[i]);
		if (w) {
			if (!(w[i] >= 0))
				return cf_err_set(e, CF_EINVAL, NULL, "weight %zu = %g is negative", i + 1, w[i]);
			wsum += w[i];
		}
	}
	if (w && fabs(wsum - 1) > 1e-6)
		return cf_err_set(e, CF_EINVAL, NULL, "weights sum to %g, not 1", wsum);
	for (i = 0; i < p; i++) {
		sum += u[i];
		prod *= u[i];
		mx = fmax(mx, u[i]);
		T += (w ? w[i] : 1.0 / (double)p) * u[i];
	}
	if (sum == 0) {
		r->C = r->T = r->D = 0;
		r->grade = 0;
		return 0;
	}
	if (form == METRICS_COUPLING_ADJUSTED) {
		double dev = 0, c2 = 1;
		size_t pairs = p * (p - 1) / 2;
		for (i = 0; i < p; i++)
			for (j = i + 1; j < p; j++)
				dev += fabs(u[i] - u[j]);
		for (i = 0; i < p; i++)
			c2 *= pow(u[i] / mx, 1.0 / (double)(p - 1));
		C = sqrt((1 - dev / (double)pairs) * c2);
	} else {
		C = (double)p * pow(prod, 1.0 / (double)p) / sum;
	}
	if (C > 1)
		C = 1; /* AM-GM guarantees C <= 1; this only absorbs rounding */
	r->C = C;
	r->T = T;
	r->D = sqrt(C * T);
	r->grade = metrics_coupling_grade(r->D);
	return 0;
}

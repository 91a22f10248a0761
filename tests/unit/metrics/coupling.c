/* Unit tests for src/metrics/coupling.c and src/metrics/entropy.c. */
#include <criterion/criterion.h>
#include <math.h>

#include "metrics/coupling.h"
#include "metrics/entropy.h"

Test(metrics_coupling, two_subsystems_textbook_formula)
{
	double u[2] = {0.101, 0.280};
	metrics_coupling r;
	cr_assert_eq(metrics_coupling_compute(u, 2, NULL, METRICS_COUPLING_STANDARD, &r, NULL), 0);
	cr_assert_float_eq(r.C, 2 * sqrt(0.101 * 0.280) / (0.101 + 0.280), 1e-12);
	cr_assert_float_eq(r.T, 0.1905, 1e-12);
	cr_assert_float_eq(r.D, sqrt(r.C * r.T), 1e-12);
	cr_assert_eq(r.grade, 4);
	cr_assert_str_eq(metrics_coupling_grade_zh(r.grade), "濒临失调");
}

Test(metrics_coupling, alpha_beta_weights)
{
	double u[2] = {0.2, 0.8}, w[2] = {0.6, 0.4};
	metrics_coupling r;
	cr_assert_eq(metrics_coupling_compute(u, 2, w, METRICS_COUPLING_STANDARD, &r, NULL), 0);
	cr_assert_float_eq(r.T, 0.6 * 0.2 + 0.4 * 0.8, 1e-12);
	cr_assert_float_eq(r.C, 0.8, 1e-12); /* 2*sqrt(0.16)/1.0 */
}

Test(metrics_coupling, three_subsystems_standard_and_adjusted)
{
	/* mathmodels example row D: 0.967 0.687 0.815 standard, 0.669 0.686 0.678 adjusted */
	double u[3] = {0.6730, 0.4812, 0.9082}, w[3] = {0.4, 0.3, 0.3};
	metrics_coupling r;
	cr_assert_eq(metrics_coupling_compute(u, 3, NULL, METRICS_COUPLING_STANDARD, &r, NULL), 0);
	cr_assert(fabs(r.C - 0.967) <= 0.0005 && fabs(r.T - 0.687) <= 0.0005 && fabs(r.D - 0.815) <= 0.0005,
		  "C %f T %f D %f", r.C, r.T, r.D);
	cr_assert_eq(metrics_coupling_compute(u, 3, w, METRICS_COUPLING_ADJUSTED, &r, NULL), 0);
	cr_assert(fabs(r.C - 0.669) <= 0.0005 && fabs(r.T - 0.686) <= 0.0005 && fabs(r.D - 0.678) <= 0.0005,
		  "C %f T %f D %f", r.C, r.T, r.D);
}

Test(metrics_coupling, grades_boundaries)
{
	cr_assert_eq(metrics_coupling_grade(0), 0);
	cr_assert_eq(metrics_coupling_grade(0.0999), 0);
	cr_assert_eq(metrics_coupling_grade(0.3), 3);
	cr_assert_eq(metrics_coupling_grade(0.9), 9);
	cr_assert_eq(metrics_coupling_grade(1.0), 9);
	cr_assert_str_eq(metrics_coupling_grade_zh(0), "极度失调");
	cr_assert_str_eq(metrics_coupling_grade_zh(9), "优质协调");
}

Test(metrics_coupling, rejects_out_of_range)
{
	double u[2] = {0.5, 1.2}, w[2] = {0.5, 0.6};
	metrics_coupling r = {.C = -7};
	cf_err e;
	cr_assert_eq(metrics_coupling_compute(u, 2, NULL, 0, &r, &e), CF_EINVAL);
	cr_assert_str_eq(e.msg, "U2 = 1.2 is outside [0, 1]");
	cr_assert_eq(r.C, -7);
	u[1] = 0.5;
	cr_assert_eq(metrics_coupling_compute(u, 2, w, 0, &r, &e), CF_EINVAL);
	cr_assert_eq(metrics_coupling_compute(u, 1, NULL, 0, &r, &e), CF_EINVAL);
}

Test(metrics_coupling, all_zero_is_zero)
{
	double u[2] = {0, 0};
	metrics_coupling r;
	cr_assert_eq(metrics_coupling_compute(u, 2, NULL, 0, &r, NULL), 0);
	cr_assert_eq(r.D, 0);
	cr_assert_eq(r.grade, 0);
}

Test(metrics_entropy, mathmodels_example_weights)
{
	/* mathmodels entropy_weight(X, index = c("+","-"), epsilon = 0.002) */
	double x[8] = {3, 10, 5, 20, 2, 15, 7, 25}, w[2], ent[2], s[4], y[8];
	int neg[2] = {0, 1};
	cr_assert_eq(metrics_entropy(x, 4, 2, neg, 0.002, ent, w, s, y, NULL), 0);
	cr_assert_float_eq(w[0], 0.5452618, 5e-8);
	cr_assert_float_eq(w[1], 0.4547382, 5e-8);
	cr_assert_float_eq(y[1], 1.0, 1e-12); /* cost indicator: min value is best */
	cr_assert_float_eq(y[7], 0.0, 1e-12);
	/* 100*(1-eps)*score is the 56.35337 the source reproduces */
	cr_assert_float_eq(100 * (1 - 0.002) * s[0], 56.35337, 5e-5);
}

Test(metrics_entropy, constant_column_gets_zero_weight)
{
	double x[6] = {1, 5, 2, 5, 3, 5}, w[2];
	cr_assert_eq(metrics_entropy(x, 3, 2, NULL, 0.002, NULL, w, NULL, NULL, NULL), 0);
	cr_assert_float_eq(w[0], 1.0, 1e-12);
	cr_assert_float_eq(w[1], 0.0, 1e-12);
}

Test(metrics_entropy, rejects_degenerate_input)
{
	double x[4] = {1, 1, 1, 1}, w[2] = {-1, -1};
	cf_err e;
	cr_assert_eq(metrics_entropy(x, 2, 2, NULL, 0.002, NULL, w, NULL, NULL, &e), CF_EINVAL);
	cr_assert_eq(w[0], -1);
	cr_assert_eq(metrics_entropy(x, 1, 2, NULL, 0.002, NULL, w, NULL, NULL, &e), CF_EINVAL);
	x[0] = NAN;
	cr_assert_eq(metrics_entropy(x, 2, 2, NULL, 0.002, NULL, w, NULL, NULL, &e), CF_EINVAL);
	cr_assert_str_eq(e.msg, "row 1, indicator 1: value is not a finite number");
}

Test(metrics_entropy, obstacle_degree)
{
	double y[3] = {1.0, 0.5, 0.0}, w[3] = {0.2, 0.3, 0.5}, o[3];
	metrics_obstacle(y, w, 3, o);
	/* deviations 0, 0.5, 1 -> contributions 0, 0.15, 0.5 of 0.65 */
	cr_assert_float_eq(o[0], 0.0, 1e-12);
	cr_assert_float_eq(o[1], 0.15 / 0.65, 1e-12);
	cr_assert_float_eq(o[2], 0.5 / 0.65, 1e-12);
}

/*
 * entropy — the entropy weight method (熵权法) over an n-sample × m-indicator matrix.
 *
 * Each indicator is min-max normalised (positive: (x−min)/(max−min); negative:
 * (max−x)/(max−min)), shifted away from 0 with y' = ε + (1−ε)·y so ln never sees 0,
 * turned into shares p_ij = y'_ij / Σ_i y'_ij, entropies e_j = −(1/ln n)·Σ_i p_ij·ln p_ij
 * and weights w_j = (1−e_j) / Σ_k (1−e_k). With ε = 0.002 this is the published
 * mathmodels entropy_weight() form. Scores are s_i = Σ_j w_j·y'_ij in [0,1].
 * The obstacle degree (障碍度) of indicator j for sample i is
 * O_ij = w_j·(1−y_ij) / Σ_k w_k·(1−y_ik).
 */
#ifndef CF_METRICS_ENTROPY_H
#define CF_METRICS_ENTROPY_H

#include <stddef.h>

#include "base/err.h"

#define METRICS_ENTROPY_EPSILON 0.002

/* Computes weights for x (row-major, n rows × m columns). negative[j] != 0 marks a cost
 * indicator (NULL: all positive). Writes m entropies to e_out (may be NULL), m weights to
 * w_out, n scores to s_out (may be NULL) and the normalised matrix y (before the ε shift,
 * n×m, may be NULL). A column with max == min carries no information: y = 1 for it (so
 * it never counts as an obstacle), its entropy is 1 and its weight 0. CF_EINVAL when
 * n < 2, m < 1, a value is not finite, eps is outside [0,1), or every column is constant.
 * Outputs are untouched on failure. */
int metrics_entropy(const double *x, size_t n, size_t m, const int *negative, double eps,
		    double *e_out, double *w_out, double *s_out, double *y_out, cf_err *e);

/* Obstacle degrees for one sample: y is its normalised row (m values in [0,1]), w the
 * weights; writes m shares summing to 1 to o (all 0 when the sample is best everywhere). */
void metrics_obstacle(const double *y, const double *w, size_t m, double *o);

#endif

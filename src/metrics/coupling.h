/*
 * coupling — coupling coordination degree (耦合协调度) of two or more subsystems.
 *
 * Standard form for p subsystems with composite indices u_i in [0,1]:
 *   C = p·(Π u_i)^(1/p) / Σ u_i   (p = 2: C = 2·√(U1·U2)/(U1+U2)),
 *   T = Σ w_i·u_i                 (p = 2: T = α·U1 + β·U2, α = β = 0.5 by default),
 *   D = √(C·T).
 * Adjusted form (王淑佳 等 2021, 自然资源学报 36(3)): C1 = 1 − mean_{i<j}|u_i−u_j|,
 * C2 = Π (u_i / max u)^(1/(p−1)), C = √(C1·C2).
 * D falls in one of ten grades of width 0.1, from 极度失调 to 优质协调.
 */
#ifndef CF_METRICS_COUPLING_H
#define CF_METRICS_COUPLING_H

#include <stddef.h>

#include "base/err.h"

typedef struct metrics_coupling {
	double C, T, D;
	int grade; /* 0 (极度失调) .. 9 (优质协调) */
} metrics_coupling;

enum { METRICS_COUPLING_STANDARD = 0, METRICS_COUPLING_ADJUSTED = 1 };

/* Computes C, T, D for p >= 2 subsystems u (each in [0,1]) with weights w (NULL: equal
 * weights; else p non-negative numbers summing to 1 within 1e-6). CF_EINVAL, naming the
 * offending subsystem, for a value outside [0,1], bad weights or p < 2; r is then untouched.
 * All u = 0 gives C = T = D = 0. */
int metrics_coupling_compute(const double *u, size_t p, const double *w, int form, metrics_coupling *r, cf_err *e);

/* The grade of D (clamped to [0,1]): 0..9. */
int metrics_coupling_grade(double D);
/* The grade's Chinese name ("极度失调" … "优质协调") and English name. Static storage. */
const char *metrics_coupling_grade_zh(int grade);
const char *metrics_coupling_grade_en(int grade);

#endif

/*
 * indicators — the two-chain indicator system (SPEC C10): yearly indicators of the
 * industry-chain subsystem (U1) and the innovation-chain subsystem (U2) turned into
 * composite indices by entropy weights within each subsystem, then coupled.
 *
 * Input is a table with one row per year; a column belongs to U1 or U2 by its name
 * ("U1.firms", "U2.rd_expense"), and a name ending in "(-)" marks a negative indicator.
 * service/ builds such a table from the registry (counts, R&D expense, contracts,
 * platforms served) and from imported series; analysts can give one as CSV.
 */
#ifndef CF_METRICS_INDICATORS_H
#define CF_METRICS_INDICATORS_H

#include <stddef.h>

#include "base/err.h"
#include "metrics/coupling.h"
#include "metrics/table.h"

typedef struct metrics_system {
	size_t rows, cols;
	int *subsystem;     /* cols: 1 or 2 */
	int *negative;      /* cols */
	double *weight;     /* cols: entropy weight within its subsystem */
	double *u;          /* rows × 2: U1, U2 */
	metrics_coupling *c;/* rows */
	double *obstacle;   /* rows × cols: obstacle degree of each indicator to D (shares sum to 1) */
} metrics_system;

/* Runs the whole chain over t with coordination weights alpha, beta (sum 1). On success
 * *s owns its arrays (metrics_system_free). CF_EINVAL when a column is in neither
 * subsystem (naming it), a subsystem has no column, or the entropy step fails. */
int metrics_system_run(const metrics_table *t, double alpha, double beta, double eps, metrics_system *s, cf_err *e);
void metrics_system_free(metrics_system *s);

#endif

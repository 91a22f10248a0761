/*
 * figures — the paper's figures as data (data/paper_figures.json) and the derived columns
 * recomputed from them.
 *
 * The file holds what the paper prints: Table 1, the Figure 1-3 series and single facts,
 * each with its section. Derived values (average value added per enterprise, growth
 * multiples, fund averages) are never transcribed: they are recomputed here from the
 * transcribed inputs, and where the paper prints one too, checked against it allowing for
 * the rounding of the inputs.
 */
#ifndef CF_METRICS_FIGURES_H
#define CF_METRICS_FIGURES_H

#include <stddef.h>

#include "base/err.h"

typedef struct metrics_figures metrics_figures;

/* One recomputed value. */
typedef struct metrics_derived {
	char id[96];       /* "table1.avg_value_added.温州", "subfund_avg" */
	char zh[192];
	char en[192];
	char unit[32];
	int decimals;      /* how the value is shown */
	double value;      /* recomputed from the transcribed inputs */
	double lo, hi;     /* range the value can take given the rounding of the inputs */
	int has_published; /* the paper prints this value too */
	double published;
	int consistent;    /* published value lies within [lo, hi] widened by its own rounding */
} metrics_derived;

/* One point of a series, or one fact. */
typedef struct metrics_point {
	const char *id;      /* series or fact id; owned by the figures object */
	const char *section;
	const char *zh;
	const char *en;
	const char *unit;
	const char *period;
	const char *region;  /* facts only, else "" */
	double value;
} metrics_point;

/* Reads and checks the figures file at path. On success *out owns everything (free with
 * metrics_figures_free). CF_EIO when unreadable, CF_EINVAL with a JSON path when a field is
 * missing or of the wrong type. */
int metrics_figures_load(const char *path, metrics_figures **out, cf_err *e);
void metrics_figures_free(metrics_figures *f);

/* Recomputes every derived value (table columns per row, then the top-level list).
 * *out is a malloc'd array the caller frees; CF_EINVAL when an input is missing or a
 * denominator is zero. */
int metrics_figures_derive(const metrics_figures *f, metrics_derived **out, size_t *n, cf_err *e);

/* The facts, and the series points flattened in file order. Arrays owned by f. */
const metrics_point *metrics_figures_facts(const metrics_figures *f, size_t *n);
const metrics_point *metrics_figures_points(const metrics_figures *f, size_t *n);

/* Table 1: the number of rows and one cell by column key ("enterprises"); region names. */
size_t metrics_figures_table1_rows(const metrics_figures *f);
int metrics_figures_table1_cell(const metrics_figures *f, size_t row, const char *key, double *v);
const char *metrics_figures_table1_region(const metrics_figures *f, size_t row);
/* The dataset's source line (Chinese). Owned by f. */
const char *metrics_figures_source(const metrics_figures *f);

#endif

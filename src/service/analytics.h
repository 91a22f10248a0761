/*
 * analytics — the use cases behind the dashboards and the report that need the registry:
 * the yearly two-chain indicator table, the enterprise ladder flows of a year, platform
 * assessment and the layout gap. Loads from the store (tables of 001_registry and
 * 030_analytics), calls the metrics/ engines, returns their structs.
 */
#ifndef CF_SERVICE_ANALYTICS_H
#define CF_SERVICE_ANALYTICS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "metrics/ladder.h"
#include "metrics/platform.h"
#include "metrics/table.h"
#include "store/store.h"

/* The yearly indicator table, one row per year of enterprise_years (ids are the years):
 * U1.enterprises, U1.above_scale, U1.output_value, U1.value_added (yuan) for the industry
 * chain; U2.rd_expense (yuan), U2.tech_sme, U2.high_tech, U2.little_giant,
 * U2.platform_contracts (yuan), U2.spinoffs, U2.patents_transferred for the innovation
 * chain; then every indicator_series name (U1./U2.) that covers all those years.
 * *synthetic is 1 when any row used is synthetic. *t owns its memory (metrics_table_free).
 * CF_ENOTFOUND when enterprise_years is empty. */
int analytics_indicators(store *db, metrics_table *t, int *synthetic, cf_err *e);

/* Ladder flows from year-1 to year, from enterprise_years. */
int analytics_ladder(store *db, int year, metrics_ladder_flows *f, int *synthetic, cf_err *e);

typedef struct analytics_platform {
	char name[128];
	metrics_platform in;
	metrics_platform_result r;
	int64_t support_fen;
} analytics_platform;

/* Assesses every platform with a platform_years row for year: class from positioning ×
 * stage × support level (key when its yearly funding is at least the median of those
 * assessed), market track when platforms.market_based is set or its own revenue share is
 * at least market_threshold (0..1). *out is malloc'd (caller frees), *n its length. */
int analytics_platforms(store *db, int year, double market_threshold, analytics_platform **out, size_t *n, cf_err *e);

typedef struct analytics_gap {
	char name[64];        /* chain (5+5 industry) name */
	double value_added;   /* yuan, sum over its enterprises */
	int64_t platforms;    /* platforms whose main industry code falls in the chain's codes */
	metrics_layout_gap g; /* g.code points at name */
} analytics_gap;

/* Layout gap per chain: base = value added of its enterprises, support = platforms serving
 * it; flagged when the base share is at least 1/n and the support share below ratio × base
 * share. *out is malloc'd (caller frees), sorted by gap. */
int analytics_layout_gap(store *db, double ratio, analytics_gap **out, size_t *n, cf_err *e);

typedef struct analytics_series_point {
	const char *name;   /* "U1.xxx" or "U2.xxx[(-)]" */
	int year;
	double value;
	const char *source; /* may be NULL */
} analytics_series_point;

/* Imports indicator series points in one transaction, replacing a point already stored for
 * the same name and year. CF_EINVAL naming the point ("$.series[3].name") when a name is not
 * U1./U2.-prefixed or longer than 80 bytes, the year is outside 1900-2200 or the value is not
 * finite; nothing is written then. */
int analytics_series_put(store *db, const analytics_series_point *p, size_t n, cf_err *e);

#endif

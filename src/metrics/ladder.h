/*
 * ladder — the enterprise ladder (梯次培育, §四.1, SPEC C9) and its yearly flows.
 *
 * micro → 规上 (above_scale) / 科技型中小企业 (tech_sme) → 高新技术企业 (high_tech) →
 * 专精特新 "小巨人" (little_giant) → 龙头 (leading): 微成长、小升高、高壮大. A firm's rung in a
 * year is the highest of the statuses it holds. The flows between two consecutive years
 * are what the sankey chart draws.
 */
#ifndef CF_METRICS_LADDER_H
#define CF_METRICS_LADDER_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum metrics_rung {
	METRICS_RUNG_MICRO = 0,
	METRICS_RUNG_ABOVE_SCALE,
	METRICS_RUNG_TECH_SME,
	METRICS_RUNG_HIGH_TECH,
	METRICS_RUNG_LITTLE_GIANT,
	METRICS_RUNG_LEADING,
	METRICS_RUNG_N
};

/* Status flags a firm holds in a year: bit (1 << rung). No bit at all means micro. */
typedef struct metrics_ladder_obs {
	int64_t enterprise;
	int32_t year;
	unsigned flags;
} metrics_ladder_obs;

typedef struct metrics_ladder_flows {
	int32_t year;                                  /* flows from year-1 to year */
	int64_t n[METRICS_RUNG_N][METRICS_RUNG_N];     /* firms on rung i in year-1 and j in year */
	int64_t entered[METRICS_RUNG_N];               /* observed in year, not in year-1 */
	int64_t left[METRICS_RUNG_N];                  /* observed in year-1, not in year */
	int64_t count[METRICS_RUNG_N];                 /* firms per rung in year */
	int64_t up, down, stay;                        /* by ladder level (tech_sme = above_scale) */
} metrics_ladder_flows;

/* The rung of a set of status flags. */
int metrics_ladder_rung(unsigned flags);
/* The level on the ladder: micro 0, above_scale and tech_sme 1, high_tech 2, little_giant 3, leading 4. */
int metrics_ladder_level(int rung);
/* The rung's Chinese and English names. Static storage. */
const char *metrics_ladder_rung_zh(int rung);
const char *metrics_ladder_rung_en(int rung);

/* Counts the flows from year-1 to year over n observations (any order; a firm observed
 * twice in one year is an error). CF_EINVAL naming the firm; *f untouched on failure. */
int metrics_ladder_flows_compute(const metrics_ladder_obs *obs, size_t n, int32_t year, metrics_ladder_flows *f, cf_err *e);

#endif

/*
 * platform — assessment of high-level innovation platforms (SPEC C8, §二.4, §四.2).
 *
 * Today two classes are assessed alike; here a class is function positioning × development
 * stage × support level, each class is scored on the indicators that fit its function
 * (entropy weights within the class, so no hand-set weights), and ranked within the class.
 * Platforms that earn most of their own revenue (at least the caller's threshold, a policy
 * number) leave the administrative classes for one market-based track, scored on market
 * indicators. The layout gap lists industries whose base is strong and whose innovation
 * support is weak.
 */
#ifndef CF_METRICS_PLATFORM_H
#define CF_METRICS_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Function positioning, development stage and support level, as the registry records them
 * (platforms.positioning, platforms.stage; the support level from the yearly funding). */
enum { METRICS_PF_BASIC = 0, METRICS_PF_INNOVATION, METRICS_PF_SERVICE, METRICS_PF_TRANSFER, METRICS_PF_FUNCTIONS };
enum { METRICS_PS_PREPARING = 0, METRICS_PS_BUILDING, METRICS_PS_RUNNING, METRICS_PS_MATURE, METRICS_PS_STAGES };
enum { METRICS_PL_KEY = 0, METRICS_PL_GENERAL, METRICS_PL_LEVELS };
#define METRICS_PLATFORM_CLASSES (METRICS_PF_FUNCTIONS * METRICS_PS_STAGES * METRICS_PL_LEVELS)

/* Indicators, all positive (more is better). */
enum {
	METRICS_PI_LOCAL_CONTRACTS = 0, /* local contract amount, yuan */
	METRICS_PI_SPINOFFS,            /* firms spun off */
	METRICS_PI_PATENTS_TRANSFERRED,
	METRICS_PI_OWN_REVENUE_SHARE,   /* own revenue / total revenue, 0..1 */
	METRICS_PI_CROSS_COUNTY,        /* services delivered outside the home county */
	METRICS_PI_N
};

typedef struct metrics_platform {
	int64_t id;
	int function, stage, support;
	double ind[METRICS_PI_N];
	int market_based;  /* registered as market-operated: always on the market track */
} metrics_platform;

typedef struct metrics_platform_result {
	int64_t id;
	int market;     /* 1: market-based track */
	int class_key;  /* (function*STAGES + stage)*LEVELS + support; -1 on the market track */
	double score;   /* 0..1 within its group */
	int rank;       /* 1 = best within its group */
	int group_size;
} metrics_platform_result;

/* Assesses n platforms; out receives n results in input order. A platform goes to the
 * market-based track when market_based is set or its own revenue share is at least
 * market_threshold (a policy number; >1 leaves only the registered ones). A group of one platform scores 1. CF_EINVAL for a class field out of range or
 * a negative indicator, naming the platform; out untouched on failure. */
int metrics_platform_assess(const metrics_platform *p, size_t n, double market_threshold, metrics_platform_result *out, cf_err *e);
/* 1 when indicator ind is assessed for platforms of this function (class table). */
int metrics_platform_uses(int function, int ind);
/* The class key of a platform, and its index from the registry's Chinese names (-1 unknown). */
int metrics_platform_class(int function, int stage, int support);
int metrics_platform_function_of(const char *zh);
int metrics_platform_stage_of(const char *zh);
/* Class names, Chinese. Static storage. */
const char *metrics_platform_function_zh(int function);
const char *metrics_platform_stage_zh(int stage);
const char *metrics_platform_support_zh(int support);

typedef struct metrics_industry_base {
	const char *code;   /* industry code or name; not copied */
	double base;        /* strength of the industrial base (value added, firm count...) */
	double support;     /* innovation support (platforms serving it, contract amount...) */
} metrics_industry_base;

typedef struct metrics_layout_gap {
	const char *code;
	double base_share, support_share, gap; /* gap = base_share − support_share */
	int flagged;        /* strong base (share ≥ 1/n) and support share < ratio × base share */
} metrics_layout_gap;

/* Layout gap analysis over n industries, sorted by gap, largest first, into out (n entries).
 * CF_EINVAL when a value is negative or every base (or every support) is zero. */
int metrics_platform_layout_gap(const metrics_industry_base *ind, size_t n, double ratio, metrics_layout_gap *out, cf_err *e);

#endif

/*
 * subsidy — the micro-firm innovation subsidy calculator (§四.1 创新奖补下沉).
 *
 * A micro manufacturing firm (annual output under the policy's ceiling) in a key industry
 * or a chain-break segment gets: a raised R&D super-deduction (the extra deduction above
 * the standard rate, and the tax it saves), a share of its technology contracts (capped per
 * contract and per year), and a one-off subsidy on newly bought production equipment. All
 * rates and caps come from data/subsidies/micro.json; money is int64 fen.
 */
#ifndef CF_METRICS_SUBSIDY_H
#define CF_METRICS_SUBSIDY_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct metrics_subsidy_policy {
	char version[32];
	int64_t max_output_fen;       /* eligible when annual output < this */
	int need_key, need_break;     /* requires_any: key_industry and/or break_point */
	int32_t rd_standard_bp, rd_raised_bp, tax_bp;
	int32_t contract_bp;
	int64_t contract_cap_each_fen, contract_cap_year_fen;
	int32_t equipment_bp;
	int64_t equipment_min_fen, equipment_cap_fen;
} metrics_subsidy_policy;

typedef struct metrics_subsidy_firm {
	int64_t annual_output_fen;
	int key_industry;             /* in one of the key (5+5) industries */
	int break_point;              /* in a chain-break (断链断供) segment */
	int64_t rd_expense_fen;       /* R&D expense of the year */
	const int64_t *contracts_fen; /* technology contract amounts of the year */
	size_t ncontracts;
	int64_t equipment_fen;        /* newly bought production equipment */
} metrics_subsidy_firm;

typedef struct metrics_subsidy_result {
	int eligible;
	char reason[160];             /* why not eligible, English; "" when eligible */
	int64_t extra_deduction_fen;  /* rd_expense × (raised − standard) */
	int64_t tax_saving_fen;       /* extra deduction × tax rate */
	int64_t contract_subsidy_fen;
	int64_t equipment_subsidy_fen;
	int64_t total_fen;            /* tax saving + contract + equipment */
} metrics_subsidy_result;

/* Parses the policy JSON (len bytes; name for error locations). CF_EINVAL with a JSON path
 * for a missing or malformed field; *p untouched on failure. */
int metrics_subsidy_policy_parse(const char *json, size_t len, const char *name, metrics_subsidy_policy *p, cf_err *e);

/* Computes the subsidy of one firm. CF_EINVAL for a negative amount; *r untouched then.
 * A firm that is not eligible gets a zero result with the reason filled in. */
int metrics_subsidy_compute(const metrics_subsidy_policy *p, const metrics_subsidy_firm *f, metrics_subsidy_result *r, cf_err *e);

#endif

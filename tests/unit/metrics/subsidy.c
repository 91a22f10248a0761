/* Unit tests for src/metrics/subsidy.c against the shipped policy file. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/buf.h"
#include "base/path.h"
#include "metrics/subsidy.h"

static metrics_subsidy_policy policy(void)
{
	char p[4096];
	buf b;
	cf_err e;
	metrics_subsidy_policy pol;
	buf_init(&b, 0);
	cr_assert_eq(path_data("subsidies/micro.json", p, sizeof p), 0);
	cr_assert_eq(path_read_file(p, &b, &e), 0, "%s", e.msg);
	cr_assert_eq(metrics_subsidy_policy_parse(b.p, b.len, p, &pol, &e), 0, "%s %s", e.where, e.msg);
	buf_free(&b);
	return pol;
}

Test(metrics_subsidy, policy_file_values)
{
	metrics_subsidy_policy p = policy();
	cr_assert_str_eq(p.version, "2026.1");
	cr_assert_eq(p.max_output_fen, 2000000000); /* 2 000 万元 */
	cr_assert(p.need_key && p.need_break);
}

Test(metrics_subsidy, eligible_firm_all_three_instruments)
{
	metrics_subsidy_policy p = policy();
	/* rates as in the file: raised - standard = 20%, tax 5%, contracts 10% capped 50,000 each
	 * and 200,000 a year, equipment 10% from 100,000 capped 300,000 */
	int64_t contracts[3] = {30000000, 100000000, 20000000}; /* 300,000 / 1,000,000 / 200,000 yuan */
	metrics_subsidy_firm f = {.annual_output_fen = 1500000000, .key_industry = 1, .rd_expense_fen = 80000000,
				  .contracts_fen = contracts, .ncontracts = 3, .equipment_fen = 50000000};
	metrics_subsidy_result r;
	cr_assert_eq(metrics_subsidy_compute(&p, &f, &r, NULL), 0);
	cr_assert(r.eligible);
	cr_assert_eq(r.extra_deduction_fen, 16000000); /* 800,000 × 20% = 160,000 yuan */
	cr_assert_eq(r.tax_saving_fen, 800000);        /* × 5% = 8,000 yuan */
	cr_assert_eq(r.contract_subsidy_fen, 3000000 + 5000000 + 2000000); /* 30,000 + cap 50,000 + 20,000 */
	cr_assert_eq(r.equipment_subsidy_fen, 5000000);
	cr_assert_eq(r.total_fen, 800000 + 10000000 + 5000000);
}

Test(metrics_subsidy, caps_and_thresholds)
{
	metrics_subsidy_policy p = policy();
	int64_t contracts[6] = {100000000, 100000000, 100000000, 100000000, 100000000, 100000000};
	metrics_subsidy_firm f = {.annual_output_fen = 100, .break_point = 1, .contracts_fen = contracts, .ncontracts = 6,
				  .equipment_fen = 9999999};
	metrics_subsidy_result r;
	cr_assert_eq(metrics_subsidy_compute(&p, &f, &r, NULL), 0);
	cr_assert_eq(r.contract_subsidy_fen, 20000000); /* yearly cap 200,000 */
	cr_assert_eq(r.equipment_subsidy_fen, 0);        /* below the 100,000 minimum */
	f.equipment_fen = 1000000000;                    /* 10,000,000 yuan: 10% capped at 300,000 */
	cr_assert_eq(metrics_subsidy_compute(&p, &f, &r, NULL), 0);
	cr_assert_eq(r.equipment_subsidy_fen, 30000000);
}

Test(metrics_subsidy, ineligible_firms)
{
	metrics_subsidy_policy p = policy();
	metrics_subsidy_firm f = {.annual_output_fen = 2000000000, .key_industry = 1, .rd_expense_fen = 100};
	metrics_subsidy_result r;
	cr_assert_eq(metrics_subsidy_compute(&p, &f, &r, NULL), 0);
	cr_assert_not(r.eligible);
	cr_assert_str_eq(r.reason, "annual output is not below the micro-firm ceiling of 20,000,000.00 yuan");
	cr_assert_eq(r.total_fen, 0);
	f.annual_output_fen = 1;
	f.key_industry = 0;
	cr_assert_eq(metrics_subsidy_compute(&p, &f, &r, NULL), 0);
	cr_assert_not(r.eligible);
	cr_assert_str_eq(r.reason, "neither in a key industry nor in a chain-break segment");
	f.rd_expense_fen = -1;
	cr_assert_eq(metrics_subsidy_compute(&p, &f, &r, NULL), CF_EINVAL);
}

Test(metrics_subsidy, bad_policy_names_the_field)
{
	const char j[] = "{\"version\":\"x\",\"eligibility\":{\"max_annual_output\":\"1.234\",\"requires_any\":[]}}";
	metrics_subsidy_policy p;
	cf_err e;
	cr_assert_eq(metrics_subsidy_policy_parse(j, sizeof j - 1, "t.json", &p, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "$.eligibility.max_annual_output");
}

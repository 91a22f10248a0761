/* Unit tests for src/metrics/ladder.c and src/metrics/platform.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "metrics/ladder.h"
#include "metrics/platform.h"

#define F(r) (1u << (r))

Test(metrics_ladder, rung_is_highest_status)
{
	cr_assert_eq(metrics_ladder_rung(0), METRICS_RUNG_MICRO);
	cr_assert_eq(metrics_ladder_rung(F(METRICS_RUNG_ABOVE_SCALE) | F(METRICS_RUNG_HIGH_TECH)), METRICS_RUNG_HIGH_TECH);
	cr_assert_eq(metrics_ladder_level(METRICS_RUNG_TECH_SME), metrics_ladder_level(METRICS_RUNG_ABOVE_SCALE));
}

Test(metrics_ladder, flows_between_years)
{
	metrics_ladder_obs o[] = {
		{1, 2020, 0}, {1, 2021, F(METRICS_RUNG_TECH_SME)},                          /* micro -> tech_sme: up */
		{2, 2021, F(METRICS_RUNG_HIGH_TECH)}, {2, 2020, F(METRICS_RUNG_TECH_SME)},  /* up, input unsorted */
		{3, 2020, F(METRICS_RUNG_ABOVE_SCALE)}, {3, 2021, F(METRICS_RUNG_TECH_SME)}, /* same level: stay */
		{4, 2020, F(METRICS_RUNG_LITTLE_GIANT)}, {4, 2021, F(METRICS_RUNG_HIGH_TECH)}, /* down */
		{5, 2021, 0},                                                               /* entered */
		{6, 2020, F(METRICS_RUNG_LEADING)},                                         /* left */
		{7, 2019, 0},                                                               /* other year: ignored */
	};
	metrics_ladder_flows f;
	cr_assert_eq(metrics_ladder_flows_compute(o, sizeof o / sizeof o[0], 2021, &f, NULL), 0);
	cr_assert_eq(f.n[METRICS_RUNG_MICRO][METRICS_RUNG_TECH_SME], 1);
	cr_assert_eq(f.n[METRICS_RUNG_TECH_SME][METRICS_RUNG_HIGH_TECH], 1);
	cr_assert_eq(f.n[METRICS_RUNG_ABOVE_SCALE][METRICS_RUNG_TECH_SME], 1);
	cr_assert_eq(f.n[METRICS_RUNG_LITTLE_GIANT][METRICS_RUNG_HIGH_TECH], 1);
	cr_assert_eq(f.up, 2);
	cr_assert_eq(f.stay, 1);
	cr_assert_eq(f.down, 1);
	cr_assert_eq(f.entered[METRICS_RUNG_MICRO], 1);
	cr_assert_eq(f.left[METRICS_RUNG_LEADING], 1);
	cr_assert_eq(f.count[METRICS_RUNG_TECH_SME], 2);
	cr_assert_eq(f.count[METRICS_RUNG_HIGH_TECH], 2);
}

Test(metrics_ladder, duplicate_observation_rejected)
{
	metrics_ladder_obs o[] = {{9, 2021, 0}, {9, 2021, 1}};
	metrics_ladder_flows f = {.year = -5};
	cf_err e;
	cr_assert_eq(metrics_ladder_flows_compute(o, 2, 2021, &f, &e), CF_EINVAL);
	cr_assert_str_eq(e.msg, "enterprise 9 is observed twice in 2021");
	cr_assert_eq(f.year, -5);
}

Test(metrics_platform, classes_ranks_and_market_track)
{
	metrics_platform p[] = {
		{1, METRICS_PF_INNOVATION, METRICS_PS_BUILDING, METRICS_PL_KEY, {100, 2, 5, 0.1, 0}, 0},
		{2, METRICS_PF_INNOVATION, METRICS_PS_BUILDING, METRICS_PL_KEY, {300, 4, 9, 0.2, 0}, 0},
		{3, METRICS_PF_INNOVATION, METRICS_PS_BUILDING, METRICS_PL_KEY, {200, 3, 7, 0.3, 0}, 0},
		{4, METRICS_PF_SERVICE, METRICS_PS_MATURE, METRICS_PL_GENERAL, {50, 0, 0, 0.4, 10}, 0},
		{5, METRICS_PF_SERVICE, METRICS_PS_MATURE, METRICS_PL_GENERAL, {80, 0, 0, 0.9, 20}, 0},
		{6, METRICS_PF_TRANSFER, METRICS_PS_MATURE, METRICS_PL_KEY, {500, 1, 1, 0.8, 5}, 0},
		{7, METRICS_PF_BASIC, METRICS_PS_RUNNING, METRICS_PL_GENERAL, {10, 0, 0, 0.1, 0}, 1},
	};
	metrics_platform_result r[7];
	cr_assert_eq(metrics_platform_assess(p, 7, 0.7, r, NULL), 0);
	cr_assert(r[6].market, "registered market-operated platforms are on the market track");
	cr_assert_eq(r[6].rank, 3);
	/* class 技术创新/建设期/重点扶持: 2 dominates 3 dominates 1 on every used indicator */
	cr_assert_eq(r[1].rank, 1);
	cr_assert_eq(r[2].rank, 2);
	cr_assert_eq(r[0].rank, 3);
	cr_assert_eq(r[0].group_size, 3);
	cr_assert_eq(r[0].class_key, (METRICS_PF_INNOVATION * 4 + METRICS_PS_BUILDING) * 2 + METRICS_PL_KEY);
	/* 5 and 6 earn >= 70% themselves: market track, 6 leads on contracts, 5 on the rest */
	cr_assert(r[4].market && r[5].market && !r[3].market);
	cr_assert_eq(r[4].group_size, 3);
	cr_assert_eq(r[3].group_size, 1);
	cr_assert_float_eq(r[3].score, 1.0, 1e-12);
	cr_assert(metrics_platform_uses(METRICS_PF_INNOVATION, METRICS_PI_PATENTS_TRANSFERRED));
	cr_assert_not(metrics_platform_uses(METRICS_PF_INNOVATION, METRICS_PI_OWN_REVENUE_SHARE));
	cr_assert_eq(metrics_platform_function_of("产业服务"), METRICS_PF_SERVICE);
	cr_assert_eq(metrics_platform_stage_of("成熟期"), METRICS_PS_MATURE);
	cr_assert_eq(metrics_platform_stage_of("x"), -1);
}

Test(metrics_platform, layout_gap_flags_strong_base_weak_support)
{
	metrics_industry_base ind[] = {
		{"electrical", 40, 2}, {"shoes", 30, 1}, {"pumps", 20, 10}, {"health", 10, 17},
	};
	metrics_layout_gap g[4];
	cr_assert_eq(metrics_platform_layout_gap(ind, 4, 0.5, g, NULL), 0);
	cr_assert_str_eq(g[0].code, "electrical"); /* 0.40 - 0.0667 */
	cr_assert_str_eq(g[1].code, "shoes");
	cr_assert(g[0].flagged && g[1].flagged);
	cr_assert_str_eq(g[3].code, "health");
	cr_assert_not(g[3].flagged);
	cr_assert_float_eq(g[0].gap, 0.4 - 2.0 / 30, 1e-12);
	cr_assert_not(g[2].flagged); /* pumps: 0.2 share < 0.25 = 1/n, not a strong base */
}

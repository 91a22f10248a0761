/* Tests of src/policy/award.c: exact tables, caps, splits and properties over random amounts. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "policy/award.h"
#include "policy/policy.h"

/* A policy from JSON text; fails the test with the loader's error when it does not parse. */
static policy mk(const char *tiers, const char *caps, const char *split)
{
	char text[2048];
	policy p;
	cf_err e;
	snprintf(text, sizeof text,
		 "{\"id\":\"t\",\"name\":\"测试\",\"in_force\":true,\"effective_from\":\"2020-01-01\","
		 "\"award\":{\"tiers\":%s,%s\"split\":\"%s\"},\"clawback\":\"all\",\"ban_years\":5,"
		 "\"payment_due_days\":90,\"related_party\":{\"min_share_bp\":500,\"max_depth\":3,\"broker_min_share_bp\":1}}",
		 tiers, caps, split);
	cr_assert_eq(policy_parse(text, strlen(text), "t.json", &p, &e), 0, "%s: %s", e.where, e.msg);
	return p;
}

static policy dflt(void)
{
	return mk("[{\"upto_fen\":100000000,\"rate_bp\":150},{\"upto_fen\":null,\"rate_bp\":100}]", "", "shares");
}

static int64_t award(const policy *p, int64_t fen)
{
	award_calc r;
	cf_err e;
	cr_assert_eq(award_compute(p, fen, NULL, &r, &e), 0);
	return r.award_fen;
}

Test(policy_award, issue_examples_under_default)
{
	policy p = dflt();
	cr_assert_eq(award(&p, 100000000), 1500000);  /* 1,000,000.00 → 15,000.00 */
	cr_assert_eq(award(&p, 250000000), 3000000);  /* 2,500,000.00 → 30,000.00 */
	cr_assert_eq(award(&p, 12345678), 185185);    /* 123,456.78 → 1,851.85 */
	cr_assert_eq(award(&p, 1), 0);                /* 0.01 → 0.00 */
	cr_assert_eq(award(&p, 0), 0);
}

Test(policy_award, tier_boundary_plus_minus_one_fen)
{
	policy p = dflt();
	award_calc r;
	/* 999,999.99 yuan: 99,999,999 × 150 = 14,999,999,850 e-4 fen → 1,499,999.985 → 1,500,000 */
	cr_assert_eq(award_compute(&p, 99999999, NULL, &r, NULL), 0);
	cr_assert_eq(r.exact_e4, INT64_C(14999999850));
	cr_assert_eq(r.award_fen, 1500000);
	cr_assert_eq(r.ntiers, 1);
	cr_assert_eq(award_compute(&p, 100000000, NULL, &r, NULL), 0);
	cr_assert_eq(r.exact_e4, INT64_C(15000000000));
	cr_assert_eq(r.ntiers, 1);
	/* one fen into the second tier earns 1% of a fen */
	cr_assert_eq(award_compute(&p, 100000001, NULL, &r, NULL), 0);
	cr_assert_eq(r.ntiers, 2);
	cr_assert_eq(r.tiers[1].part_fen, 1);
	cr_assert_eq(r.tiers[1].exact_e4, 100);
	cr_assert_eq(r.exact_e4, INT64_C(15000000100));
	cr_assert_eq(r.award_fen, 1500000);
	/* 50 fen into the second tier: exactly half a fen, rounded up */
	cr_assert_eq(award(&p, 100000050), 1500001);
	cr_assert_eq(award(&p, 100000049), 1500000);
}

Test(policy_award, half_up_rounding_of_small_amounts)
{
	policy p = dflt();
	cr_assert_eq(award(&p, 33), 0);  /* 0.495 fen */
	cr_assert_eq(award(&p, 34), 1);  /* 0.51 fen */
	cr_assert_eq(award(&p, 100), 2); /* 1.5 fen, half up */
	cr_assert_eq(award(&p, 99), 1);  /* 1.485 fen */
}

Test(policy_award, rounds_once_on_the_exact_total_not_per_tier)
{
	/* two tiers each earning 0.45 fen: rounded per tier it would be 0, once it is 1 */
	policy p = mk("[{\"upto_fen\":3,\"rate_bp\":1500},{\"upto_fen\":null,\"rate_bp\":1500}]", "", "shares");
	award_calc r;
	cr_assert_eq(award_compute(&p, 6, NULL, &r, NULL), 0);
	cr_assert_eq(r.tiers[0].exact_e4, 4500);
	cr_assert_eq(r.tiers[1].exact_e4, 4500);
	cr_assert_eq(r.award_fen, 1);
}

Test(policy_award, per_contract_cap)
{
	policy p = mk("[{\"upto_fen\":100000000,\"rate_bp\":150},{\"upto_fen\":null,\"rate_bp\":100}]",
		      "\"cap_per_contract_fen\":2000000,", "shares");
	award_calc r;
	/* 5,000,000 yuan → 15,000 + 40,000 = 55,000 yuan, capped at 20,000 */
	cr_assert_eq(award_compute(&p, 500000000, NULL, &r, NULL), 0);
	cr_assert_eq(r.uncapped_fen, 5500000);
	cr_assert_eq(r.award_fen, 2000000);
	cr_assert_eq(r.capped, 1);
	/* exactly at the cap: 1,500,000 yuan → 20,000 yuan, not marked capped */
	cr_assert_eq(award_compute(&p, 150000000, NULL, &r, NULL), 0);
	cr_assert_eq(r.award_fen, 2000000);
	cr_assert_eq(r.capped, 0);
	cr_assert_eq(award_compute(&p, 150000100, NULL, &r, NULL), 0);
	cr_assert_eq(r.uncapped_fen, 2000001);
	cr_assert_eq(r.award_fen, 2000000);
	cr_assert_eq(r.capped, 1);
}

Test(policy_award, us_model_fifteen_percent_of_licensing_only)
{
	policy p = mk("[{\"upto_fen\":null,\"rate_bp\":1500}]", "\"contract_types\":[\"技术转让\"],", "shares");
	award_calc r;
	cr_assert_eq(award_compute(&p, 12345678, "技术转让", &r, NULL), 0);
	cr_assert_eq(r.award_fen, 1851852); /* 1,851,851.7 fen */
	cr_assert_eq(award_compute(&p, 12345678, "技术开发", &r, NULL), 0);
	cr_assert_eq(r.covered, 0);
	cr_assert_eq(r.award_fen, 0);
}

Test(policy_award, refuses_negative_and_huge_amounts)
{
	policy p = dflt();
	award_calc r;
	cf_err e;
	r.award_fen = 77;
	cr_assert_eq(award_compute(&p, -1, NULL, &r, &e), CF_EINVAL);
	cr_assert_eq(award_compute(&p, POLICY_MAX_AMOUNT_FEN + 1, NULL, &r, &e), CF_EINVAL);
	cr_assert_eq(r.award_fen, 77);
	cr_assert_eq(award_compute(&p, POLICY_MAX_AMOUNT_FEN, NULL, &r, &e), 0);
	/* 1e14 fen: 1.5e6 yuan on the first tier + 1% of the rest */
	cr_assert_eq(r.award_fen, INT64_C(1500000) + (POLICY_MAX_AMOUNT_FEN - 100000000) / 100);
}

Test(policy_award, split_three_brokers_by_largest_remainder)
{
	int64_t w[3] = {5000, 3000, 2000}, parts[3];
	/* 185,185 fen: 92,592.5 / 55,555.5 / 37,037 — the tie of remainders goes to the first */
	cr_assert_eq(award_split(185185, w, 3, parts, NULL), 0);
	cr_assert_eq(parts[0], 92593);
	cr_assert_eq(parts[1], 55555);
	cr_assert_eq(parts[2], 37037);
	int64_t thirds[3] = {3333, 3333, 3334}, t[3];
	/* 100 fen over 3333/3333/3334 bp: 33.33, 33.33, 33.34 → the largest remainder is the third */
	cr_assert_eq(award_split(100, thirds, 3, t, NULL), 0);
	cr_assert_eq(t[0], 33);
	cr_assert_eq(t[1], 33);
	cr_assert_eq(t[2], 34);
	/* 2 fen over equal thirds: the first two get one each */
	int64_t eq[3] = {1, 1, 1};
	cr_assert_eq(award_split(2, eq, 3, t, NULL), 0);
	cr_assert_eq(t[0], 1);
	cr_assert_eq(t[1], 1);
	cr_assert_eq(t[2], 0);
}

Test(policy_award, split_refuses_bad_weights)
{
	int64_t z[2] = {0, 0}, neg[2] = {5000, -1}, parts[2] = {9, 9};
	cr_assert_eq(award_split(100, z, 2, parts, NULL), CF_EINVAL);
	cr_assert_eq(award_split(100, neg, 2, parts, NULL), CF_EINVAL);
	cr_assert_eq(award_split(100, z, 0, parts, NULL), CF_EINVAL);
	cr_assert_eq(parts[0], 9);
}

Test(policy_award, distribute_equal_bar_and_year_cap)
{
	policy eq = mk("[{\"upto_fen\":null,\"rate_bp\":1500}]", "\"cap_per_broker_year_fen\":1000000,", "equal");
	award_broker b[3] = {{7000, 0, 0}, {2000, 950000, 0}, {1000, 0, 1}};
	award_part p[3];
	/* 3,000,000 fen split equally, whatever the shares */
	cr_assert_eq(award_distribute(&eq, 3000000, b, 3, p, NULL), 0);
	cr_assert_eq(p[0].split_fen, 1000000);
	cr_assert_eq(p[0].grant_fen, 1000000);
	cr_assert_eq(p[0].reason, AWARD_GRANTED);
	/* the second has 9,500 yuan this year already: only 500 yuan of room under the 10,000 cap */
	cr_assert_eq(p[1].split_fen, 1000000);
	cr_assert_eq(p[1].grant_fen, 50000);
	cr_assert_eq(p[1].reason, AWARD_YEAR_CAP);
	/* the third is on the dishonesty list */
	cr_assert_eq(p[2].split_fen, 1000000);
	cr_assert_eq(p[2].grant_fen, 0);
	cr_assert_eq(p[2].reason, AWARD_BARRED);
}

/* xorshift64*: a fixed seed keeps the property runs reproducible. */
static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Du;
}

Test(policy_award, property_monotone_and_marginal_rate_bounded)
{
	policy p = dflt();
	int i;
	for (i = 0; i < 200000; i++) {
		/* amounts spread over 0 .. 100 million yuan, with many near the tier bound */
		int64_t a = (i % 4 == 0) ? 99990000 + (int64_t)(next() % 20000) : (int64_t)(next() % INT64_C(10000000000));
		int64_t d = (int64_t)(next() % 1000000), fa = award(&p, a), fb = award(&p, a + d);
		cr_assert_geq(fb, fa, "award decreased from %lld to %lld fen", (long long)a, (long long)(a + d));
		/* the highest tier is 150 bp: the award grows by at most 1.5% of d, plus one fen of rounding */
		cr_assert_leq((fb - fa) * 10000, d * 150 + 10000, "marginal rate above 1.5%% at %lld", (long long)a);
		cr_assert_leq(fa * 10000, a * 150 + 5000);
	}
}

Test(policy_award, property_splits_sum_exactly)
{
	int i;
	for (i = 0; i < 50000; i++) {
		int64_t total = (int64_t)(next() % INT64_C(100000000000)), w[10], parts[10], sum = 0, wsum = 0;
		size_t n = 1 + next() % 10, k;
		for (k = 0; k < n; k++)
			wsum += (w[k] = (int64_t)(next() % 10001));
		if (wsum == 0)
			w[0] = wsum = 1;
		cr_assert_eq(award_split(total, w, n, parts, NULL), 0);
		for (k = 0; k < n; k++) {
			__int128 exact_floor = (__int128)total * w[k] / wsum;
			sum += parts[k];
			cr_assert(parts[k] == exact_floor || parts[k] == exact_floor + 1, "part %zu off its quota", k);
		}
		cr_assert_eq(sum, total);
	}
}

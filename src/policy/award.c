/*
 * award — segmented cumulative awards, caps and largest-remainder splits; see award.h.
 */
#include "policy/award.h"

#include <string.h>



int award_compute(const policy *p, int64_t amount_fen, const char *ctype, award_calc *out, cf_err *e)
{
	award_calc r;
	int64_t lo = 0;
	size_t i;

	if (amount_fen < 0 || amount_fen > POLICY_MAX_AMOUNT_FEN)
		return cf_err_set(e, CF_EINVAL, "amount", "amount must be between 0 and 1,000,000,000,000.00 yuan");
	memset(&r, 0, sizeof r);
	r.amount_fen = amount_fen;
	r.covered = !ctype || policy_covers_type(p, ctype);
	/* §四.4: each slice of the amount earns its own tier's rate (1.5% up to 1,000,000 yuan,
	 * 1% above, under the default); the slices are summed exactly, in 1/10000 fen. */
	for (i = 0; r.covered && i < p->ntiers && lo < amount_fen; i++) {
		int64_t hi = p->tiers[i].upto_fen < amount_fen ? p->tiers[i].upto_fen : amount_fen;
		award_tier_line *t = &r.tiers[r.ntiers++];
		t->from_fen = lo;
		t->upto_fen = hi;
		t->rate_bp = p->tiers[i].rate_bp;
		t->part_fen = hi - lo;
		t->exact_e4 = t->part_fen * t->rate_bp; /* ≤ 1e14 × 1e4: fits int64 */
		r.exact_e4 += t->exact_e4;
		lo = hi;
	}
	/* Round half-up to the fen, once, on the exact total (docs/awards.md). */
	r.uncapped_fen = (r.exact_e4 + 5000) / 10000;
	r.award_fen = r.uncapped_fen;
	if (p->cap_contract_fen >= 0 && r.award_fen > p->cap_contract_fen) {
		r.award_fen = p->cap_contract_fen;
		r.capped = 1;
	}
	*out = r;
	return 0;
}

int award_split(int64_t total_fen, const int64_t *weights, size_t n, int64_t *parts, cf_err *e)
{
	__int128 sum = 0, given = 0;
	size_t i;

	if (n == 0)
		return cf_err_set(e, CF_EINVAL, "brokers", "an award needs at least one broker to split among");
	if (total_fen < 0)
		return cf_err_set(e, CF_EINVAL, "award", "a negative award cannot be split");
	for (i = 0; i < n; i++) {
		if (weights[i] < 0)
			return cf_err_set(e, CF_EINVAL, "brokers", "broker %zu has a negative share", i + 1);
		sum += weights[i];
	}
	if (sum == 0)
		return cf_err_set(e, CF_EINVAL, "brokers", "the brokers' shares sum to zero");
	for (i = 0; i < n; i++) {
		parts[i] = (int64_t)((__int128)total_fen * weights[i] / sum);
		given += parts[i];
	}
	/* Largest remainder (Hamilton): hand the fen left over, one each, to the largest
	 * remainders total×w mod sum; ties go to the broker listed first. Fewer than n fen are
	 * left, so each broker gets at most one. */
	while (given < total_fen) {
		size_t best = n;
		__int128 best_rem = -1;
		for (i = 0; i < n; i++) {
			__int128 rem = (__int128)total_fen * weights[i] % sum;
			/* a broker who already got its extra fen has its remainder spent */
			if ((__int128)parts[i] * sum > (__int128)total_fen * weights[i])
				continue;
			if (rem > best_rem) {
				best_rem = rem;
				best = i;
			}
		}
		parts[best]++;
		given++;
	}
	return 0;
}

int award_distribute(const policy *p, int64_t award_fen, const award_broker *b, size_t n, award_part *parts,
		     cf_err *e)
{
	int64_t w[64] = {0}, split[64] = {0};
	size_t i;
	int rc;

	if (n > 64)
		return cf_err_set(e, CF_EINVAL, "brokers", "a contract may list at most 64 brokers");
	for (i = 0; i < n; i++)
		w[i] = p->split == POLICY_SPLIT_EQUAL ? 1 : b[i].share_bp;
	if ((rc = award_split(award_fen, w, n, split, e)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		parts[i].split_fen = split[i];
		parts[i].grant_fen = split[i];
		parts[i].reason = AWARD_GRANTED;
		if (b[i].barred) {
			parts[i].grant_fen = 0;
			parts[i].reason = split[i] > 0 ? AWARD_BARRED : AWARD_GRANTED;
			if (split[i] > 0)
				continue;
		}
		if (p->cap_broker_year_fen >= 0) {
			int64_t room = p->cap_broker_year_fen - b[i].year_to_date_fen;
			if (room < 0)
				room = 0;
			if (parts[i].grant_fen > room) {
				parts[i].grant_fen = room;
				parts[i].reason = AWARD_YEAR_CAP;
			}
		}
	}
	return 0;
}

/*
 * award — the broker award of one contract under one policy version, to the fen.
 *
 * The rule (docs/awards.md): each tier's part of the amount times its rate in basis points is
 * an exact integer in units of 1/10000 fen; the parts are summed exactly and the total is
 * rounded half-up to the fen once (never per tier). A per-contract cap then applies. The award
 * is split among the brokers by largest remainder, so the parts always sum to the total; a
 * broker barred (dishonesty list) or over the per-broker-per-year cap has the excess withheld,
 * never handed to the others.
 */
#ifndef CF_POLICY_AWARD_H
#define CF_POLICY_AWARD_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "policy/policy.h"

/* One tier's contribution. */
typedef struct award_tier_line {
	int64_t from_fen, upto_fen; /* the slice of the tier's range; upto_fen = POLICY_OPEN_FEN when open */
	int32_t rate_bp;
	int64_t part_fen; /* how much of the amount falls in this tier */
	int64_t exact_e4; /* part_fen × rate_bp: the exact award in 1/10000 fen */
} award_tier_line;

typedef struct award_calc {
	int64_t amount_fen;
	int covered;            /* 0 when the policy does not reward this contract type */
	int64_t exact_e4;       /* sum of the tiers, 1/10000 fen, exact */
	int64_t uncapped_fen;   /* exact_e4 rounded half-up to the fen, once */
	int64_t award_fen;      /* after the per-contract cap */
	int capped;             /* 1 when the per-contract cap cut the award */
	award_tier_line tiers[POLICY_MAX_TIERS];
	size_t ntiers;          /* tiers that got a non-empty part */
} award_calc;

/* Computes the award of amount_fen under p for a contract of type ctype (NULL: any type).
 * CF_EINVAL when amount_fen is negative or above POLICY_MAX_AMOUNT_FEN; *out untouched then. */
int award_compute(const policy *p, int64_t amount_fen, const char *ctype, award_calc *out, cf_err *e);

/* Splits total_fen into n parts in proportion to weights (all >= 0, sum > 0) by largest
 * remainder: each part is floor(total × w / sum), and the fen left over go one each to the
 * largest fractional remainders (ties to the earlier index). The parts sum to total_fen.
 * CF_EINVAL on n == 0, a negative weight, a zero sum or a negative total. */
int award_split(int64_t total_fen, const int64_t *weights, size_t n, int64_t *parts, cf_err *e);

/* One broker's place in a contract, as award_distribute needs it. */
typedef struct award_broker {
	int64_t share_bp;          /* recorded share of the contract's brokerage, basis points */
	int64_t year_to_date_fen;  /* awards already granted to this broker in the sign year */
	int barred;                /* 1 while the broker is on the dishonesty list */
} award_broker;

enum award_reason { AWARD_GRANTED = 0, AWARD_BARRED = 1, AWARD_YEAR_CAP = 2 };

typedef struct award_part {
	int64_t split_fen;  /* the broker's part of the award */
	int64_t grant_fen;  /* what is granted after the bar and the per-broker-per-year cap */
	int reason;         /* enum award_reason: why grant_fen < split_fen, AWARD_GRANTED otherwise */
} award_part;

/* Splits award_fen among n brokers under p's split rule and applies bars and the per-broker
 * year cap. parts has n slots. CF_EINVAL as award_split (e.g. all shares zero). */
int award_distribute(const policy *p, int64_t award_fen, const award_broker *b, size_t n, award_part *parts,
		     cf_err *e);

#endif

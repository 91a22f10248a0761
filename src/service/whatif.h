/*
 * whatif — the recorded contracts' awards under several policy versions side by side
 * (SPEC C4 "What-if"): totals, per-broker distribution, and the contracts whose award changes.
 */
#ifndef CF_SERVICE_WHATIF_H
#define CF_SERVICE_WHATIF_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "policy/policy.h"
#include "store/store.h"

/* Recomputes, under each version ids[0..n) of ps, the award of every contract signed from
 * from to to (inclusive; INT32_MIN/INT32_MAX for open ends) that is not decided fraudulent.
 * Each version's per-contract cap and per-broker-per-year cap apply (the year cap in sign
 * date order); the dishonesty list does not (it depends on when a decision was taken).
 * CF_ENOTFOUND names an unknown version id. */
int whatif_run(store *s, const policy_set *ps, const char *const *ids, size_t n, int32_t from, int32_t to, json_t **out,
	       cf_err *e);

#endif

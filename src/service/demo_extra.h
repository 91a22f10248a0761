/*
 * demo_extra (service) — the parts of the synthetic Wenzhou demo that live outside the
 * registry's entity tables and so cannot go through model/demo_gen's record sink:
 *
 *   - technology contracts (四技) with brokers, awards, decisions, a fraud case, the
 *     dishonesty list and the fulfilment ledger (tables of 010_contracts), written through
 *     service/contracts and service/ledgers;
 *   - the yearly tables of 030_analytics: enterprise_years (the ladder, 2018–2021, ending at
 *     the registry's flags), platform_years and indicator_series (U1./U2.).
 *
 * Both read the registry rows demo_gen has just written, run inside the caller's transaction
 * and draw from their own random stream of the seed, so the same seed gives the same rows.
 * Their volumes and assumptions are under "params" in data/demo/profile.json.
 */
#ifndef CF_SERVICE_DEMO_EXTRA_H
#define CF_SERVICE_DEMO_EXTRA_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

typedef struct demo_extra_stats {
	int64_t contracts, approved, paid, flagged, fraud;
	int64_t awards, ledger_entries;
	int64_t enterprise_years, platform_years, series_points;
} demo_extra_stats;

/* Generates the technology contracts from params.contracts of the profile (p is the
 * profile's "params" object). The related-party check runs on one ownership graph built
 * once from the registry (the same edges service/contracts.c builds for each check, plus
 * every broker's), and approvals write the same rows as contracts_approve, with the award
 * from the policy room's engine under the version in force on the sign date; registration,
 * payment and the fraud decision are service/contracts calls. CF_EINVAL naming the profile
 * key for bad params; store errors. */
int demo_contracts(store *s, uint64_t seed, const json_t *p, demo_extra_stats *st, cf_err *e);

/* Generates enterprise_years, platform_years and indicator_series from params.years of the
 * profile and data/paper_figures.json. CF_EINVAL naming the key; CF_EINTERNAL when the
 * registry's flag counts cannot be reached by the yearly counts asked for. */
int demo_years(store *s, uint64_t seed, const json_t *p, demo_extra_stats *st, cf_err *e);

#endif

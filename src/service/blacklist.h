/*
 * blacklist — the serious dishonesty list (严重失信名单) in the store.
 *
 * A listing runs from start_date to end_date inclusive and ends by itself: every question
 * is asked for a date, so no job has to remove anything. Parties are enterprises by USCC and
 * brokers as "broker:ID". Other rooms ask blacklist_listed before granting policy support.
 */
#ifndef CF_SERVICE_BLACKLIST_H
#define CF_SERVICE_BLACKLIST_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* Sets *listed to 1 (and *until to the last listed day, when until is not NULL) when party is
 * on the list on day, else 0. */
int blacklist_listed(store *s, const char *party, int32_t day, int *listed, int32_t *until, cf_err *e);
/* Adds a listing of ban_years years from start (end = start + ban_years years - 1 day). The
 * caller holds a transaction when it joins other writes. */
int blacklist_add(store *s, const char *party, const char *party_kind, const char *reason, int64_t decision_id,
		  const char *policy_id, int32_t start, int ban_years, cf_err *e);
/* Listings in force on day (all = 0) or every listing ever (all = 1), as JSON. */
int blacklist_list(store *s, int32_t day, int all, json_t **out, cf_err *e);

#endif

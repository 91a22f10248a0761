/*
 * contracts — technology contracts (四技) and broker awards, from registration to payment or
 * clawback (SPEC C4, §四.4).
 *
 * The life of a contract: contracts_add (registered) → contracts_check (related-party flags,
 * each with its evidence path) → contracts_approve (the award under the policy version in
 * force on the sign date, split among the brokers, one ledger commitment per broker; a
 * flagged contract needs an officer's override with a reason, recorded as a decision and a
 * ledger entry) → contracts_pay (ledger payments) — or contracts_fraud at any point after
 * approval (every award clawed back through the ledger, the responsible parties listed on
 * the serious dishonesty list for the policy's ban length).
 *
 * Results are JSON objects (jansson, a new reference for the caller) so that cli/ and api/
 * render the same thing. Every write is one transaction.
 */
#ifndef CF_SERVICE_CONTRACTS_H
#define CF_SERVICE_CONTRACTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "policy/policy.h"
#include "policy/related.h"
#include "store/store.h"

/* Registers a contract from JSON:
 *   {"reg_no": "...", "type": "技术开发|技术转让|技术咨询|技术服务", "title": "...",
 *    "buyer_uscc": "...", "seller_uscc": "...", "amount": "1,234.56" (yuan text) or
 *    "amount_fen": 123456, "sign_date": "YYYY-MM-DD",
 *    "brokers": [{"broker_id": 3, "share_bp": 6000}, ...]}   (shares sum to 10000)
 * and sets *id. CF_EINVAL with a JSON path for bad input; CF_ECONFLICT for a taken reg_no;
 * CF_EFORBIDDEN when the buyer or seller is on the dishonesty list on today. */
int contracts_add(store *s, const json_t *in, int32_t today, int64_t *id, cf_err *e);
/* The contract with its brokers, awards and decisions. CF_ENOTFOUND. */
int contracts_get(store *s, int64_t id, json_t **out, cf_err *e);
/* Every contract (summary rows), newest first. */
int contracts_list(store *s, json_t **out, cf_err *e);
/* The related-party flags of contract id under the policy in force on its sign date:
 * {"policy": ID, "flags": [{"kind", "who", "path", "steps": [...]}]}. */
int contracts_check(store *s, const policy_set *ps, int64_t id, json_t **out, cf_err *e);
/* Approves contract id on day today by officer. When the check raises flags, override_reason
 * must be given (CF_ECONFLICT otherwise, the message listing the flags). Returns the award. */
int contracts_approve(store *s, const policy_set *ps, int64_t id, const char *officer, const char *override_reason,
		      int32_t today, json_t **out, cf_err *e);
/* Pays every committed award of contract id (ledger payments). CF_ECONFLICT unless approved. */
int contracts_pay(store *s, int64_t id, int32_t today, json_t **out, cf_err *e);
/* Decides contract id fraudulent: every award committed or paid is clawed back through the
 * ledger and each responsible party ("buyer", "seller", "broker:ID") is listed for the ban
 * length of the contract's policy from today. */
int contracts_fraud(store *s, const policy_set *ps, int64_t id, const char *const *parties, size_t nparties,
		    const char *reason, const char *officer, int32_t today, json_t **out, cf_err *e);

/* The related-party flags f[0..nf) as the JSON array contracts_check reports: each flag's
 * kind, who, evidence path and steps (from, to, rel, share_bp for holdings). New reference. */
json_t *contracts_flags_json(const rp_flag *f, size_t nf);

#endif

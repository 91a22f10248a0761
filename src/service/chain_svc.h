/*
 * chain_svc — the chain analysis over the registry: builds the city's supply graph from the
 * supplies table, runs the chain engine (src/chain), keeps the two lists (断链断供风险点清单,
 * 卡脖子清单) in chain_list_entries with the bureau's edits, and derives spillover and the
 * two-chain coverage map. Results are JSON (jansson) shared by the CLI and the REST API.
 */
#ifndef CF_SERVICE_CHAIN_SVC_H
#define CF_SERVICE_CHAIN_SVC_H

#include <jansson.h>

#include "base/err.h"
#include "store/store.h"

/* Risk of one "5+5" chain (by name, e.g. "泵阀"): recomputes and stores both lists (the
 * bureau's status/note/own entries survive), and returns {chain, firms, classes,
 * choke_points, break_list, choke_list, spillover}. *out is owned by the caller
 * (json_decref). CF_ENOTFOUND when no such chain; CF_EIO on database errors. */
int chain_svc_risk(store *s, const char *industry, json_t **out, cf_err *e);

/* Cascade of one node: node is an enterprise id ("123") or an outside supplier's name.
 * Returns {node, name, grounded, stopped_value_fen, final_products, cascade:[{id,name}]}. */
int chain_svc_cascade(store *s, const char *node, json_t **out, cf_err *e);

/* Two-chain coverage map of one chain (industry) or of all chains (industry NULL): per
 * segment its risk (output at stake behind break points) against the innovation resources
 * linked to it (platforms, achievements, teams; open demands), gaps ranked by risk per unit
 * of coverage (weights in data/chain/coverage.json); and per platform the local absorptive
 * capacity of its field. */
int chain_svc_gaps(store *s, const char *industry, json_t **out, cf_err *e);

/* Scenario over the city's supply graph: stop every enterprise of county (may be NULL), the
 * named supplier (enterprise id or outside supplier name; may be NULL), and/or cut every
 * foreign source of input cut_foreign (may be NULL). Returns {stopped:[{id,name,chain_id,
 * value_fen}], stopped_n, stopped_value_fen, by_chain:{name: n}}. CF_EINVAL when nothing is
 * given, CF_ENOTFOUND for an unknown supplier. */
int chain_svc_scenario(store *s, const char *county, const char *supplier, const char *cut_foreign, json_t **out,
		       cf_err *e);

/* The stored lists of a chain: {break_list, choke_list}. */
int chain_svc_lists(store *s, const char *industry, json_t **out, cf_err *e);

/* Bureau edit of a list entry. action: "add" (new entry of origin bureau: list, key, title,
 * note), "annotate" (note), "dismiss", "reopen". Returns the entry. CF_ENOTFOUND when the
 * entry (or chain) does not exist, CF_EINVAL for a bad list/action, CF_ECONFLICT when adding
 * a key that exists. */
int chain_svc_edit(store *s, const char *industry, const char *list, const char *key, const char *action,
		   const char *title, const char *note, json_t **out, cf_err *e);

#endif

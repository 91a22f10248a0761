/*
 * service/match — joins the store and the matchmaking engine (SPEC C2).
 *
 * Builds a match_index from the registry's rows (achievements, demands, platforms, teams,
 * instruments, enterprises), turns a row into a query (a demand looks for achievements,
 * platforms, teams, instruments; an achievement for enterprises and demands) and keeps the
 * index in step with single rows (match_service_sync after a create, update or delete, as the
 * change journal reports them).
 * Visibility: a query from a row the viewer may not see fails with CF_ENOTFOUND, exactly as
 * a row that does not exist; hidden rows never appear among the hits (the index filters).
 */
#ifndef CF_SERVICE_MATCH_H
#define CF_SERVICE_MATCH_H

#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/err.h"
#include "match/index.h"
#include "match/weights.h"
#include "model/viewer.h"
#include "store/store.h"
#include "text/tokenize.h"

/* The engine and what it needs, built once (per process or CLI run). */
typedef struct match_service {
	text_tokenizer *tok;
	match_index *ix;
	match_weights w;
	store *db; /* borrowed; also used to read feedback texts */
} match_service;

/* Loads the weights and stop words (data/), builds the index from every matchable row of db.
 * *out is zeroed on failure. Free with match_service_free(). */
int match_service_open(store *db, match_service *out, cf_err *e);
void match_service_free(match_service *ms);

/* Brings one row into step with the store: re-reads row id of ent and replaces it in the
 * index, or removes it when the row is gone; for an enterprise also its demands, which take
 * firm size, county and industry from it. Entities that are not matchable are ignored. */
int match_service_sync(match_service *ms, const cf_entity *ent, int64_t id, cf_err *e);

/* Matches row id of src (a demand, an achievement, ...) against documents of kind, as who
 * sees them. CF_ENOTFOUND when the row is absent or hidden from who. */
int match_service_for_row(match_service *ms, const cf_viewer *who, const cf_entity *src, int64_t id, int kind,
			  int k, arena *a, match_result *out, cf_err *e);
/* Matches free text (with optional attributes) against documents of kind, as who sees them. */
int match_service_for_text(match_service *ms, const cf_viewer *who, const char *text, const match_attrs *attrs,
			   int kind, int k, arena *a, match_result *out, cf_err *e);

/* ---- The process-wide index (the HTTP server) ----
 * Built from the store on the first call (as the bureau sees it), then kept in step through
 * the change journal (migration 040_match_journal: triggers add one entry per written row of
 * the six matchable tables, whoever writes — this process's REST calls, a CLI import, another
 * server, plain SQL). Before each query the index compares the journal's newest seq with the
 * last one it applied (two index look-ups) and, when behind, re-reads just the rows the new
 * entries name (match_service_sync); it rebuilds instead when more than 50,000 entries are
 * pending or entries it needed were trimmed away (match_journal_trim). So a change committed
 * before a query is in its answer, without a rebuild. Queries run in parallel under a reader
 * lock; catching up takes the writer lock. db is the calling thread's own store handle.
 * *weights_version (in a) names the weights used. Errors as match_service_for_row / _for_text,
 * or the store's when the journal cannot be read. */
int match_shared_for_row(store *db, const cf_viewer *who, const cf_entity *src, int64_t id, int kind, int k,
			 arena *a, match_result *out, const char **weights_version, cf_err *e);
int match_shared_for_text(store *db, const cf_viewer *who, const char *text, const match_attrs *attrs, int kind,
			  int k, arena *a, match_result *out, const char **weights_version, cf_err *e);
/* How many times the process-wide index has been built (tests: 1 after many queries). */
uint64_t match_shared_builds(void);
/* Drops the process-wide index (the next query rebuilds it) and the pooled tokenizers. */
void match_shared_reset(void);

/* Keeps the change journal bounded: deletes all but its newest 100,000 entries (a reader
 * further behind than that rebuilds once, as it would for 50,000 pending changes anyway).
 * Called by writers of many rows (the CSV import) after their commit, and by the server
 * when the journal has grown past the bound. Errors are the store's. */
int match_journal_trim(store *db, cf_err *e);

/* The matchable kind of an entity ("achievement" → MK_ACHIEVEMENT), or -1. */
int match_service_kind_of(const cf_entity *ent);
/* The entity of a kind; NULL for kinds without a registry entity (expert). */
const cf_entity *match_service_entity_of(int kind);
/* Fills attrs from the query form of the attributes: industry code, county name, budget in
 * fen, TRL, firm size name ("micro", "small", "medium", "large"); NULL/0 for unknown. */
int match_service_attrs(const char *industry, const char *county, int64_t budget_fen, int trl,
			const char *firm_size, match_attrs *attrs, cf_err *e);

/* The hits of r as JSON, {"hits":[{id, kind, score, text_score, terms:[{term, score}],
 * signals:{name: contribution}}]}, the one shape the API and the CLI print. New reference owned
 * by the caller, who may add keys. */
json_t *match_hits_json(const match_result *r);

#endif

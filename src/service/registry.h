/*
 * registry — the registry's use cases (SPEC C1): create, update, delete, get and list rows of
 * any entity of model/schema.h, with validation the store alone cannot do.
 *
 * Callers are the HTTP API (api/h_*.c), the CSV import (service/import.c) and the CLI. Every
 * write runs record_check() (shape: money, dates, USCC, counties, enums, bounds) and then the
 * reference checks that need the database: an FT_REF id names an existing row, every id of an
 * FT_IDLIST exists, an FT_INDUSTRY code is in the loaded industry table. A failure returns
 * CF_EINVAL (CF_ECONFLICT for a taken unique value, CF_ENOTFOUND for a missing row) with
 * e->where set to the field name, so the API can render "$.field" and the import
 * "FILE:ROW:COLUMN".
 *
 * The viewer decides what may be read and written: the bureau everything; an enterprise or a
 * platform only the rows it owns (cf_entity.owner); everyone else reads only. A row the viewer
 * may not see is CF_ENOTFOUND, never CF_EFORBIDDEN, so that its existence is not revealed.
 */
#ifndef CF_SERVICE_REGISTRY_H
#define CF_SERVICE_REGISTRY_H

#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/schema.h"
#include "model/viewer.h"
#include "store/store.h"

/* Prepares a freshly opened store for the registry: when the industry table is empty, inserts
 * the built-in GB/T 4754-2017 sections and divisions (20 + 97 rows). Idempotent. */
int registry_open(store *s, cf_err *e);

/* Validates r (record_check with creating = 1, then references) and inserts it; sets r->id.
 * CF_EFORBIDDEN when who may not create rows of this entity (or for another owner). */
int registry_create(store *s, const cf_viewer *who, cf_record *r, cf_err *e);
/* Validates r (every field, as a full replacement of row r->id) and stores it.
 * CF_ENOTFOUND when the row does not exist or who may not see it. */
int registry_update(store *s, const cf_viewer *who, const cf_record *r, cf_err *e);
/* Deletes row id of ent. CF_ENOTFOUND when absent or hidden from who; CF_ECONFLICT when
 * other rows refer to it. */
int registry_delete(store *s, const cf_viewer *who, const cf_entity *ent, int64_t id, cf_err *e);
/* Reads row id of ent as who may see it; strings live in a. */
int registry_get(store *s, const cf_viewer *who, const cf_entity *ent, int64_t id, arena *a, cf_record *r,
		 cf_err *e);
/* Lists rows of ent (q->who is replaced by who); rows live in a. */
int registry_list(store *s, const cf_viewer *who, const cf_entity *ent, const store_query *q, arena *a,
		  store_page *out, cf_err *e);

/* Reference checks alone (the part of registry_create that needs the database): every present
 * FT_REF, FT_IDLIST and FT_INDUSTRY value of r. Used by the import, which checks whole files
 * before writing. The first problem is returned with e->where = field name. */
int registry_check_refs(store *s, const cf_record *r, cf_err *e);

/* Whether the industry code is accepted for an FT_INDUSTRY field: 0 when the code is in the
 * industry table, or — when only sections and divisions are loaded — a 3- or 4-digit code
 * whose 2-digit division is; CF_EINVAL with a message otherwise. */
int registry_industry_ok(store *s, const char *code, size_t n, cf_err *e);

/* Called after a successful registry_create, registry_update or registry_delete with the
 * store that made the change (its transaction, if any, still open), the entity and the row
 * id; a listener re-reads the row (absent: deleted). Listeners keep derived state in step
 * within this process. (The match index does not listen: it follows the database's change
 * journal, migration 040_match_journal, which also sees other processes' writes.) */
typedef void (*registry_listener_fn)(void *ctx, store *s, const cf_entity *ent, int64_t id);
/* Adds a listener (up to 8, for the life of the process); thread-safe, idempotent for the
 * same fn and ctx. CF_ETOOBIG when the table is full. */
int registry_listen(registry_listener_fn fn, void *ctx, cf_err *e);
/* Tells the listeners that row id of ent changed (or is gone). registry_create, _update and
 * _delete call it themselves; writers that go to the store directly (the CSV import) do
 * not. */
void registry_changed(store *s, const cf_entity *ent, int64_t id);

#endif

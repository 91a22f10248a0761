/* demo (service) — the demo generator's sink into the store; see demo.h. */
#include "service/demo.h"

#include <string.h>

#include "model/viewer.h"
#include "service/registry.h"

static int sink(void *ctx, cf_record *r, cf_err *e)
{
	store *s = ctx;
	if (!strcmp(r->ent->name, "industry")) {
		int64_t id;
		int rc = store_find(s, r->ent, "code", r->v[0].s, &id, e);
		if (rc == 0) {
			r->id = id;
			return 0;
		}
		if (rc != CF_ENOTFOUND)
			return rc;
		cf_err_clear(e);
	}
	return store_insert(s, r, e);
}

int demo_count_rows(store *s, int64_t *n, cf_err *e)
{
	int64_t tot = 0, c;
	size_t k;
	int rc;
	for (k = 0; k < cf_nentities; k++) {
		if (!strcmp(cf_entities[k]->name, "industry"))
			continue;
		if ((rc = store_count(s, cf_entities[k], &cf_viewer_bureau, &c, e)) < 0)
			return rc;
		tot += c;
	}
	*n = tot;
	return 0;
}

int demo_load(store *s, uint64_t seed, demo_progress_fn progress, void *progress_ctx, demo_stats *st, cf_err *e)
{
	demo_opts o;
	int rc;

	memset(&o, 0, sizeof o);
	o.seed = seed;
	o.sink = sink;
	o.sink_ctx = s;
	o.progress = progress;
	o.progress_ctx = progress_ctx;
	/* The built-in sections and divisions first (reference data, not synthetic), as every
	 * command that writes the registry does; the generator adds the classes it uses. */
	if ((rc = registry_open(s, e)) < 0)
		return rc;
	if ((rc = store_begin(s, e)) < 0)
		return rc;
	if ((rc = demo_generate(&o, st, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, e)) < 0) {
		store_rollback(s);
		return rc;
	}
	return 0;
}

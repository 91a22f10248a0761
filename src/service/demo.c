/* demo (service) — the demo generator's sink into the store; see demo.h. */
#include "service/demo.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/path.h"
#include "model/viewer.h"
#include "service/demo_extra.h"
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

/* The profile's "params" object (a new reference). */
static int load_params(json_t **out, cf_err *e)
{
	char p[4096];
	json_error_t je;
	json_t *root, *params;
	if (path_data("demo/profile.json", p, sizeof p) < 0)
		return cf_err_set(e, CF_EIO, "demo/profile.json", "cannot find the data folder");
	if (!(root = json_load_file(p, 0, &je)))
		return cf_err_set(e, CF_EINVAL, p, "%d:%d: %s", je.line, je.column, je.text);
	params = json_object_get(root, "params");
	if (!json_is_object(params)) {
		json_decref(root);
		return cf_err_set(e, CF_EINVAL, "profile.json:params", "is required (an object)");
	}
	json_incref(params);
	json_decref(root);
	*out = params;
	return 0;
}

int demo_load(store *s, uint64_t seed, demo_progress_fn progress, void *progress_ctx, demo_stats *st, cf_err *e)
{
	return demo_load_all(s, seed, progress, progress_ctx, st, NULL, e);
}

int demo_load_all(store *s, uint64_t seed, demo_progress_fn progress, void *progress_ctx, demo_stats *st,
		  demo_extra_stats *xst, cf_err *e)
{
	demo_opts o;
	demo_extra_stats xs;
	json_t *params = NULL;
	int rc;

	memset(&o, 0, sizeof o);
	o.seed = seed;
	o.sink = sink;
	o.sink_ctx = s;
	o.progress = progress;
	o.progress_ctx = progress_ctx;
	/* The built-in sections and divisions first (reference data, not synthetic), as every
	 * command that writes the registry does; the generator adds the classes it uses. */
	memset(&xs, 0, sizeof xs);
	if ((rc = load_params(&params, e)) < 0)
		return rc;
	if ((rc = registry_open(s, e)) < 0)
		goto done;
	if ((rc = store_begin(s, e)) < 0)
		goto done;
	/* the registry first, then what refers to it: contracts, then the yearly tables
	 * (CHAINFUSE_LOG=debug shows the CPU seconds of each part) */
	{
		clock_t t0 = clock(), t1, t2;
		if ((rc = demo_generate(&o, st, e)) < 0)
			goto undo;
		t1 = clock();
		if ((rc = demo_contracts(s, seed, params, &xs, e)) < 0)
			goto undo;
		t2 = clock();
		if ((rc = demo_years(s, seed, params, &xs, e)) < 0)
			goto undo;
		log_debug("demo: registry %.2f s, contracts %.2f s, yearly tables %.2f s (CPU)", (double)(t1 - t0) / CLOCKS_PER_SEC,
			  (double)(t2 - t1) / CLOCKS_PER_SEC, (double)(clock() - t2) / CLOCKS_PER_SEC);
	}
	if ((rc = store_commit(s, e)) < 0) {
		store_rollback(s);
		goto done;
	}
	if (xst)
		*xst = xs;
	goto done;
undo:
	store_rollback(s);
done:
	json_decref(params);
	return rc;
}

/* weights — parse data/match/weights.json into match_weights; see weights.h. */
#include "match/weights.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/path.h"

static const char *const signal_names[MS_COUNT] = {"industry", "segment", "trl_fit",
						   "budget",   "locality", "contracts"};

const char *match_signal_name(int s)
{
	return s >= 0 && s < MS_COUNT ? signal_names[s] : NULL;
}

/* Reads a number at obj.key into *out; must lie in [lo, hi]. */
static int num(json_t *obj, const char *parent, const char *key, double lo, double hi, double *out, cf_err *e)
{
	char where[128];
	json_t *v = json_object_get(obj, key);

	snprintf(where, sizeof where, "%s.%s", parent, key);
	if (!json_is_number(v))
		return cf_err_set(e, CF_EINVAL, where, "a number is required");
	*out = json_number_value(v);
	if (!(*out >= lo && *out <= hi))
		return cf_err_set(e, CF_EINVAL, where, "%g is outside [%g, %g]", *out, lo, hi);
	return 0;
}

/* $.feedback.rounds: an array of at most MATCH_FB_ROUNDS {docs, score_power, lambda}. */
static int fb_rounds(json_t *arr, match_weights *w, cf_err *e)
{
	char where[64];
	size_t i;
	double d;
	int rc;

	if (!json_is_array(arr) || json_array_size(arr) > MATCH_FB_ROUNDS)
		return cf_err_set(e, CF_EINVAL, "$.feedback.rounds", "an array of at most %d rounds is required",
				  MATCH_FB_ROUNDS);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *r = json_array_get(arr, i);
		snprintf(where, sizeof where, "$.feedback.rounds[%zu]", i);
		if (!json_is_object(r))
			return cf_err_set(e, CF_EINVAL, where, "an object is required");
		if ((rc = num(r, where, "docs", 0, 100, &d, e)) ||
		    (rc = num(r, where, "score_power", 0, 100, &w->fb_round[i].score_power, e)) ||
		    (rc = num(r, where, "lambda", 0, 1, &w->fb_round[i].lambda, e)))
			return rc;
		w->fb_round[i].docs = (int)d;
	}
	return 0;
}

static json_t *obj(json_t *root, const char *key, cf_err *e, int *rc)
{
	char where[64];
	json_t *v = json_object_get(root, key);
	if (!json_is_object(v)) {
		snprintf(where, sizeof where, "$.%s", key);
		*rc = cf_err_set(e, CF_EINVAL, where, "an object is required");
		return NULL;
	}
	return v;
}

int match_weights_load(const char *path, match_weights *out, cf_err *e)
{
	static const char *const ind[4] = {"class", "group", "division", "section"};
	static const char *const loc[3] = {"county", "city", "province"};
	static const char *const size[4] = {"micro", "small", "medium", "large"};
	match_weights w;
	json_error_t je;
	json_t *root = NULL, *o;
	buf b;
	double d;
	int rc, i;

	memset(&w, 0, sizeof w);
	buf_init(&b, 1u << 20);
	if ((rc = path_read_file(path, &b, e)))
		goto fail;
	root = json_loadb(b.p, b.len, 0, &je);
	if (!root) {
		char where[300];
		snprintf(where, sizeof where, "%.200s:%d:%d", path, je.line, je.column);
		rc = cf_err_set(e, CF_EINVAL, where, "%s", je.text);
		goto fail;
	}
	o = json_object_get(root, "version");
	snprintf(w.version, sizeof w.version, "%s", json_is_string(o) ? json_string_value(o) : "");
	if (!(o = obj(root, "bm25", e, &rc)) || (rc = num(o, "$.bm25", "k1", 0, 100, &w.k1, e)) ||
	    (rc = num(o, "$.bm25", "b", 0, 1, &w.b, e)))
		goto fail;
	if ((rc = num(root, "$", "query_tf_k3", 0, 1e6, &w.k3, e)) || (rc = num(root, "$", "text", 0, 1e6, &w.text, e)) ||
	    (rc = num(root, "$", "rerank_pool", 1, 100000, &d, e)))
		goto fail;
	w.rerank_pool = (int)d;
	if ((rc = num(root, "$", "max_query_terms", 0, 100000, &d, e)))
		goto fail;
	w.max_query_terms = (int)d;
	if ((rc = num(root, "$", "taat_min_terms", 0, 100000, &d, e)))
		goto fail;
	w.taat_min_terms = (int)d;
	if (!(o = obj(root, "signals", e, &rc)))
		goto fail;
	for (i = 0; i < MS_COUNT; i++)
		if ((rc = num(o, "$.signals", signal_names[i], 0, 1e6, &w.signal[i], e)))
			goto fail;
	if (!(o = obj(root, "industry_levels", e, &rc)))
		goto fail;
	for (i = 0; i < 4; i++)
		if ((rc = num(o, "$.industry_levels", ind[i], 0, 1, &w.industry_level[i], e)))
			goto fail;
	if (!(o = obj(root, "locality_levels", e, &rc)))
		goto fail;
	for (i = 0; i < 3; i++)
		if ((rc = num(o, "$.locality_levels", loc[i], 0, 1, &w.locality_level[i], e)))
			goto fail;
	if (!(o = obj(root, "trl_required", e, &rc)))
		goto fail;
	for (i = 0; i < 4; i++) {
		if ((rc = num(o, "$.trl_required", size[i], 1, 9, &d, e)))
			goto fail;
		w.trl_required[i + 1] = (int)d;
	}
	if ((rc = num(root, "$", "trl_ramp", 0.5, 9, &w.trl_ramp, e)) ||
	    (rc = num(root, "$", "contracts_half", 0.01, 1e6, &w.contracts_half, e)))
		goto fail;
	if (!(o = obj(root, "feedback", e, &rc)) || (rc = num(o, "$.feedback", "terms", 0, 1000, &d, e)))
		goto fail;
	w.fb_terms = (int)d;
	if ((rc = num(o, "$.feedback", "idf_power", 0, 10, &w.fb_idf_power, e)) ||
	    (rc = num(o, "$.feedback", "min_df", 0, 1e9, &d, e)))
		goto fail;
	w.fb_min_df = (int)d;
	if ((rc = fb_rounds(json_object_get(o, "rounds"), &w, e)))
		goto fail;
	if ((rc = num(o, "$.feedback", "max_query_terms", 0, 100000, &d, e)))
		goto fail;
	w.fb_max_query_terms = (int)d;
	*out = w;
	rc = 0;
fail:
	json_decref(root);
	buf_free(&b);
	return rc;
}

int match_weights_load_default(match_weights *w, cf_err *e)
{
	char path[4096];
	if (path_data("match/weights.json", path, sizeof path))
		return cf_err_set(e, CF_ETOOBIG, NULL, "data path too long");
	return match_weights_load(path, w, e);
}

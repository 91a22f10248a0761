/*
 * policy — loads policy versions from JSON (jansson) and picks the version in force.
 *
 * Every value is checked where it is read, and the first bad one is reported with its JSON
 * path ("$.award.tiers[1].rate_bp"), so an officer editing a policy file learns exactly
 * which number is wrong. Unknown keys are refused too: a misspelt "cap_per_contract" would
 * otherwise silently mean "no cap".
 */
#include "policy/policy.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/path.h"

const char *const policy_contract_types[4] = {"技术开发", "技术转让", "技术咨询", "技术服务"};

/* The parsing context: source file name and the error to fill. */
typedef struct pctx {
	const char *file;
	cf_err *e;
} pctx;

static int bad(pctx *c, const char *path, const char *fmt, const char *detail)
{
	char where[256];
	snprintf(where, sizeof where, "%s: %s", c->file, path);
	return cf_err_set(c->e, CF_EINVAL, where, fmt, detail ? detail : "");
}

/* Refuses keys of o not listed in allowed (NULL-terminated). */
static int only_keys(pctx *c, json_t *o, const char *path, const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		const char *const *a;
		int ok = 0;
		for (a = allowed; *a; a++)
			if (!strcmp(*a, k))
				ok = 1;
		if (!ok) {
			char p[200];
			snprintf(p, sizeof p, "%s.%s", path, k);
			return bad(c, p, "unknown key \"%s\"", k);
		}
	}
	return 0;
}

static int get_str(pctx *c, json_t *o, const char *path, const char *key, int required, char *out,
		   size_t size)
{
	char p[200];
	json_t *v = json_object_get(o, key);
	snprintf(p, sizeof p, "%s.%s", path, key);
	if (!v || json_is_null(v)) {
		if (required)
			return bad(c, p, "required text is missing%s", NULL);
		out[0] = '\0';
		return 0;
	}
	if (!json_is_string(v))
		return bad(c, p, "must be text%s", NULL);
	if (json_string_length(v) == 0 && required)
		return bad(c, p, "must not be empty%s", NULL);
	if (json_string_length(v) >= size)
		return bad(c, p, "is too long%s", NULL);
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* An integer in [lo, hi]; null or absent gives dflt when allow_null, else an error. */
static int get_int(pctx *c, json_t *o, const char *path, const char *key, int64_t lo, int64_t hi,
		   int allow_null, int64_t dflt, int64_t *out)
{
	char p[200], msg[160];
	json_t *v = json_object_get(o, key);
	snprintf(p, sizeof p, "%s.%s", path, key);
	if (!v || json_is_null(v)) {
		if (!allow_null)
			return bad(c, p, "required integer is missing%s", NULL);
		*out = dflt;
		return 0;
	}
	if (!json_is_integer(v))
		return bad(c, p, "must be an integer (fen and basis points are whole numbers)%s", NULL);
	if (json_integer_value(v) < lo || json_integer_value(v) > hi) {
		snprintf(msg, sizeof msg, " %lld..%lld", (long long)lo, (long long)hi);
		return bad(c, p, "must be in%s", msg);
	}
	*out = json_integer_value(v);
	return 0;
}

static int get_date(pctx *c, json_t *o, const char *key, int allow_null, int32_t dflt, int32_t *out)
{
	char p[200];
	cf_err de;
	json_t *v = json_object_get(o, key);
	snprintf(p, sizeof p, "$.%s", key);
	if (!v || json_is_null(v)) {
		if (!allow_null)
			return bad(c, p, "required date is missing%s", NULL);
		*out = dflt;
		return 0;
	}
	if (!json_is_string(v))
		return bad(c, p, "must be a date \"YYYY-MM-DD\"%s", NULL);
	if (date_parse(json_string_value(v), json_string_length(v), out, &de) != 0)
		return bad(c, p, "%s", de.msg);
	return 0;
}

static int parse_tiers(pctx *c, json_t *award, policy *p)
{
	static const char *const tier_keys[] = {"upto_fen", "rate_bp", NULL};
	json_t *tiers = json_object_get(award, "tiers"), *t;
	size_t i;
	int64_t prev = 0, v;
	char path[80];
	int rc;

	if (!tiers || !json_is_array(tiers))
		return bad(c, "$.award.tiers", "must be a list of {upto_fen, rate_bp}%s", NULL);
	if (json_array_size(tiers) == 0)
		return bad(c, "$.award.tiers", "must hold at least one tier%s", NULL);
	if (json_array_size(tiers) > POLICY_MAX_TIERS)
		return bad(c, "$.award.tiers", "has too many tiers%s", NULL);
	json_array_foreach(tiers, i, t) {
		int last = i + 1 == json_array_size(tiers);
		snprintf(path, sizeof path, "$.award.tiers[%zu]", i);
		if (!json_is_object(t))
			return bad(c, path, "must be an object {upto_fen, rate_bp}%s", NULL);
		if ((rc = only_keys(c, t, path, tier_keys)) != 0)
			return rc;
		if ((rc = get_int(c, t, path, "rate_bp", 0, 10000, 0, 0, &v)) != 0)
			return rc;
		p->tiers[i].rate_bp = (int32_t)v;
		if ((rc = get_int(c, t, path, "upto_fen", 1, POLICY_MAX_AMOUNT_FEN, 1, POLICY_OPEN_FEN, &v)) != 0)
			return rc;
		if (v == POLICY_OPEN_FEN && !last) {
			snprintf(path, sizeof path, "$.award.tiers[%zu].upto_fen", i);
			return bad(c, path, "only the last tier may be open (null)%s", NULL);
		}
		if (v != POLICY_OPEN_FEN && last) {
			snprintf(path, sizeof path, "$.award.tiers[%zu].upto_fen", i);
			return bad(c, path, "the last tier must be open (null) so every amount is covered%s", NULL);
		}
		if (v <= prev) {
			snprintf(path, sizeof path, "$.award.tiers[%zu].upto_fen", i);
			return bad(c, path, "bounds must increase from tier to tier%s", NULL);
		}
		p->tiers[i].upto_fen = v;
		prev = v;
	}
	p->ntiers = json_array_size(tiers);
	return 0;
}

static int parse_award(pctx *c, json_t *root, policy *p)
{
	static const char *const award_keys[] = {"tiers", "cap_per_contract_fen", "cap_per_broker_year_fen",
						  "split", "contract_types", NULL};
	json_t *award = json_object_get(root, "award"), *types;
	char split[16];
	int64_t v;
	int rc;

	if (!award || !json_is_object(award))
		return bad(c, "$.award", "must be an object%s", NULL);
	if ((rc = only_keys(c, award, "$.award", award_keys)) != 0 || (rc = parse_tiers(c, award, p)) != 0)
		return rc;
	if ((rc = get_int(c, award, "$.award", "cap_per_contract_fen", 0, POLICY_MAX_AMOUNT_FEN, 1, -1, &v)) != 0)
		return rc;
	p->cap_contract_fen = v;
	if ((rc = get_int(c, award, "$.award", "cap_per_broker_year_fen", 0, POLICY_MAX_AMOUNT_FEN, 1, -1, &v)) != 0)
		return rc;
	p->cap_broker_year_fen = v;
	if ((rc = get_str(c, award, "$.award", "split", 1, split, sizeof split)) != 0)
		return rc;
	if (!strcmp(split, "shares"))
		p->split = POLICY_SPLIT_SHARES;
	else if (!strcmp(split, "equal"))
		p->split = POLICY_SPLIT_EQUAL;
	else
		return bad(c, "$.award.split", "must be \"shares\" or \"equal\"%s", NULL);

	types = json_object_get(award, "contract_types");
	p->ntypes = 0;
	if (types && !json_is_null(types)) {
		size_t i, k;
		json_t *t;
		char path[80];
		if (!json_is_array(types) || json_array_size(types) == 0 || json_array_size(types) > POLICY_MAX_TYPES)
			return bad(c, "$.award.contract_types", "must be null or a list of 1 to 4 of 技术开发/技术转让/技术咨询/技术服务%s", NULL);
		json_array_foreach(types, i, t) {
			int found = 0;
			snprintf(path, sizeof path, "$.award.contract_types[%zu]", i);
			for (k = 0; k < 4; k++)
				if (json_is_string(t) && !strcmp(json_string_value(t), policy_contract_types[k]))
					found = 1;
			if (!found)
				return bad(c, path, "must be one of 技术开发, 技术转让, 技术咨询, 技术服务%s", NULL);
			snprintf(p->types[i], sizeof p->types[i], "%s", json_string_value(t));
		}
		p->ntypes = json_array_size(types);
	}
	return 0;
}

int policy_parse(const char *text, size_t n, const char *file, policy *out, cf_err *e)
{
	static const char *const root_keys[] = {"id",		"name",	     "name_en",	       "source",
						"in_force",	"effective_from", "effective_to", "award",
						"clawback",	"ban_years", "payment_due_days", "related_party",
						NULL};
	static const char *const rp_keys[] = {"min_share_bp", "max_depth", "broker_min_share_bp", NULL};
	pctx c = {file ? file : "policy", e};
	json_error_t je;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je), *v, *rp;
	policy *p = NULL;
	char clawback[16];
	int64_t x;
	int rc = CF_EINVAL;
	const char *s;

	if (!root) {
		char where[256];
		snprintf(where, sizeof where, "%s:%d:%d", c.file, je.line, je.column);
		return cf_err_set(e, CF_EINVAL, where, "not valid JSON: %s", je.text);
	}
	p = calloc(1, sizeof *p);
	if (!p) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if (!json_is_object(root)) {
		rc = bad(&c, "$", "must be an object%s", NULL);
		goto fail;
	}
	if ((rc = only_keys(&c, root, "$", root_keys)) != 0 ||
	    (rc = get_str(&c, root, "$", "id", 1, p->id, sizeof p->id)) != 0)
		goto fail;
	for (s = p->id; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.')) {
			rc = bad(&c, "$.id", "must use only a-z, 0-9, '-', '_' and '.'%s", NULL);
			goto fail;
		}
	if ((rc = get_str(&c, root, "$", "name", 1, p->name, sizeof p->name)) != 0 ||
	    (rc = get_str(&c, root, "$", "name_en", 0, p->name_en, sizeof p->name_en)) != 0)
		goto fail;
	v = json_object_get(root, "source");
	if (v && !json_is_string(v) && !json_is_null(v)) {
		rc = bad(&c, "$.source", "must be text%s", NULL);
		goto fail;
	}
	v = json_object_get(root, "in_force");
	if (!v || !json_is_boolean(v)) {
		rc = bad(&c, "$.in_force", "must be true or false%s", NULL);
		goto fail;
	}
	p->in_force = json_is_true(v);
	if ((rc = get_date(&c, root, "effective_from", 0, 0, &p->from)) != 0 ||
	    (rc = get_date(&c, root, "effective_to", 1, POLICY_OPEN_DATE, &p->to)) != 0)
		goto fail;
	if (p->to < p->from) {
		rc = bad(&c, "$.effective_to", "must not be before effective_from%s", NULL);
		goto fail;
	}
	if ((rc = parse_award(&c, root, p)) != 0)
		goto fail;
	if ((rc = get_str(&c, root, "$", "clawback", 1, clawback, sizeof clawback)) != 0)
		goto fail;
	if (strcmp(clawback, "all") != 0) {
		rc = bad(&c, "$.clawback", "must be \"all\" (the whole award is clawed back, §四.4)%s", NULL);
		goto fail;
	}
	if ((rc = get_int(&c, root, "$", "ban_years", 0, 50, 0, 0, &x)) != 0)
		goto fail;
	p->ban_years = (int)x;
	if ((rc = get_int(&c, root, "$", "payment_due_days", 1, 3650, 0, 0, &x)) != 0)
		goto fail;
	p->payment_due_days = (int)x;
	rp = json_object_get(root, "related_party");
	if (!rp || !json_is_object(rp)) {
		rc = bad(&c, "$.related_party", "must be an object {min_share_bp, max_depth, broker_min_share_bp}%s", NULL);
		goto fail;
	}
	if ((rc = only_keys(&c, rp, "$.related_party", rp_keys)) != 0 ||
	    (rc = get_int(&c, rp, "$.related_party", "min_share_bp", 1, 10000, 0, 0, &x)) != 0)
		goto fail;
	p->rp_min_share_bp = (int32_t)x;
	if ((rc = get_int(&c, rp, "$.related_party", "max_depth", 1, 10, 0, 0, &x)) != 0)
		goto fail;
	p->rp_max_depth = (int)x;
	if ((rc = get_int(&c, rp, "$.related_party", "broker_min_share_bp", 1, 10000, 0, 0, &x)) != 0)
		goto fail;
	p->rp_broker_min_share_bp = (int32_t)x;

	*out = *p;
	rc = 0;
fail:
	free(p);
	json_decref(root);
	return rc;
}

policy_set *policy_set_create(void) { return calloc(1, sizeof(policy_set)); }

static int overlaps(const policy *a, const policy *b) { return a->from <= b->to && b->from <= a->to; }

int policy_set_add(policy_set *s, const policy *p, cf_err *e)
{
	size_t i, at;
	policy *nv;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i].id, p->id))
			return cf_err_set(e, CF_ECONFLICT, p->id, "policy id \"%s\" is defined twice", p->id);
		if (p->in_force && s->v[i].in_force && overlaps(p, &s->v[i]))
			return cf_err_set(e, CF_ECONFLICT, p->id,
					  "in-force versions \"%s\" and \"%s\" overlap in time; close one with effective_to",
					  s->v[i].id, p->id);
	}
	nv = realloc(s->v, (s->n + 1) * sizeof *nv);
	if (!nv)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	s->v = nv;
	for (at = s->n; at > 0 && strcmp(s->v[at - 1].id, p->id) > 0; at--)
		s->v[at] = s->v[at - 1];
	s->v[at] = *p;
	s->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int policy_set_load_dir(const char *dir, policy_set **out, cf_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, i;
	policy_set *s = NULL;
	buf b;
	int rc = 0;

	buf_init(&b, 1 << 20);
	if (!d)
		return cf_err_set(e, CF_EIO, dir, "cannot open the policy folder");
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char **nn;
		if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0 || de->d_name[0] == '.')
			continue;
		nn = realloc(names, (n + 1) * sizeof *nn);
		if (!nn || !(nn[n] = strdup(de->d_name))) {
			names = nn ? nn : names;
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		names = nn;
		n++;
	}
	if (n == 0) {
		rc = cf_err_set(e, CF_ENOTFOUND, dir, "no policy files (*.json) in this folder");
		goto fail;
	}
	qsort(names, n, sizeof *names, cmp_str);
	if (!(s = policy_set_create())) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		policy p;
		int w = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (w < 0 || (size_t)w >= sizeof path) {
			rc = cf_err_set(e, CF_ETOOBIG, dir, "path too long");
			goto fail;
		}
		buf_reset(&b);
		if ((rc = path_read_file(path, &b, e)) != 0 || (rc = policy_parse(b.p, b.len, path, &p, e)) != 0 ||
		    (rc = policy_set_add(s, &p, e)) != 0)
			goto fail;
	}
	*out = s;
	s = NULL;
fail:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	buf_free(&b);
	policy_set_free(s);
	return rc;
}

int policy_set_load_default(policy_set **out, cf_err *e)
{
	char dir[4096];
	if (path_data("policies", dir, sizeof dir) != 0)
		return cf_err_set(e, CF_ETOOBIG, NULL, "data path too long");
	return policy_set_load_dir(dir, out, e);
}

const policy *policy_set_find(const policy_set *s, const char *id)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].id, id))
			return &s->v[i];
	return NULL;
}

const policy *policy_set_at(const policy_set *s, int32_t day)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (s->v[i].in_force && s->v[i].from <= day && day <= s->v[i].to)
			return &s->v[i];
	return NULL;
}

void policy_set_free(policy_set *s)
{
	if (!s)
		return;
	free(s->v);
	free(s);
}

int policy_covers_type(const policy *p, const char *t)
{
	size_t i;
	if (p->ntypes == 0)
		return 1;
	for (i = 0; i < p->ntypes; i++)
		if (!strcmp(p->types[i], t))
			return 1;
	return 0;
}

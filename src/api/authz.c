/*
 * authz — the authorization table: which role may call which route. The table is data,
 * data/auth/authz.json, read once at server start (authz_load, called by api_start); the
 * router's caller (auth.c) asks authz_decide() for every request. A route the table does not
 * name is denied to everyone, so a room that adds a route must add its line there.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/path.h"

#define AUTHZ_FILE "auth/authz.json"

typedef struct authz_rule {
	char *method;
	char *pattern;
	const char *summary; /* points into summaries[] */
	unsigned char d[ROLE_COUNT];
} authz_rule;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_rc;
static cf_err load_err;
static authz_rule *rules;
static size_t nrules;
static json_t *doc; /* kept for the summaries' storage */

static int decision_parse(json_t *v, unsigned char *out)
{
	const char *s = json_string_value(v);
	if (!s)
		return -1;
	if (!strcmp(s, "allow"))
		*out = AUTHZ_ALLOW;
	else if (!strcmp(s, "owner"))
		*out = AUTHZ_OWNER;
	else if (!strcmp(s, "deny"))
		*out = AUTHZ_DENY;
	else
		return -1;
	return 0;
}

static int fail_at(const char *file, size_t i, const char *key, const char *msg)
{
	char where[1400];
	snprintf(where, sizeof where, "%s:$.rules[%zu]%s%s", file, i, key ? "." : "", key ? key : "");
	return cf_err_set(&load_err, CF_EINVAL, where, "%s", msg);
}

/* Fills one rule per route named in rule i. */
static int add_rule(const char *file, size_t i, json_t *r)
{
	json_t *routes = json_object_get(r, "routes"), *rt, *v;
	unsigned char base_all = AUTHZ_DENY, base_in = 0xff, d[ROLE_COUNT];
	const char *key;
	size_t k;
	int role;

	if (!json_is_array(routes) || json_array_size(routes) == 0)
		return fail_at(file, i, "routes", "a non-empty array of \"METHOD /pattern\" is required");
	json_object_foreach(r, key, v)
	{
		if (!strcmp(key, "routes") || !strcmp(key, "summary"))
			continue;
		if (strcmp(key, "all") && strcmp(key, "signed_in") && viewer_role_parse(key) < 0)
			return fail_at(file, i, key, "unknown key: expected routes, summary, all, signed_in or a role name");
		if (decision_parse(v, &d[0]) != 0)
			return fail_at(file, i, key, "the decision must be \"allow\", \"owner\" or \"deny\"");
	}
	if ((v = json_object_get(r, "all")))
		decision_parse(v, &base_all);
	if ((v = json_object_get(r, "signed_in")))
		decision_parse(v, &base_in);
	for (role = 0; role < ROLE_COUNT; role++) {
		d[role] = role == ROLE_PUBLIC || base_in == 0xff ? base_all : base_in;
		if ((v = json_object_get(r, viewer_role_name((cf_role)role))))
			decision_parse(v, &d[role]);
	}
	if (d[ROLE_PUBLIC] == AUTHZ_OWNER)
		return fail_at(file, i, "public", "the public owns nothing: use allow or deny");
	json_array_foreach(routes, k, rt)
	{
		const char *s = json_string_value(rt), *sp;
		authz_rule *nr;
		size_t j;
		if (!s || !(sp = strchr(s, ' ')) || sp == s || sp[1] != '/')
			return fail_at(file, i, "routes", "each route is \"METHOD /pattern\"");
		for (j = 0; j < nrules; j++)
			if ((size_t)(sp - s) == strlen(rules[j].method) && !memcmp(rules[j].method, s, (size_t)(sp - s)) &&
			    !strcmp(rules[j].pattern, sp + 1))
				return fail_at(file, i, "routes", "a route is named twice in the table");
		nr = realloc(rules, (nrules + 1) * sizeof *rules);
		if (!nr)
			return cf_err_set(&load_err, CF_ENOMEM, NULL, "out of memory");
		rules = nr;
		rules[nrules].method = strndup(s, (size_t)(sp - s));
		rules[nrules].pattern = strdup(sp + 1);
		rules[nrules].summary = json_string_value(json_object_get(r, "summary"));
		memcpy(rules[nrules].d, d, sizeof d);
		if (!rules[nrules].method || !rules[nrules].pattern) {
			free(rules[nrules].method);
			free(rules[nrules].pattern);
			return cf_err_set(&load_err, CF_ENOMEM, NULL, "out of memory");
		}
		nrules++;
	}
	return 0;
}

static void load_once(void)
{
	char path[1024];
	buf b;
	json_error_t je;
	json_t *arr, *r;
	size_t i;
	const struct api_route *rt;

	cf_err_clear(&load_err);
	if (path_data(AUTHZ_FILE, path, sizeof path) != 0) {
		load_rc = cf_err_set(&load_err, CF_ETOOBIG, AUTHZ_FILE, "data path too long");
		return;
	}
	buf_init(&b, 4u << 20);
	load_rc = path_read_file(path, &b, &load_err);
	if (load_rc) {
		buf_free(&b);
		return;
	}
	doc = json_loadb(buf_cstr(&b), b.len, JSON_REJECT_DUPLICATES, &je);
	buf_free(&b);
	if (!doc) {
		load_rc = cf_err_set(&load_err, CF_EINVAL, path, "%d:%d: %s", je.line, je.column, je.text);
		return;
	}
	arr = json_object_get(doc, "rules");
	if (!json_is_array(arr)) {
		load_rc = cf_err_set(&load_err, CF_EINVAL, path, "$.rules must be an array");
		return;
	}
	json_array_foreach(arr, i, r)
	{
		if (!json_is_object(r)) {
			load_rc = fail_at(path, i, NULL, "a rule is an object");
			return;
		}
		if ((load_rc = add_rule(path, i, r)) != 0)
			return;
	}
	/* Routes without a rule are denied to everyone; say so once, at start. */
	for (rt = api_routes(); rt; rt = rt->next) {
		int found = 0;
		for (i = 0; i < nrules && !found; i++)
			found = !strcmp(rules[i].method, rt->method) && !strcmp(rules[i].pattern, rt->pattern);
		if (!found)
			log_warn("authz: %s %s has no rule in data/%s: denied to every role", rt->method, rt->pattern,
				 AUTHZ_FILE);
	}
}

int authz_load(cf_err *e)
{
	pthread_once(&once, load_once);
	if (load_rc && e)
		*e = load_err;
	return load_rc;
}

authz_decision authz_decide(const char *method, const char *pattern, cf_role role, const char **summary)
{
	size_t i;
	if (summary)
		*summary = NULL;
	if (authz_load(NULL) != 0 || (unsigned)role >= ROLE_COUNT)
		return AUTHZ_DENY;
	for (i = 0; i < nrules; i++)
		if (!strcmp(rules[i].method, method) && !strcmp(rules[i].pattern, pattern)) {
			if (summary)
				*summary = rules[i].summary;
			return (authz_decision)rules[i].d[role];
		}
	return AUTHZ_DENY;
}

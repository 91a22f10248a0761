/*
 * auth — who is asking, and may they: runs before every handler (server.c calls
 * auth_request once the route is known). It resolves the cf_session cookie to a user
 * (service/accounts.c; no cookie or a dead one: the anonymous public), requires the
 * session's X-CSRF-Token on state-changing requests, and applies the route's rule from the
 * authorization table (authz.c): deny → 401 anonymous / 403 signed in; owner on a generic
 * registry route → the row must belong to the viewer's enterprise/platform/broker (a row the
 * viewer cannot see is 404 exactly as a missing one); owner elsewhere → rq->owner_only.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "service/accounts.h"
#include "service/registry.h"

#define COOKIE_NAME "cf_session"

/* The value of cookie name in a Cookie header, copied into a; NULL when absent. */
static const char *cookie_value(arena *a, const char *header, const char *name)
{
	size_t nl = strlen(name);
	const char *p = header;
	while (p && *p) {
		const char *end;
		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) > nl && !strncmp(p, name, nl) && p[nl] == '=')
			return arena_strndup(a, p + nl + 1, (size_t)(end - p - nl - 1));
		p = end;
	}
	return NULL;
}

static int state_changing(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

/* The registry entity a generic route serves, or NULL for any other route. */
static const cf_entity *route_entity(const struct api_route *route)
{
	size_t i;
	for (i = 0; i < cf_nentities; i++)
		if (route->ctx == (const void *)cf_entities[i])
			return cf_entities[i];
	return NULL;
}

/* Reads a JSON id (integer or decimal text); 0 when it is neither. */
static int64_t json_id(json_t *v)
{
	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_string(v)) {
		char *end;
		long long x = strtoll(json_string_value(v), &end, 10);
		if (end != json_string_value(v) && !*end)
			return (int64_t)x;
	}
	return 0;
}

/* "owner" on a generic registry route: the row (or the new row) must be the viewer's. */
static int registry_owner(api_req *rq, api_res *rs, const struct api_route *route, const cf_entity *ent, cf_err *e)
{
	const cf_viewer *who = rq->who;
	const char *kind = who->role == ROLE_ENTERPRISE ? "enterprise"
			   : who->role == ROLE_PLATFORM ? "platform"
			   : who->role == ROLE_BROKER	? "broker"
							: NULL;
	int64_t mine = who->role == ROLE_ENTERPRISE ? who->enterprise_id
		       : who->role == ROLE_PLATFORM ? who->platform_id
		       : who->role == ROLE_BROKER   ? who->broker_id
						    : 0;
	int self = kind && !strcmp(ent->name, kind);
	int of = -1;

	if (!kind || mine <= 0)
		return api_problem(rs, 403, NULL, "your account is not linked to a %s", kind ? kind : "row it owns");
	if (!self) {
		of = ent->owner ? schema_field(ent, ent->owner) : -1;
		if (of < 0 || !ent->fields[of].ref || strcmp(ent->fields[of].ref, kind))
			return api_problem(rs, 403, NULL, "a %s user may not do this", kind);
	}
	if (strstr(route->pattern, "{id}")) {
		cf_record r;
		int64_t id, owner;
		int rc = api_param_id(rq, rs, "id", &id);
		if (rc)
			return rc;
		rc = registry_get(rq->db, who, ent, id, rq->a, &r, e);
		if (rc == CF_ENOTFOUND)
			return api_problem(rs, 404, NULL, "no %s with id %lld", ent->name, (long long)id);
		if (rc)
			return rc;
		owner = self ? id : (r.v[of].present ? r.v[of].i : 0);
		if (owner != mine)
			return api_problem(rs, 403, NULL, "this %s belongs to another %s", ent->name, kind);
		if (!self && json_is_object(rq->body) && json_object_get(rq->body, ent->owner) &&
		    json_id(json_object_get(rq->body, ent->owner)) != mine)
			return api_problem(rs, 403, arena_printf(rq->a, "$.%s", ent->owner), "a %s cannot give its rows to another %s",
					   kind, kind);
		return 0;
	}
	if (self)
		return api_problem(rs, 403, NULL, "a %s user may not do this", kind);
	if (!strcmp(rq->method, "GET")) {
		/* Restrict the list to the viewer's rows with one more filter on the owner field. */
		api_kv *q = arena_alloc(rq->a, (rq->nquery + 1) * sizeof *q);
		if (!q)
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		if (rq->nquery)
			memcpy(q, rq->query, rq->nquery * sizeof *q);
		q[rq->nquery].name = ent->owner;
		q[rq->nquery].value = arena_printf(rq->a, "%lld", (long long)mine);
		rq->query = q;
		rq->nquery++;
		return 0;
	}
	if (json_is_object(rq->body)) {
		json_t *v = json_object_get(rq->body, ent->owner);
		if (!v || json_is_null(v))
			json_object_set_new(rq->body, ent->owner, json_integer(mine));
		else if (json_id(v) != mine)
			return api_problem(rs, 403, arena_printf(rq->a, "$.%s", ent->owner), "a %s creates rows only for itself",
					   kind);
	}
	return 0;
}

int auth_request(api_req *rq, api_res *rs, const struct api_route *route, cf_err *e)
{
	const char *token = cookie_value(rq->a, rq->cookie, COOKIE_NAME);
	authz_decision d;

	rq->who = &cf_viewer_public;
	if (token && *token) {
		acct_user u;
		char csrf[ACCT_TOKEN_HEX];
		int64_t sid = 0;
		cf_err se;
		int rc = accounts_session(rq->db, token, &u, csrf, &sid, &se);
		if (rc == 0) {
			cf_viewer *v = arena_alloc(rq->a, sizeof *v);
			if (!v)
				return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			accounts_viewer(&u, v);
			rq->who = v;
			rq->session_token = token;
			rq->session_id = sid;
			rq->csrf_token = arena_strdup(rq->a, csrf);
		} else if (rc != CF_EAUTH) {
			*e = se;
			return rc;
		}
	}
	if (rq->session_id && state_changing(rq->method) && strcmp(route->pattern, "/api/v1/auth/login") != 0) {
		const char *h = rq->csrf_header;
		if (!h || strlen(h) != strlen(rq->csrf_token) || sodium_memcmp(h, rq->csrf_token, strlen(h)) != 0)
			return api_problem(rs, 403, NULL,
					   "a state-changing request needs the session's X-CSRF-Token header");
	}
	d = authz_decide(route->method, route->pattern, rq->who->role, NULL);
	if (d == AUTHZ_DENY) {
		if (rq->who->role == ROLE_PUBLIC)
			return api_problem(rs, 401, NULL, "log in first: this needs an account");
		return api_problem(rs, 403, NULL, "the %s role may not %s %s", viewer_role_name(rq->who->role),
				   route->method, route->pattern);
	}
	if (d == AUTHZ_OWNER) {
		const cf_entity *ent = route_entity(route);
		if (ent)
			return registry_owner(rq, rs, route, ent, e);
		rq->owner_only = 1;
	}
	return 0;
}

/*
 * h_users — account administration for the bureau (the authorization table allows no
 * other role):
 *   GET    /api/v1/users            → {"items":[user...],"total"}
 *   POST   /api/v1/users            {"username","password","role","display_name",
 *                                     "enterprise_id"|"platform_id"|"broker_id"} → 201
 *   GET    /api/v1/users/{id}
 *   PATCH  /api/v1/users/{id}       {"role","display_name","enterprise_id","platform_id",
 *                                     "broker_id","disabled","password"} (any of them) → 200
 *   DELETE /api/v1/users/{id}       → 204 (not one's own account: 409)
 * A user is shown with the login shape plus "disabled" and "created_at"; password hashes
 * never leave service/accounts.c.
 */
#include <string.h>

#include "api/api.h"
#include "service/accounts.h"

json_t *api_user_json(const acct_user *u);

static json_t *admin_json(const acct_user *u)
{
	json_t *o = api_user_json(u);
	if (o) {
		json_object_set_new(o, "disabled", json_boolean(u->disabled));
		json_object_set_new(o, "created_at", json_string(u->created_at));
	}
	return o;
}

/* Reads the body into f; 422 listing every bad key. create: the create keys are allowed. */
static int read_fields(api_req *rq, api_res *rs, acct_fields *f, int create)
{
	static const char *const keys[] = {"username", "password", "role", "display_name", "enterprise_id",
					   "platform_id", "broker_id", "disabled", NULL};
	json_t *errs, *v;
	const char *k;
	memset(f, 0, sizeof *f);
	f->role = -1;
	f->disabled = -1;
	if (!json_is_object(rq->body))
		return api_problem(rs, 422, "$", "a JSON object body is required");
	errs = json_array();
	if (!errs)
		return CF_ENOMEM;
#define BAD(key, msg)                                                                                      \
	do {                                                                                               \
		json_t *one = json_object();                                                               \
		json_object_set_new(one, "path", json_sprintf("$.%s", key));                                \
		json_object_set_new(one, "detail", json_string(msg));                                       \
		json_array_append_new(errs, one);                                                          \
	} while (0)
	json_object_foreach(rq->body, k, v)
	{
		size_t i;
		int known = 0;
		for (i = 0; keys[i]; i++)
			known |= !strcmp(keys[i], k);
		if (!known || (!create && !strcmp(k, "username")) || (create && !strcmp(k, "disabled"))) {
			BAD(k, "unknown field here");
			continue;
		}
		if (!strcmp(k, "username") || !strcmp(k, "password") || !strcmp(k, "display_name")) {
			if (!json_is_string(v) && !(json_is_null(v) && !strcmp(k, "display_name"))) {
				BAD(k, "must be a string");
				continue;
			}
			if (!strcmp(k, "username"))
				f->username = json_string_value(v);
			else if (!strcmp(k, "password"))
				f->password = json_string_value(v);
			else
				f->display_name = json_is_null(v) ? "" : json_string_value(v);
		} else if (!strcmp(k, "role")) {
			int r = json_is_string(v) ? viewer_role_parse(json_string_value(v)) : -1;
			if (r <= 0)
				BAD(k, "must be one of bureau, enterprise, platform, broker, expert, fund");
			else
				f->role = r;
		} else if (!strcmp(k, "disabled")) {
			if (!json_is_boolean(v))
				BAD(k, "must be true or false");
			else
				f->disabled = json_is_true(v);
		} else {
			int64_t id = 0;
			if (json_is_integer(v) && json_integer_value(v) > 0)
				id = (int64_t)json_integer_value(v);
			else if (!json_is_null(v)) {
				BAD(k, "must be a positive row id or null");
				continue;
			}
			f->links_set = 1;
			if (!strcmp(k, "enterprise_id"))
				f->enterprise_id = id;
			else if (!strcmp(k, "platform_id"))
				f->platform_id = id;
			else
				f->broker_id = id;
		}
	}
#undef BAD
	if (create && !f->username && json_array_size(errs) == 0) {
		json_t *one = json_object();
		json_object_set_new(one, "path", json_string("$.username"));
		json_object_set_new(one, "detail", json_string("the username is required"));
		json_array_append_new(errs, one);
	}
	if (create && f->role < 0 && json_array_size(errs) == 0) {
		json_t *one = json_object();
		json_object_set_new(one, "path", json_string("$.role"));
		json_object_set_new(one, "detail", json_string("the role is required"));
		json_array_append_new(errs, one);
	}
	if (json_array_size(errs)) {
		json_t *first = json_array_get(errs, 0);
		char detail[300];
		snprintf(detail, sizeof detail, "%s: %s", json_string_value(json_object_get(first, "path")),
			 json_string_value(json_object_get(first, "detail")));
		return api_problem_errors(rs, 422, detail, errs);
	}
	json_decref(errs);
	return 0;
}

static int users_list(api_req *rq, api_res *rs, cf_err *e)
{
	acct_user *v = NULL;
	size_t n = 0, i;
	json_t *o, *items;
	int rc;
	if (rq->nquery)
		return api_query_check(rq, rs, NULL, NULL, NULL);
	rc = accounts_list(rq->db, rq->a, &v, &n, e);
	if (rc)
		return rc;
	o = json_object();
	items = json_array();
	if (!o || !items) {
		json_decref(o);
		json_decref(items);
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	}
	for (i = 0; i < n; i++)
		json_array_append_new(items, admin_json(&v[i]));
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "total", json_integer((json_int_t)n));
	return api_json(rs, 200, o);
}
API_ROUTE(r_users_list, "GET", "/api/v1/users", users_list)

static int users_create(api_req *rq, api_res *rs, cf_err *e)
{
	acct_fields f;
	acct_user u;
	int64_t id;
	int rc = read_fields(rq, rs, &f, 1);
	if (rc)
		return rc;
	rc = accounts_create(rq->db, &f, &id, e);
	if (rc)
		return rc;
	rc = accounts_get(rq->db, id, &u, e);
	if (rc)
		return rc;
	rs->location = arena_printf(rq->a, "/api/v1/users/%lld", (long long)id);
	return api_json(rs, 201, admin_json(&u));
}
API_ROUTE(r_users_create, "POST", "/api/v1/users", users_create)

static int users_get(api_req *rq, api_res *rs, cf_err *e)
{
	acct_user u;
	int64_t id;
	int rc = api_param_id(rq, rs, "id", &id);
	if (rc)
		return rc;
	rc = accounts_get(rq->db, id, &u, e);
	if (rc)
		return rc;
	return api_json(rs, 200, admin_json(&u));
}
API_ROUTE(r_users_get, "GET", "/api/v1/users/{id}", users_get)

static int users_patch(api_req *rq, api_res *rs, cf_err *e)
{
	acct_fields f;
	acct_user u;
	int64_t id;
	int rc = api_param_id(rq, rs, "id", &id);
	if (rc)
		return rc;
	rc = accounts_get(rq->db, id, &u, e);
	if (rc)
		return rc;
	rc = read_fields(rq, rs, &f, 0);
	if (rc)
		return rc;
	rc = accounts_update(rq->db, id, &f, e);
	if (rc)
		return rc;
	rc = accounts_get(rq->db, id, &u, e);
	if (rc)
		return rc;
	return api_json(rs, 200, admin_json(&u));
}
API_ROUTE(r_users_patch, "PATCH", "/api/v1/users/{id}", users_patch)

static int users_delete(api_req *rq, api_res *rs, cf_err *e)
{
	int64_t id;
	int rc = api_param_id(rq, rs, "id", &id);
	if (rc)
		return rc;
	if (id == rq->who->user_id)
		return api_problem(rs, 409, NULL, "you cannot delete your own account");
	rc = accounts_delete(rq->db, id, e);
	if (rc)
		return rc;
	return api_no_content(rs);
}
API_ROUTE(r_users_delete, "DELETE", "/api/v1/users/{id}", users_delete)

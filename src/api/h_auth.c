/*
 * h_auth — logging in and out, who am I, and changing one's password:
 *   POST /api/v1/auth/login     {"username","password"} → 200 {"user","csrf_token"} + cookie
 *   POST /api/v1/auth/logout    → 204, the session is deleted and the cookie cleared
 *   GET  /api/v1/auth/me        → 200 {"user","csrf_token"}, or 401
 *   POST /api/v1/auth/password  {"old_password","new_password"} → 204
 * The session lives in the cf_session cookie (HttpOnly, SameSite=Strict, Path=/, Secure
 * behind TLS); every later state-changing request carries X-CSRF-Token (see auth.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "service/accounts.h"

/* The public shape of a user (also used by h_users.c through api_user_json). */
json_t *api_user_json(const acct_user *u);

json_t *api_user_json(const acct_user *u)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(u->id));
	json_object_set_new(o, "username", json_string(u->username));
	json_object_set_new(o, "role", json_string(viewer_role_name(u->role)));
	json_object_set_new(o, "display_name", u->display_name[0] ? json_string(u->display_name) : json_null());
	json_object_set_new(o, "enterprise_id", u->enterprise_id ? json_integer(u->enterprise_id) : json_null());
	json_object_set_new(o, "platform_id", u->platform_id ? json_integer(u->platform_id) : json_null());
	json_object_set_new(o, "broker_id", u->broker_id ? json_integer(u->broker_id) : json_null());
	return o;
}

static int user_reply(api_res *rs, const acct_user *u, const char *csrf)
{
	json_t *o = json_object();
	if (!o)
		return CF_ENOMEM;
	json_object_set_new(o, "user", api_user_json(u));
	json_object_set_new(o, "csrf_token", json_string(csrf));
	return api_json(rs, 200, o);
}

static const char *str_field(json_t *body, const char *name)
{
	return json_string_value(json_object_get(body, name));
}

static int login(api_req *rq, api_res *rs, cf_err *e)
{
	const char *ct = rq->content_type, *user, *pass;
	acct_login out;
	int rc;

	/* JSON only: an HTML form cannot send it cross-site without a CORS preflight. */
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return api_problem(rs, 415, NULL, "log in with Content-Type: application/json");
	if (!json_is_object(rq->body))
		return api_problem(rs, 422, "$", "a JSON object {\"username\", \"password\"} is required");
	user = str_field(rq->body, "username");
	pass = str_field(rq->body, "password");
	if (!user || !*user)
		return api_problem(rs, 422, "$.username", "the username is required");
	if (!pass || !*pass)
		return api_problem(rs, 422, "$.password", "the password is required");
	rc = accounts_login(rq->db, user, pass, rq->client_addr, &out, e);
	if (rc == CF_ETOOBIG) {
		rs->retry_after = arena_printf(rq->a, "%d", out.retry_after);
		return api_problem(rs, 429, NULL, "too many failed logins; try again in %d seconds", out.retry_after);
	}
	if (rc == CF_EAUTH)
		return api_problem(rs, 401, NULL, "wrong username or password");
	if (rc)
		return rc;
	rs->set_cookie = arena_printf(rq->a, "cf_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d%s", out.token,
				      out.max_age, rq->https ? "; Secure" : "");
	return user_reply(rs, &out.user, out.csrf);
}
API_ROUTE(r_auth_login, "POST", "/api/v1/auth/login", login)

static int logout(api_req *rq, api_res *rs, cf_err *e)
{
	int rc = accounts_logout(rq->db, rq->session_token, e);
	if (rc)
		return rc;
	rs->set_cookie = arena_printf(rq->a, "cf_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
				      rq->https ? "; Secure" : "");
	return api_no_content(rs);
}
API_ROUTE(r_auth_logout, "POST", "/api/v1/auth/logout", logout)

static int me(api_req *rq, api_res *rs, cf_err *e)
{
	acct_user u;
	int rc;
	if (!rq->session_id)
		return api_problem(rs, 401, NULL, "not logged in");
	rc = accounts_get(rq->db, rq->who->user_id, &u, e);
	if (rc == CF_ENOTFOUND)
		return api_problem(rs, 401, NULL, "not logged in");
	if (rc)
		return rc;
	return user_reply(rs, &u, rq->csrf_token);
}
API_ROUTE(r_auth_me, "GET", "/api/v1/auth/me", me)

static int password(api_req *rq, api_res *rs, cf_err *e)
{
	int rc;
	if (!rq->session_id)
		return api_problem(rs, 401, NULL, "not logged in");
	if (!json_is_object(rq->body))
		return api_problem(rs, 422, "$", "a JSON object {\"old_password\", \"new_password\"} is required");
	if (!str_field(rq->body, "old_password"))
		return api_problem(rs, 422, "$.old_password", "the old password is required");
	if (!str_field(rq->body, "new_password"))
		return api_problem(rs, 422, "$.new_password", "the new password is required");
	rc = accounts_change_password(rq->db, rq->who->user_id, str_field(rq->body, "old_password"),
				      str_field(rq->body, "new_password"), rq->session_id, e);
	if (rc == CF_EAUTH) /* a wrong old password is a validation error of that field, not a logout */
		return api_problem(rs, 422, "$.old_password", "%s", e->msg);
	if (rc)
		return rc;
	return api_no_content(rs);
}
API_ROUTE(r_auth_password, "POST", "/api/v1/auth/password", password)

/*
 * router — the route table that API_ROUTE fills, path matching, and the response and problem
 * helpers handlers call (see api.h). The server (server.c) calls api__route_match() once
 * per request; everything here is pure and needs no connection.
 */
#include "api/api_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

static struct api_route *route_head, **route_tail = &route_head;

void api_route_register(struct api_route *r)
{
	r->next = NULL;
	*route_tail = r;
	route_tail = &r->next;
}

const struct api_route *api_routes(void) { return route_head; }

/* Matches path against pattern. On a match returns the number of literal segments (>= 0)
 * and fills params (up to API__MAX_PARAMS) from the {name} segments, with names and values
 * copied into a; -1 when it does not match. */
static int match_one(const char *pattern, const char *path, arena *a, api_kv *params, size_t *nparams)
{
	const char *p = pattern, *s = path;
	int literal = 0;
	size_t np = 0;

	while (*p == '/' && *s == '/') {
		const char *pe, *se;
		p++;
		s++;
		pe = strchr(p, '/');
		se = strchr(s, '/');
		if (!pe)
			pe = p + strlen(p);
		if (!se)
			se = s + strlen(s);
		if (*p == '{' && pe > p + 1 && pe[-1] == '}') {
			if (se == s || np >= API__MAX_PARAMS)
				return -1;
			if (params) {
				params[np].name = arena_strndup(a, p + 1, (size_t)(pe - p - 2));
				params[np].value = arena_strndup(a, s, (size_t)(se - s));
			}
			np++;
		} else {
			if (pe - p != se - s || memcmp(p, s, (size_t)(pe - p)) != 0)
				return -1;
			literal++;
		}
		p = pe;
		s = se;
	}
	if (*p || *s)
		return -1;
	if (nparams)
		*nparams = np;
	return literal;
}

int api__route_match(const char *method, const char *path, arena *a, api__match *m)
{
	const struct api_route *r, *best = NULL;
	int best_score = -1, any = 0;
	size_t allow_len = 0;

	memset(m, 0, sizeof *m);
	m->allow[0] = '\0';
	for (r = route_head; r; r = r->next) {
		int sc = match_one(r->pattern, path, NULL, NULL, NULL);
		if (sc < 0)
			continue;
		any = 1;
		if (!strcmp(r->method, method)) {
			if (sc > best_score) {
				best_score = sc;
				best = r;
			}
		} else if (!strstr(m->allow, r->method)) {
			size_t n = strlen(r->method);
			if (allow_len + n + 3 < sizeof m->allow) {
				if (allow_len) {
					memcpy(m->allow + allow_len, ", ", 2);
					allow_len += 2;
				}
				memcpy(m->allow + allow_len, r->method, n + 1);
				allow_len += n;
			}
		}
	}
	if (!any)
		return CF_ENOTFOUND;
	if (!best)
		return CF_EFORBIDDEN; /* the path exists under other methods: 405 */
	m->route = best;
	match_one(best->pattern, path, a, m->params, &m->nparams);
	return 0;
}

/* --- responses --- */

json_t *api__json_str(const char *s)
{
	size_t n = strlen(s), bad, i = 0;
	char *copy, *o;
	json_t *j;

	if (utf8_valid(s, n, NULL))
		return json_stringn(s, n);
	/* Client bytes quoted in a message: each invalid byte becomes U+FFFD. */
	copy = malloc(n * 3 + 1);
	if (!copy)
		return NULL;
	o = copy;
	while (i < n) {
		if (utf8_valid(s + i, n - i, &bad)) {
			memcpy(o, s + i, n - i);
			o += n - i;
			break;
		}
		memcpy(o, s + i, bad);
		o += bad;
		memcpy(o, "\xEF\xBF\xBD", 3);
		o += 3;
		i += bad + 1;
	}
	j = json_stringn(copy, (size_t)(o - copy));
	free(copy);
	return j;
}

static void res_clear(api_res *rs)
{
	if (rs->json)
		json_decref(rs->json);
	rs->json = NULL;
	rs->text = NULL;
	rs->ntext = 0;
	rs->content_type = NULL;
}

int api_json(api_res *rs, int status, json_t *body)
{
	res_clear(rs);
	if (!body) {
		rs->status = 500;
		return 0;
	}
	rs->status = status;
	rs->json = body;
	return 0;
}

int api_text(api_res *rs, int status, const char *content_type, const char *text, size_t n)
{
	res_clear(rs);
	rs->status = status;
	rs->content_type = content_type;
	rs->text = text;
	rs->ntext = n;
	return 0;
}

int api_no_content(api_res *rs)
{
	res_clear(rs);
	rs->status = 204;
	rs->text = "";
	rs->ntext = 0;
	return 0;
}

const char *api__status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

static const char *problem_slug(int status)
{
	switch (status) {
	case 400: return "bad-request";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not-found";
	case 405: return "method-not-allowed";
	case 409: return "conflict";
	case 413: return "body-too-large";
	case 415: return "unsupported-media-type";
	case 422: return "validation-error";
	case 429: return "too-many-requests";
	default: return "internal-error";
	}
}

int api_status_for(int code)
{
	switch (code) {
	case CF_EINVAL: return 422;
	case CF_ENOTFOUND: return 404;
	case CF_ECONFLICT: return 409;
	case CF_ETOOBIG: return 413;
	case CF_EFORBIDDEN: return 403;
	case CF_EAUTH: return 401;
	default: return 500;
	}
}

static int code_for_status(int status)
{
	switch (status) {
	case 400:
	case 422: return CF_EINVAL;
	case 404: return CF_ENOTFOUND;
	case 405: return CF_EINVAL;
	case 409: return CF_ECONFLICT;
	case 413:
	case 429: return CF_ETOOBIG;
	case 415: return CF_EINVAL;
	case 403: return CF_EFORBIDDEN;
	case 401: return CF_EAUTH;
	default: return CF_EINTERNAL;
	}
}

int api_problem_errors(api_res *rs, int status, const char *detail, json_t *errors)
{
	json_t *o = json_object();
	char type[64];

	res_clear(rs);
	rs->status = status;
	if (!o) {
		json_decref(errors);
		return code_for_status(status);
	}
	snprintf(type, sizeof type, "/problems/%s", problem_slug(status));
	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "title", json_string(api__status_text(status)));
	json_object_set_new(o, "status", json_integer(status));
	json_object_set_new(o, "detail", api__json_str(detail ? detail : api__status_text(status)));
	if (errors)
		json_object_set_new(o, "errors", errors);
	rs->json = o;
	rs->content_type = "application/problem+json";
	return code_for_status(status);
}

/* A where that names a field ("budget") becomes a JSON path ("$.budget"). */
static void where_path(const char *where, char *out, size_t n)
{
	if (!where || !*where)
		out[0] = '\0';
	else if (where[0] == '$')
		snprintf(out, n, "%s", where);
	else
		snprintf(out, n, "$.%s", where);
}

int api_problem(api_res *rs, int status, const char *where, const char *fmt, ...)
{
	char detail[1024];
	json_t *errs = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	/* The detail is UTF-8 of ours, but a message may quote client bytes: keep it valid. */
	if (where && *where) {
		json_t *one = json_object();
		errs = json_array();
		json_object_set_new(one, "path", api__json_str(where));
		json_object_set_new(one, "detail", api__json_str(detail));
		json_array_append_new(errs, one);
	}
	return api_problem_errors(rs, status, detail, errs);
}

int api_error(api_res *rs, const cf_err *e)
{
	int status = api_status_for(e->code);
	char path[300];
	const char *msg = e->msg[0] ? e->msg : cf_err_name(e->code);

	if (status == 422 || status == 409) {
		where_path(e->where, path, sizeof path);
		api_problem(rs, status, path[0] ? path : NULL, "%s", msg);
	} else if (status == 500) {
		api_problem(rs, status, NULL, "%s", msg);
	} else {
		api_problem(rs, status, NULL, "%s", msg);
	}
	return e->code;
}

/* --- requests --- */

const char *api_query(const api_req *rq, const char *name)
{
	size_t i;
	for (i = 0; i < rq->nquery; i++)
		if (!strcmp(rq->query[i].name, name))
			return rq->query[i].value;
	return NULL;
}

const char *api_param(const api_req *rq, const char *name)
{
	size_t i;
	for (i = 0; i < rq->nparams; i++)
		if (!strcmp(rq->params[i].name, name))
			return rq->params[i].value;
	return NULL;
}

int api_query_check(const api_req *rq, api_res *rs, const char *const *allowed,
		    int (*extra)(const void *ctx, const char *name), const void *ctx)
{
	char names[512];
	size_t i, len = 0, bad = 0;
	json_t *errs = json_array();

	names[0] = '\0';
	for (i = 0; i < rq->nquery; i++) {
		const char *const *a;
		int ok = 0;
		for (a = allowed; a && *a; a++)
			if (!strcmp(*a, rq->query[i].name))
				ok = 1;
		if (!ok && extra && extra(ctx, rq->query[i].name))
			ok = 1;
		if (ok)
			continue;
		bad++;
		if (len + strlen(rq->query[i].name) + 3 < sizeof names)
			len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
						rq->query[i].name);
		{
			json_t *one = json_object();
			json_object_set_new(one, "path", api__json_str(rq->query[i].name));
			json_object_set_new(one, "detail", json_string("unknown query parameter"));
			json_array_append_new(errs, one);
		}
	}
	if (!bad) {
		json_decref(errs);
		return 0;
	}
	{
		char detail[600];
		snprintf(detail, sizeof detail, "unknown query parameter%s: %s", bad > 1 ? "s" : "", names);
		return api_problem_errors(rs, 400, detail, errs);
	}
}

int api_param_id(const api_req *rq, api_res *rs, const char *name, int64_t *id)
{
	const char *s = api_param(rq, name);
	char *end;
	long long v;

	if (!s)
		return api_problem(rs, 404, NULL, "no such resource");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || s[0] == '+' || s[0] == ' ')
		return api_problem(rs, 404, NULL, "no %s \"%s\": ids are positive integers", name, s);
	*id = v;
	return 0;
}

/*
 * api — the HTTP server (libmicrohttpd), its route table and the request/response types
 * every REST handler works with.
 *
 * ADDING AN ENDPOINT (other rooms): write src/api/h_<resource>.c and register each handler
 * with API_ROUTE; no other file changes.
 *
 *     #include "api/api.h"
 *     static int risk_get(api_req *rq, api_res *rs, cf_err *e)
 *     {
 *             json_t *o = json_object();
 *             ... fill o from the store (rq->db) through service/ ...
 *             return api_json(rs, 200, o);        // takes ownership of o
 *     }
 *     API_ROUTE(r_chain_risk, "GET", "/api/v1/chain/risk", risk_get)
 *
 * Patterns are literal segments and {name} segments: "/api/v1/chains/{id}/risk". A path
 * matching several patterns goes to the one with the most literal segments, so
 * "/api/v1/enterprises/import" beats "/api/v1/enterprises/{id}". A path that matches a
 * pattern but not the method gets 405 with Allow; no pattern at all gets 404.
 *
 * LINKING: every src/api .c file is compiled into libchainfuse.a (so unit tests can use
 * json_record.c) AND its objects are linked into build/chainfuse directly by the Makefile
 * (API_OBJ), because an archive member referenced only through a constructor would never be
 * pulled from the archive. So a new h_*.c file is picked up with no Makefile edit.
 *
 * ERRORS: a handler returns 0 after filling rs (api_json, api_text, api_no_content), or a
 * negative CF_E* code with e filled; the server then writes an RFC 7807 problem from it:
 * CF_EINVAL → 422 with "errors":[{"path": e->where, "detail": e->msg}] (where is a JSON
 * path "$.budget"; a bare field name gets "$." prefixed), CF_ENOTFOUND → 404,
 * CF_ECONFLICT → 409, CF_ETOOBIG → 413, CF_EFORBIDDEN → 403, CF_EAUTH → 401, else 500.
 * For another status (400 for a bad query parameter) or several validation errors, call
 * api_problem()/api_problem_errors() and return its result. Problems are rendered here only.
 *
 * VIEWER AND AUTHORIZATION: rq->who is resolved by auth.c from the cf_session cookie
 * (anonymous: ROLE_PUBLIC). Before any handler runs, auth.c checks CSRF on state-changing
 * requests and applies the route's rule from the authorization table data/auth/authz.json
 * (route x role -> allow / owner / deny; a route missing from it is denied to everyone):
 * denied → 401 (anonymous) or 403. For the generic registry routes "owner" is enforced there
 * (the row's enterprise/platform must be the viewer's; hidden rows → 404). For any other route
 * "owner" sets rq->owner_only and the HANDLER must restrict what it reads or changes to rows
 * of rq->who (its broker_id, enterprise_id, ...). A NEW ROUTE NEEDS A LINE IN authz.json.
 * Handlers must pass rq->who to the store so visibility filtering applies.
 *
 * THREADS: handlers run on the server's worker threads; rq->db is that thread's own store
 * handle (SQLite WAL lets readers run in parallel). Keep no mutable globals in handlers.
 */
#ifndef CF_API_API_H
#define CF_API_API_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/viewer.h"
#include "store/store.h"

/* A name=value pair of the query string or of the path pattern. */
typedef struct api_kv {
	const char *name;
	const char *value;
} api_kv;

typedef struct api_req {
	const char *method;   /* "GET", "POST", ... */
	const char *path;     /* without the query string, percent-decoded */
	const api_kv *params; /* {name} segments of the pattern, in order */
	size_t nparams;
	const api_kv *query; /* query parameters in the order given (decoded; value "" when bare) */
	size_t nquery;
	json_t *body;         /* parsed JSON body (borrowed; valid for the request), NULL when none */
	const char *raw;      /* the raw body bytes (NUL-terminated), NULL when none */
	size_t nraw;
	const cf_viewer *who; /* who is asking; see auth.c (ROLE_PUBLIC when anonymous) */
	arena *a;             /* freed when the response has been sent */
	store *db;            /* this worker thread's store handle */
	const void *ctx;      /* the route's ctx (API_ROUTE_CTX), e.g. the entity of a generic route */
	/* request headers auth.c reads (NULL when absent) */
	const char *cookie;
	const char *csrf_header;  /* X-CSRF-Token */
	const char *content_type;
	const char *client_addr;  /* the peer's numeric address */
	int https;                /* X-Forwarded-Proto: https (cookies get Secure) */
	/* set by auth.c */
	const char *session_token; /* the cf_session cookie value when it names a live session */
	int64_t session_id;        /* that session's row id, 0 when anonymous */
	const char *csrf_token;    /* that session's CSRF token */
	int owner_only;            /* the table says "owner" for this role: restrict to rq->who's rows */
} api_req;

typedef struct api_res {
	int status;               /* 0 until set */
	json_t *json;             /* body as JSON (owned; freed by the server) */
	const char *content_type; /* NULL: "application/json" for json */
	const char *text;         /* raw body instead of json (owned by rq->a or static) */
	size_t ntext;
	const char *location;     /* Location header, or NULL */
	const char *allow;        /* Allow header, or NULL */
	const char *set_cookie;   /* Set-Cookie header, or NULL */
	const char *retry_after;  /* Retry-After header, or NULL */
} api_res;

typedef int (*api_fn)(api_req *rq, api_res *rs, cf_err *e);

struct api_route {
	const char *method;
	const char *pattern;
	api_fn fn;
	const void *ctx;
	struct api_route *next;
};

/* Adds a route to the table (used by API_ROUTE's constructor). The route must live for the
 * whole process (static storage). Not thread-safe: call before api_serve(). */
void api_route_register(struct api_route *r);
/* The registered routes, in registration order (for the index page and docs). */
const struct api_route *api_routes(void);

#define API_ROUTE_CTX(ident, method, pattern, fn, ctx)                                               \
	static struct api_route ident = {method, pattern, fn, ctx, 0};                               \
	__attribute__((constructor)) static void ident##_register(void) { api_route_register(&ident); }
#define API_ROUTE(ident, method, pattern, fn) API_ROUTE_CTX(ident, method, pattern, fn, NULL)

/* --- responses --- */

/* Sets a JSON response; takes ownership of body (which may be NULL only on allocation
 * failure, then a 500 is sent). Returns 0. */
int api_json(api_res *rs, int status, json_t *body);
/* Sets a raw response (text owned by the request arena or static). Returns 0. */
int api_text(api_res *rs, int status, const char *content_type, const char *text, size_t n);
/* 204 with no body. Returns 0. */
int api_no_content(api_res *rs);
/* Sets an RFC 7807 problem (type derived from the status, title from the status text).
 * where, when not NULL and not empty, becomes the single entry of "errors". Returns
 * the CF_E* code matching the status (so `return api_problem(...)` works in handlers). */
int api_problem(api_res *rs, int status, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Sets a problem with a ready array of {"path","detail"} objects (ownership taken). */
int api_problem_errors(api_res *rs, int status, const char *detail, json_t *errors);
/* Turns e into a problem with the status its code maps to (see above). Returns e->code. */
int api_error(api_res *rs, const cf_err *e);
/* The HTTP status for a CF_E* code (422 for CF_EINVAL). */
int api_status_for(int code);

/* --- requests --- */

/* The value of query parameter name, or NULL. */
const char *api_query(const api_req *rq, const char *name);
/* The value of path parameter name, or NULL. */
const char *api_param(const api_req *rq, const char *name);
/* Checks that every query parameter is named in allowed (NULL-terminated) or accepted by
 * extra(ctx, name) when extra is not NULL; otherwise sets a 400 problem naming the unknown
 * ones and returns CF_EINVAL. */
int api_query_check(const api_req *rq, api_res *rs, const char *const *allowed,
		    int (*extra)(const void *ctx, const char *name), const void *ctx);
/* Parses a path parameter as a positive row id; 404 problem when it is not one. */
int api_param_id(const api_req *rq, api_res *rs, const char *name, int64_t *id);

/* --- the server --- */

typedef struct api_config {
	const char *db_path;  /* store_open path */
	const char *host;     /* "127.0.0.1" by default */
	unsigned port;        /* 0: pick a free port */
	unsigned threads;     /* worker threads; 0: 4 */
	size_t max_body;      /* request body cap in bytes; 0: 1 MiB */
} api_config;

typedef struct api_server api_server;

/* Opens the store once (applying migrations), binds host:port and starts the worker threads.
 * On failure returns CF_EIO (port in use, bad host: e says which) or the store's error, and
 * *out stays NULL. Call with SIGTERM/SIGINT blocked so workers never take them. */
int api_start(const api_config *cfg, api_server **out, cf_err *e);
/* The port actually bound. */
unsigned api_port(const api_server *s);
/* Stops accepting, finishes requests in flight, joins the workers, closes every store
 * handle and frees s. */
void api_stop(api_server *s);

/* Resolves who is asking (the cf_session cookie), checks the CSRF header of state-changing
 * requests made with a session and applies route's rule of the authorization table. 0: call
 * the handler; else rs holds the refusal (401, 403, or 404 for a row the viewer may not see)
 * and its code is returned. See auth.c. */
int auth_request(api_req *rq, api_res *rs, const struct api_route *route, cf_err *e);

/* Loads and checks the authorization table data/auth/authz.json (once; later calls return
 * the first result). CF_EIO / CF_EINVAL with the file and JSON path. See authz.c. */
int authz_load(cf_err *e);

/* The decisions of the authorization table. */
typedef enum authz_decision { AUTHZ_DENY = 0, AUTHZ_ALLOW, AUTHZ_OWNER } authz_decision;

/* The decision for method + pattern (a registered route's pattern) and role; AUTHZ_DENY for
 * a route the table does not name. *summary (when not NULL) gets the rule's summary or NULL. */
authz_decision authz_decide(const char *method, const char *pattern, cf_role role, const char **summary);

#endif

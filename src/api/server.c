/*
 * server — the HTTP server on libmicrohttpd: a pool of worker threads on epoll, one store
 * handle per worker, a body cap enforced while the body streams in, one log line per
 * request, and the dispatch of a finished request to its route (router.c). Everything a
 * client sees as an error is rendered here from api_res / cf_err, as application/problem+json.
 */
#include "api/api_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/utf8.h"
#include "service/registry.h"

#define API_MAX_THREADS 64
#define API_DEFAULT_BODY (1024u * 1024u)

struct api_server {
	struct MHD_Daemon *d;
	api_config cfg;
	char *db_path;
	unsigned port;
	pthread_mutex_t mu;
	store *stores[API_MAX_THREADS + 1];
	size_t nstores;
	int inflight; /* requests begun and not completed (atomic) */
};

/* One per request (MHD's con_cls): the arena, the body as it arrives, what the log needs. */
typedef struct conn {
	arena *a;
	buf body;
	int too_big;
	size_t discarded; /* body bytes dropped after the cap was passed */
	int responded;
	int status;
	size_t bytes;
	struct timespec t0;
	char method[16];
	char *path;
	api_kv *query;
	size_t nquery, capquery;
} conn;

static __thread store *tl_db;

/* This worker thread's store handle, opened on first use and closed by api_stop(). */
static store *worker_store(api_server *s, cf_err *e)
{
	store *db = NULL;
	if (tl_db)
		return tl_db;
	if (store_open(s->db_path, &db, e) != 0)
		return NULL;
	pthread_mutex_lock(&s->mu);
	if (s->nstores < API_MAX_THREADS + 1) {
		s->stores[s->nstores++] = db;
	} else {
		pthread_mutex_unlock(&s->mu);
		store_close(db);
		cf_err_set(e, CF_EINTERNAL, NULL, "too many worker store handles");
		return NULL;
	}
	pthread_mutex_unlock(&s->mu);
	tl_db = db;
	return db;
}

static enum MHD_Result queue(struct MHD_Connection *mc, conn *c, api_res *rs)
{
	struct MHD_Response *r;
	enum MHD_Result ok;
	char *text = NULL;
	size_t n = 0;

	if (rs->json) {
		text = json_dumps(rs->json, JSON_COMPACT | JSON_REAL_PRECISION(15));
		if (!text) {
			rs->status = 500;
			text = strdup("{\"type\":\"/problems/internal-error\",\"title\":\"Internal Server Error\","
				      "\"status\":500,\"detail\":\"cannot encode the response\"}");
			rs->content_type = "application/problem+json";
		}
		n = text ? strlen(text) : 0;
		r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(text);
	} else {
		n = rs->ntext;
		r = MHD_create_response_from_buffer(n, (void *)(rs->text ? rs->text : ""), MHD_RESPMEM_MUST_COPY);
	}
	if (!r)
		return MHD_NO;
	if (rs->status != 204)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					rs->content_type ? rs->content_type : "application/json");
	if (rs->location)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, rs->location);
	if (rs->allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rs->allow);
	if (rs->set_cookie)
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, rs->set_cookie);
	if (rs->retry_after)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, rs->retry_after);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ok = MHD_queue_response(mc, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	if (ok == MHD_YES) {
		c->responded = 1;
		c->status = rs->status;
		c->bytes = n;
	}
	return ok;
}

/* Adds "instance" to a problem and sends it. */
static enum MHD_Result send_res(struct MHD_Connection *mc, conn *c, api_res *rs)
{
	enum MHD_Result ok;
	if (rs->json && rs->status >= 400 && json_is_object(rs->json) && !json_object_get(rs->json, "instance")) {
		json_t *inst = c->path ? api__json_str(c->path) : NULL;
		if (inst)
			json_object_set_new(rs->json, "instance", inst);
	}
	ok = queue(mc, c, rs);
	if (rs->json)
		json_decref(rs->json);
	rs->json = NULL;
	return ok;
}

static enum MHD_Result send_problem(struct MHD_Connection *mc, conn *c, int status, const char *where,
				    const char *detail)
{
	api_res rs;
	memset(&rs, 0, sizeof rs);
	api_problem(&rs, status, where, "%s", detail);
	return send_res(mc, c, &rs);
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	conn *c = cls;
	(void)kind;
	if (c->nquery == c->capquery) {
		size_t cap = c->capquery ? c->capquery * 2 : 8;
		api_kv *q = arena_alloc(c->a, cap * sizeof *q);
		if (!q)
			return MHD_NO;
		if (c->nquery)
			memcpy(q, c->query, c->nquery * sizeof *q);
		c->query = q;
		c->capquery = cap;
	}
	c->query[c->nquery].name = arena_strdup(c->a, key ? key : "");
	c->query[c->nquery].value = arena_strdup(c->a, value ? value : "");
	c->nquery++;
	return MHD_YES;
}

/* Parses the body as JSON into *out; on failure fills rs with the 400 problem. */
static int parse_body(conn *c, api_res *rs, json_t **out)
{
	json_error_t je;
	size_t bad;
	char where[300];

	if (!utf8_valid(c->body.p, c->body.len, &bad)) {
		char path[256];
		int line = 1, col = 1;
		size_t i;
		for (i = 0; i < bad; i++) {
			if (c->body.p[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)c->body.p[i] & 0xC0) != 0x80) {
				col++;
			}
		}
		json_t *errs = json_array(), *one = json_object();
		char detail[300];
		api__json_path_at(c->body.p, c->body.len, bad, path, sizeof path);
		snprintf(detail, sizeof detail, "the body is not valid UTF-8: bad byte 0x%02X at line %d, column %d (byte %zu)",
			 (unsigned char)c->body.p[bad], line, col, bad);
		json_object_set_new(one, "path", api__json_str(path));
		json_object_set_new(one, "line", json_integer(line));
		json_object_set_new(one, "column", json_integer(col));
		json_object_set_new(one, "detail", api__json_str(detail));
		json_array_append_new(errs, one);
		api_problem_errors(rs, 400, detail, errs);
		return CF_EINVAL;
	}
	*out = json_loadb(c->body.p, c->body.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!*out) {
		json_t *errs = json_array(), *one = json_object();
		char detail[300];
		api__json_path_at(c->body.p, c->body.len, (size_t)(je.position > 0 ? je.position : 0), where,
				  sizeof where);
		snprintf(detail, sizeof detail, "malformed JSON at line %d, column %d: %s", je.line, je.column,
			 je.text);
		json_object_set_new(one, "path", api__json_str(where));
		json_object_set_new(one, "line", json_integer(je.line));
		json_object_set_new(one, "column", json_integer(je.column));
		json_object_set_new(one, "detail", api__json_str(detail));
		json_array_append_new(errs, one);
		api_problem_errors(rs, 400, detail, errs);
		return CF_EINVAL;
	}
	return 0;
}

static enum MHD_Result dispatch(api_server *s, struct MHD_Connection *mc, conn *c)
{
	api__match m;
	api_req rq;
	api_res rs;
	cf_err e;
	json_t *body = NULL;
	enum MHD_Result ok;
	int rc;

	memset(&rq, 0, sizeof rq);
	memset(&rs, 0, sizeof rs);
	cf_err_clear(&e);

	/* HEAD is GET without the body, which MHD leaves out by itself. */
	rc = api__route_match(strcmp(c->method, "HEAD") ? c->method : "GET", c->path, c->a, &m);
	if (rc == CF_ENOTFOUND)
		return send_problem(mc, c, 404, NULL, "no such route");
	if (rc != 0) {
		char detail[200];
		snprintf(detail, sizeof detail, "method %s is not allowed here; allowed: %s", c->method, m.allow);
		api_problem(&rs, 405, NULL, "%s", detail);
		rs.allow = m.allow;
		return send_res(mc, c, &rs);
	}
	MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, collect_query, c);
	if (c->body.len) {
		if (parse_body(c, &rs, &body) != 0)
			return send_res(mc, c, &rs);
	}
	rq.method = c->method;
	rq.path = c->path;
	rq.params = m.params;
	rq.nparams = m.nparams;
	rq.query = c->query;
	rq.nquery = c->nquery;
	rq.body = body;
	rq.raw = c->body.len ? c->body.p : NULL;
	rq.nraw = c->body.len;
	rq.cookie = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	rq.csrf_header = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "X-CSRF-Token");
	rq.content_type = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	{
		const char *proto = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "X-Forwarded-Proto");
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		char addr[INET6_ADDRSTRLEN] = "";
		rq.https = proto && !strcasecmp(proto, "https");
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr, sizeof addr);
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr,
					  sizeof addr);
		}
		rq.client_addr = arena_strdup(c->a, addr);
	}
	rq.who = &cf_viewer_public;
	rq.a = c->a;
	rq.ctx = m.route->ctx;
	rq.db = worker_store(s, &e);
	if (!rq.db) {
		log_error("api: cannot open the store: %s", e.msg);
		json_decref(body);
		return send_problem(mc, c, 503, NULL, "the database cannot be opened");
	}
	rc = auth_request(&rq, &rs, m.route, &e);
	if (rc == 0)
		rc = m.route->fn(&rq, &rs, &e);
	if (rc < 0 && (rs.status < 400 || rs.status == 0))
		api_error(&rs, &e);
	if (rs.status == 0)
		api_problem(&rs, 500, NULL, "the handler gave no response");
	if (rs.status >= 500)
		log_error("api: %s %s: %s", c->method, c->path, e.msg[0] ? e.msg : "internal error");
	ok = send_res(mc, c, &rs);
	json_decref(body);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	api_server *s = cls;
	conn *c = *con_cls;
	(void)version;

	if (!c) {
		const char *cl;
		c = calloc(1, sizeof *c);
		if (!c)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &c->t0);
		c->a = arena_create();
		if (!c->a) {
			free(c);
			return MHD_NO;
		}
		__atomic_add_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
		buf_init(&c->body, s->cfg.max_body);
		snprintf(c->method, sizeof c->method, "%s", method);
		c->path = arena_strdup(c->a, url);
		*con_cls = c;
		cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl) {
			char *end;
			unsigned long long v;
			errno = 0;
			v = strtoull(cl, &end, 10);
			if (errno || end == cl || *end || v > s->cfg.max_body) {
				char detail[160];
				c->too_big = 1;
				snprintf(detail, sizeof detail, "the body (Content-Length %s) is larger than the limit of %zu bytes",
					 cl, s->cfg.max_body);
				return send_problem(mc, c, 413, NULL, detail);
			}
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (c->too_big) {
			/* libmicrohttpd 0.9.75 lets a response be queued only before the body or after
			 * its end, so a chunked body past the cap is read and dropped (never stored) and
			 * answered with 413 at its end; one that goes on past 8 times the cap is cut off. */
			c->discarded += *upload_data_size;
			*upload_data_size = 0;
			return c->discarded > 8 * s->cfg.max_body + (1u << 20) ? MHD_NO : MHD_YES;
		}
		if (buf_append(&c->body, upload_data, *upload_data_size) != 0) {
			c->too_big = 1;
			c->discarded = c->body.len + *upload_data_size;
			buf_free(&c->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (c->responded)
		return MHD_YES;
	if (c->too_big) {
		char detail[160];
		snprintf(detail, sizeof detail, "the body is larger than the limit of %zu bytes", s->cfg.max_body);
		return send_problem(mc, c, 413, NULL, detail);
	}
	return dispatch(s, mc, c);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	api_server *s = cls;
	conn *c = *con_cls;
	struct timespec t1;
	long long us;
	(void)mc;
	if (!c)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (long long)(t1.tv_sec - c->t0.tv_sec) * 1000000LL + (t1.tv_nsec - c->t0.tv_nsec) / 1000;
	log_info("http %s %s %d %zu %lldus%s", c->method, c->path ? c->path : "?", c->status, c->bytes, us,
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	buf_free(&c->body);
	arena_free(c->a);
	free(c);
	*con_cls = NULL;
	__atomic_sub_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
}

/* Binds host:port ourselves, so that "address in use" is reported with its cause. */
static int listen_on(const char *host, unsigned port, int *fd_out, unsigned *bound, cf_err *e)
{
	struct addrinfo hints, *res = NULL;
	char ports[16];
	int fd = -1, one = 1, rc;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	snprintf(ports, sizeof ports, "%u", port);
	rc = getaddrinfo(host, ports, &hints, &res);
	if (rc != 0)
		return cf_err_set(e, CF_EINVAL, host, "not a numeric IP address: %s", gai_strerror(rc));
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
	if (fd < 0) {
		rc = cf_err_set(e, CF_EIO, NULL, "cannot create a socket: %s", strerror(errno));
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 256) != 0) {
		rc = cf_err_set(e, CF_EIO, NULL, "cannot listen on %s:%u: %s", host, port, strerror(errno));
		goto fail;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		*bound = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
						  : ntohs(((struct sockaddr_in *)&ss)->sin_port);
	freeaddrinfo(res);
	*fd_out = fd;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	freeaddrinfo(res);
	return rc;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("mhd: %s", line);
}

int api_start(const api_config *cfg, api_server **out, cf_err *e)
{
	api_server *s = NULL;
	store *probe = NULL;
	int fd = -1, rc;
	unsigned bound = 0;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	s->cfg = *cfg;
	if (!s->cfg.host || !*s->cfg.host)
		s->cfg.host = "127.0.0.1";
	if (!s->cfg.threads)
		s->cfg.threads = 4;
	if (s->cfg.threads > API_MAX_THREADS) {
		rc = cf_err_set(e, CF_EINVAL, "--threads", "at most %d worker threads", API_MAX_THREADS);
		goto fail;
	}
	if (!s->cfg.max_body)
		s->cfg.max_body = API_DEFAULT_BODY;
	s->db_path = strdup(cfg->db_path);
	if (!s->db_path) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	pthread_mutex_init(&s->mu, NULL);
	/* Open once here: migrations run before any worker, and a bad path fails at start. */
	rc = store_open(s->db_path, &probe, e);
	if (rc != 0)
		goto fail_mu;
	rc = registry_open(probe, e);
	store_close(probe);
	if (rc == 0)
		rc = authz_load(e); /* a broken authorization table stops the start, it never opens up */
	if (rc != 0)
		goto fail_mu;
	rc = listen_on(s->cfg.host, s->cfg.port, &fd, &bound, e);
	if (rc != 0)
		goto fail_mu;
	s->port = bound;
	s->d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, s,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.threads, MHD_OPTION_NOTIFY_COMPLETED,
				on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
	if (!s->d) {
		close(fd);
		rc = cf_err_set(e, CF_EIO, NULL, "cannot start the HTTP server on %s:%u", s->cfg.host, bound);
		goto fail_mu;
	}
	*out = s;
	return 0;
fail_mu:
	pthread_mutex_destroy(&s->mu);
fail:
	free(s->db_path);
	free(s);
	return rc;
}

unsigned api_port(const api_server *s) { return s->port; }

void api_stop(api_server *s)
{
	size_t i;
	MHD_socket lfd;
	int waited;
	if (!s)
		return;
	/* Stop accepting, then give requests in flight up to 10 s to finish before closing
	 * every connection (idle keep-alive connections do not hold the stop up). */
	lfd = MHD_quiesce_daemon(s->d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	for (waited = 0; waited < 1000 && __atomic_load_n(&s->inflight, __ATOMIC_SEQ_CST) > 0; waited++)
		usleep(10000);
	MHD_stop_daemon(s->d);
	for (i = 0; i < s->nstores; i++)
		store_close(s->stores[i]);
	pthread_mutex_destroy(&s->mu);
	free(s->db_path);
	free(s);
}

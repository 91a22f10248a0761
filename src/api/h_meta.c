/*
 * h_meta — the routes about the server itself: GET /api/v1/health and GET / (the placeholder
 * page, web/index.html, with the list of registered routes filled in where it says
 * <!--ROUTES-->). The browser UI replaces the page in a later issue.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "base/buf.h"
#include "base/path.h"

#define API_VERSION "0.1.0"

static int health(api_req *rq, api_res *rs, cf_err *e)
{
	int64_t n = 0;
	json_t *o;
	int ok;

	if (rq->nquery)
		return api_query_check(rq, rs, NULL, NULL, NULL);
	ok = store_count(rq->db, cf_entities[0], rq->who, &n, e) == 0;
	o = json_object();
	if (!o)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	json_object_set_new(o, "status", json_string(ok ? "ok" : "degraded"));
	json_object_set_new(o, "version", json_string(API_VERSION));
	json_object_set_new(o, "db", json_string(ok ? "ok" : "error"));
	return api_json(rs, ok ? 200 : 503, o);
}
API_ROUTE(r_health, "GET", "/api/v1/health", health)

/* web/index.html: $CHAINFUSE_WEB/index.html, else ../web beside the binary (build/chainfuse
 * and build-asan/chainfuse), else ./web. */
static int read_index(buf *b)
{
	const char *env = getenv("CHAINFUSE_WEB");
	char exe[PATH_MAX], p[PATH_MAX + 64];
	cf_err e;
	ssize_t n;

	if (env && *env) {
		snprintf(p, sizeof p, "%s/index.html", env);
		return path_read_file(p, b, &e);
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(p, sizeof p, "%s/../web/index.html", exe);
			if (access(p, R_OK) == 0)
				return path_read_file(p, b, &e);
		}
	}
	return path_read_file("web/index.html", b, &e);
}

static void html_escape(buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_putc(b, *s);
		}
	}
}

static int index_page(api_req *rq, api_res *rs, cf_err *e)
{
	buf page, out;
	const struct api_route *r;
	const char *mark, *html;
	char *copy;
	size_t n;

	buf_init(&page, 1 << 20);
	buf_init(&out, 4 << 20);
	if (read_index(&page) != 0) {
		buf_reset(&page);
		buf_puts(&page, "<!doctype html><meta charset=\"utf-8\"><title>chainfuse</title>"
				"<h1>两链融合服务平台 chainfuse</h1><p>演示数据均为合成数据。Demo data is synthetic.</p>"
				"<!--ROUTES-->");
	}
	html = buf_cstr(&page);
	mark = strstr(html, "<!--ROUTES-->");
	buf_append(&out, html, mark ? (size_t)(mark - html) : page.len);
	if (mark) {
		buf_puts(&out, "<ul class=\"routes\">\n");
		for (r = api_routes(); r; r = r->next) {
			buf_puts(&out, "<li><code>");
			html_escape(&out, r->method);
			buf_puts(&out, " ");
			html_escape(&out, r->pattern);
			buf_puts(&out, "</code></li>\n");
		}
		buf_puts(&out, "</ul>\n");
		buf_puts(&out, mark + strlen("<!--ROUTES-->"));
	}
	n = out.len;
	copy = arena_strndup(rq->a, buf_cstr(&out), n);
	buf_free(&page);
	buf_free(&out);
	if (!copy)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	return api_text(rs, 200, "text/html; charset=utf-8", copy, n);
}
API_ROUTE(r_index, "GET", "/", index_page)

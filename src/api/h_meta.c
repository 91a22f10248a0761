/*
 * h_meta — the routes about the server itself: GET /api/v1/health; GET /api, a small page
 * (中文 first, then English) listing every registered route and saying the demo data is
 * synthetic; and the built browser UI from web/dist (GET / and GET /assets/{file}), with the
 * route page standing in at / while the UI is not built.
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

/* The folder of the built UI: $CHAINFUSE_WEB, else ../web/dist beside the binary (build/chainfuse
 * and build-asan/chainfuse), else ./web/dist. Writes "" when none exists. */
static void web_dir(char *out, size_t size)
{
	const char *env = getenv("CHAINFUSE_WEB");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(out, size, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			int w = snprintf(out, size, "%s/../web/dist", exe);
			if (w > 0 && (size_t)w < size && access(out, R_OK) == 0)
				return;
		}
	}
	snprintf(out, size, "web/dist");
	if (access(out, R_OK) != 0)
		out[0] = '\0';
}

/* Reads dir/rel into the request arena; CF_ENOTFOUND when it is not there. */
static int read_web_file(api_req *rq, const char *rel, const char **text, size_t *n)
{
	char dir[PATH_MAX], p[PATH_MAX + 256];
	buf b;
	cf_err e;

	web_dir(dir, sizeof dir);
	if (!dir[0])
		return CF_ENOTFOUND;
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	if (access(p, R_OK) != 0)
		return CF_ENOTFOUND;
	buf_init(&b, 32u << 20);
	if (path_read_file(p, &b, &e) != 0) {
		buf_free(&b);
		return CF_ENOTFOUND;
	}
	*n = b.len;
	*text = arena_strndup(rq->a, buf_cstr(&b), b.len);
	buf_free(&b);
	return *text ? 0 : CF_ENOMEM;
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

/* The placeholder page: what this is (中文 first, then English), that demo data is synthetic,
 * and every registered route. Served at /api always, and at / until the UI is built. */
static int route_page(api_req *rq, api_res *rs, cf_err *e)
{
	buf out;
	const struct api_route *r;
	char *copy;
	size_t n;

	if (rq->nquery)
		return api_query_check(rq, rs, NULL, NULL, NULL);
	buf_init(&out, 4u << 20);
	buf_puts(&out,
		 "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<title>两链融合服务平台 · chainfuse API</title>\n"
		 "<style>body{font-family:\"PingFang SC\",\"Microsoft YaHei\",sans-serif;max-width:52rem;margin:2rem auto;"
		 "padding:0 1rem;line-height:1.6}.note{background:#fff7e6;border-left:4px solid #fa8c16;padding:.5rem 1rem}"
		 "</style>\n</head>\n<body>\n"
		 "<h1>两链融合服务平台 <small>chainfuse</small></h1>\n"
		 "<p>温州市产业链与创新链融合服务平台：技术经纪撮合、断链风险、经纪人奖补、两链耦合分析。"
		 "本页列出当前可用的接口；所有接口返回 JSON，错误以 RFC 7807 <code>application/problem+json</code> 返回。</p>\n"
		 "<p lang=\"en\">Industry-chain and innovation-chain integration platform for Wenzhou. This page lists "
		 "the HTTP API; every route speaks JSON and errors are RFC 7807 problem documents (see docs/api.md).</p>\n"
		 "<p class=\"note\">演示数据均为合成数据，并非真实企业信息。<br>"
		 "<span lang=\"en\">All demo data is synthetic: it describes no real enterprise.</span></p>\n"
		 "<p class=\"note\">未登录时按公众身份访问；登录：<code>POST /api/v1/auth/login</code>；"
		 "完整说明：<a href=\"/api/v1/openapi.json\">OpenAPI</a>。<br>"
		 "<span lang=\"en\">Without a login you act as the public; log in with POST /api/v1/auth/login. "
		 "The full reference is the <a href=\"/api/v1/openapi.json\">OpenAPI document</a>.</span></p>\n"
		 "<h2>接口 <small>API routes</small></h2>\n<ul class=\"routes\">\n");
	for (r = api_routes(); r; r = r->next) {
		buf_puts(&out, "<li><code>");
		html_escape(&out, r->method);
		buf_puts(&out, " ");
		html_escape(&out, r->pattern);
		buf_puts(&out, "</code></li>\n");
	}
	buf_puts(&out, "</ul>\n</body>\n</html>\n");
	n = out.len;
	copy = arena_strndup(rq->a, buf_cstr(&out), n);
	buf_free(&out);
	if (!copy)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	return api_text(rs, 200, "text/html; charset=utf-8", copy, n);
}
API_ROUTE(r_api_page, "GET", "/api", route_page)

/* GET / — the built UI (web/dist/index.html), or the placeholder page until it is built. */
static int index_page(api_req *rq, api_res *rs, cf_err *e)
{
	const char *text;
	size_t n;
	if (read_web_file(rq, "index.html", &text, &n) == 0)
		return api_text(rs, 200, "text/html; charset=utf-8", text, n);
	return route_page(rq, rs, e);
}
API_ROUTE(r_index, "GET", "/", index_page)

static const char *mime_of(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {{".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
		     {".css", "text/css; charset=utf-8"},       {".html", "text/html; charset=utf-8"},
		     {".json", "application/json"},             {".map", "application/json"},
		     {".svg", "image/svg+xml"},                 {".png", "image/png"},
		     {".jpg", "image/jpeg"},                    {".ico", "image/x-icon"},
		     {".woff2", "font/woff2"},                  {".woff", "font/woff"},
		     {".ttf", "font/ttf"},                      {".txt", "text/plain; charset=utf-8"}};
	const char *dot = strrchr(name, '.');
	size_t i;
	for (i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* GET /assets/{file} — the UI's hashed bundles from web/dist/assets. */
static int asset(api_req *rq, api_res *rs, cf_err *e)
{
	const char *name = api_param(rq, "file"), *text;
	char rel[300];
	size_t n;
	(void)e;

	if (!name || name[0] == '.' || strchr(name, '/') || strlen(name) > 200)
		return api_problem(rs, 404, NULL, "no such file");
	snprintf(rel, sizeof rel, "assets/%s", name);
	if (read_web_file(rq, rel, &text, &n) != 0)
		return api_problem(rs, 404, NULL, "no such file");
	return api_text(rs, 200, mime_of(name), text, n);
}
API_ROUTE(r_assets, "GET", "/assets/{file}", asset)

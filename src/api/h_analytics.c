/*
 * h_analytics — REST behind the analytics dashboards (SPEC C8-C10):
 *   GET  /api/v1/analytics/figures                      the paper's figures and derived values
 *   POST /api/v1/analytics/coupling                     C, T, D and grades for posted U rows
 *   POST /api/v1/analytics/entropy                      entropy weights, scores, obstacle degrees
 *   GET  /api/v1/analytics/coupling?alpha=&beta=        the registry's yearly U1/U2 coupling
 *   GET  /api/v1/analytics/ladder?year=Y                enterprise ladder flows Y-1 → Y
 *   GET  /api/v1/analytics/platforms?year=Y&market_threshold=S   platform assessment
 *   GET  /api/v1/analytics/layout-gap?ratio=R           industries: strong base, weak support
 *   POST /api/v1/analytics/subsidy                      micro-firm subsidy calculator
 *   POST /api/v1/analytics/series                       import indicator series (U1./U2. names)
 * Engines are in metrics/, registry loading in service/analytics.c; this file only turns
 * JSON into their inputs and their results into JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/buf.h"
#include "base/money.h"
#include "base/path.h"
#include "metrics/coupling.h"
#include "metrics/entropy.h"
#include "metrics/figures.h"
#include "metrics/indicators.h"
#include "metrics/subsidy.h"
#include "service/analytics.h"

#define MAX_ROWS 100000
#define MAX_COLS 256

static json_t *point_json(const metrics_point *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(p->id));
	json_object_set_new(o, "section", json_string(p->section));
	json_object_set_new(o, "zh", json_string(p->zh));
	json_object_set_new(o, "en", json_string(p->en));
	json_object_set_new(o, "region", json_string(p->region));
	json_object_set_new(o, "period", json_string(p->period));
	json_object_set_new(o, "value", json_real(p->value));
	json_object_set_new(o, "unit", json_string(p->unit));
	return o;
}

static int figures_get(api_req *rq, api_res *rs, cf_err *e)
{
	char path[4096];
	metrics_figures *f = NULL;
	metrics_derived *d = NULL;
	size_t n, nd = 0, i;
	const metrics_point *p;
	json_t *o, *arr;
	int rc;

	if (rq->nquery)
		return api_query_check(rq, rs, NULL, NULL, NULL);
	if (path_data("paper_figures.json", path, sizeof path) < 0)
		return cf_err_set(e, CF_EINTERNAL, NULL, "data path too long");
	if ((rc = metrics_figures_load(path, &f, e)) < 0) {
		char where[sizeof e->where];
		snprintf(where, sizeof where, "%s", e->where);
		return rc == CF_EINVAL ? cf_err_set(e, CF_EINTERNAL, where, "the shipped figures file is invalid") : rc;
	}
	if ((rc = metrics_figures_derive(f, &d, &nd, e)) < 0) {
		metrics_figures_free(f);
		return rc;
	}
	o = json_object();
	json_object_set_new(o, "source", json_string(metrics_figures_source(f)));
	arr = json_array();
	p = metrics_figures_facts(f, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, point_json(&p[i]));
	json_object_set_new(o, "facts", arr);
	arr = json_array();
	p = metrics_figures_points(f, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, point_json(&p[i]));
	json_object_set_new(o, "series", arr);
	arr = json_array();
	for (i = 0; i < nd; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "id", json_string(d[i].id));
		json_object_set_new(x, "zh", json_string(d[i].zh));
		json_object_set_new(x, "en", json_string(d[i].en));
		json_object_set_new(x, "unit", json_string(d[i].unit));
		json_object_set_new(x, "value", json_real(d[i].value));
		json_object_set_new(x, "decimals", json_integer(d[i].decimals));
		if (d[i].has_published) {
			json_object_set_new(x, "published", json_real(d[i].published));
			json_object_set_new(x, "consistent", json_boolean(d[i].consistent));
		}
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "derived", arr);
	free(d);
	metrics_figures_free(f);
	return api_json(rs, 200, o);
}
API_ROUTE(r_an_figures, "GET", "/api/v1/analytics/figures", figures_get)

/* Reads a number array of exactly m entries (m = 0: any length up to MAX_COLS, *m set). */
static int num_array(json_t *a, size_t *m, double *out, const char *where, cf_err *e)
{
	size_t i;
	json_t *x;
	if (!json_is_array(a))
		return cf_err_set(e, CF_EINVAL, where, "must be an array of numbers");
	if ((*m && json_array_size(a) != *m) || json_array_size(a) > MAX_COLS || json_array_size(a) == 0)
		return cf_err_set(e, CF_EINVAL, where, "must hold %zu numbers", *m ? *m : (size_t)2);
	json_array_foreach(a, i, x) {
		if (!json_is_number(x))
			return cf_err_set(e, CF_EINVAL, where, "entry %zu is not a number", i);
		out[i] = json_number_value(x);
	}
	*m = json_array_size(a);
	return 0;
}

static const char *id_text(json_t *x, char *tmp, size_t n)
{
	if (json_is_string(x))
		return json_string_value(x);
	if (json_is_integer(x)) {
		snprintf(tmp, n, "%lld", (long long)json_integer_value(x));
		return tmp;
	}
	return NULL;
}

static int coupling_post(api_req *rq, api_res *rs, cf_err *e)
{
	json_t *rows = json_object_get(rq->body, "rows"), *x, *out, *arr, *wj;
	const char *form_s = json_string_value(json_object_get(rq->body, "form"));
	double w[MAX_COLS], u[MAX_COLS];
	size_t m = 0, i, wm = 0;
	int form = METRICS_COUPLING_STANDARD, have_w = 0, rc;
	char where[96];

	if (!json_is_object(rq->body))
		return cf_err_set(e, CF_EINVAL, "$", "the body must be a JSON object with rows");
	if (!json_is_array(rows) || json_array_size(rows) == 0 || json_array_size(rows) > MAX_ROWS)
		return cf_err_set(e, CF_EINVAL, "$.rows", "must be an array of 1 to %d rows {id, U: [U1, U2, ...]}", MAX_ROWS);
	if (form_s && !strcmp(form_s, "adjusted"))
		form = METRICS_COUPLING_ADJUSTED;
	else if (form_s && strcmp(form_s, "standard"))
		return cf_err_set(e, CF_EINVAL, "$.form", "must be \"standard\" or \"adjusted\"");
	if ((wj = json_object_get(rq->body, "weights")) != NULL) {
		if ((rc = num_array(wj, &wm, w, "$.weights", e)) < 0)
			return rc;
		have_w = 1;
	}
	if (json_object_get(rq->body, "alpha") || json_object_get(rq->body, "beta")) {
		json_t *a = json_object_get(rq->body, "alpha"), *b = json_object_get(rq->body, "beta");
		if (have_w)
			return cf_err_set(e, CF_EINVAL, "$.alpha", "give either alpha/beta or weights, not both");
		if (!json_is_number(a) || !json_is_number(b))
			return cf_err_set(e, CF_EINVAL, json_is_number(a) ? "$.beta" : "$.alpha", "alpha and beta must both be numbers");
		w[0] = json_number_value(a);
		w[1] = json_number_value(b);
		wm = 2;
		have_w = 1;
	}
	out = json_object();
	arr = json_array();
	json_object_set_new(out, "form", json_string(form == METRICS_COUPLING_ADJUSTED ? "adjusted" : "standard"));
	json_object_set_new(out, "rows", arr);
	json_array_foreach(rows, i, x) {
		metrics_coupling c;
		json_t *r;
		char tmp[32];
		const char *id = id_text(json_object_get(x, "id"), tmp, sizeof tmp);
		size_t mm = m;
		snprintf(where, sizeof where, "$.rows[%zu].U", i);
		if ((rc = num_array(json_object_get(x, "U"), &mm, u, where, e)) < 0)
			goto fail;
		if (!m)
			m = mm;
		if (have_w && wm != m) {
			rc = cf_err_set(e, CF_EINVAL, have_w && json_object_get(rq->body, "alpha") ? "$.alpha" : "$.weights",
					"%zu weights for %zu subsystems", wm, m);
			goto fail;
		}
		if ((rc = metrics_coupling_compute(u, m, have_w ? w : NULL, form, &c, e)) < 0) {
			char msg[sizeof e->msg];
			snprintf(msg, sizeof msg, "%s", e->msg);
			cf_err_set(e, rc, where, "%s", msg);
			goto fail;
		}
		r = json_object();
		if (id)
			json_object_set_new(r, "id", json_string(id));
		json_object_set_new(r, "C", json_real(c.C));
		json_object_set_new(r, "T", json_real(c.T));
		json_object_set_new(r, "D", json_real(c.D));
		json_object_set_new(r, "grade", json_integer(c.grade));
		json_object_set_new(r, "grade_zh", json_string(metrics_coupling_grade_zh(c.grade)));
		json_object_set_new(r, "grade_en", json_string(metrics_coupling_grade_en(c.grade)));
		json_array_append_new(arr, r);
	}
	return api_json(rs, 200, out);
fail:
	json_decref(out);
	return rc;
}
API_ROUTE(r_an_coupling_post, "POST", "/api/v1/analytics/coupling", coupling_post)

static int entropy_post(api_req *rq, api_res *rs, cf_err *e)
{
	json_t *names = json_object_get(rq->body, "indicators"), *rows = json_object_get(rq->body, "rows");
	json_t *neg = json_object_get(rq->body, "negative"), *epsj = json_object_get(rq->body, "epsilon"), *x, *out, *arr;
	size_t m, n, i, j;
	double *X = NULL, *w = NULL, *s = NULL, *y = NULL, *ent = NULL, *ob = NULL, eps = METRICS_ENTROPY_EPSILON;
	int *negative = NULL, rc = 0;
	char where[96];

	if (!json_is_array(names) || json_array_size(names) == 0 || json_array_size(names) > MAX_COLS)
		return cf_err_set(e, CF_EINVAL, "$.indicators", "must be an array of 1 to %d indicator names", MAX_COLS);
	if (!json_is_array(rows) || json_array_size(rows) < 2 || json_array_size(rows) > MAX_ROWS)
		return cf_err_set(e, CF_EINVAL, "$.rows", "must be an array of 2 to %d rows {id, values: [...]}", MAX_ROWS);
	if (epsj && (!json_is_number(epsj) || !(json_number_value(epsj) >= 0 && json_number_value(epsj) < 1)))
		return cf_err_set(e, CF_EINVAL, "$.epsilon", "must be a number in [0, 1)");
	if (epsj)
		eps = json_number_value(epsj);
	m = json_array_size(names);
	n = json_array_size(rows);
	json_array_foreach(names, j, x) if (!json_is_string(x)) {
		snprintf(where, sizeof where, "$.indicators[%zu]", j);
		return cf_err_set(e, CF_EINVAL, where, "must be a string");
	}
	X = calloc(n * m, sizeof *X);
	y = calloc(n * m, sizeof *y);
	w = calloc(m, sizeof *w);
	ent = calloc(m, sizeof *ent);
	ob = calloc(m, sizeof *ob);
	s = calloc(n, sizeof *s);
	negative = calloc(m, sizeof *negative);
	if (!X || !y || !w || !ent || !ob || !s || !negative) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	if (neg && !json_is_array(neg)) {
		rc = cf_err_set(e, CF_EINVAL, "$.negative", "must be an array of indicator names");
		goto done;
	}
	json_array_foreach(neg, i, x) {
		int found = 0;
		for (j = 0; j < m; j++)
			if (json_is_string(x) && !strcmp(json_string_value(x), json_string_value(json_array_get(names, j))))
				negative[j] = found = 1;
		if (!found) {
			snprintf(where, sizeof where, "$.negative[%zu]", i);
			rc = cf_err_set(e, CF_EINVAL, where, "names no indicator");
			goto done;
		}
	}
	json_array_foreach(rows, i, x) {
		size_t mm = m;
		snprintf(where, sizeof where, "$.rows[%zu].values", i);
		if ((rc = num_array(json_object_get(x, "values"), &mm, &X[i * m], where, e)) < 0)
			goto done;
	}
	if ((rc = metrics_entropy(X, n, m, negative, eps, ent, w, s, y, e)) < 0) {
		if (!e->where[0])
			snprintf(e->where, sizeof e->where, "$.rows");
		goto done;
	}
	out = json_object();
	arr = json_array();
	for (j = 0; j < m; j++) {
		json_t *o = json_object();
		json_object_set(o, "name", json_array_get(names, j));
		json_object_set_new(o, "type", json_string(negative[j] ? "negative" : "positive"));
		json_object_set_new(o, "entropy", json_real(ent[j]));
		json_object_set_new(o, "weight", json_real(w[j]));
		json_array_append_new(arr, o);
	}
	json_object_set_new(out, "epsilon", json_real(eps));
	json_object_set_new(out, "indicators", arr);
	arr = json_array();
	json_array_foreach(rows, i, x) {
		json_t *o = json_object(), *oo = json_object(), *id = json_object_get(x, "id");
		metrics_obstacle(&y[i * m], w, m, ob);
		for (j = 0; j < m; j++)
			json_object_set_new(oo, json_string_value(json_array_get(names, j)), json_real(ob[j]));
		if (id)
			json_object_set(o, "id", id);
		json_object_set_new(o, "score", json_real(s[i]));
		json_object_set_new(o, "obstacle", oo);
		json_array_append_new(arr, o);
	}
	json_object_set_new(out, "rows", arr);
	rc = api_json(rs, 200, out);
done:
	free(X);
	free(y);
	free(w);
	free(ent);
	free(ob);
	free(s);
	free(negative);
	return rc;
}
API_ROUTE(r_an_entropy, "POST", "/api/v1/analytics/entropy", entropy_post)

/* Parses an optional numeric query parameter in [lo, hi]; 400 problem when bad. */
static int query_num(api_req *rq, api_res *rs, const char *name, double lo, double hi, double *v)
{
	const char *s = api_query(rq, name);
	char *end;
	double x;
	if (!s)
		return 0;
	x = strtod(s, &end);
	if (end == s || *end || !(x >= lo && x <= hi))
		return api_problem(rs, 400, name, "%s must be a number from %g to %g, not \"%s\"", name, lo, hi, s);
	*v = x;
	return 0;
}

static int query_year(api_req *rq, api_res *rs, int *year)
{
	double y = 0;
	int rc;
	if (!api_query(rq, "year"))
		return api_problem(rs, 400, "year", "the year query parameter is required (?year=2021)");
	if ((rc = query_num(rq, rs, "year", 1900, 2200, &y)) < 0)
		return rc;
	if (y != floor(y))
		return api_problem(rs, 400, "year", "year must be a whole number");
	*year = (int)y;
	return 0;
}

static int coupling_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"alpha", "beta", NULL};
	metrics_table t = {0};
	metrics_system s = {0};
	double alpha = 0.5, beta = 0.5;
	int synthetic = 0, rc;
	size_t i, j;
	json_t *o, *arr;

	if ((rc = api_query_check(rq, rs, allowed, NULL, NULL)) != 0)
		return rc;
	if ((rc = query_num(rq, rs, "alpha", 0, 1, &alpha)) < 0 || (rc = query_num(rq, rs, "beta", 0, 1, &beta)) < 0)
		return rc;
	if (fabs(alpha + beta - 1) > 1e-9)
		return api_problem(rs, 400, "alpha", "alpha + beta must be 1 (got %g + %g)", alpha, beta);
	if ((rc = analytics_indicators(rq->db, &t, &synthetic, e)) < 0)
		return rc;
	if ((rc = metrics_system_run(&t, alpha, beta, METRICS_ENTROPY_EPSILON, &s, e)) < 0) {
		metrics_table_free(&t);
		return rc;
	}
	o = json_object();
	json_object_set_new(o, "synthetic", json_boolean(synthetic));
	json_object_set_new(o, "alpha", json_real(alpha));
	json_object_set_new(o, "beta", json_real(beta));
	arr = json_array();
	for (j = 0; j < t.cols; j++) {
		json_t *x = json_object();
		json_object_set_new(x, "name", json_string(t.names[j]));
		json_object_set_new(x, "subsystem", json_integer(s.subsystem[j]));
		json_object_set_new(x, "type", json_string(s.negative[j] ? "negative" : "positive"));
		json_object_set_new(x, "weight", json_real(s.weight[j]));
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "indicators", arr);
	arr = json_array();
	for (i = 0; i < t.rows; i++) {
		json_t *x = json_object(), *vals = json_object(), *obs = json_object();
		for (j = 0; j < t.cols; j++) {
			json_object_set_new(vals, t.names[j], json_real(t.x[i * t.cols + j]));
			json_object_set_new(obs, t.names[j], json_real(s.obstacle[i * t.cols + j]));
		}
		json_object_set_new(x, "year", json_integer(strtol(t.ids[i], NULL, 10)));
		json_object_set_new(x, "U1", json_real(s.u[i * 2]));
		json_object_set_new(x, "U2", json_real(s.u[i * 2 + 1]));
		json_object_set_new(x, "C", json_real(s.c[i].C));
		json_object_set_new(x, "T", json_real(s.c[i].T));
		json_object_set_new(x, "D", json_real(s.c[i].D));
		json_object_set_new(x, "grade", json_integer(s.c[i].grade));
		json_object_set_new(x, "grade_zh", json_string(metrics_coupling_grade_zh(s.c[i].grade)));
		json_object_set_new(x, "values", vals);
		json_object_set_new(x, "obstacle", obs);
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "years", arr);
	metrics_system_free(&s);
	metrics_table_free(&t);
	return api_json(rs, 200, o);
}
API_ROUTE(r_an_coupling_get, "GET", "/api/v1/analytics/coupling", coupling_get)

static int ladder_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"year", NULL};
	metrics_ladder_flows f;
	int year = 0, synthetic = 0, rc, a, b;
	json_t *o, *nodes, *links;

	if ((rc = api_query_check(rq, rs, allowed, NULL, NULL)) != 0 || (rc = query_year(rq, rs, &year)) != 0)
		return rc;
	if ((rc = analytics_ladder(rq->db, year, &f, &synthetic, e)) < 0)
		return rc;
	o = json_object();
	nodes = json_array();
	links = json_array();
	for (a = 0; a < METRICS_RUNG_N; a++) {
		json_t *x = json_object();
		json_object_set_new(x, "rung", json_integer(a));
		json_object_set_new(x, "zh", json_string(metrics_ladder_rung_zh(a)));
		json_object_set_new(x, "en", json_string(metrics_ladder_rung_en(a)));
		json_object_set_new(x, "level", json_integer(metrics_ladder_level(a)));
		json_object_set_new(x, "count", json_integer(f.count[a]));
		json_object_set_new(x, "entered", json_integer(f.entered[a]));
		json_object_set_new(x, "left", json_integer(f.left[a]));
		json_array_append_new(nodes, x);
		for (b = 0; b < METRICS_RUNG_N; b++)
			if (f.n[a][b]) {
				json_t *l = json_object();
				json_object_set_new(l, "from", json_integer(a));
				json_object_set_new(l, "to", json_integer(b));
				json_object_set_new(l, "firms", json_integer(f.n[a][b]));
				json_array_append_new(links, l);
			}
	}
	json_object_set_new(o, "year", json_integer(year));
	json_object_set_new(o, "synthetic", json_boolean(synthetic));
	json_object_set_new(o, "up", json_integer(f.up));
	json_object_set_new(o, "stay", json_integer(f.stay));
	json_object_set_new(o, "down", json_integer(f.down));
	json_object_set_new(o, "nodes", nodes);
	json_object_set_new(o, "links", links);
	return api_json(rs, 200, o);
}
API_ROUTE(r_an_ladder, "GET", "/api/v1/analytics/ladder", ladder_get)

static int platforms_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"year", "market_threshold", NULL};
	static const char *ind_names[METRICS_PI_N] = {"local_contracts", "spinoffs", "patents_transferred", "own_revenue_share", "cross_county"};
	analytics_platform *p = NULL;
	size_t n = 0, i;
	double thr = 2;
	int year = 0, rc, k;
	json_t *o, *arr;

	if ((rc = api_query_check(rq, rs, allowed, NULL, NULL)) != 0 || (rc = query_year(rq, rs, &year)) != 0 ||
	    (rc = query_num(rq, rs, "market_threshold", 0, 1, &thr)) != 0)
		return rc;
	if ((rc = analytics_platforms(rq->db, year, thr, &p, &n, e)) < 0)
		return rc;
	o = json_object();
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_t *x = json_object(), *ind = json_object();
		const metrics_platform *q = &p[i].in;
		for (k = 0; k < METRICS_PI_N; k++)
			if (p[i].r.market || metrics_platform_uses(q->function, k))
				json_object_set_new(ind, ind_names[k], json_real(q->ind[k]));
		json_object_set_new(x, "id", json_integer(q->id));
		json_object_set_new(x, "name", json_string(p[i].name));
		json_object_set_new(x, "positioning", json_string(metrics_platform_function_zh(q->function)));
		json_object_set_new(x, "stage", json_string(metrics_platform_stage_zh(q->stage)));
		json_object_set_new(x, "support_level", json_string(metrics_platform_support_zh(q->support)));
		json_object_set_new(x, "track", json_string(p[i].r.market ? "market" : "class"));
		json_object_set_new(x, "class", json_integer(p[i].r.class_key));
		json_object_set_new(x, "score", json_real(p[i].r.score));
		json_object_set_new(x, "rank", json_integer(p[i].r.rank));
		json_object_set_new(x, "group_size", json_integer(p[i].r.group_size));
		json_object_set_new(x, "indicators", ind);
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "year", json_integer(year));
	json_object_set_new(o, "platforms", arr);
	free(p);
	return api_json(rs, 200, o);
}
API_ROUTE(r_an_platforms, "GET", "/api/v1/analytics/platforms", platforms_get)

static int gap_get(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"ratio", NULL};
	analytics_gap *g = NULL;
	size_t n = 0, i;
	double ratio = 0.5;
	int rc;
	json_t *arr;

	if ((rc = api_query_check(rq, rs, allowed, NULL, NULL)) != 0 || (rc = query_num(rq, rs, "ratio", 0, 10, &ratio)) != 0)
		return rc;
	if ((rc = analytics_layout_gap(rq->db, ratio, &g, &n, e)) < 0)
		return rc;
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "chain", json_string(g[i].name));
		json_object_set_new(x, "value_added", json_real(g[i].value_added));
		json_object_set_new(x, "platforms", json_integer(g[i].platforms));
		json_object_set_new(x, "base_share", json_real(g[i].g.base_share));
		json_object_set_new(x, "support_share", json_real(g[i].g.support_share));
		json_object_set_new(x, "gap", json_real(g[i].g.gap));
		json_object_set_new(x, "flagged", json_boolean(g[i].g.flagged));
		json_array_append_new(arr, x);
	}
	free(g);
	return api_json(rs, 200, json_pack("{s:f,s:o}", "ratio", ratio, "chains", arr));
}
API_ROUTE(r_an_gap, "GET", "/api/v1/analytics/layout-gap", gap_get)

static int money_field(json_t *body, const char *k, int64_t *v, cf_err *e)
{
	json_t *x = json_object_get(body, k);
	char where[64];
	cf_err inner;
	snprintf(where, sizeof where, "$.%s", k);
	*v = 0;
	if (!x)
		return 0;
	if (!json_is_string(x))
		return cf_err_set(e, CF_EINVAL, where, "must be an amount of yuan as a string (\"1234.50\")");
	if (money_parse(json_string_value(x), strlen(json_string_value(x)), v, &inner) < 0)
		return cf_err_set(e, CF_EINVAL, where, "%s", inner.msg);
	return 0;
}

static json_t *money_json(int64_t fen)
{
	char s[MONEY_FMT_MAX];
	return json_string(money_format(fen, s));
}

static int subsidy_post(api_req *rq, api_res *rs, cf_err *e)
{
	char path[4096];
	buf b;
	metrics_subsidy_policy pol;
	metrics_subsidy_firm f;
	metrics_subsidy_result r;
	int64_t contracts[1000];
	json_t *cj, *x, *o;
	size_t i;
	int rc;

	if (!json_is_object(rq->body))
		return cf_err_set(e, CF_EINVAL, "$", "the body must be a JSON object describing the firm");
	memset(&f, 0, sizeof f);
	if ((rc = money_field(rq->body, "annual_output", &f.annual_output_fen, e)) < 0 ||
	    (rc = money_field(rq->body, "rd_expense", &f.rd_expense_fen, e)) < 0 ||
	    (rc = money_field(rq->body, "equipment", &f.equipment_fen, e)) < 0)
		return rc;
	if (!json_object_get(rq->body, "annual_output"))
		return cf_err_set(e, CF_EINVAL, "$.annual_output", "is required");
	f.key_industry = json_is_true(json_object_get(rq->body, "key_industry"));
	f.break_point = json_is_true(json_object_get(rq->body, "break_point"));
	cj = json_object_get(rq->body, "contracts");
	if (cj && (!json_is_array(cj) || json_array_size(cj) > 1000))
		return cf_err_set(e, CF_EINVAL, "$.contracts", "must be an array of at most 1000 amounts");
	json_array_foreach(cj, i, x) {
		char where[64];
		cf_err inner;
		snprintf(where, sizeof where, "$.contracts[%zu]", i);
		if (!json_is_string(x) || money_parse(json_string_value(x), strlen(json_string_value(x)), &contracts[i], &inner) < 0)
			return cf_err_set(e, CF_EINVAL, where, "must be an amount of yuan as a string");
	}
	f.contracts_fen = contracts;
	f.ncontracts = json_array_size(cj);
	if (path_data("subsidies/micro.json", path, sizeof path) < 0)
		return cf_err_set(e, CF_EINTERNAL, NULL, "data path too long");
	buf_init(&b, 1u << 20);
	if ((rc = path_read_file(path, &b, e)) < 0 || (rc = metrics_subsidy_policy_parse(b.p ? b.p : "", b.len, path, &pol, e)) < 0) {
		char where[sizeof e->where], msg[sizeof e->msg];
		snprintf(where, sizeof where, "%s", e->where);
		snprintf(msg, sizeof msg, "%s", e->msg);
		buf_free(&b);
		return cf_err_set(e, CF_EINTERNAL, where, "the subsidy policy file is unusable: %s", msg);
	}
	buf_free(&b);
	if ((rc = metrics_subsidy_compute(&pol, &f, &r, e)) < 0)
		return rc;
	o = json_object();
	json_object_set_new(o, "policy_version", json_string(pol.version));
	json_object_set_new(o, "eligible", json_boolean(r.eligible));
	if (!r.eligible)
		json_object_set_new(o, "reason", json_string(r.reason));
	json_object_set_new(o, "extra_deduction", money_json(r.extra_deduction_fen));
	json_object_set_new(o, "tax_saving", money_json(r.tax_saving_fen));
	json_object_set_new(o, "contract_subsidy", money_json(r.contract_subsidy_fen));
	json_object_set_new(o, "equipment_subsidy", money_json(r.equipment_subsidy_fen));
	json_object_set_new(o, "total", money_json(r.total_fen));
	return api_json(rs, 200, o);
}
API_ROUTE(r_an_subsidy, "POST", "/api/v1/analytics/subsidy", subsidy_post)

static int series_post(api_req *rq, api_res *rs, cf_err *e)
{
	json_t *arr = json_object_get(rq->body, "series"), *x;
	analytics_series_point *p;
	size_t i, n;
	int rc;
	char where[64];

	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > MAX_ROWS)
		return cf_err_set(e, CF_EINVAL, "$.series", "must be an array of 1 to %d points {name, year, value[, source]}", MAX_ROWS);
	n = json_array_size(arr);
	p = arena_alloc(rq->a, n * sizeof *p);
	if (!p)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	json_array_foreach(arr, i, x) {
		json_t *y = json_object_get(x, "year"), *v = json_object_get(x, "value");
		snprintf(where, sizeof where, "$.series[%zu]", i);
		if (!json_is_string(json_object_get(x, "name")) || !json_is_integer(y) || !json_is_number(v))
			return cf_err_set(e, CF_EINVAL, where, "needs a string name, an integer year and a numeric value");
		p[i].name = json_string_value(json_object_get(x, "name"));
		p[i].year = json_integer_value(y) < -100000 || json_integer_value(y) > 100000 ? 0 : (int)json_integer_value(y);
		p[i].value = json_number_value(v);
		p[i].source = json_string_value(json_object_get(x, "source"));
	}
	if ((rc = analytics_series_put(rq->db, p, n, e)) < 0)
		return rc;
	return api_json(rs, 200, json_pack("{s:I}", "imported", (json_int_t)n));
}
API_ROUTE(r_an_series, "POST", "/api/v1/analytics/series", series_post)

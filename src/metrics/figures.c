/* figures — load data/paper_figures.json and recompute its derived values; see figures.h. */
#include "metrics/figures.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/path.h"

struct metrics_figures {
	json_t *root;
	json_t *table1; /* the object with id "table1" */
	metrics_point *facts;
	size_t nfacts;
	metrics_point *points;
	size_t npoints;
};

static const char *str_or(json_t *o, const char *k, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : dflt;
}

static int need_number(json_t *o, const char *k, double *v, const char *where, cf_err *e)
{
	json_t *x = json_object_get(o, k);
	if (!json_is_number(x))
		return cf_err_set(e, CF_EINVAL, where, "field \"%s\" must be a number", k);
	*v = json_number_value(x);
	return 0;
}

int metrics_figures_load(const char *path, metrics_figures **out, cf_err *e)
{
	buf b;
	json_error_t je;
	metrics_figures *f = NULL;
	json_t *tables, *series, *facts, *x;
	size_t i, j, n;
	char where[300];
	int rc;

	buf_init(&b, 16u << 20);
	if ((rc = path_read_file(path, &b, e)) < 0)
		goto fail;
	f = calloc(1, sizeof *f);
	if (!f) {
		rc = cf_err_set(e, CF_ENOMEM, path, "out of memory");
		goto fail;
	}
	f->root = json_loadb(b.p ? b.p : "", b.len, 0, &je);
	if (!f->root) {
		snprintf(where, sizeof where, "%s:%d:%d", path, je.line, je.column);
		rc = cf_err_set(e, CF_EINVAL, where, "%s", je.text);
		goto fail;
	}
	tables = json_object_get(f->root, "tables");
	series = json_object_get(f->root, "series");
	facts = json_object_get(f->root, "facts");
	if (!json_is_array(tables) || !json_is_array(series) || !json_is_array(facts)) {
		rc = cf_err_set(e, CF_EINVAL, "$", "%s: tables, series and facts must be arrays", path);
		goto fail;
	}
	json_array_foreach(tables, i, x)
		if (!strcmp(str_or(x, "id", ""), "table1"))
			f->table1 = x;
	if (!f->table1 || !json_is_array(json_object_get(f->table1, "rows"))) {
		rc = cf_err_set(e, CF_EINVAL, "$.tables", "%s: no table with id \"table1\" and rows", path);
		goto fail;
	}
	n = json_array_size(facts);
	f->facts = calloc(n ? n : 1, sizeof *f->facts);
	if (!f->facts) {
		rc = cf_err_set(e, CF_ENOMEM, path, "out of memory");
		goto fail;
	}
	json_array_foreach(facts, i, x) {
		metrics_point *p = &f->facts[i];
		snprintf(where, sizeof where, "$.facts[%zu]", i);
		if ((rc = need_number(x, "value", &p->value, where, e)) < 0)
			goto fail;
		p->id = str_or(x, "id", "");
		p->section = str_or(x, "section", "");
		p->zh = str_or(x, "zh", "");
		p->en = str_or(x, "en", "");
		p->unit = str_or(x, "unit", "");
		p->period = str_or(x, "period", "");
		p->region = str_or(x, "region", "");
		if (!*p->id || !*p->section) {
			rc = cf_err_set(e, CF_EINVAL, where, "every fact needs an id and a section");
			goto fail;
		}
	}
	f->nfacts = n;
	n = 0;
	json_array_foreach(series, i, x)
		n += json_array_size(json_object_get(x, "points"));
	f->points = calloc(n ? n : 1, sizeof *f->points);
	if (!f->points) {
		rc = cf_err_set(e, CF_ENOMEM, path, "out of memory");
		goto fail;
	}
	json_array_foreach(series, i, x) {
		json_t *pt;
		json_array_foreach(json_object_get(x, "points"), j, pt) {
			metrics_point *p = &f->points[f->npoints];
			snprintf(where, sizeof where, "$.series[%zu].points[%zu]", i, j);
			if ((rc = need_number(pt, "value", &p->value, where, e)) < 0)
				goto fail;
			p->id = str_or(x, "id", "");
			p->section = str_or(x, "section", "");
			p->zh = str_or(x, "zh", "");
			p->en = str_or(x, "en", "");
			p->unit = str_or(x, "unit", "");
			p->period = str_or(pt, "period", "");
			p->region = "温州";
			f->npoints++;
		}
	}
	buf_free(&b);
	*out = f;
	return 0;
fail:
	buf_free(&b);
	metrics_figures_free(f);
	return rc;
}

void metrics_figures_free(metrics_figures *f)
{
	if (!f)
		return;
	json_decref(f->root);
	free(f->facts);
	free(f->points);
	free(f);
}

/* Resolves "fact:ID" or "series:ID@PERIOD". */
static int ref_value(const metrics_figures *f, const char *ref, double *v)
{
	size_t i;
	if (!strncmp(ref, "fact:", 5)) {
		for (i = 0; i < f->nfacts; i++)
			if (!strcmp(f->facts[i].id, ref + 5)) {
				*v = f->facts[i].value;
				return 0;
			}
	} else if (!strncmp(ref, "series:", 7)) {
		const char *at = strchr(ref, '@');
		size_t idlen;
		if (!at)
			return -1;
		idlen = (size_t)(at - (ref + 7));
		for (i = 0; i < f->npoints; i++)
			if (strlen(f->points[i].id) == idlen && !strncmp(f->points[i].id, ref + 7, idlen) &&
			    !strcmp(f->points[i].period, at + 1)) {
				*v = f->points[i].value;
				return 0;
			}
	}
	return -1;
}

static int col_decimals(json_t *table, const char *key)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(table, "columns"), i, c)
		if (!strcmp(str_or(c, "key", ""), key))
			return (int)json_integer_value(json_object_get(c, "decimals"));
	return 0;
}

static void set_text(metrics_derived *d, json_t *x)
{
	snprintf(d->zh, sizeof d->zh, "%s", str_or(x, "zh", ""));
	snprintf(d->en, sizeof d->en, "%s", str_or(x, "en", ""));
	snprintf(d->unit, sizeof d->unit, "%s", str_or(x, "unit", ""));
	d->decimals = (int)json_integer_value(json_object_get(x, "decimals"));
}

int metrics_figures_derive(const metrics_figures *f, metrics_derived **out, size_t *n, cf_err *e)
{
	json_t *tder = json_object_get(f->table1, "derived");
	json_t *rows = json_object_get(f->table1, "rows");
	json_t *top = json_object_get(f->root, "derived");
	size_t cap = json_array_size(tder) * json_array_size(rows) + json_array_size(top);
	metrics_derived *d = calloc(cap ? cap : 1, sizeof *d);
	size_t k = 0, i, r;
	json_t *x, *row;
	char where[128];
	int rc;

	if (!d)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	json_array_foreach(tder, i, x) {
		const char *num = str_or(x, "num", ""), *den = str_or(x, "den", "");
		const char *pub = str_or(x, "published", NULL);
		double scale = json_number_value(json_object_get(x, "scale"));
		double hn = 0.5 * pow(10, -col_decimals(f->table1, num));
		double hd = 0.5 * pow(10, -col_decimals(f->table1, den));
		json_array_foreach(rows, r, row) {
			metrics_derived *o = &d[k];
			double a = 0, b = 0;
			snprintf(where, sizeof where, "$.tables[table1].rows[%zu]", r);
			if ((rc = need_number(row, num, &a, where, e)) < 0 || (rc = need_number(row, den, &b, where, e)) < 0)
				goto fail;
			if (b - hd <= 0) {
				rc = cf_err_set(e, CF_EINVAL, where, "denominator \"%s\" is not positive", den);
				goto fail;
			}
			set_text(o, x);
			snprintf(o->id, sizeof o->id, "table1.%s.%s", str_or(x, "key", ""), str_or(row, "region", ""));
			o->value = a / b * scale;
			o->lo = (a - hn) / (b + hd) * scale;
			o->hi = (a + hn) / (b - hd) * scale;
			if (pub) {
				double hp = 0.5 * pow(10, -col_decimals(f->table1, pub));
				if ((rc = need_number(row, pub, &o->published, where, e)) < 0)
					goto fail;
				o->has_published = 1;
				o->consistent = o->published + hp >= o->lo && o->published - hp <= o->hi;
			}
			k++;
		}
	}
	json_array_foreach(top, i, x) {
		metrics_derived *o = &d[k];
		double a = 0, b = 0;
		snprintf(where, sizeof where, "$.derived[%zu]", i);
		if (ref_value(f, str_or(x, "num", ""), &a) < 0 || ref_value(f, str_or(x, "den", ""), &b) < 0) {
			rc = cf_err_set(e, CF_EINVAL, where, "num or den names no fact or series point");
			goto fail;
		}
		if (b == 0) {
			rc = cf_err_set(e, CF_EINVAL, where, "denominator is zero");
			goto fail;
		}
		set_text(o, x);
		snprintf(o->id, sizeof o->id, "%s", str_or(x, "id", ""));
		o->value = a / b * json_number_value(json_object_get(x, "scale"));
		o->lo = o->hi = o->value;
		k++;
	}
	*out = d;
	*n = k;
	return 0;
fail:
	free(d);
	return rc;
}

const metrics_point *metrics_figures_facts(const metrics_figures *f, size_t *n)
{
	*n = f->nfacts;
	return f->facts;
}

const metrics_point *metrics_figures_points(const metrics_figures *f, size_t *n)
{
	*n = f->npoints;
	return f->points;
}

size_t metrics_figures_table1_rows(const metrics_figures *f)
{
	return json_array_size(json_object_get(f->table1, "rows"));
}

int metrics_figures_table1_cell(const metrics_figures *f, size_t row, const char *key, double *v)
{
	json_t *x = json_object_get(json_array_get(json_object_get(f->table1, "rows"), row), key);
	if (!json_is_number(x))
		return CF_ENOTFOUND;
	*v = json_number_value(x);
	return 0;
}

const char *metrics_figures_table1_region(const metrics_figures *f, size_t row)
{
	return str_or(json_array_get(json_object_get(f->table1, "rows"), row), "region", "");
}

const char *metrics_figures_source(const metrics_figures *f) { return str_or(f->root, "source", ""); }

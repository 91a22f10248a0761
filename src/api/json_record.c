/*
 * json_record — cf_record ↔ JSON for the REST layer; see json_record.h. Text goes through
 * model/value.c (value_parse, value_check), so JSON, CSV and the CLI accept the same values.
 */
#include "api/json_record.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/money.h"
#include "model/value.h"

static json_t *value_json(const cf_field *f, const cf_value *v)
{
	char tmp[MONEY_FMT_MAX];

	if (!v->present)
		return json_null();
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		return json_integer(v->i);
	case FT_MONEY:
		return json_string(money_format(v->i, tmp));
	case FT_DATE:
		return json_string(date_format((int32_t)v->i, tmp));
	case FT_BOOL:
		return json_boolean(v->i != 0);
	case FT_PERCENT:
		/* basis points: whole percents as integers, else the exact two-decimal value */
		if (v->i % 100 == 0)
			return json_integer(v->i / 100);
		return json_real((double)v->i / 100.0);
	case FT_IDLIST: {
		json_t *arr = json_array();
		const char *p = v->s ? v->s : "";
		while (arr && *p) {
			char *end;
			long long id = strtoll(p, &end, 10);
			if (end == p)
				break;
			json_array_append_new(arr, json_integer(id));
			p = *end == ',' ? end + 1 : end;
			if (*end && *end != ',')
				break;
		}
		return arr;
	}
	default:
		return json_stringn(v->s ? v->s : "", v->n);
	}
}

json_t *json_record_to(const cf_record *r, arena *a)
{
	json_t *o = json_object();
	size_t i;
	(void)a;

	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(r->id));
	for (i = 0; i < r->ent->nfields; i++) {
		json_t *jv = value_json(&r->ent->fields[i], &r->v[i]);
		if (!jv || json_object_set_new(o, r->ent->fields[i].name, jv) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	json_object_set_new(o, "synthetic", json_boolean(r->synthetic));
	return o;
}

int json_record_err(json_t *errs, const char *path, const char *detail)
{
	json_t *one = json_object();
	if (one) {
		json_object_set_new(one, "path", json_string(path));
		json_object_set_new(one, "detail", json_string(detail));
		json_array_append_new(errs, one);
	}
	return CF_EINVAL;
}

static const char *type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* Parses one JSON member into v for field f; on failure writes the reason into e. */
static int member_value(const cf_field *f, const json_t *j, arena *a, cf_value *v, cf_err *e)
{
	char tmp[64];
	memset(v, 0, sizeof *v);
	if (json_is_null(j))
		return 0;
	switch (f->type) {
	case FT_TEXT:
	case FT_ENUM:
	case FT_USCC:
	case FT_INDUSTRY:
	case FT_COUNTY:
	case FT_DATE:
		if (!json_is_string(j))
			return cf_err_set(e, CF_EINVAL, NULL, "%s must be a string, not %s", f->name, type_name(j));
		return value_parse(f, json_string_value(j), json_string_length(j), a, v, e);
	case FT_INT:
		if (!json_is_integer(j))
			return cf_err_set(e, CF_EINVAL, NULL, "%s must be an integer, not %s", f->name, type_name(j));
		v->present = 1;
		v->i = json_integer_value(j);
		return value_check(f, v, e);
	case FT_MONEY:
		if (json_is_string(j))
			return value_parse(f, json_string_value(j), json_string_length(j), a, v, e);
		if (json_is_integer(j)) {
			json_int_t y = json_integer_value(j);
			if (y > INT64_MAX / 100 || y < INT64_MIN / 100)
				return cf_err_set(e, CF_EINVAL, NULL, "%s is out of range", f->name);
			v->present = 1;
			v->i = (int64_t)y * 100;
			return value_check(f, v, e);
		}
		return cf_err_set(e, CF_EINVAL, NULL,
				  "money must be a string like \"1234.56\" or an integer of yuan, not %s", type_name(j));
	case FT_BOOL:
		if (!json_is_boolean(j))
			return cf_err_set(e, CF_EINVAL, NULL, "%s must be true or false, not %s", f->name, type_name(j));
		v->present = 1;
		v->i = json_is_true(j);
		return 0;
	case FT_PERCENT:
		if (json_is_string(j))
			return value_parse(f, json_string_value(j), json_string_length(j), a, v, e);
		if (json_is_integer(j)) {
			snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
			return value_parse(f, tmp, strlen(tmp), a, v, e);
		}
		if (json_is_real(j)) {
			snprintf(tmp, sizeof tmp, "%.15g", json_real_value(j));
			return value_parse(f, tmp, strlen(tmp), a, v, e);
		}
		return cf_err_set(e, CF_EINVAL, NULL, "%s must be a number of percent like 12.5, not %s", f->name,
				  type_name(j));
	case FT_REF:
		if (!json_is_integer(j) || json_integer_value(j) <= 0)
			return cf_err_set(e, CF_EINVAL, NULL, "%s must be the integer id of a %s", f->name, f->ref);
		v->present = 1;
		v->i = json_integer_value(j);
		return 0;
	case FT_IDLIST: {
		buf b;
		size_t k;
		int rc;
		if (!json_is_array(j))
			return cf_err_set(e, CF_EINVAL, NULL, "%s must be an array of %s ids, not %s", f->name, f->ref,
					  type_name(j));
		buf_init(&b, 1 << 20);
		for (k = 0; k < json_array_size(j); k++) {
			const json_t *x = json_array_get(j, k);
			if (!json_is_integer(x) || json_integer_value(x) <= 0) {
				buf_free(&b);
				return cf_err_set(e, CF_EINVAL, NULL, "%s[%zu] must be the integer id of a %s", f->name, k,
						  f->ref);
			}
			buf_printf(&b, "%s%" JSON_INTEGER_FORMAT, k ? "," : "", json_integer_value(x));
		}
		rc = value_parse(f, buf_cstr(&b), b.len, a, v, e);
		buf_free(&b);
		return rc;
	}
	}
	return cf_err_set(e, CF_EINTERNAL, NULL, "field %s has an unknown type", f->name);
}

int json_record_apply(const json_t *obj, cf_record *r, arena *a, json_t *errs)
{
	const char *key;
	json_t *val;
	int bad = 0;
	char path[300];

	if (!json_is_object(obj))
		return json_record_err(errs, "$", "the body must be a JSON object");
	json_object_foreach((json_t *)obj, key, val) {
		int fi;
		cf_value v;
		cf_err e;

		snprintf(path, sizeof path, "$.%s", key);
		if (!strcmp(key, "id")) {
			if (!json_is_integer(val) && !json_is_null(val))
				bad = json_record_err(errs, path, "id must be an integer (it is read-only)");
			continue;
		}
		if (!strcmp(key, "synthetic")) {
			if (!json_is_boolean(val))
				bad = json_record_err(errs, path, "synthetic must be true or false (it is read-only)");
			continue;
		}
		fi = schema_field(r->ent, key);
		if (fi < 0) {
			char detail[400];
			snprintf(detail, sizeof detail, "unknown field \"%s\" for %s", key, r->ent->name);
			bad = json_record_err(errs, path, detail);
			continue;
		}
		if (r->ent->fields[fi].flags & F_READONLY)
			continue; /* set by the system; a client's value is ignored */
		cf_err_clear(&e);
		if (member_value(&r->ent->fields[fi], val, a, &v, &e) != 0) {
			const char *w = e.where[0] == '$' ? e.where : path;
			bad = json_record_err(errs, w, e.msg[0] ? e.msg : "bad value");
			continue;
		}
		r->v[fi] = v;
	}
	return bad ? CF_EINVAL : 0;
}

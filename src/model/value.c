/*
 * value — field values from and to text, and record checks (see value.h).
 *
 * Every message names the field first ("revenue: ..."), so that it reads well after any
 * location the caller puts in front (an import's FILE:ROW:COLUMN, the API's $.field).
 */
#include "model/value.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/utf8.h"
#include "model/industry.h"
#include "model/uscc.h"

#define VALUE_TEXT_DEFAULT 200

static const char *const bool_true[] = {"1", "true", "yes", "是", NULL};
static const char *const bool_false[] = {"0", "false", "no", "否", NULL};

static int value_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Finds a C0 control character other than tab, LF and CR (NUL included): text is stored and
 * passed on as C strings and shown in cells, where these have no place. */
static int value_bad_control(const char *s, size_t n, size_t *at)
{
	size_t i;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
			*at = i;
			return 1;
		}
	return 0;
}

/* Case-insensitive match for ASCII, exact for the rest. */
static int value_word_eq(const char *s, size_t n, const char *w)
{
	size_t i;
	if (strlen(w) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char a = s[i], b = w[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

/* Parses an optionally signed decimal int64 occupying all of s[0..n). */
static int value_i64(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	uint64_t acc = 0, lim;
	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (acc > (lim - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		acc = acc * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 0;
}

/* "12.5" (optionally "12.5%") → 1250 basis points; at most two decimals, 0..100. */
static int value_percent(const cf_field *f, const char *s, size_t n, int64_t *bp, cf_err *e)
{
	size_t i = 0, dec = 0;
	int64_t whole = 0, frac = 0;
	int dot = 0, digits = 0;
	if (n && s[n - 1] == '%')
		n--;
	for (; i < n; i++) {
		if (s[i] == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return cf_err_set(e, CF_EINVAL, NULL,
					  "%s: \"%.*s\" is not a percentage (like 12.5 for 12.5%%): bad character at %zu",
					  f->name, (int)n, s, i + 1);
		digits++;
		if (dot) {
			if (++dec > 2)
				return cf_err_set(e, CF_EINVAL, NULL,
						  "%s: percentage \"%.*s\" has more than two decimals", f->name, (int)n,
						  s);
			frac = frac * 10 + (s[i] - '0');
		} else {
			if (whole > 1000)
				return cf_err_set(e, CF_EINVAL, NULL, "%s: percentage \"%.*s\" is over 100", f->name,
						  (int)n, s);
			whole = whole * 10 + (s[i] - '0');
		}
	}
	if (!digits)
		return cf_err_set(e, CF_EINVAL, NULL, "%s: \"%.*s\" is not a percentage", f->name, (int)n, s);
	if (dec == 1)
		frac *= 10;
	if (whole * 100 + frac > 10000)
		return cf_err_set(e, CF_EINVAL, NULL, "%s: percentage \"%.*s\" is over 100", f->name, (int)n, s);
	*bp = whole * 100 + frac;
	return 0;
}

static int value_in_list(const char *s, size_t n, const char *const *vals, const char **canon)
{
	size_t i;
	for (i = 0; vals && vals[i]; i++)
		if (strlen(vals[i]) == n && !memcmp(vals[i], s, n)) {
			if (canon)
				*canon = vals[i];
			return 1;
		}
	return 0;
}

static int value_list_error(const cf_field *f, const char *what, const char *s, size_t n,
			    const char *const *vals, cf_err *e)
{
	char allowed[300];
	size_t i, off = 0;
	allowed[0] = 0;
	for (i = 0; vals && vals[i] && off < sizeof allowed; i++) {
		int w = snprintf(allowed + off, sizeof allowed - off, "%s%s", i ? ", " : "", vals[i]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return cf_err_set(e, CF_EINVAL, NULL, "%s: \"%.*s\" is not %s; allowed: %s", f->name, (int)(n > 60 ? 60 : n),
			  s, what, allowed);
}

/* Parses "3,5,9" (blanks around ids allowed) into its canonical text "3,5,9". */
static int value_idlist(const cf_field *f, const char *s, size_t n, arena *a, cf_value *v, cf_err *e)
{
	char *out = arena_alloc(a, n + 1);
	size_t i = 0, o = 0, start, end, k;
	int64_t id;
	if (!out)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	while (i <= n) {
		start = i;
		while (i < n && s[i] != ',')
			i++;
		end = i;
		while (start < end && value_is_blank(s[start]))
			start++;
		while (end > start && value_is_blank(s[end - 1]))
			end--;
		if (value_i64(s + start, end - start, &id) || id <= 0)
			return cf_err_set(e, CF_EINVAL, NULL,
					  "%s: \"%.*s\" is not a list of positive ids separated by commas (like 3,5,9)",
					  f->name, (int)(n > 60 ? 60 : n), s);
		/* refuse a repeated id: the list is a set */
		for (k = 0; k < o;) {
			size_t q = k;
			int64_t prev;
			while (q < o && out[q] != ',')
				q++;
			if (!value_i64(out + k, q - k, &prev) && prev == id)
				return cf_err_set(e, CF_EINVAL, NULL, "%s: id %lld is listed twice", f->name,
						  (long long)id);
			k = q + 1;
		}
		/* canonical: plain decimal, no sign or leading zeros (never longer than the input) */
		{
			char num[24];
			int w = snprintf(num, sizeof num, "%lld", (long long)id);
			if (o)
				out[o++] = ',';
			memcpy(out + o, num, (size_t)w);
			o += (size_t)w;
		}
		i++;
	}
	out[o] = 0;
	v->present = 1;
	v->s = out;
	v->n = o;
	return 0;
}

int value_parse(const cf_field *f, const char *s, size_t n, arena *a, cf_value *v, cf_err *e)
{
	cf_value nv = {0};
	size_t bad, cps, lim;
	int32_t days;
	const char *canon = NULL;
	int rc;

	if (!utf8_valid(s, n, &bad))
		return cf_err_set(e, CF_EINVAL, NULL, "%s: text is not valid UTF-8 at byte %zu", f->name, bad);
	if (value_bad_control(s, n, &bad))
		return cf_err_set(e, CF_EINVAL, NULL, "%s: control character 0x%02X at byte %zu", f->name,
				  (unsigned char)s[bad], bad);
	while (n && value_is_blank(s[0]))
		s++, n--;
	while (n && value_is_blank(s[n - 1]))
		n--;
	if (!n) {
		*v = nv;
		return 0;
	}
	nv.present = 1;
	switch (f->type) {
	case FT_TEXT:
		lim = f->max_len > 0 ? (size_t)f->max_len : VALUE_TEXT_DEFAULT;
		cps = utf8_count(s, n);
		if (cps > lim)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: text of %zu characters is longer than %zu", f->name,
					  cps, lim);
		break;
	case FT_INT:
		if (value_i64(s, n, &nv.i))
			return cf_err_set(e, CF_EINVAL, NULL, "%s: \"%.*s\" is not a whole number", f->name,
					  (int)(n > 60 ? 60 : n), s);
		break;
	case FT_MONEY:
		if (n && s[0] == '-')
			return cf_err_set(e, CF_EINVAL, NULL, "%s: amount \"%.*s\" must not be negative", f->name,
					  (int)(n > 60 ? 60 : n), s);
		if ((rc = money_parse(s, n, &nv.i, e)) != 0) {
			char m[sizeof e->msg];
			if (!e)
				return rc;
			snprintf(m, sizeof m, "%s", e->msg);
			return cf_err_set(e, rc, NULL, "%s: %s (yuan, at most two decimals)", f->name, m);
		}
		break;
	case FT_DATE:
		if ((rc = date_parse(s, n, &days, e)) != 0) {
			char m[sizeof e->msg];
			if (!e)
				return rc;
			snprintf(m, sizeof m, "%s", e->msg);
			return cf_err_set(e, rc, NULL, "%s: %s", f->name, m);
		}
		nv.i = days;
		break;
	case FT_BOOL: {
		size_t i;
		int found = 0;
		for (i = 0; bool_true[i]; i++)
			if (value_word_eq(s, n, bool_true[i]))
				nv.i = 1, found = 1;
		for (i = 0; bool_false[i]; i++)
			if (value_word_eq(s, n, bool_false[i]))
				nv.i = 0, found = 1;
		if (!found)
			return cf_err_set(e, CF_EINVAL, NULL,
					  "%s: \"%.*s\" is not a yes/no value; allowed: 1, 0, true, false, yes, no, 是, 否",
					  f->name, (int)(n > 60 ? 60 : n), s);
		break;
	}
	case FT_ENUM:
		if (!value_in_list(s, n, f->enum_vals, &canon))
			return value_list_error(f, "an allowed value", s, n, f->enum_vals, e);
		break;
	case FT_PERCENT:
		if ((rc = value_percent(f, s, n, &nv.i, e)) != 0)
			return rc;
		break;
	case FT_USCC:
	case FT_INDUSTRY:
	case FT_COUNTY:
		break; /* checked by value_check below, on the copied text */
	case FT_REF:
		if (value_i64(s, n, &nv.i) || nv.i <= 0)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: \"%.*s\" is not a row id (a positive whole number)",
					  f->name, (int)(n > 60 ? 60 : n), s);
		break;
	case FT_IDLIST:
		if ((rc = value_idlist(f, s, n, a, &nv, e)) != 0)
			return rc;
		if ((rc = value_check(f, &nv, e)) != 0)
			return rc;
		*v = nv;
		return 0;
	}
	if (f->type == FT_TEXT || f->type == FT_ENUM || f->type == FT_USCC || f->type == FT_INDUSTRY ||
	    f->type == FT_COUNTY) {
		nv.s = canon ? canon : arena_strndup(a, s, n);
		if (!nv.s)
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		nv.n = n;
	}
	if ((rc = value_check(f, &nv, e)) != 0)
		return rc;
	*v = nv;
	return 0;
}

/* v in decimal, as "%lld" writes it, into the arena: no printf on the import's per-row path. */
static const char *value_format_int(int64_t v, arena *a)
{
	char tmp[24], *p = tmp + sizeof tmp;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	*--p = 0;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return arena_strndup(a, p, (size_t)(tmp + sizeof tmp - 1 - p));
}

const char *value_format(const cf_field *f, const cf_value *v, arena *a)
{
	char tmp[MONEY_FMT_MAX];
	if (!v->present)
		return "";
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		return value_format_int(v->i, a);
	case FT_MONEY:
		return arena_strdup(a, money_format(v->i, tmp));
	case FT_DATE:
		return arena_strdup(a, date_format((int32_t)v->i, tmp));
	case FT_BOOL:
		return v->i ? "1" : "0";
	case FT_PERCENT: {
		int64_t w = v->i / 100, fr = v->i % 100;
		if (fr < 0)
			fr = -fr;
		if (!fr)
			return arena_printf(a, "%lld", (long long)w);
		if (fr % 10 == 0)
			return arena_printf(a, "%lld.%lld", (long long)w, (long long)(fr / 10));
		return arena_printf(a, "%lld.%02lld", (long long)w, (long long)fr);
	}
	default:
		return v->s ? arena_strndup(a, v->s, v->n) : "";
	}
}

int value_check(const cf_field *f, const cf_value *v, cf_err *e)
{
	size_t bad, lim, cps;
	uscc_result ur;
	industry_level lvl;
	int rc;

	if (!v->present)
		return 0;
	switch (f->type) {
	case FT_TEXT:
	case FT_ENUM:
	case FT_USCC:
	case FT_INDUSTRY:
	case FT_COUNTY:
	case FT_IDLIST:
		if (!v->s)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: missing text", f->name);
		if (!utf8_valid(v->s, v->n, &bad))
			return cf_err_set(e, CF_EINVAL, NULL, "%s: text is not valid UTF-8 at byte %zu", f->name, bad);
		if (value_bad_control(v->s, v->n, &bad))
			return cf_err_set(e, CF_EINVAL, NULL, "%s: control character 0x%02X at byte %zu", f->name,
					  (unsigned char)v->s[bad], bad);
		break;
	default:
		break;
	}
	switch (f->type) {
	case FT_TEXT:
		lim = f->max_len > 0 ? (size_t)f->max_len : VALUE_TEXT_DEFAULT;
		cps = utf8_count(v->s, v->n);
		if (cps > lim)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: text of %zu characters is longer than %zu", f->name,
					  cps, lim);
		return 0;
	case FT_INT:
		if (f->min < f->max && (v->i < f->min || v->i > f->max))
			return cf_err_set(e, CF_EINVAL, NULL, "%s: %lld is outside %lld..%lld", f->name, (long long)v->i,
					  (long long)f->min, (long long)f->max);
		return 0;
	case FT_MONEY:
		if (v->i < 0)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: amount must not be negative", f->name);
		return 0;
	case FT_DATE:
		/* 0001-01-01 .. 9999-12-31 */
		if (v->i < -719162 || v->i > 2932896)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: date out of range", f->name);
		return 0;
	case FT_BOOL:
		if (v->i != 0 && v->i != 1)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: a yes/no value is 0 or 1", f->name);
		return 0;
	case FT_ENUM:
		if (!value_in_list(v->s, v->n, f->enum_vals, NULL))
			return value_list_error(f, "an allowed value", v->s, v->n, f->enum_vals, e);
		return 0;
	case FT_PERCENT:
		if (v->i < 0 || v->i > 10000)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: percentage must be within 0..100", f->name);
		return 0;
	case FT_USCC:
		if (uscc_check(v->s, v->n, &ur))
			return cf_err_set(e, CF_EINVAL, NULL, "%s: %s", f->name, ur.msg);
		return 0;
	case FT_INDUSTRY:
		if ((rc = industry_shape(v->s, v->n, &lvl, e)) != 0) {
			char m[sizeof e->msg];
			if (!e)
				return rc;
			snprintf(m, sizeof m, "%s", e->msg);
			return cf_err_set(e, rc, NULL, "%s: %s", f->name, m);
		}
		return 0;
	case FT_COUNTY:
		if (!value_in_list(v->s, v->n, cf_counties, NULL))
			return value_list_error(f, "a county of Wenzhou", v->s, v->n, cf_counties, e);
		return 0;
	case FT_REF:
		if (v->i <= 0)
			return cf_err_set(e, CF_EINVAL, NULL, "%s: a row id is a positive whole number", f->name);
		return 0;
	case FT_IDLIST: {
		size_t i = 0, st;
		int64_t id;
		while (i <= v->n) {
			st = i;
			while (i < v->n && v->s[i] != ',')
				i++;
			if (i == st || v->s[st] == '+' || v->s[st] == '-' || value_i64(v->s + st, i - st, &id) || id <= 0)
				return cf_err_set(e, CF_EINVAL, NULL, "%s: \"%s\" is not a list of ids like 3,5,9", f->name,
						  v->s);
			i++;
		}
		return 0;
	}
	}
	return 0;
}

int record_check(const cf_record *r, int creating, cf_err *e)
{
	size_t i;
	int rc;
	for (i = 0; i < r->ent->nfields; i++) {
		const cf_field *f = &r->ent->fields[i];
		if (!r->v[i].present) {
			if (creating && (f->flags & F_REQUIRED))
				return cf_err_set(e, CF_EINVAL, f->name, "%s (%s) is required", f->name, f->zh);
			continue;
		}
		if ((rc = value_check(f, &r->v[i], e)) != 0) {
			if (e)
				snprintf(e->where, sizeof e->where, "%s", f->name);
			return rc;
		}
	}
	return 0;
}

int record_new(const cf_entity *ent, arena *a, cf_record *r)
{
	cf_value *v = arena_alloc(a, sizeof *v * (ent->nfields ? ent->nfields : 1));
	if (!v)
		return CF_ENOMEM;
	r->ent = ent;
	r->id = 0;
	r->synthetic = 0;
	r->v = v;
	return 0;
}

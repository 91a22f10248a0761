/* sqlrows — store_sql results as JSON arrays; see sqlrows.h. */
#include "service/sqlrows.h"

#include <stdlib.h>

#include "base/num.h"

static int collect_row(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	json_t *rows = ctx, *row = json_array();
	int i;
	if (!row)
		return CF_ENOMEM;
	for (i = 0; i < ncols; i++)
		if (json_array_append_new(row, cols[i] ? json_string(cols[i]) : json_null()) != 0) {
			json_decref(row);
			return CF_ENOMEM;
		}
	return json_array_append_new(rows, row) == 0 ? 0 : CF_ENOMEM;
}

int sqlrows_collect(store *s, const char *sql, const char *const *params, size_t n, json_t **out, cf_err *e)
{
	json_t *rows = json_array();
	int rc;
	if (!rows)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	rc = store_sql(s, sql, params, n, collect_row, rows, e);
	if (rc == CF_ENOMEM)
		cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if (rc != 0) {
		json_decref(rows);
		return rc;
	}
	*out = rows;
	return 0;
}

int sqlrows_exec(store *s, const char *sql, const char *const *params, size_t n, cf_err *e)
{
	return store_sql(s, sql, params, n, NULL, NULL, e);
}

const char *sqlrows_text(const json_t *rows, size_t r, size_t c)
{
	const char *t = json_string_value(json_array_get(json_array_get(rows, r), c));
	return t ? t : "";
}

int sqlrows_null(const json_t *rows, size_t r, size_t c) { return json_is_null(json_array_get(json_array_get(rows, r), c)); }

int64_t sqlrows_i64(const json_t *rows, size_t r, size_t c)
{
	int64_t v;
	return num_parse_i64(json_string_value(json_array_get(json_array_get(rows, r), c)), &v) ? 0 : v;
}

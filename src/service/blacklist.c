/* blacklist — the serious dishonesty list; see blacklist.h. */
#include "service/blacklist.h"

#include <stdio.h>

#include "base/date.h"
#include "service/sqlrows.h"

int blacklist_listed(store *s, const char *party, int32_t day, int *listed, int32_t *until, cf_err *e)
{
	char d[16];
	const char *p[3] = {party, d, d};
	json_t *rows = NULL;
	int rc;

	snprintf(d, sizeof d, "%d", day);
	if ((rc = sqlrows_collect(s,
				  "SELECT MAX(end_date) FROM dishonesty_list WHERE party = ? AND start_date <= ? AND end_date >= ?",
				  p, 3, &rows, e)))
		return rc;
	*listed = !sqlrows_null(rows, 0, 0);
	if (until && *listed)
		*until = (int32_t)sqlrows_i64(rows, 0, 0);
	json_decref(rows);
	return 0;
}

int blacklist_add(store *s, const char *party, const char *party_kind, const char *reason, int64_t decision_id,
		  const char *policy_id, int32_t start, int ban_years, cf_err *e)
{
	char a[16], b[16], dec[24];
	const char *p[7] = {party, party_kind, reason, dec, policy_id, a, b};
	/* five years from 2024-06-01 run to 2029-05-31 inclusive */
	snprintf(a, sizeof a, "%d", start);
	snprintf(b, sizeof b, "%d", date_add_years(start, ban_years) - 1);
	snprintf(dec, sizeof dec, "%lld", (long long)decision_id);
	return sqlrows_exec(s,
			    "INSERT INTO dishonesty_list (party, party_kind, reason, decision_id, policy_id, start_date, "
			    "end_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
			    p, 7, e);
}

int blacklist_list(store *s, int32_t day, int all, json_t **out, cf_err *e)
{
	char d[16];
	const char *p[2] = {d, d};
	json_t *rows = NULL, *a;
	size_t i;
	int rc;

	snprintf(d, sizeof d, "%d", day);
	if ((rc = sqlrows_collect(s,
				  all ? "SELECT id, party, party_kind, reason, decision_id, policy_id, start_date, end_date "
					"FROM dishonesty_list ORDER BY id"
				      : "SELECT id, party, party_kind, reason, decision_id, policy_id, start_date, end_date "
					"FROM dishonesty_list WHERE start_date <= ? AND end_date >= ? ORDER BY id",
				  all ? NULL : p, all ? 0 : 2, &rows, e)))
		return rc;
	a = json_array();
	for (i = 0; i < json_array_size(rows); i++) {
		char f[11], t[11];
		int32_t st = (int32_t)sqlrows_i64(rows, i, 6), en = (int32_t)sqlrows_i64(rows, i, 7);
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b}", "id",
						   (json_int_t)sqlrows_i64(rows, i, 0), "party", sqlrows_text(rows, i, 1),
						   "party_kind", sqlrows_text(rows, i, 2), "reason", sqlrows_text(rows, i, 3),
						   "decision_id", (json_int_t)sqlrows_i64(rows, i, 4), "policy",
						   sqlrows_text(rows, i, 5), "start_date", date_format(st, f), "end_date",
						   date_format(en, t), "active", st <= day && day <= en));
	}
	json_decref(rows);
	*out = a;
	return 0;
}

/* Tests of src/service/demo_years.c and demo_contracts.c's parameter checks, over a small
 * registry in a temporary SQLite store (the full demo is tested by tests/cli/test_demo_*.py). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/money.h"
#include "service/demo_extra.h"
#include "service/sqlrows.h"

static store *S;
static char dbpath[64];

/* 40 firms: 1-10 above scale (1-4 without any status), 11-40 micro; tech SMEs 11-20, high-tech
 * 5-8 and 11-12, a little giant (5) and a leading firm (6). */
static void setup(void)
{
	cf_err e;
	int fd, i;
	cf_err_clear(&e);
	snprintf(dbpath, sizeof dbpath, "/tmp/cf-demo-extra-XXXXXX");
	fd = mkstemp(dbpath);
	cr_assert(fd >= 0);
	close(fd);
	unlink(dbpath);
	cr_assert_eq(store_open(dbpath, &S, &e), 0, "%s", e.msg);
	for (i = 1; i <= 40; i++) {
		char id[16], uscc[24], above[16], micro[16], ts[16], ht[16], lg[16], ld[16], out[24], va[24];
		const char *p[] = {id, uscc, above, micro, ts, ht, lg, ld, out, va};
		snprintf(id, sizeof id, "%d", i);
		snprintf(uscc, sizeof uscc, "X%017d", i);
		snprintf(above, sizeof above, "%d", i <= 10);
		snprintf(micro, sizeof micro, "%d", i > 10);
		snprintf(ts, sizeof ts, "%d", i >= 11 && i <= 20);
		snprintf(ht, sizeof ht, "%d", (i >= 5 && i <= 8) || i == 11 || i == 12);
		snprintf(lg, sizeof lg, "%d", i == 5);
		snprintf(ld, sizeof ld, "%d", i == 6);
		snprintf(out, sizeof out, "%d", i <= 10 ? 1000000000 + i * 1000 : 100000000 + i);
		snprintf(va, sizeof va, "%d", i <= 10 ? 300000000 : 20000000);
		cr_assert_eq(sqlrows_exec(S,
					  "INSERT INTO enterprises (id, synthetic, uscc, name, county, industry_code, above_scale, micro, "
					  "tech_sme, high_tech, little_giant, leading, output_value, value_added) VALUES "
					  "(?, 1, ?, 'firm', '鹿城区', 'C3821', ?, ?, ?, ?, ?, ?, ?, ?)",
					  p, 10, &e),
			     0, "%s", e.msg);
	}
}

static void teardown(void)
{
	store_close(S);
	unlink(dbpath);
}

static json_t *params(const char *tech_sme)
{
	char text[2048];
	json_error_t je;
	json_t *p;
	snprintf(text, sizeof text,
		 "{\"years\": {\"from\": 2018, \"to\": 2021, \"counts\": {\"tech_sme\": %s, \"high_tech\": [2, 3, 5], "
		 "\"little_giant\": [0, 0, 0], \"leading\": [0, 1, 1]}, \"rd_intensity_pct\": [\"2.00\", \"2.50\", \"3.00\", \"3.50\"], "
		 "\"above_scale_churn\": 1, \"growth_permille_min\": 0, \"growth_permille_max\": 100, "
		 "\"platform_start_year\": {}, \"series\": [{\"name\": \"U2.x\", \"points\": [{\"year\": 2018, \"value\": \"1.5\", "
		 "\"source\": \"t\"}, {\"year\": 2021, \"value\": \"2\", \"source\": \"t\"}]}]}}",
		 tech_sme);
	p = json_loads(text, 0, &je);
	cr_assert(p, "%s", je.text);
	return p;
}

static int64_t q1(const char *sql)
{
	cf_err e;
	json_t *rows = NULL;
	int64_t v;
	cf_err_clear(&e);
	cr_assert_eq(sqlrows_collect(S, sql, NULL, 0, &rows, &e), 0, "%s: %s", sql, e.msg);
	v = sqlrows_i64(rows, 0, 0);
	json_decref(rows);
	return v;
}

TestSuite(demo_extra, .init = setup, .fini = teardown);

Test(demo_extra, yearly_counts_end_at_the_registry)
{
	demo_extra_stats st;
	cf_err e;
	json_t *p = params("[4, 6, 8]");
	int y;
	static const int64_t ts[4] = {4, 6, 8, 10}, ht[4] = {2, 3, 5, 6}, ld[4] = {0, 1, 1, 1};
	memset(&st, 0, sizeof st);
	cf_err_clear(&e);
	cr_assert_eq(demo_years(S, 7, p, &st, &e), 0, "%s: %s", e.where, e.msg);
	json_decref(p);
	cr_assert_eq(st.enterprise_years, 160);
	cr_assert_eq(st.platform_years, 0);
	cr_assert_eq(st.series_points, 2);
	for (y = 0; y < 4; y++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT SUM(above_scale) FROM enterprise_years WHERE year = %d", 2018 + y);
		cr_assert_eq(q1(sql), 10, "%d", 2018 + y);
		snprintf(sql, sizeof sql, "SELECT SUM(tech_sme) FROM enterprise_years WHERE year = %d", 2018 + y);
		cr_assert_eq(q1(sql), ts[y]);
		snprintf(sql, sizeof sql, "SELECT SUM(high_tech) FROM enterprise_years WHERE year = %d", 2018 + y);
		cr_assert_eq(q1(sql), ht[y]);
		snprintf(sql, sizeof sql, "SELECT SUM(leading) FROM enterprise_years WHERE year = %d", 2018 + y);
		cr_assert_eq(q1(sql), ld[y]);
	}
	/* the last year is the registry's, the first year's amounts too */
	cr_assert_eq(q1("SELECT COUNT(*) FROM enterprise_years y JOIN enterprises e ON e.id = y.enterprise_id WHERE y.year = 2021 "
			"AND (y.above_scale <> e.above_scale OR y.tech_sme <> e.tech_sme OR y.high_tech <> e.high_tech OR "
			"y.little_giant <> e.little_giant OR y.leading <> e.leading)"),
		     0);
	cr_assert_eq(q1("SELECT COUNT(*) FROM enterprise_years y JOIN enterprises e ON e.id = y.enterprise_id WHERE y.year = 2018 "
			"AND y.value_added <> e.value_added"),
		     0);
	/* three firms join the above-scale list (one a year) and three leave it */
	cr_assert_eq(q1("SELECT COUNT(*) FROM enterprise_years y JOIN enterprises e ON e.id = y.enterprise_id WHERE y.year = 2018 "
			"AND y.above_scale = 0 AND e.above_scale = 1"),
		     3);
	cr_assert_eq(q1("SELECT COUNT(DISTINCT enterprise_id) FROM enterprise_years WHERE above_scale = 1 AND enterprise_id > 10"), 3);
	/* a leaver reports at least the above-scale threshold while on the list */
	cr_assert_eq(q1("SELECT COUNT(*) FROM enterprise_years WHERE above_scale = 1 AND output_value < 2000000000 AND enterprise_id > 10"),
		     0);
	/* R&D of the above-scale firms is the year's intensity of their output, to the fen */
	cr_assert_eq(q1("SELECT SUM(rd_expense) FROM enterprise_years WHERE year = 2018 AND above_scale = 1"),
		     money_muldiv_round(q1("SELECT SUM(output_value) FROM enterprise_years WHERE year = 2018 AND above_scale = 1"), 200,
					10000));
	cr_assert_eq(q1("SELECT SUM(rd_expense) FROM enterprise_years WHERE year = 2021 AND above_scale = 1"),
		     money_muldiv_round(q1("SELECT SUM(output_value) FROM enterprise_years WHERE year = 2021 AND above_scale = 1"), 350,
					10000));
	cr_assert_eq(q1("SELECT COUNT(*) FROM enterprise_years WHERE synthetic <> 1"), 0);
	cr_assert_eq(q1("SELECT COUNT(*) FROM indicator_series WHERE synthetic = 1 AND name = 'U2.x'"), 2);
}

Test(demo_extra, same_seed_same_rows)
{
	demo_extra_stats st;
	cf_err e;
	json_t *p = params("[4, 6, 8]");
	int64_t a, b;
	memset(&st, 0, sizeof st);
	cf_err_clear(&e);
	cr_assert_eq(demo_years(S, 7, p, &st, &e), 0, "%s", e.msg);
	a = q1("SELECT SUM(enterprise_id * (year - 2000) * (1 + tech_sme + 2 * high_tech + 4 * above_scale)) + SUM(rd_expense % 9973) "
	       "FROM enterprise_years");
	cr_assert_eq(sqlrows_exec(S, "DELETE FROM enterprise_years", NULL, 0, &e), 0);
	cr_assert_eq(sqlrows_exec(S, "DELETE FROM indicator_series", NULL, 0, &e), 0);
	cr_assert_eq(demo_years(S, 7, p, &st, &e), 0, "%s", e.msg);
	b = q1("SELECT SUM(enterprise_id * (year - 2000) * (1 + tech_sme + 2 * high_tech + 4 * above_scale)) + SUM(rd_expense % 9973) "
	       "FROM enterprise_years");
	json_decref(p);
	cr_assert_eq(a, b);
}

Test(demo_extra, counts_beyond_the_registry_are_refused)
{
	demo_extra_stats st;
	cf_err e;
	json_t *p = params("[4, 6, 11]");
	memset(&st, 0, sizeof st);
	cf_err_clear(&e);
	cr_assert_eq(demo_years(S, 7, p, &st, &e), CF_EINTERNAL);
	cr_assert_str_eq(e.where, "profile.json:params.years.counts");
	cr_assert(strstr(e.msg, "tech_sme") != NULL, "%s", e.msg);
	json_decref(p);
	p = params("[4, 6]");
	cf_err_clear(&e);
	cr_assert_eq(demo_years(S, 7, p, &st, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "profile.json:params.years.counts");
	json_decref(p);
}

Test(demo_extra, missing_sections_name_the_profile_key)
{
	demo_extra_stats st;
	cf_err e;
	json_t *p = json_object();
	memset(&st, 0, sizeof st);
	cf_err_clear(&e);
	cr_assert_eq(demo_years(S, 1, p, &st, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "profile.json:params.years");
	cf_err_clear(&e);
	cr_assert_eq(demo_contracts(S, 1, p, &st, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "profile.json:params.contracts");
	json_object_set_new(p, "contracts", json_pack("{s:i}", "count", 100));
	cf_err_clear(&e);
	cr_assert_eq(demo_contracts(S, 1, p, &st, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "profile.json:params.contracts");
	json_decref(p);
	cr_assert_eq(st.contracts, 0);
}

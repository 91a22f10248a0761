/* Unit tests for src/service/match.c over a temporary SQLite store: a confidential demand is
 * matched for its owner, the bureau and its named broker only, reads as absent to everyone
 * else (same error as a missing row), never shows among hits; sync follows single rows. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/value.h"
#include "service/match.h"
#include "service/registry.h"

static store *S;
static arena *A;
static char dbpath[64];
static match_service MS;

static cf_record rec(const char *ename, const char *const *kv)
{
	cf_record r;
	const cf_entity *ent = schema_entity(ename);
	cf_err e;
	cr_assert_eq(record_new(ent, A, &r), 0);
	for (; *kv; kv += 2) {
		int f = schema_field(ent, kv[0]);
		cr_assert(f >= 0, "%s", kv[0]);
		cr_assert_eq(value_parse(&ent->fields[f], kv[1], strlen(kv[1]), A, &r.v[f], &e), 0, "%s: %s", kv[0],
			     e.msg);
	}
	return r;
}

static int64_t create(const char *ename, const char *const *kv)
{
	cf_record r = rec(ename, kv);
	cf_err e;
	cr_assert_eq(registry_create(S, &cf_viewer_bureau, &r, &e), 0, "%s: %s %s", ename, e.where, e.msg);
	return r.id;
}

static void setup(void)
{
	static const char *ent1[] = {"uscc", "91330300MA2A00000W", "name", "甲企业", "county", "龙湾区",
				     "industry_code", "34", NULL};
	static const char *ent2[] = {"uscc", "91330300MA2A000010", "name", "乙企业", "county", "鹿城区",
				     "industry_code", "34", NULL};
	static const char *br1[] = {"name", "经纪人甲", "level", "中级", "status", "active", NULL};
	static const char *br2[] = {"name", "经纪人乙", "level", "中级", "status", "active", NULL};
	static const char *ach[] = {"title", "碳化硅功率器件封装散热技术", "visibility", "public", NULL};
	static const char *dconf[] = {"enterprise_id", "1", "title", "碳化硅功率器件封装散热", "visibility",
				      "confidential", "brokers", "1", NULL};
	static const char *dpub[] = {"enterprise_id", "2", "title", "功率器件测试", "visibility", "public", NULL};
	cf_err e;
	int fd;
	snprintf(dbpath, sizeof dbpath, "/tmp/cf-match-XXXXXX");
	fd = mkstemp(dbpath);
	cr_assert(fd >= 0);
	close(fd);
	unlink(dbpath);
	cr_assert_eq(store_open(dbpath, &S, &e), 0, "%s", e.msg);
	cr_assert_eq(registry_open(S, &e), 0, "%s", e.msg);
	A = arena_create();
	cr_assert_eq(create("enterprise", ent1), 1);
	cr_assert_eq(create("enterprise", ent2), 2);
	cr_assert_eq(create("broker", br1), 1);
	cr_assert_eq(create("broker", br2), 2);
	cr_assert_eq(create("achievement", ach), 1);
	cr_assert_eq(create("demand", dconf), 1);
	cr_assert_eq(create("demand", dpub), 2);
	cr_assert_eq(match_service_open(S, &MS, &e), 0, "%s", e.msg);
}

static void teardown(void)
{
	char p[80];
	match_service_free(&MS);
	store_close(S);
	arena_free(A);
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
}

TestSuite(match_service, .init = setup, .fini = teardown);

Test(match_service, confidential_demand_matched_for_owner_bureau_named_broker)
{
	const cf_viewer owner = {ROLE_ENTERPRISE, 5, 1, 0, 0}, named = {ROLE_BROKER, 7, 0, 0, 1};
	const cf_viewer *ok[] = {&owner, &cf_viewer_bureau, &named};
	const cf_entity *dem = schema_entity("demand");
	match_result r;
	cf_err e;
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(match_service_for_row(&MS, ok[i], dem, 1, MK_ACHIEVEMENT, 10, A, &r, &e), 0, "%d: %s", i,
			     e.msg);
		cr_assert_eq(r.n, 1);
		cr_assert_eq(r.hits[0].id, 1);
		cr_assert_eq(match_service_for_text(&MS, ok[i], "碳化硅 散热", NULL, MK_DEMAND, 10, A, &r, &e), 0);
		/* feedback from demand 1 also brings demand 2 (功率器件) in, below it */
		cr_assert_eq(r.n, 2, "viewer %d: %zu hits", i, r.n);
		cr_assert_eq(r.hits[0].id, 1);
	}
}

Test(match_service, confidential_demand_reads_as_absent_to_others)
{
	const cf_viewer other = {ROLE_ENTERPRISE, 6, 2, 0, 0}, broker = {ROLE_BROKER, 8, 0, 0, 2};
	const cf_viewer *no[] = {&other, &broker, &cf_viewer_public};
	const cf_entity *dem = schema_entity("demand");
	match_result r;
	cf_err e, e404;
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(match_service_for_row(&MS, no[i], dem, 1, MK_ACHIEVEMENT, 10, A, &r, &e), CF_ENOTFOUND);
		cr_assert_eq(match_service_for_row(&MS, no[i], dem, 99, MK_ACHIEVEMENT, 10, A, &r, &e404), CF_ENOTFOUND);
		/* the same message shape as for a row that never existed */
		cr_assert_str_eq(e.msg, "no demand 1");
		cr_assert_str_eq(e404.msg, "no demand 99");
		cr_assert_str_eq(e.where, e404.where);
		cr_assert_eq(match_service_for_text(&MS, no[i], "碳化硅 散热", NULL, MK_DEMAND, 10, A, &r, &e), 0);
		cr_assert_eq(r.n, 0, "viewer %d sees the confidential demand", i);
		cr_assert_eq(match_service_for_text(&MS, no[i], "碳化硅功率器件", NULL, MK_DEMAND, 10, A, &r, &e), 0);
		cr_assert_eq(r.n, 1);
		cr_assert_eq(r.hits[0].id, 2);
	}
}

Test(match_service, sync_follows_created_changed_and_deleted_rows)
{
	static const char *ach2[] = {"title", "激光焊接机器人视觉引导", "visibility", "public", NULL};
	match_result r;
	cf_err e;
	int64_t id = create("achievement", ach2);
	cr_assert_eq(match_service_for_text(&MS, &cf_viewer_bureau, "激光焊接", NULL, MK_ACHIEVEMENT, 10, A, &r, &e), 0);
	cr_assert_eq(r.n, 0, "not yet synced");
	cr_assert_eq(match_service_sync(&MS, schema_entity("achievement"), id, &e), 0, "%s", e.msg);
	cr_assert_eq(match_service_for_text(&MS, &cf_viewer_bureau, "激光焊接", NULL, MK_ACHIEVEMENT, 10, A, &r, &e), 0);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.hits[0].id, id);
	cr_assert_eq(registry_delete(S, &cf_viewer_bureau, schema_entity("achievement"), id, &e), 0);
	cr_assert_eq(match_service_sync(&MS, schema_entity("achievement"), id, &e), 0);
	cr_assert_eq(match_service_for_text(&MS, &cf_viewer_bureau, "激光焊接", NULL, MK_ACHIEVEMENT, 10, A, &r, &e), 0);
	cr_assert_eq(r.n, 0);
}

static size_t shared_hits(const cf_viewer *who, const char *text, int kind, int64_t *first)
{
	match_result r;
	const char *wv = NULL;
	cf_err e;
	cr_assert_eq(match_shared_for_text(S, who, text, NULL, kind, 10, A, &r, &wv, &e), 0, "%s", e.msg);
	cr_assert(wv && *wv);
	*first = r.n ? r.hits[0].id : 0;
	return r.n;
}

/* The process-wide index follows registry writes by itself (the change journal): a demand
 * created public is seen by another enterprise, turned confidential it is seen only by its
 * owner, the bureau and the named broker, deleted it is gone; one build in all. */
Test(match_service, shared_index_follows_registry_writes_and_visibility)
{
	static const char *d3[] = {"enterprise_id", "1", "title", "超临界二氧化碳发泡工艺", "visibility", "public", NULL};
	const cf_viewer other = {ROLE_ENTERPRISE, 6, 2, 0, 0}, owner = {ROLE_ENTERPRISE, 5, 1, 0, 0},
			named = {ROLE_BROKER, 7, 0, 0, 1}, broker2 = {ROLE_BROKER, 8, 0, 0, 2};
	const cf_entity *dem = schema_entity("demand");
	const char *q = "超临界发泡";
	cf_record r;
	int64_t id, first;
	cf_err e;
	int f;

	match_shared_reset();
	cr_assert_eq(shared_hits(&other, q, MK_DEMAND, &first), 0);
	cr_assert_eq(match_shared_builds(), 1);
	id = create("demand", d3);
	cr_assert_eq(shared_hits(&other, q, MK_DEMAND, &first), 1, "created row not seen");
	cr_assert_eq(first, id);

	cr_assert_eq(registry_get(S, &cf_viewer_bureau, dem, id, A, &r, &e), 0);
	f = schema_field(dem, "visibility");
	cr_assert_eq(value_parse(&dem->fields[f], "confidential", 12, A, &r.v[f], &e), 0);
	f = schema_field(dem, "brokers");
	cr_assert_eq(value_parse(&dem->fields[f], "1", 1, A, &r.v[f], &e), 0);
	cr_assert_eq(registry_update(S, &cf_viewer_bureau, &r, &e), 0, "%s %s", e.where, e.msg);
	cr_assert_eq(shared_hits(&other, q, MK_DEMAND, &first), 0, "confidential row seen by another firm");
	cr_assert_eq(shared_hits(&broker2, q, MK_DEMAND, &first), 0, "confidential row seen by an unnamed broker");
	cr_assert_eq(shared_hits(&cf_viewer_public, q, MK_DEMAND, &first), 0);
	cr_assert_eq(shared_hits(&owner, q, MK_DEMAND, &first), 1);
	cr_assert_eq(first, id);
	cr_assert_eq(shared_hits(&named, q, MK_DEMAND, &first), 1);
	cr_assert_eq(shared_hits(&cf_viewer_bureau, q, MK_DEMAND, &first), 1);

	cr_assert_eq(registry_delete(S, &cf_viewer_bureau, dem, id, &e), 0);
	cr_assert_eq(shared_hits(&owner, q, MK_DEMAND, &first), 0, "deleted row still matched");
	cr_assert_eq(match_shared_builds(), 1, "the index was rebuilt");
	match_shared_reset();
}

static int one_int(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	(void)names;
	cr_assert_eq(ncols, 1);
	cr_assert(cols[0]);
	*(long long *)ctx = strtoll(cols[0], NULL, 10);
	return 0;
}

static long long sql_int(store *s, const char *sql)
{
	long long v = -1;
	cf_err e;
	cr_assert_eq(store_sql(s, sql, NULL, 0, one_int, &v, &e), 0, "%s: %s", sql, e.msg);
	return v;
}

/* The contribution of signal sig to the hit for demand id of a text query, as the bureau. */
static double demand_signal(const char *text, const match_attrs *at, int64_t id, int sig)
{
	match_result r;
	cf_err e;
	size_t i;
	cr_assert_eq(match_service_for_text(&MS, &cf_viewer_bureau, text, at, MK_DEMAND, 10, A, &r, &e), 0, "%s",
		     e.msg);
	for (i = 0; i < r.n; i++)
		if (r.hits[i].id == id)
			return r.hits[i].signal[sig];
	cr_assert_fail("demand %lld not among the hits", (long long)id);
	return 0;
}

/* A demand's firm size and county come from its enterprise: syncing the enterprise re-syncs
 * its demands. weights.json: locality 1.5 (county 1.0, city 0.6), trl_fit 2.0 (small firm
 * needs TRL 6, micro 7, ramp 3). */
Test(match_service, enterprise_sync_resyncs_its_demands)
{
	const cf_entity *ent = schema_entity("enterprise");
	match_attrs at;
	cf_record r;
	cf_err e;
	int f;

	cr_assert_eq(match_service_attrs(NULL, "鹿城区", 0, 5, NULL, &at, &e), 0, "%s", e.msg);
	/* demand 2 of enterprise 2 (鹿城区, no size flags: small) */
	cr_assert_float_eq(demand_signal("功率器件测试", &at, 2, MS_LOCALITY), 1.5, 1e-9);
	cr_assert_float_eq(demand_signal("功率器件测试", &at, 2, MS_TRL_FIT), 2.0 * (1 - 1.0 / 3), 1e-9);

	cr_assert_eq(registry_get(S, &cf_viewer_bureau, ent, 2, A, &r, &e), 0);
	f = schema_field(ent, "county");
	cr_assert_eq(value_parse(&ent->fields[f], "龙湾区", strlen("龙湾区"), A, &r.v[f], &e), 0);
	f = schema_field(ent, "micro");
	cr_assert_eq(value_parse(&ent->fields[f], "true", 4, A, &r.v[f], &e), 0, "%s", e.msg);
	cr_assert_eq(registry_update(S, &cf_viewer_bureau, &r, &e), 0, "%s %s", e.where, e.msg);
	/* this index is not the shared one: nothing changes until it is synced */
	cr_assert_float_eq(demand_signal("功率器件测试", &at, 2, MS_LOCALITY), 1.5, 1e-9);
	cr_assert_eq(match_service_sync(&MS, ent, 2, &e), 0, "%s", e.msg);
	cr_assert_float_eq(demand_signal("功率器件测试", &at, 2, MS_LOCALITY), 1.5 * 0.6, 1e-9);
	cr_assert_float_eq(demand_signal("功率器件测试", &at, 2, MS_TRL_FIT), 2.0 * (1 - 2.0 / 3), 1e-9);
}

/* Rows written through another store handle with plain SQL (as another process would) reach
 * the shared index's next query through the change journal, without a rebuild. */
Test(match_service, shared_index_follows_the_journal)
{
	store *other;
	int64_t first;
	cf_err e;

	match_shared_reset();
	cr_assert_eq(store_open(dbpath, &other, &e), 0, "%s", e.msg);
	cr_assert_eq(shared_hits(&cf_viewer_bureau, "碳化硅", MK_ACHIEVEMENT, &first), 1);
	cr_assert_eq(first, 1);
	cr_assert_eq(store_sql(other, "UPDATE achievements SET title = '氮化镓射频芯片' WHERE id = 1", NULL, 0, NULL,
			       NULL, &e),
		     0, "%s", e.msg);
	cr_assert_eq(shared_hits(&cf_viewer_bureau, "碳化硅", MK_ACHIEVEMENT, &first), 0,
		     "old title still matched");
	cr_assert_eq(shared_hits(&cf_viewer_bureau, "氮化镓", MK_ACHIEVEMENT, &first), 1,
		     "new title not matched");
	cr_assert_eq(store_sql(other, "DELETE FROM achievements WHERE id = 1", NULL, 0, NULL, NULL, &e), 0, "%s",
		     e.msg);
	cr_assert_eq(shared_hits(&cf_viewer_bureau, "氮化镓", MK_ACHIEVEMENT, &first), 0,
		     "deleted row matched");
	cr_assert_eq(match_shared_builds(), 1, "the index was rebuilt");
	store_close(other);
	match_shared_reset();
}

/* match_journal_trim keeps the newest 100,000 entries, in order, and nothing else. */
Test(match_service, journal_trim_keeps_the_newest_entries)
{
	long long hi0 = sql_int(S, "SELECT MAX(seq) FROM match_journal"), hi;
	cf_err e;
	/* setup wrote 5 matchable rows: 2 enterprises, 1 achievement, 2 demands */
	cr_assert_eq(hi0, 5);
	cr_assert_eq(store_sql(S,
			       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100003) "
			       "INSERT INTO match_journal (entity, row_id) SELECT 'achievement', 1 FROM n",
			       NULL, 0, NULL, NULL, &e),
		     0, "%s", e.msg);
	hi = sql_int(S, "SELECT MAX(seq) FROM match_journal");
	cr_assert_eq(hi, 100008);
	cr_assert_eq(match_journal_trim(S, &e), 0, "%s", e.msg);
	cr_assert_eq(sql_int(S, "SELECT COUNT(*) FROM match_journal"), 100000);
	cr_assert_eq(sql_int(S, "SELECT MIN(seq) FROM match_journal"), 9);
	cr_assert_eq(sql_int(S, "SELECT MAX(seq) FROM match_journal"), 100008);
	/* a second trim has nothing to do */
	cr_assert_eq(match_journal_trim(S, &e), 0, "%s", e.msg);
	cr_assert_eq(sql_int(S, "SELECT COUNT(*) FROM match_journal"), 100000);
}

/* A bulk load (store_bulk_begin .. store_bulk_end, as the CSV import's bulk path) takes the
 * table's journal triggers off for its transaction: one range entry for the rows it inserts,
 * one plain entry for a row it updates; the shared index follows them without a rebuild. A
 * rolled-back bulk load leaves the triggers and the journal as they were. */
Test(match_service, bulk_load_writes_one_range_entry)
{
	static const char *const a2[] = {"title", "氢燃料电池双极板", "visibility", "public", NULL};
	static const char *const a3[] = {"title", "磁悬浮轴承控制", "visibility", "public", NULL};
	static const char *const a4[] = {"title", "水稻分子育种", "visibility", "public", NULL};
	static const char *const a1[] = {"title", "氮化镓射频芯片", "visibility", "public", NULL};
	static const char trig[] = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'achievements'"
				   " AND name LIKE 'match_journal_%'";
	const cf_entity *ach = schema_entity("achievement");
	cf_record recs[3], up;
	size_t done = 0;
	int64_t first;
	cf_err e;

	match_shared_reset();
	cr_assert_eq(shared_hits(&cf_viewer_bureau, "碳化硅", MK_ACHIEVEMENT, &first), 1);
	recs[0] = rec("achievement", a2);
	recs[1] = rec("achievement", a3);
	recs[2] = rec("achievement", a4);
	up = rec("achievement", a1);
	up.id = 1;

	/* rolled back: as before */
	cr_assert_eq(store_begin(S, &e), 0, "%s", e.msg);
	cr_assert_eq(store_bulk_begin(S, ach, &e), 0, "%s", e.msg);
	cr_assert_eq(sql_int(S, trig), 0);
	cr_assert_eq(store_insert_many(S, recs, 3, &done, &e), 0, "%s", e.msg);
	cr_assert_eq(store_rollback(S), 0);
	cr_assert_eq(sql_int(S, trig), 3);
	cr_assert_eq(sql_int(S, "SELECT MAX(seq) FROM match_journal"), 5);
	cr_assert_eq(sql_int(S, "SELECT COUNT(*) FROM achievements"), 1);

	cr_assert_eq(store_begin(S, &e), 0, "%s", e.msg);
	cr_assert_eq(store_bulk_begin(S, ach, &e), 0, "%s", e.msg);
	cr_assert_eq(store_insert_many(S, recs, 3, &done, &e), 0, "%s", e.msg);
	cr_assert_eq(done, 3);
	cr_assert_eq(store_update(S, &up, &e), 0, "%s", e.msg);
	cr_assert_eq(store_bulk_end(S, &e), 0, "%s", e.msg);
	cr_assert_eq(store_commit(S, &e), 0, "%s", e.msg);
	cr_assert_eq(sql_int(S, trig), 3);
	/* after setup's 5 entries: the update's own entry, then the range of the 3 inserted ids */
	cr_assert_eq(sql_int(S, "SELECT COUNT(*) FROM match_journal WHERE seq > 5"), 2);
	cr_assert_eq(sql_int(S, "SELECT row_id * 10 + (row_id_hi IS NULL) FROM match_journal WHERE seq = 6"), 11);
	cr_assert_eq(recs[0].id, 2);
	cr_assert_eq(recs[2].id, 4);
	cr_assert_eq(sql_int(S, "SELECT row_id * 10 + row_id_hi FROM match_journal WHERE seq = 7"), 24);

	cr_assert_eq(shared_hits(&cf_viewer_bureau, "碳化硅", MK_ACHIEVEMENT, &first), 0, "old title matched");
	cr_assert_eq(shared_hits(&cf_viewer_bureau, "氮化镓", MK_ACHIEVEMENT, &first), 1);
	cr_assert_eq(first, 1);
	cr_assert_eq(shared_hits(&cf_viewer_bureau, "磁悬浮轴承", MK_ACHIEVEMENT, &first), 1);
	cr_assert_eq(first, 3);
	cr_assert_eq(match_shared_builds(), 1, "the index was rebuilt");
	/* the triggers are back: a plain write is journaled row by row */
	cr_assert_eq(store_sql(S, "DELETE FROM achievements WHERE id = 4", NULL, 0, NULL, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(sql_int(S, "SELECT row_id * 10 + (row_id_hi IS NULL) FROM match_journal WHERE seq = 8"), 41);
	match_shared_reset();
}

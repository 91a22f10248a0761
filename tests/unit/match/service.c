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

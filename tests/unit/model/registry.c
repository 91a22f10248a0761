/* Unit tests for src/service/registry.c over a temporary SQLite store: built-in industries,
 * reference checks with the field in e->where, the industry-code rule, and role checks. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/value.h"
#include "service/registry.h"

static store *S;
static arena *A;
static char dbpath[64];

static void setup(void)
{
	cf_err e;
	int fd;
	snprintf(dbpath, sizeof dbpath, "/tmp/cf-registry-XXXXXX");
	fd = mkstemp(dbpath);
	cr_assert(fd >= 0);
	close(fd);
	unlink(dbpath);
	cr_assert_eq(store_open(dbpath, &S, &e), 0, "%s", e.msg);
	cr_assert_eq(registry_open(S, &e), 0, "%s", e.msg);
	A = arena_create();
}

static void teardown(void)
{
	char p[80];
	store_close(S);
	arena_free(A);
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
}

TestSuite(model_registry, .init = setup, .fini = teardown);

/* Builds a record of ent from "field=value" pairs, through value_parse. */
static cf_record rec(const char *ename, const char *const *kv)
{
	cf_record r;
	const cf_entity *ent = schema_entity(ename);
	cf_err e;
	cr_assert_eq(record_new(ent, A, &r), 0);
	for (; *kv; kv += 2) {
		int f = schema_field(ent, kv[0]);
		cr_assert(f >= 0, "%s", kv[0]);
		cr_assert_eq(value_parse(&ent->fields[f], kv[1], strlen(kv[1]), A, &r.v[f], &e), 0, "%s", e.msg);
	}
	return r;
}

Test(model_registry, builtin_industries_once)
{
	int64_t n = 0;
	cf_err e;
	cr_assert_eq(store_count(S, schema_entity("industry"), &cf_viewer_bureau, &n, &e), 0);
	cr_assert_eq(n, 117);
	cr_assert_eq(registry_open(S, &e), 0);
	cr_assert_eq(store_count(S, schema_entity("industry"), &cf_viewer_bureau, &n, &e), 0);
	cr_assert_eq(n, 117);
}

Test(model_registry, refs_checked_with_field)
{
	cf_err e;
	const char *chain[] = {"name", "电气", "kind", "pillar", NULL};
	const char *seg_bad[] = {"chain_id", "2", "name", "元件", "position", "upstream", NULL};
	const char *seg_ok[] = {"chain_id", "1", "name", "元件", "position", "upstream", "industry_code", "3823", NULL};
	cf_record c = rec("chain", chain), s1 = rec("segment", seg_bad), s2 = rec("segment", seg_ok);
	cr_assert_eq(registry_create(S, &cf_viewer_bureau, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(c.id, 1);
	cr_assert_eq(registry_create(S, &cf_viewer_bureau, &s1, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "chain_id");
	cr_assert(strstr(e.msg, "no chain with id 2"), "%s", e.msg);
	cr_assert_eq(registry_create(S, &cf_viewer_bureau, &s2, &e), 0, "%s", e.msg);
}

Test(model_registry, required_field_named)
{
	cf_err e;
	const char *chain[] = {"name", "电气", NULL};
	cf_record c = rec("chain", chain);
	cr_assert_eq(registry_create(S, &cf_viewer_bureau, &c, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "kind");
}

Test(model_registry, industry_rule)
{
	cf_err e;
	/* only sections and divisions loaded: 3/4-digit codes judged by their division */
	cr_assert_eq(registry_industry_ok(S, "3899", 4, &e), 0);
	cr_assert_eq(registry_industry_ok(S, "38", 2, &e), 0);
	cr_assert_eq(registry_industry_ok(S, "C", 1, &e), 0);
	cr_assert_eq(registry_industry_ok(S, "9811", 4, &e), CF_EINVAL);
	/* once one group is loaded, a code must exist itself */
	{
		const char *g[] = {"code", "382", "name", "输配电及控制设备制造", "level", "group", "parent", "38",
				   "section", "C", NULL};
		cf_record r = rec("industry", g);
		cr_assert_eq(registry_create(S, &cf_viewer_bureau, &r, &e), 0, "%s", e.msg);
	}
	cr_assert_eq(registry_industry_ok(S, "382", 3, &e), 0);
	cr_assert_eq(registry_industry_ok(S, "3899", 4, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "3899"));
}

Test(model_registry, roles)
{
	cf_err e;
	cf_viewer ent1 = {ROLE_ENTERPRISE, 5, 1, 0, 0};
	const char *chain[] = {"name", "电气", "kind", "pillar", NULL};
	const char *firm[] = {"uscc", "91520000214434146R", "name", "甲", "county", "鹿城区", "industry_code", "3823",
			      NULL};
	const char *firm2[] = {"uscc", "91110000710925462X", "name", "乙", "county", "鹿城区", "industry_code", "3823",
			       NULL};
	const char *dem1[] = {"enterprise_id", "1", "title", "需求", "visibility", "public", NULL};
	const char *dem2[] = {"enterprise_id", "2", "title", "别人的", "visibility", "public", NULL};
	cf_record c = rec("chain", chain), f1 = rec("enterprise", firm), f2 = rec("enterprise", firm2);
	cf_record d1 = rec("demand", dem1), d2 = rec("demand", dem2);
	cr_assert_eq(registry_create(S, &ent1, &c, &e), CF_EFORBIDDEN);
	cr_assert_eq(registry_create(S, &cf_viewer_bureau, &f1, &e), 0, "%s", e.msg);
	cr_assert_eq(registry_create(S, &cf_viewer_bureau, &f2, &e), 0, "%s", e.msg);
	cr_assert_eq(registry_create(S, &ent1, &d1, &e), 0, "%s", e.msg);
	cr_assert_eq(registry_create(S, &ent1, &d2, &e), CF_EFORBIDDEN);
	cr_assert_eq(registry_create(S, &cf_viewer_public, &d2, &e), CF_EFORBIDDEN);
	/* the enterprise may change its own row, not another's */
	f1.v[1] = (cf_value){1, 0, "甲改", strlen("甲改")};
	cr_assert_eq(registry_update(S, &ent1, &f1, &e), 0, "%s", e.msg);
	cr_assert_eq(registry_update(S, &ent1, &f2, &e), CF_EFORBIDDEN);
	cr_assert_eq(registry_delete(S, &ent1, schema_entity("demand"), d1.id, &e), 0, "%s", e.msg);
	cr_assert_eq(registry_delete(S, &cf_viewer_bureau, schema_entity("enterprise"), 1, &e), 0, "%s", e.msg);
	cr_assert_eq(registry_delete(S, &cf_viewer_bureau, schema_entity("enterprise"), 1, &e), CF_ENOTFOUND);
}

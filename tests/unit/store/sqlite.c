/*
 * Tests of the SQLite store (src/store/sqlite.c): migrations in step with the schema, CRUD of
 * every field type, constraint errors, the visibility matrix, keyset pagination, search,
 * transactions and raw SQL. Each test runs on a fresh database file in its own temp folder.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "store/store.h"
#include "store/store_int.h"

/* ---- fixture ------------------------------------------------------------------------------- */

static char dir[64], dbpath[128];
static store *S;
static arena *A;

static void setup(void)
{
	cf_err e = {0};
	snprintf(dir, sizeof dir, "/tmp/cf-store-XXXXXX");
	cr_assert(mkdtemp(dir) != NULL);
	snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	cr_assert_eq(store_open(dbpath, &S, &e), 0, "open: %s: %s", e.where, e.msg);
	A = arena_create();
	cr_assert(A != NULL);
}

static void teardown(void)
{
	char p[160];
	store_close(S);
	S = NULL;
	arena_free(A);
	A = NULL;
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
	rmdir(dir);
}

TestSuite(store_sqlite, .init = setup, .fini = teardown);

/* ---- record helpers --------------------------------------------------------------------------- */

static cf_record rec(const char *entity)
{
	cf_record r = {0};
	r.ent = schema_entity(entity);
	cr_assert(r.ent != NULL, "entity %s", entity);
	r.v = arena_alloc(A, sizeof(cf_value) * r.ent->nfields);
	cr_assert(r.v != NULL);
	return r;
}

static int fidx(const cf_record *r, const char *field)
{
	int i = schema_field(r->ent, field);
	cr_assert(i >= 0, "field %s.%s", r->ent->name, field);
	return i;
}

static void set_s(cf_record *r, const char *field, const char *s)
{
	int i = fidx(r, field);
	r->v[i].present = 1;
	r->v[i].s = s;
	r->v[i].n = strlen(s);
}

static void set_i(cf_record *r, const char *field, int64_t v)
{
	int i = fidx(r, field);
	r->v[i].present = 1;
	r->v[i].i = v;
}

static void unset(cf_record *r, const char *field) { r->v[fidx(r, field)].present = 0; }

static int64_t ins(cf_record *r)
{
	cf_err e = {0};
	cr_assert_eq(store_insert(S, r, &e), 0, "insert %s: %s: %s", r->ent->name, e.where, e.msg);
	cr_assert_gt(r->id, 0);
	return r->id;
}

static int64_t add_chain(const char *name)
{
	cf_record r = rec("chain");
	set_s(&r, "name", name);
	set_s(&r, "kind", "pillar");
	return ins(&r);
}

static int64_t add_enterprise(const char *uscc, const char *name)
{
	cf_record r = rec("enterprise");
	set_s(&r, "uscc", uscc);
	set_s(&r, "name", name);
	set_s(&r, "county", "鹿城区");
	set_s(&r, "industry_code", "C3562");
	return ins(&r);
}

static int64_t add_broker(const char *name)
{
	cf_record r = rec("broker");
	set_s(&r, "name", name);
	set_s(&r, "level", "中级");
	set_s(&r, "status", "active");
	return ins(&r);
}

static int64_t add_platform(const char *name)
{
	cf_record r = rec("platform");
	set_s(&r, "name", name);
	set_s(&r, "positioning", "技术创新");
	set_s(&r, "stage", "运行期");
	set_s(&r, "county", "瓯海区");
	return ins(&r);
}

static int64_t count_all(const char *entity)
{
	int64_t n = -1;
	cf_err e = {0};
	cr_assert_eq(store_count(S, schema_entity(entity), &cf_viewer_bureau, &n, &e), 0, "%s", e.msg);
	return n;
}

/* store_sql callback collecting "a|b|c" rows into a buffer. */
typedef struct rows {
	char text[4096];
	int n;
} rows;

static int collect(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	rows *r = ctx;
	size_t len = strlen(r->text);
	int i;
	for (i = 0; i < ncols; i++)
		len += (size_t)snprintf(r->text + len, sizeof r->text - len, "%s%s", i ? "|" : "",
					cols[i] ? cols[i] : "NULL");
	snprintf(r->text + len, sizeof r->text - len, ";");
	r->n++;
	(void)names;
	return 0;
}

/* ---- migrations -------------------------------------------------------------------------------- */

typedef struct colinfo {
	char name[64][64];
	char type[64][16];
	int notnull[64];
	int n;
} colinfo;

static int take_col(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	colinfo *c = ctx;
	cr_assert_eq(ncols, 3);
	cr_assert_str_eq(names[0], "name");
	cr_assert_lt(c->n, 64);
	snprintf(c->name[c->n], sizeof c->name[0], "%s", cols[0]);
	snprintf(c->type[c->n], sizeof c->type[0], "%s", cols[1]);
	c->notnull[c->n] = !strcmp(cols[2], "1");
	c->n++;
	return 0;
}

static int is_int_field(field_type t)
{
	return t == FT_INT || t == FT_MONEY || t == FT_DATE || t == FT_BOOL || t == FT_PERCENT || t == FT_REF;
}

Test(store_sqlite, migrations_match_schema)
{
	size_t k, i;
	cf_err e = {0};
	for (k = 0; k < cf_nentities; k++) {
		const cf_entity *ent = cf_entities[k];
		const char *params[1] = {ent->table};
		colinfo c = {0};
		cr_assert_eq(store_sql(S, "SELECT name, type, \"notnull\" FROM pragma_table_info(?) ORDER BY cid", params,
				       1, take_col, &c, &e),
			     0, "%s", e.msg);
		cr_assert_eq((size_t)c.n, ent->nfields + 4, "%s has %d columns, schema says %zu", ent->table, c.n,
			     ent->nfields + 4);
		cr_expect_str_eq(c.name[0], "id");
		cr_expect_str_eq(c.type[0], "INTEGER");
		cr_expect_str_eq(c.name[1], "synthetic");
		cr_expect(c.notnull[1]);
		for (i = 0; i < ent->nfields; i++) {
			const cf_field *f = &ent->fields[i];
			cr_expect_str_eq(c.name[i + 2], f->name, "%s column %zu", ent->table, i + 2);
			if (is_int_field(f->type))
				cr_expect(!strcmp(c.type[i + 2], "INTEGER") || !strcmp(c.type[i + 2], "BIGINT"),
					  "%s.%s is %s", ent->table, f->name, c.type[i + 2]);
			else
				cr_expect_str_eq(c.type[i + 2], "TEXT", "%s.%s", ent->table, f->name);
			cr_expect_eq(c.notnull[i + 2], !!(f->flags & F_REQUIRED), "%s.%s NOT NULL", ent->table, f->name);
		}
		cr_expect_str_eq(c.name[ent->nfields + 2], "created_at");
		cr_expect_str_eq(c.name[ent->nfields + 3], "updated_at");
	}
}

Test(store_sqlite, migrations_recorded_once)
{
	rows r = {{0}, 0};
	cf_err e = {0};
	cr_assert_eq(store_sql(S, "SELECT version FROM schema_migrations ORDER BY version", NULL, 0, collect, &r, &e), 0);
	/* the store's own three come first; other rooms add theirs after (010+) */
	cr_assert_eq(strncmp(r.text, "001_registry;002_accounts;003_store_meta;", 41), 0, "%s", r.text);
	/* reopening applies nothing twice and keeps the data */
	add_chain("数字经济");
	store_close(S);
	cr_assert_eq(store_open(dbpath, &S, &e), 0, "%s", e.msg);
	memset(&r, 0, sizeof r);
	cr_assert_eq(store_sql(S, "SELECT COUNT(*) FROM schema_migrations", NULL, 0, collect, &r, &e), 0);
	{
		char want[16];
		snprintf(want, sizeof want, "%zu;", store__nmigrations);
		cr_assert_str_eq(r.text, want);
	}
	cr_assert_eq(count_all("chain"), 1);
	memset(&r, 0, sizeof r);
	cr_assert_eq(store_sql(S,
			       "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'sessions') "
			       "ORDER BY name",
			       NULL, 0, collect, &r, &e),
		     0);
	cr_assert_str_eq(r.text, "sessions;users;");
	memset(&r, 0, sizeof r);
	cr_assert_eq(store_sql(S, "PRAGMA journal_mode", NULL, 0, collect, &r, &e), 0);
	cr_assert_str_eq(r.text, "wal;");
}

Test(store_sqlite, open_rejects_postgres_for_now)
{
	store *p = (store *)1;
	cf_err e = {0};
	cr_assert_eq(store_open("postgres://localhost/x", &p, &e), CF_EINVAL);
	cr_assert_null(p);
}

/* ---- CRUD ------------------------------------------------------------------------------------- */

Test(store_sqlite, crud_round_trip_every_type)
{
	cf_err e = {0};
	int64_t chain = add_chain("智能装备"), seg, ent, b1, b2;
	cf_record s = rec("segment"), r = rec("enterprise"), g, sh = rec("shareholder"), d = rec("demand");
	char list[64];

	set_i(&s, "chain_id", chain);
	set_s(&s, "name", "核心零部件");
	set_s(&s, "position", "upstream");
	set_i(&s, "seq", 3);
	seg = ins(&s);

	set_s(&r, "uscc", "91330300MA2AXXXX1X");
	set_s(&r, "name", "温州瑞明工业股份有限公司");
	set_s(&r, "county", "瑞安市");
	set_s(&r, "industry_code", "C3670");
	set_i(&r, "chain_id", chain);
	set_i(&r, "segment_id", seg);
	set_s(&r, "legal_rep", "张三");
	set_i(&r, "revenue", 123456789012LL); /* 1,234,567,890.12 yuan */
	set_i(&r, "employees", 860);
	set_i(&r, "founded", 7000);
	set_i(&r, "above_scale", 1);
	set_i(&r, "micro", 0);
	set_s(&r, "rd_centre", "province");
	r.synthetic = 1;
	ent = ins(&r);

	cr_assert_eq(store_get(S, r.ent, ent, &cf_viewer_bureau, A, &g, &e), 0, "%s", e.msg);
	cr_assert_eq(g.id, ent);
	cr_assert_eq(g.synthetic, 1);
	cr_assert_eq(g.ent, r.ent);
	cr_assert_str_eq(g.v[fidx(&g, "uscc")].s, "91330300MA2AXXXX1X");
	cr_assert_str_eq(g.v[fidx(&g, "name")].s, "温州瑞明工业股份有限公司");
	cr_assert_eq(g.v[fidx(&g, "name")].n, strlen("温州瑞明工业股份有限公司"));
	cr_assert_str_eq(g.v[fidx(&g, "county")].s, "瑞安市");
	cr_assert_eq(g.v[fidx(&g, "chain_id")].i, chain);
	cr_assert_eq(g.v[fidx(&g, "segment_id")].i, seg);
	cr_assert_eq(g.v[fidx(&g, "revenue")].i, 123456789012LL);
	cr_assert_eq(g.v[fidx(&g, "employees")].i, 860);
	cr_assert_eq(g.v[fidx(&g, "founded")].i, 7000);
	cr_assert_eq(g.v[fidx(&g, "above_scale")].i, 1);
	cr_assert(g.v[fidx(&g, "micro")].present);
	cr_assert_eq(g.v[fidx(&g, "micro")].i, 0);
	cr_assert_not(g.v[fidx(&g, "high_tech")].present);
	cr_assert_not(g.v[fidx(&g, "output_value")].present);
	cr_assert_str_eq(g.v[fidx(&g, "rd_centre")].s, "province");

	/* update replaces every field: absent becomes NULL */
	unset(&r, "legal_rep");
	set_i(&r, "revenue", -5);
	set_s(&r, "name", "温州瑞明工业");
	r.id = ent;
	cr_assert_eq(store_update(S, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(store_get(S, r.ent, ent, &cf_viewer_bureau, A, &g, &e), 0);
	cr_assert_not(g.v[fidx(&g, "legal_rep")].present);
	cr_assert_eq(g.v[fidx(&g, "revenue")].i, -5);
	cr_assert_str_eq(g.v[fidx(&g, "name")].s, "温州瑞明工业");

	/* percent (basis points) and id lists */
	set_i(&sh, "enterprise_id", ent);
	set_s(&sh, "holder_kind", "person");
	set_s(&sh, "holder_name", "李四");
	set_i(&sh, "share", 1250);
	ins(&sh);
	cr_assert_eq(store_get(S, sh.ent, sh.id, &cf_viewer_bureau, A, &g, &e), 0);
	cr_assert_eq(g.v[fidx(&g, "share")].i, 1250);

	b1 = add_broker("王五");
	b2 = add_broker("赵六");
	snprintf(list, sizeof list, "%lld,%lld", (long long)b1, (long long)b2);
	set_i(&d, "enterprise_id", ent);
	set_s(&d, "title", "精密铸造工艺");
	set_i(&d, "deadline", 20000);
	set_i(&d, "budget", 50000000);
	set_s(&d, "visibility", "confidential");
	set_s(&d, "brokers", list);
	ins(&d);
	cr_assert_eq(store_get(S, d.ent, d.id, &cf_viewer_bureau, A, &g, &e), 0);
	cr_assert_str_eq(g.v[fidx(&g, "brokers")].s, list);
	cr_assert_eq(g.v[fidx(&g, "deadline")].i, 20000);
	cr_assert_eq(g.v[fidx(&g, "budget")].i, 50000000);

	/* delete, then the row is gone; deleting or updating again: not found */
	cr_assert_eq(store_delete(S, d.ent, d.id, &e), 0, "%s", e.msg);
	cr_assert_eq(store_get(S, d.ent, d.id, &cf_viewer_bureau, A, &g, &e), CF_ENOTFOUND);
	cr_assert_eq(store_delete(S, d.ent, d.id, &e), CF_ENOTFOUND);
	cr_assert_eq(store_update(S, &d, &e), CF_ENOTFOUND);
	cr_assert_eq(store_get(S, r.ent, 999, &cf_viewer_bureau, A, &g, &e), CF_ENOTFOUND);
}

Test(store_sqlite, find_by_unique_field)
{
	cf_err e = {0};
	int64_t id = 0, a = add_enterprise("91330300000000001A", "甲"), b = add_enterprise("91330300000000002B", "乙");
	const cf_entity *ent = schema_entity("enterprise");
	cr_assert_eq(store_find(S, ent, "uscc", "91330300000000002B", &id, &e), 0, "%s", e.msg);
	cr_assert_eq(id, b);
	cr_assert_eq(store_find(S, ent, "uscc", "91330300000000001A", &id, &e), 0);
	cr_assert_eq(id, a);
	id = 77;
	cr_assert_eq(store_find(S, ent, "uscc", "91330300000000009Z", &id, &e), CF_ENOTFOUND);
	cr_assert_eq(id, 77);
	cr_assert_eq(store_find(S, ent, "name", "甲", &id, &e), CF_EINVAL);
}

/* ---- constraint errors ------------------------------------------------------------------------- */

Test(store_sqlite, unique_conflict_names_field_and_value)
{
	cf_err e = {0};
	cf_record r = rec("enterprise");
	add_enterprise("91330300MA2C9KRX4Q", "温州甲公司");
	set_s(&r, "uscc", "91330300MA2C9KRX4Q");
	set_s(&r, "name", "温州乙公司");
	set_s(&r, "county", "乐清市");
	set_s(&r, "industry_code", "C3562");
	cr_assert_eq(store_insert(S, &r, &e), CF_ECONFLICT);
	cr_assert_str_eq(e.where, "uscc");
	cr_assert(strstr(e.msg, "91330300MA2C9KRX4Q") != NULL, "%s", e.msg);
	cr_assert_eq(r.id, 0);
	cr_assert_eq(count_all("enterprise"), 1);
}

Test(store_sqlite, fk_conflict_on_insert_and_update)
{
	cf_err e = {0};
	cf_record r = rec("enterprise");
	int64_t chain = add_chain("生命健康");
	set_s(&r, "uscc", "91330300MA2C9KRX4Q");
	set_s(&r, "name", "温州甲公司");
	set_s(&r, "county", "乐清市");
	set_s(&r, "industry_code", "C3562");
	set_i(&r, "chain_id", chain);
	set_i(&r, "segment_id", 4242);
	cr_assert_eq(store_insert(S, &r, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "segment_id");
	cr_assert(strstr(e.msg, "4242") != NULL, "%s", e.msg);
	cr_assert_eq(count_all("enterprise"), 0);

	unset(&r, "segment_id");
	ins(&r);
	set_i(&r, "chain_id", chain + 100);
	cr_assert_eq(store_update(S, &r, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "chain_id");
	cr_assert(strstr(e.msg, "101") || strstr(e.msg, "102"), "%s", e.msg);
}

Test(store_sqlite, fk_conflict_on_delete_names_referrer)
{
	cf_err e = {0};
	cf_record r = rec("enterprise"), g;
	int64_t chain = add_chain("新能源"), id;
	set_s(&r, "uscc", "91330300MA2C9KRX4Q");
	set_s(&r, "name", "温州甲公司");
	set_s(&r, "county", "乐清市");
	set_s(&r, "industry_code", "C3562");
	set_i(&r, "chain_id", chain);
	id = ins(&r);
	cr_assert_eq(store_delete(S, schema_entity("chain"), chain, &e), CF_ECONFLICT);
	cr_assert(strstr(e.msg, "enterprises.chain_id") != NULL, "%s", e.msg);
	cr_assert_eq(store_get(S, schema_entity("chain"), chain, &cf_viewer_bureau, A, &g, &e), 0);
	cr_assert_eq(store_delete(S, r.ent, id, &e), 0, "%s", e.msg);
	cr_assert_eq(store_delete(S, schema_entity("chain"), chain, &e), 0, "%s", e.msg);
}

Test(store_sqlite, check_constraint_is_invalid_input)
{
	cf_err e = {0};
	cf_record r = rec("enterprise");
	set_s(&r, "uscc", "91330300MA2C9KRX4Q");
	set_s(&r, "name", "温州甲公司");
	set_s(&r, "county", "杭州市");
	set_s(&r, "industry_code", "C3562");
	cr_assert_eq(store_insert(S, &r, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "county");
	unset(&r, "county");
	cr_assert_eq(store_insert(S, &r, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "county");
	cr_assert_eq(count_all("enterprise"), 0);
}

/* ---- transactions ------------------------------------------------------------------------------ */

Test(store_sqlite, failed_insert_then_rollback_leaves_nothing)
{
	cf_err e = {0};
	cf_record r = rec("chain");
	add_chain("时尚智造");
	cr_assert_eq(store_begin(S, &e), 0, "%s", e.msg);
	add_chain("数字经济");
	set_s(&r, "name", "时尚智造");
	set_s(&r, "kind", "pillar");
	cr_assert_eq(store_insert(S, &r, &e), CF_ECONFLICT);
	cr_assert_eq(store_rollback(S), 0);
	cr_assert_eq(count_all("chain"), 1);
	/* the handle is usable afterwards, outside any transaction */
	add_chain("数字经济");
	cr_assert_eq(count_all("chain"), 2);
}

Test(store_sqlite, nested_transactions)
{
	cf_err e = {0};
	cr_assert_eq(store_begin(S, &e), 0);
	add_chain("一");
	cr_assert_eq(store_begin(S, &e), 0);
	add_chain("二");
	cr_assert_eq(store_rollback(S), 0);
	cr_assert_eq(store_begin(S, &e), 0);
	add_chain("三");
	cr_assert_eq(store_commit(S, &e), 0);
	cr_assert_eq(store_commit(S, &e), 0, "%s", e.msg);
	cr_assert_eq(store_commit(S, &e), CF_EINTERNAL);
	{
		rows r = {{0}, 0};
		cr_assert_eq(store_sql(S, "SELECT name FROM chains ORDER BY id", NULL, 0, collect, &r, &e), 0);
		cr_assert_str_eq(r.text, "一;三;");
	}
}

/* ---- visibility -------------------------------------------------------------------------------- */

typedef struct vis_case {
	const char *who_name;
	cf_viewer who;
	int sees[3]; /* public, brokers, confidential */
} vis_case;

Test(store_sqlite, demand_visibility_matrix)
{
	cf_err e = {0};
	int64_t owner = add_enterprise("91330300000000001A", "需求方"), other = add_enterprise("91330300000000002B", "他方");
	int64_t bk[12], dem[3];
	const char *vis[3] = {"public", "brokers", "confidential"};
	char list[64];
	int i, k;
	const cf_entity *ent = schema_entity("demand");

	for (i = 0; i < 12; i++) {
		char nm[32];
		snprintf(nm, sizeof nm, "经纪人%d", i + 1);
		bk[i] = add_broker(nm);
	}
	/* named: bk[10] (id 11); the other broker bk[0] (id 1) has digits inside "5,11,12" */
	snprintf(list, sizeof list, "%lld,%lld,%lld", (long long)bk[4], (long long)bk[10], (long long)bk[11]);
	for (i = 0; i < 3; i++) {
		cf_record d = rec("demand");
		set_i(&d, "enterprise_id", owner);
		set_s(&d, "title", vis[i]);
		set_s(&d, "visibility", vis[i]);
		set_s(&d, "brokers", list);
		dem[i] = ins(&d);
	}
	{
		vis_case cases[] = {
			{"bureau", {ROLE_BUREAU, 1, 0, 0, 0}, {1, 1, 1}},
			{"owner", {ROLE_ENTERPRISE, 2, owner, 0, 0}, {1, 1, 1}},
			{"other enterprise", {ROLE_ENTERPRISE, 3, other, 0, 0}, {1, 0, 0}},
			{"named broker", {ROLE_BROKER, 4, 0, 0, bk[10]}, {1, 1, 1}},
			{"other broker", {ROLE_BROKER, 5, 0, 0, bk[0]}, {1, 1, 0}},
			{"public", {ROLE_PUBLIC, 0, 0, 0, 0}, {1, 0, 0}},
			{"platform", {ROLE_PLATFORM, 6, 0, owner, 0}, {1, 0, 0}},
			{"expert", {ROLE_EXPERT, 7, owner, 0, bk[0]}, {1, 0, 0}},
		};
		for (k = 0; k < (int)(sizeof cases / sizeof cases[0]); k++) {
			const vis_case *c = &cases[k];
			store_query q = {0};
			store_page pg = {0};
			int64_t n = -1, want = 0;
			q.sort_field = -1;
			q.who = &c->who;
			cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0, "%s", e.msg);
			for (i = 0; i < 3; i++)
				want += c->sees[i];
			cr_expect_eq(pg.total, want, "%s: total %lld, want %lld", c->who_name, (long long)pg.total,
				     (long long)want);
			cr_expect_eq((int64_t)pg.n, want, "%s: rows", c->who_name);
			cr_assert_eq(store_count(S, ent, &c->who, &n, &e), 0);
			cr_expect_eq(n, want, "%s: count", c->who_name);
			for (i = 0; i < 3; i++) {
				cf_record g;
				size_t j;
				int listed = 0;
				int rc = store_get(S, ent, dem[i], &c->who, A, &g, &e);
				cr_expect_eq(rc, c->sees[i] ? 0 : CF_ENOTFOUND, "%s get %s: %d", c->who_name, vis[i], rc);
				if (rc == CF_ENOTFOUND)
					cr_expect(strstr(e.msg, "no demand with id") != NULL, "%s", e.msg);
				for (j = 0; j < pg.n; j++)
					listed |= pg.rows[j].id == dem[i];
				cr_expect_eq(listed, c->sees[i], "%s list %s", c->who_name, vis[i]);
			}
		}
	}
	/* a hidden row and a missing id give the same error */
	{
		cf_record g;
		cf_err e1 = {0}, e2 = {0};
		cr_assert_eq(store_get(S, ent, dem[2], &cf_viewer_public, A, &g, &e1), CF_ENOTFOUND);
		cr_assert_eq(store_get(S, ent, 9999, &cf_viewer_public, A, &g, &e2), CF_ENOTFOUND);
		cr_assert_str_eq(e1.msg, arena_printf(A, "no demand with id %lld", (long long)dem[2]));
		cr_assert_str_eq(e2.msg, "no demand with id 9999");
		cr_assert_str_eq(e1.where, e2.where);
	}
}

Test(store_sqlite, achievement_visibility)
{
	cf_err e = {0};
	int64_t mine = add_platform("瓯江实验室"), theirs = add_platform("温州大学研究院"), ids[2];
	const char *vis[2] = {"public", "brokers"};
	const cf_entity *ent = schema_entity("achievement");
	int i, k;
	for (i = 0; i < 2; i++) {
		cf_record a = rec("achievement");
		set_s(&a, "title", vis[i]);
		set_i(&a, "platform_id", mine);
		set_s(&a, "visibility", vis[i]);
		ids[i] = ins(&a);
	}
	{
		vis_case cases[] = {
			{"bureau", {ROLE_BUREAU, 1, 0, 0, 0}, {1, 1, 0}},
			{"owning platform", {ROLE_PLATFORM, 2, 0, mine, 0}, {1, 1, 0}},
			{"other platform", {ROLE_PLATFORM, 3, 0, theirs, 0}, {1, 0, 0}},
			{"broker", {ROLE_BROKER, 4, 0, 0, 3}, {1, 1, 0}},
			{"enterprise", {ROLE_ENTERPRISE, 5, mine, 0, 0}, {1, 0, 0}},
			{"public", {ROLE_PUBLIC, 0, 0, 0, 0}, {1, 0, 0}},
		};
		for (k = 0; k < (int)(sizeof cases / sizeof cases[0]); k++) {
			store_query q = {0};
			store_page pg = {0};
			q.sort_field = -1;
			q.who = &cases[k].who;
			cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0, "%s", e.msg);
			cr_expect_eq(pg.total, cases[k].sees[0] + cases[k].sees[1], "%s", cases[k].who_name);
			for (i = 0; i < 2; i++) {
				cf_record g;
				cr_expect_eq(store_get(S, ent, ids[i], &cases[k].who, A, &g, &e),
					     cases[k].sees[i] ? 0 : CF_ENOTFOUND, "%s get %s", cases[k].who_name, vis[i]);
			}
		}
	}
}

/* ---- listing ----------------------------------------------------------------------------------- */

#define NPAGE 37

/* Enterprises with ties and gaps in revenue (some NULL), names and founding dates. */
static void seed_page_rows(int64_t *ids)
{
	int i;
	for (i = 0; i < NPAGE; i++) {
		cf_record r = rec("enterprise");
		char *uscc = arena_printf(A, "9133030000000%05dX", i);
		char *name = arena_printf(A, "企业%02d", i % 9);
		set_s(&r, "uscc", uscc);
		set_s(&r, "name", name);
		set_s(&r, "county", i % 3 ? "鹿城区" : "瑞安市");
		set_s(&r, "industry_code", "C3562");
		if (i % 5)
			set_i(&r, "revenue", (int64_t)(i % 7) * 100000);
		set_i(&r, "founded", 10000 + i % 4);
		set_i(&r, "above_scale", i % 2);
		ids[i] = ins(&r);
	}
}

/* Walks every page of a query with the given page size; returns the ids in order. */
static int walk(const cf_entity *ent, store_query q, int limit, int64_t *out, int64_t *total)
{
	cf_err e = {0};
	int n = 0, pages = 0;
	q.limit = limit;
	q.cursor = NULL;
	for (;;) {
		store_page pg = {0};
		size_t j;
		cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0, "%s: %s", e.where, e.msg);
		cr_assert_leq(pg.n, (size_t)limit);
		for (j = 0; j < pg.n; j++) {
			cr_assert_lt(n, 1000);
			out[n++] = pg.rows[j].id;
		}
		*total = pg.total;
		pages++;
		cr_assert_lt(pages, 1000);
		if (!pg.next_cursor)
			break;
		cr_assert_eq(pg.n, (size_t)limit, "a page before the last one is full");
		q.cursor = pg.next_cursor;
	}
	return n;
}

/* Expected order: NULL lowest, then value, then id; all reversed for descending. */
static const cf_entity *cmp_ent;
static int cmp_field, cmp_desc;
static arena *cmp_arena;

static int cmp_rows(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	cf_record ra, rb;
	cf_err e = {0};
	int c = 0;
	cr_assert_eq(store_get(S, cmp_ent, a, &cf_viewer_bureau, cmp_arena, &ra, &e), 0);
	cr_assert_eq(store_get(S, cmp_ent, b, &cf_viewer_bureau, cmp_arena, &rb, &e), 0);
	if (cmp_field >= 0) {
		const cf_value *va = &ra.v[cmp_field], *vb = &rb.v[cmp_field];
		if (va->present != vb->present)
			c = va->present ? 1 : -1;
		else if (va->present && is_int_field(cmp_ent->fields[cmp_field].type))
			c = va->i < vb->i ? -1 : va->i > vb->i;
		else if (va->present)
			c = strcmp(va->s, vb->s);
	}
	if (!c)
		c = a < b ? -1 : a > b;
	return cmp_desc ? -c : c;
}

Test(store_sqlite, pagination_walks_every_row_once)
{
	const cf_entity *ent = schema_entity("enterprise");
	int64_t ids[NPAGE], got[1000], want[NPAGE], total;
	const char *sorts[] = {NULL, "revenue", "name", "founded", "employees"};
	int s, desc, lim, n, i;
	int limits[] = {1, 5, 36, 37, 50};

	seed_page_rows(ids);
	cmp_ent = ent;
	cmp_arena = A;
	for (s = 0; s < (int)(sizeof sorts / sizeof sorts[0]); s++)
		for (desc = 0; desc < 2; desc++)
			for (lim = 0; lim < (int)(sizeof limits / sizeof limits[0]); lim++) {
				store_query q = {0};
				q.sort_field = sorts[s] ? schema_field(ent, sorts[s]) : -1;
				q.sort_desc = desc;
				q.who = &cf_viewer_bureau;
				n = walk(ent, q, limits[lim], got, &total);
				cr_assert_eq(total, NPAGE);
				cr_assert_eq(n, NPAGE, "sort %s desc %d limit %d: %d rows", sorts[s] ? sorts[s] : "id", desc,
					     limits[lim], n);
				memcpy(want, ids, sizeof want);
				cmp_field = q.sort_field;
				cmp_desc = desc;
				qsort(want, NPAGE, sizeof want[0], cmp_rows);
				for (i = 0; i < NPAGE; i++)
					cr_assert_eq(got[i], want[i], "sort %s desc %d limit %d: row %d is %lld, want %lld",
						     sorts[s] ? sorts[s] : "id", desc, limits[lim], i, (long long)got[i],
						     (long long)want[i]);
			}
}

Test(store_sqlite, pagination_with_filter_and_visibility)
{
	const cf_entity *ent = schema_entity("demand");
	int64_t owner = add_enterprise("91330300000000001A", "需求方"), got[1000], total;
	cf_viewer other = {ROLE_ENTERPRISE, 9, 0, 0, 0};
	store_query q = {0};
	store_filter f;
	int i, n;
	for (i = 0; i < 30; i++) {
		cf_record d = rec("demand");
		set_i(&d, "enterprise_id", owner);
		set_s(&d, "title", arena_printf(A, "需求%d", i % 4));
		set_s(&d, "visibility", i % 3 ? "public" : "confidential");
		set_i(&d, "budget", (int64_t)(i % 5) * 1000);
		ins(&d);
	}
	q.sort_field = schema_field(ent, "title");
	q.who = &other;
	n = walk(ent, q, 4, got, &total);
	cr_assert_eq(total, 20);
	cr_assert_eq(n, 20);
	f.field = schema_field(ent, "visibility");
	f.value = "confidential";
	q.filters = &f;
	q.nfilters = 1;
	n = walk(ent, q, 4, got, &total);
	cr_assert_eq(total, 0);
	cr_assert_eq(n, 0);
	q.who = &cf_viewer_bureau;
	n = walk(ent, q, 3, got, &total);
	cr_assert_eq(total, 10);
	cr_assert_eq(n, 10);
}

Test(store_sqlite, tampered_cursor_is_invalid)
{
	const cf_entity *ent = schema_entity("enterprise");
	int64_t ids[NPAGE];
	store_query q = {0};
	store_page pg = {0}, pg2 = {0};
	cf_err e = {0};
	char *bad;
	size_t i;
	seed_page_rows(ids);
	q.sort_field = schema_field(ent, "revenue");
	q.limit = 10;
	q.who = &cf_viewer_bureau;
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0);
	cr_assert_not_null(pg.next_cursor);
	q.cursor = pg.next_cursor;
	cr_assert_eq(store_list(S, ent, &q, A, &pg2, &e), 0, "%s", e.msg);
	cr_assert_eq(pg2.n, 10);

	bad = arena_strdup(A, pg.next_cursor);
	for (i = 0; bad[i]; i++) {
		char keep = bad[i];
		bad[i] = keep == 'A' ? 'B' : 'A';
		q.cursor = bad;
		cr_assert_eq(store_list(S, ent, &q, A, &pg2, &e), CF_EINVAL, "changed byte %zu", i);
		cr_assert_str_eq(e.where, "cursor");
		bad[i] = keep;
	}
	q.cursor = "garbage";
	cr_assert_eq(store_list(S, ent, &q, A, &pg2, &e), CF_EINVAL);
	q.cursor = "";
	cr_assert_eq(store_list(S, ent, &q, A, &pg2, &e), CF_EINVAL);
	/* a cursor of another sort, direction or entity does not fit */
	q.cursor = pg.next_cursor;
	q.sort_desc = 1;
	cr_assert_eq(store_list(S, ent, &q, A, &pg2, &e), CF_EINVAL);
	q.sort_desc = 0;
	q.sort_field = schema_field(ent, "name");
	cr_assert_eq(store_list(S, ent, &q, A, &pg2, &e), CF_EINVAL);
	q.sort_field = -1;
	cr_assert_eq(store_list(S, schema_entity("demand"), &q, A, &pg2, &e), CF_EINVAL);
}

Test(store_sqlite, q_search_escapes_wildcards)
{
	const cf_entity *ent = schema_entity("enterprise");
	store_query q = {0};
	store_page pg = {0};
	cf_err e = {0};
	int64_t a = add_enterprise("91330300000000001A", "温州100%智能科技");
	int64_t b = add_enterprise("91330300000000002B", "温州1000智能_装备");
	int64_t c = add_enterprise("91330300000000003C", "乐清电气");
	(void)c;
	q.sort_field = -1;
	q.who = &cf_viewer_public;
	q.q = "100%";
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0, "%s", e.msg);
	cr_assert_eq(pg.total, 1);
	cr_assert_eq(pg.rows[0].id, a);
	q.q = "智能_";
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0);
	cr_assert_eq(pg.total, 1);
	cr_assert_eq(pg.rows[0].id, b);
	q.q = "智能";
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0);
	cr_assert_eq(pg.total, 2);
	q.q = "0000000003"; /* uscc is searchable too */
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0);
	cr_assert_eq(pg.total, 1);
	cr_assert_eq(pg.rows[0].id, c);
	q.q = "温州";
	q.limit = 1;
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0);
	cr_assert_eq(pg.total, 2);
	cr_assert_eq(pg.n, 1);
	cr_assert_not_null(pg.next_cursor);
}

Test(store_sqlite, filters_parse_per_type)
{
	const cf_entity *ent = schema_entity("enterprise");
	int64_t ids[NPAGE];
	store_query q = {0};
	store_page pg = {0};
	cf_err e = {0};
	store_filter f[2];
	seed_page_rows(ids);
	q.sort_field = -1;
	q.who = &cf_viewer_bureau;
	q.limit = 1000;
	q.filters = f;
	f[0].field = schema_field(ent, "above_scale");
	f[0].value = "true";
	q.nfilters = 1;
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0, "%s", e.msg);
	cr_assert_eq(pg.total, NPAGE / 2); /* odd i: 18 */
	f[1].field = schema_field(ent, "county");
	f[1].value = "瑞安市";
	q.nfilters = 2;
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0);
	cr_assert_eq(pg.total, 6); /* odd multiples of 3 below 37: 3, 9, 15, 21, 27, 33 */
	f[0].value = "0";
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0);
	cr_assert_eq(pg.total, 7);
	f[0].value = "maybe";
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "above_scale");
	f[0].field = schema_field(ent, "revenue"); /* sortable, not filterable */
	f[0].value = "1";
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), CF_EINVAL);
	f[0].field = schema_field(ent, "rd_centre");
	f[0].value = "galactic";
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), CF_EINVAL);
	q.nfilters = 0;
	q.limit = 1001;
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), CF_EINVAL);
	q.limit = -1;
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), CF_EINVAL);
	q.limit = 0;
	q.sort_field = schema_field(ent, "uscc"); /* not F_SORT */
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), CF_EINVAL);
}

Test(store_sqlite, default_limit_is_50)
{
	const cf_entity *ent = schema_entity("chain");
	store_query q = {0};
	store_page pg = {0};
	cf_err e = {0};
	int i;
	cr_assert_eq(store_begin(S, &e), 0);
	for (i = 0; i < 60; i++)
		add_chain(arena_printf(A, "链%d", i));
	cr_assert_eq(store_commit(S, &e), 0);
	q.sort_field = -1;
	cr_assert_eq(store_list(S, ent, &q, A, &pg, &e), 0);
	cr_assert_eq(pg.n, 50);
	cr_assert_eq(pg.total, 60);
	cr_assert_not_null(pg.next_cursor);
}

/* ---- raw SQL ----------------------------------------------------------------------------------- */

static int stop_at_second(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	int *seen = ctx;
	(void)ncols;
	(void)cols;
	(void)names;
	return ++*seen == 2 ? 42 : 0;
}

Test(store_sqlite, sql_with_params)
{
	cf_err e = {0};
	rows r = {{0}, 0};
	const char *p[2] = {"鹿城区", NULL};
	int seen = 0;
	add_enterprise("91330300000000001A", "甲");
	add_enterprise("91330300000000002B", "乙");
	add_enterprise("91330300000000003C", "丙");
	cr_assert_eq(store_sql(S, "SELECT name, legal_rep FROM enterprises WHERE county = ? ORDER BY id", p, 1, collect,
			       &r, &e),
		     0, "%s", e.msg);
	cr_assert_str_eq(r.text, "甲|NULL;乙|NULL;丙|NULL;");
	cr_assert_eq(r.n, 3);
	memset(&r, 0, sizeof r);
	cr_assert_eq(store_sql(S, "SELECT ? IS NULL, ?", (const char *const[]){NULL, "x"}, 2, collect, &r, &e), 0);
	cr_assert_str_eq(r.text, "1|x;");
	cr_assert_eq(store_sql(S, "SELECT id FROM enterprises", NULL, 0, stop_at_second, &seen, &e), 42);
	cr_assert_eq(seen, 2);
	cr_assert_eq(store_sql(S, "SELECT ?", NULL, 0, collect, &r, &e), CF_EINVAL);
	cr_assert_eq(store_sql(S, "SELEC 1", NULL, 0, collect, &r, &e), CF_EINVAL);
	/* writes through raw SQL keep the constraints */
	p[0] = "91330300000000001A";
	cr_assert_eq(store_sql(S,
			       "INSERT INTO enterprises (uscc, name, county, industry_code) VALUES (?, 'x', '鹿城区', 'C1')",
			       p, 1, NULL, NULL, &e),
		     CF_ECONFLICT);
	p[0] = "91330300000000009Z";
	cr_assert_eq(store_sql(S,
			       "INSERT INTO enterprises (uscc, name, county, industry_code) VALUES (?, 'x', '鹿城区', 'C1')",
			       p, 1, NULL, NULL, &e),
		     0, "%s", e.msg);
	cr_assert_eq(count_all("enterprise"), 4);
}

/* ---- several handles, accounts ----------------------------------------------------------------- */

Test(store_sqlite, second_handle_accepts_cursor)
{
	const cf_entity *ent = schema_entity("enterprise");
	int64_t ids[NPAGE];
	store *s2 = NULL;
	store_query q = {0};
	store_page p1 = {0}, p2 = {0};
	cf_err e = {0};
	seed_page_rows(ids);
	cr_assert_eq(store_open(dbpath, &s2, &e), 0, "%s", e.msg);
	q.sort_field = schema_field(ent, "name");
	q.limit = 20;
	cr_assert_eq(store_list(S, ent, &q, A, &p1, &e), 0);
	q.cursor = p1.next_cursor;
	cr_assert_eq(store_list(s2, ent, &q, A, &p2, &e), 0, "%s", e.msg);
	cr_assert_eq(p2.n, NPAGE - 20);
	cr_assert_null(p2.next_cursor);
	store_close(s2);
}

Test(store_sqlite, delete_referenced_by_user_names_users_table)
{
	cf_err e = {0};
	int64_t ent = add_enterprise("91330300000000001A", "甲");
	char id[24];
	const char *p[1] = {id};
	snprintf(id, sizeof id, "%lld", (long long)ent);
	cr_assert_eq(store_sql(S,
			       "INSERT INTO users (username, password_hash, role, enterprise_id) "
			       "VALUES ('jia', 'x', 'enterprise', ?)",
			       p, 1, NULL, NULL, &e),
		     0, "%s", e.msg);
	cr_assert_eq(store_delete(S, schema_entity("enterprise"), ent, &e), CF_ECONFLICT);
	cr_assert(strstr(e.msg, "users.enterprise_id") != NULL, "%s", e.msg);
	cr_assert_eq(count_all("enterprise"), 1);
}

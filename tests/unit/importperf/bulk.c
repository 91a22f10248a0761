/*
 * Tests of the store's bulk-load support (store_bulk_begin/store_bulk_end in
 * src/store/sqlite.c): the plain indexes of the table are dropped inside the transaction and
 * come back on store_bulk_end, on a commit that forgot it, and on a rollback after a failed
 * write; unique indexes are never dropped, so conflicts are still caught row by row.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "model/value.h"
#include "store/store.h"

static char dir[64], dbpath[128];
static store *S;
static arena *A;

static void setup(void)
{
	cf_err e = {0};
	snprintf(dir, sizeof dir, "/tmp/cf-bulk-XXXXXX");
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

TestSuite(importperf_bulk, .init = setup, .fini = teardown);

/* The enterprises table's indexes, "name|sql;" each in name order, into out. */
static int collect(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 8192 - n, "%s|%s;", cols[0], cols[1] ? cols[1] : "auto");
	return 0;
}

static void indexes(char out[8192])
{
	cf_err e = {0};
	out[0] = 0;
	cr_assert_eq(store_sql(S,
			       "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'enterprises'"
			       " ORDER BY name",
			       NULL, 0, collect, out, &e),
		     0, "%s", e.msg);
}

static int ent(const char *uscc, const char *county, cf_err *e)
{
	cf_record r = {0};
	const char *vals[][2] = {{"uscc", uscc}, {"name", "温州测试企业"}, {"county", county}, {"industry_code", "C3562"}};
	size_t i;
	r.ent = schema_entity("enterprise");
	r.v = arena_alloc(A, sizeof(cf_value) * r.ent->nfields);
	cr_assert(r.v != NULL);
	memset(r.v, 0, sizeof(cf_value) * r.ent->nfields);
	for (i = 0; i < 4; i++) {
		int f = schema_field(r.ent, vals[i][0]);
		cr_assert(f >= 0);
		r.v[f].present = 1;
		r.v[f].s = vals[i][1];
		r.v[f].n = strlen(vals[i][1]);
	}
	return store_insert(S, &r, e);
}

Test(importperf_bulk, drops_plain_indexes_and_restores_them)
{
	static char before[8192], during[8192], after[8192];
	cf_err e = {0};
	indexes(before);
	cr_assert(strstr(before, "enterprises_county|CREATE INDEX enterprises_county ON enterprises (county);") != NULL,
		  "%s", before);
	cr_assert(strstr(before, "sqlite_autoindex_enterprises_1|auto;") != NULL, "%s", before);
	cr_assert_eq(store_bulk_begin(S, schema_entity("enterprise"), &e), CF_EINTERNAL); /* no transaction */
	cr_assert_eq(store_begin(S, &e), 0);
	cr_assert_eq(store_bulk_begin(S, schema_entity("enterprise"), &e), 0, "%s", e.msg);
	cr_assert_eq(store_bulk_begin(S, schema_entity("enterprise"), &e), CF_EINTERNAL); /* already open */
	indexes(during);
	cr_assert_str_eq(during, "sqlite_autoindex_enterprises_1|auto;"); /* the unique one stays */
	cr_assert_eq(ent("91330300MA2A000011", "鹿城区", &e), 0, "%s", e.msg);
	/* unique still enforced during the bulk load */
	cr_assert_eq(ent("91330300MA2A000011", "龙湾区", &e), CF_ECONFLICT);
	cr_assert_str_eq(e.where, "uscc");
	cr_assert_eq(store_bulk_end(S, &e), 0, "%s", e.msg);
	cr_assert_eq(store_bulk_end(S, &e), CF_EINTERNAL);
	cr_assert_eq(store_commit(S, &e), 0, "%s", e.msg);
	indexes(after);
	cr_assert_str_eq(after, before);
}

Test(importperf_bulk, commit_without_end_rebuilds)
{
	static char before[8192], after[8192];
	cf_err e = {0};
	int64_t n = 0;
	indexes(before);
	cr_assert_eq(store_begin(S, &e), 0);
	cr_assert_eq(store_bulk_begin(S, schema_entity("enterprise"), &e), 0, "%s", e.msg);
	cr_assert_eq(ent("91330300MA2A000011", "鹿城区", &e), 0, "%s", e.msg);
	cr_assert_eq(store_commit(S, &e), 0, "%s", e.msg);
	indexes(after);
	cr_assert_str_eq(after, before);
	cr_assert_eq(store_count(S, schema_entity("enterprise"), &(cf_viewer){.role = ROLE_BUREAU}, &n, &e), 0);
	cr_assert_eq(n, 1);
}

Test(importperf_bulk, rollback_restores_indexes_and_rows)
{
	static char before[8192], after[8192];
	cf_err e = {0};
	int64_t n = -1;
	indexes(before);
	cr_assert_eq(store_begin(S, &e), 0);
	cr_assert_eq(store_bulk_begin(S, schema_entity("enterprise"), &e), 0, "%s", e.msg);
	cr_assert_eq(ent("91330300MA2A000011", "鹿城区", &e), 0, "%s", e.msg);
	cr_assert_eq(ent("91330300MA2A000022", "杭州市", &e), CF_EINVAL); /* a failed write: CHECK county */
	cr_assert_eq(store_rollback(S), 0);
	indexes(after);
	cr_assert_str_eq(after, before);
	cr_assert_eq(store_count(S, schema_entity("enterprise"), &(cf_viewer){.role = ROLE_BUREAU}, &n, &e), 0);
	cr_assert_eq(n, 0);
	/* a new transaction can bulk-load again */
	cr_assert_eq(store_begin(S, &e), 0);
	cr_assert_eq(store_bulk_begin(S, schema_entity("enterprise"), &e), 0, "%s", e.msg);
	cr_assert_eq(store_bulk_end(S, &e), 0, "%s", e.msg);
	cr_assert_eq(store_commit(S, &e), 0, "%s", e.msg);
	indexes(after);
	cr_assert_str_eq(after, before);
}

/* n enterprise records with distinct valid-looking USCCs (the store checks no check
 * character); bad_county_at >= 0 gives that one a county the CHECK refuses. */
static cf_record *many_recs(size_t n, long bad_county_at)
{
	cf_record *rs = arena_alloc(A, n * sizeof *rs);
	size_t i;
	cr_assert(rs != NULL);
	for (i = 0; i < n; i++) {
		const cf_entity *en = schema_entity("enterprise");
		char *u = arena_printf(A, "91330300MA%07zuX", i + 1);
		const char *vals[][2] = {{"uscc", u},
					 {"name", "温州测试企业"},
					 {"county", (long)i == bad_county_at ? "杭州市" : "瓯海区"},
					 {"industry_code", "C3562"}};
		size_t j;
		cr_assert(u != NULL);
		memset(&rs[i], 0, sizeof rs[i]);
		rs[i].ent = en;
		rs[i].v = arena_alloc(A, sizeof(cf_value) * en->nfields);
		cr_assert(rs[i].v != NULL);
		memset(rs[i].v, 0, sizeof(cf_value) * en->nfields);
		for (j = 0; j < 4; j++) {
			int f = schema_field(en, vals[j][0]);
			rs[i].v[f].present = 1;
			rs[i].v[f].s = vals[j][1];
			rs[i].v[f].n = strlen(vals[j][1]);
		}
	}
	return rs;
}

static int64_t count_ents(void)
{
	cf_err e = {0};
	int64_t n = -1;
	cr_assert_eq(store_count(S, schema_entity("enterprise"), &(cf_viewer){.role = ROLE_BUREAU}, &n, &e), 0);
	return n;
}

Test(importperf_bulk, insert_many_all_rows_with_ids)
{
	cf_err e = {0};
	size_t done = 99, i;
	cf_record *rs = many_recs(150, -1); /* two full statements of 64 and 22 single rows */
	cr_assert_eq(store_insert_many(S, rs, 150, &done, &e), CF_EINTERNAL); /* no transaction */
	cr_assert_eq(done, 0);
	cr_assert_eq(store_begin(S, &e), 0);
	cr_assert_eq(store_insert_many(S, rs, 150, &done, &e), 0, "%s", e.msg);
	cr_assert_eq(done, 150);
	cr_assert_eq(store_commit(S, &e), 0, "%s", e.msg);
	cr_assert_eq(count_ents(), 150);
	for (i = 0; i < 150; i++) {
		int64_t id = 0;
		cr_assert_eq(store_find(S, schema_entity("enterprise"), "uscc", rs[i].v[0].s, &id, &e), 0, "%s", e.msg);
		cr_assert_eq(rs[i].id, id, "row %zu: id %lld, store has %lld", i, (long long)rs[i].id, (long long)id);
	}
}

Test(importperf_bulk, insert_many_stops_at_the_failing_row)
{
	cf_err e = {0};
	size_t done = 0;
	cf_record *rs = many_recs(150, 100); /* row 100 is in the second statement of 64 */
	cr_assert_eq(store_begin(S, &e), 0);
	cr_assert_eq(store_insert_many(S, rs, 150, &done, &e), CF_EINVAL);
	cr_assert_eq(done, 100);
	cr_assert_str_eq(e.where, "county");
	cr_assert(strstr(e.msg, "杭州市") != NULL, "%s", e.msg);
	cr_assert_eq(count_ents(), 100); /* the rows before it, none after */
	/* the caller may go on after the bad row, as import --partial does */
	cr_assert_eq(store_insert_many(S, rs + 101, 49, &done, &e), 0, "%s", e.msg);
	cr_assert_eq(done, 49);
	cr_assert_eq(store_commit(S, &e), 0, "%s", e.msg);
	cr_assert_eq(count_ents(), 149);
}

/* value_format's integer path (no printf) writes what "%lld" writes. */
Test(importperf_bulk, value_format_int_as_printf)
{
	static const int64_t vs[] = {0, 1, -1, 9, 10, -10, 79437, 1234567890123LL, INT64_MAX, INT64_MIN};
	cf_field fd = {"n", "数", FT_INT, 0, NULL, NULL, 0, 0, 0};
	size_t i;
	for (i = 0; i < sizeof vs / sizeof vs[0]; i++) {
		cf_value v = {0};
		char want[32];
		v.present = 1;
		v.i = vs[i];
		snprintf(want, sizeof want, "%lld", (long long)vs[i]);
		cr_assert_str_eq(value_format(&fd, &v, A), want);
		fd.type = FT_REF;
		cr_assert_str_eq(value_format(&fd, &v, A), want);
		fd.type = FT_INT;
	}
}

/* A bulk load begun inside a savepoint ends with the savepoint's rollback. */
Test(importperf_bulk, savepoint_rollback_restores)
{
	static char before[8192], after[8192];
	cf_err e = {0};
	indexes(before);
	cr_assert_eq(store_begin(S, &e), 0);
	cr_assert_eq(store_begin(S, &e), 0); /* a savepoint */
	cr_assert_eq(store_bulk_begin(S, schema_entity("enterprise"), &e), 0, "%s", e.msg);
	cr_assert_eq(store_rollback(S), 0);
	indexes(after);
	cr_assert_str_eq(after, before);
	cr_assert_eq(store_bulk_end(S, &e), CF_EINTERNAL); /* nothing open any more */
	cr_assert_eq(store_bulk_begin(S, schema_entity("enterprise"), &e), 0, "%s", e.msg);
	cr_assert_eq(store_commit(S, &e), 0, "%s", e.msg); /* rebuilds on the way out */
	indexes(after);
	cr_assert_str_eq(after, before);
}

/* Tests of src/model/demo_gen.c: the generator alone, into an in-memory sink (no database). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/path.h"
#include "model/demo_gen.h"
#include "model/uscc.h"
#include "model/value.h"

typedef struct mem {
	int64_t next_id[16];
	uint64_t hash;     /* FNV-1a over every value of every record, in order */
	int64_t bad;       /* records record_check() refused */
	char first_bad[1000];
	int64_t firms, above, micro, tech_sme, high_tech, giants, rd_prov, rd_city;
	int64_t va, bad_uscc, micro_over, fail_after; /* fail_after: sink fails at that record (0: never) */
	int64_t seen;
} mem;

static void fnv(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;
	for (i = 0; i < n; i++) {
		*h ^= c[i];
		*h *= 1099511628211ULL;
	}
}

static int64_t val_i(const cf_record *r, const char *f)
{
	int k = schema_field(r->ent, f);
	return k >= 0 && r->v[k].present ? r->v[k].i : 0;
}

static const char *val_s(const cf_record *r, const char *f)
{
	int k = schema_field(r->ent, f);
	return k >= 0 && r->v[k].present ? r->v[k].s : "";
}

static int mem_sink(void *ctx, cf_record *r, cf_err *e)
{
	mem *m = ctx;
	size_t k, i;
	cf_err ce;
	for (k = 0; k < cf_nentities; k++)
		if (cf_entities[k] == r->ent)
			break;
	cr_assert(k < 16);
	if (m->fail_after && ++m->seen >= m->fail_after)
		return cf_err_set(e, CF_EIO, "sink", "disk full");
	cf_err_clear(&ce);
	if (record_check(r, 1, &ce) < 0 || r->synthetic != 1) {
		if (!m->bad)
			snprintf(m->first_bad, sizeof m->first_bad, "%s.%s: %s", r->ent->name, ce.where, ce.msg);
		m->bad++;
	}
	fnv(&m->hash, r->ent->name, strlen(r->ent->name));
	for (i = 0; i < r->ent->nfields; i++) {
		const cf_value *v = &r->v[i];
		fnv(&m->hash, &v->present, sizeof v->present);
		if (!v->present)
			continue;
		if (v->s)
			fnv(&m->hash, v->s, v->n);
		else
			fnv(&m->hash, &v->i, sizeof v->i);
	}
	if (!strcmp(r->ent->name, "enterprise")) {
		const char *u = val_s(r, "uscc");
		m->firms++;
		m->above += val_i(r, "above_scale");
		m->micro += val_i(r, "micro");
		m->tech_sme += val_i(r, "tech_sme");
		m->high_tech += val_i(r, "high_tech");
		m->giants += val_i(r, "little_giant");
		m->rd_prov += !strcmp(val_s(r, "rd_centre"), "province");
		m->rd_city += !strcmp(val_s(r, "rd_centre"), "city");
		m->va += val_i(r, "value_added");
		m->bad_uscc += uscc_check(u, strlen(u), NULL) != 0;
		m->micro_over += val_i(r, "micro") && val_i(r, "output_value") >= 2000000000LL;
	}
	r->id = ++m->next_id[k];
	return 0;
}

static int run(uint64_t seed, mem *m, demo_stats *st, cf_err *e, const char *profile)
{
	demo_opts o;
	memset(&o, 0, sizeof o);
	o.seed = seed;
	o.sink = mem_sink;
	o.sink_ctx = m;
	o.profile_path = profile;
	m->hash = 1469598103934665603ULL;
	cf_err_clear(e);
	return demo_generate(&o, st, e);
}

Test(demo_gen, paper_figures_and_valid_records, .timeout = 120)
{
	mem m = {0};
	demo_stats st;
	cf_err e;
	cr_assert_eq(run(1, &m, &st, &e, NULL), 0, "%s: %s", e.where, e.msg);
	cr_assert_eq(m.bad, 0, "%lld records fail record_check, first: %s", (long long)m.bad, m.first_bad);
	cr_assert_eq(m.firms, 79437);
	cr_assert_eq(m.above, 4618);
	cr_assert_eq(m.micro, 79437 - 4618);
	cr_assert_eq(m.va, 192100000000LL * 100);
	cr_assert_eq(m.tech_sme, 12494);
	cr_assert_eq(m.high_tech, 2404);
	cr_assert_eq(m.giants, 52);
	cr_assert_eq(m.rd_prov, 484);
	cr_assert_eq(m.rd_city, 1556);
	cr_assert_eq(m.bad_uscc, 0);
	cr_assert_eq(m.micro_over, 0);
	cr_assert_eq(st.rows[5], 49, "platforms");
	cr_assert_eq(st.rows[3], 79437, "enterprises in cf_entities order");
	cr_assert(st.total > 200000);
}

Test(demo_gen, same_seed_same_records, .timeout = 180)
{
	mem a = {0}, b = {0}, c = {0};
	cf_err e;
	cr_assert_eq(run(7, &a, NULL, &e, NULL), 0, "%s", e.msg);
	cr_assert_eq(run(7, &b, NULL, &e, NULL), 0, "%s", e.msg);
	cr_assert_eq(run(8, &c, NULL, &e, NULL), 0, "%s", e.msg);
	cr_assert_eq(a.hash, b.hash);
	cr_assert_neq(a.hash, c.hash);
	cr_assert_eq(c.va, a.va, "every seed hits the same totals");
	cr_assert_eq(c.high_tech, 2404);
}

Test(demo_gen, sink_failure_stops_generation)
{
	mem m = {0};
	cf_err e;
	m.fail_after = 500;
	cr_assert_eq(run(1, &m, NULL, &e, NULL), CF_EIO);
	cr_assert_str_eq(e.msg, "disk full");
	cr_assert_eq(m.seen, 500, "nothing emitted after the failure");
}

static char *profile_with(const char *from, const char *to)
{
	char p[4096];
	buf b;
	cf_err e;
	char *hit, *path = strdup("/tmp/cf_demo_profile_XXXXXX");
	int fd;
	FILE *f;
	cr_assert_eq(path_data("demo/profile.json", p, sizeof p), 0);
	buf_init(&b, 0);
	cr_assert_eq(path_read_file(p, &b, &e), 0, "%s", e.msg);
	hit = strstr(b.p, from);
	cr_assert(hit != NULL, "profile lacks %s", from);
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fwrite(b.p, 1, (size_t)(hit - b.p), f);
	fputs(to, f);
	fputs(hit + strlen(from), f);
	fclose(f);
	buf_free(&b);
	return path;
}

Test(demo_gen, profile_that_cannot_hold_is_refused)
{
	mem m = {0};
	cf_err e;
	char *p = profile_with("\"value\": \"94.2\"", "\"value\": \"90.0\"");
	cr_assert_eq(run(1, &m, NULL, &e, p), CF_EINTERNAL);
	cr_assert(strstr(e.where, "micro_share_pct") != NULL, "%s", e.where);
	cr_assert_eq(m.next_id[0], 0, "nothing emitted");
	remove(p);
	free(p);
}

Test(demo_gen, too_many_giants_are_refused)
{
	mem m = {0};
	cf_err e;
	char *p = profile_with("\"value\": 52,", "\"value\": 999999,");
	cr_assert_eq(run(1, &m, NULL, &e, p), CF_EINTERNAL);
	cr_assert_str_eq(e.where, "little_giant");
	remove(p);
	free(p);
}

Test(demo_gen, bad_profile_json_has_a_location)
{
	mem m = {0};
	cf_err e;
	char *p = profile_with("\"targets\": {", "\"targets\": {,");
	cr_assert_eq(run(1, &m, NULL, &e, p), CF_EINVAL);
	cr_assert(strstr(e.where, p) == e.where, "where names the file: %s", e.where);
	cr_assert(strchr(e.where, ':') != NULL);
	remove(p);
	free(p);
}

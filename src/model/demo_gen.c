/*
 * demo_gen — generates the synthetic Wenzhou dataset; see demo_gen.h.
 *
 * Plan: load the two data files; lay out the firms in memory (class, chain, segment, county,
 * value added split exactly over pools, flags picked to the paper's counts); shuffle them;
 * then emit industries, chains, segments, enterprises, shareholders, platforms, brokers,
 * achievements, demands, instruments, teams and supply relations, in that order (the
 * schema's dependency order). Randomness is xoshiro256** seeded through splitmix64, and every
 * draw happens in a fixed order, so a seed fixes the output.
 */
#include "model/demo_gen.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/money.h"
#include "base/path.h"
#include "model/uscc.h"
#include "model/value.h"

#define NCHAIN_MAX 16
#define NSEG_MAX 8
#define YUAN 100LL
#define WAN (10000LL * YUAN)
#define MICRO_OUTPUT_LIMIT (2000LL * WAN) /* §二.1: 小微 = output below 20,000,000 yuan */

/* ---- randomness ---- */

typedef struct rng {
	uint64_t s[4];
} rng;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rnd(rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform in [0, n); n > 0. */
static uint64_t below(rng *r, uint64_t n) { return (uint64_t)(((unsigned __int128)rnd(r) * n) >> 64); }
/* Uniform in [lo, hi]. */
static int64_t range(rng *r, int64_t lo, int64_t hi) { return lo + (int64_t)below(r, (uint64_t)(hi - lo + 1)); }
/* Index drawn with integer weights w[0..n). */
static int pick_w(rng *r, const int64_t *w, int n)
{
	int64_t tot = 0, x;
	int i;
	for (i = 0; i < n; i++)
		tot += w[i];
	x = (int64_t)below(r, (uint64_t)tot);
	for (i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ---- loaded data ---- */

typedef struct seg {
	const char *name, *position, *code;
	const char *products[8];
	int nproducts;
	int64_t id;
	int *firms; /* indices of firms in this segment */
	int nfirms;
} seg;

typedef struct strs {
	const char *v[24];
	int n;
} strs;

typedef struct chain {
	const char *name, *name_en, *kind;
	int64_t weight;
	int64_t county_w[12];
	seg segs[NSEG_MAX];
	int nsegs;
	const char *key_input[6], *key_region[6];
	int nkey;
	strs ipc, objects, techs, materials, props, specs, problems, words;
	int64_t id;
	int *platforms;
	int nplatforms;
} chain;

typedef struct firm {
	int chain; /* -1: outside the "5+5" */
	int seg;
	const char *code;
	char section;
	int county;
	int above, micro, tech_sme, high_tech, giant, leading;
	int rd; /* 0 none, 1 city, 2 province */
	int64_t va, output, revenue, rd_exp, employees;
	int32_t founded;
	char uscc[USCC_LEN + 1];
	const char *name, *legal_rep;
	int64_t id;
	int extra_sh; /* index into gen.holds of its first extra holding, -1 none */
} firm;

typedef struct hold {
	int firm;       /* the held firm */
	int by_firm;    /* holding firm, or -1 for a person */
	const char *person;
	int64_t share;  /* basis points */
	int next;       /* next holding of the same firm, -1 */
} hold;

typedef struct plat {
	const char *name, *co_builder, *positioning, *industries, *code;
	int county, chain;
	int64_t id;
} plat;

typedef struct gen {
	const demo_opts *o;
	cf_err *e;
	rng r;
	arena *a;     /* whole run: names and tables */
	arena *rowa;  /* current batch of records */
	int rown;
	json_t *prof, *cj;
	chain ch[NCHAIN_MAX];
	int nch;
	int64_t county_w[12];
	firm *f;
	int nf;
	int *order; /* emission order of firms */
	hold *holds;
	int nholds;
	plat *pl;
	int npl;
	int64_t *brokers;
	int nbrokers;
	strs surnames, given, brand, fwB, fwC, fwD, other[3];
	demo_stats st;
	int64_t planned;
	/* the record being built */
	cf_record rec;
} gen;

static const char *const county_codes[12] = {"330302", "330303", "330304", "330305", "330381", "330382",
					     "330383", "330324", "330326", "330327", "330328", "330329"};
static const char *const county_short[12] = {"鹿城", "龙湾", "瓯海", "洞头", "瑞安", "乐清",
					     "龙港", "永嘉", "平阳", "苍南", "文成", "泰顺"};

static int county_index(const char *name)
{
	int i;
	for (i = 0; cf_counties[i]; i++)
		if (!strcmp(cf_counties[i], name))
			return i;
	return -1;
}

/* ---- JSON access with located errors ---- */

static json_t *jget(gen *g, json_t *o, const char *key, int type, const char *where)
{
	json_t *v = json_object_get(o, key);
	if (!v || (type >= 0 && json_typeof(v) != (json_type)type)) {
		cf_err_set(g->e, CF_EINVAL, where, "missing or mistyped key \"%s\"", key);
		return NULL;
	}
	return v;
}

/* Integer value of a target ({"value": N}) or a param (N). */
static int jint(gen *g, json_t *o, const char *key, const char *where, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (v && json_is_object(v))
		v = json_object_get(v, "value");
	if (!v || !json_is_integer(v) || json_integer_value(v) < 0)
		return cf_err_set(g->e, CF_EINVAL, where, "\"%s\" must be a non-negative integer", key);
	*out = json_integer_value(v);
	return 0;
}

/* Decimal text with at most two decimals, read exactly as hundredths: yuan give fen, and a
 * percentage gives basis points ("94.2" -> 9420). */
static int jdec(gen *g, json_t *o, const char *key, const char *where, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	if (v && json_is_object(v))
		v = json_object_get(v, "value");
	if (!v || !json_is_string(v))
		return cf_err_set(g->e, CF_EINVAL, where, "\"%s\" must be a decimal string", key);
	s = json_string_value(v);
	if (money_parse(s, strlen(s), out, g->e) < 0) {
		cf_err_set(g->e, CF_EINVAL, where, "\"%s\": %s", key, g->e->msg);
		return CF_EINVAL;
	}
	return 0;
}

static int jstrs(gen *g, json_t *arr, strs *out, const char *where)
{
	size_t i;
	out->n = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return cf_err_set(g->e, CF_EINVAL, where, "expected a non-empty array of strings");
	for (i = 0; i < json_array_size(arr) && out->n < 24; i++) {
		json_t *s = json_array_get(arr, i);
		if (!json_is_string(s))
			return cf_err_set(g->e, CF_EINVAL, where, "item %zu is not a string", i);
		out->v[out->n++] = json_string_value(s);
	}
	return 0;
}

static const char *str_pick(gen *g, const strs *s) { return s->v[below(&g->r, (uint64_t)s->n)]; }

static int load_json(gen *g, const char *given, const char *rel, json_t **out)
{
	char p[4096];
	json_error_t je;
	if (!given) {
		if (path_data(rel, p, sizeof p) < 0)
			return cf_err_set(g->e, CF_ETOOBIG, rel, "data path too long");
		given = p;
	}
	*out = json_load_file(given, 0, &je);
	if (!*out) {
		char where[256];
		int w = snprintf(where, sizeof where, "%.200s:%d:%d", given, je.line, je.column);
		(void)w;
		return cf_err_set(g->e, CF_EINVAL, where, "cannot read demo data: %s", je.text);
	}
	return 0;
}

static int load_weights(gen *g, json_t *o, int64_t w[12], const char *where)
{
	const char *k;
	json_t *v;
	memset(w, 0, sizeof(int64_t) * 12);
	json_object_foreach(o, k, v)
	{
		int ci = county_index(k);
		if (ci < 0 || !json_is_integer(v) || json_integer_value(v) < 0)
			return cf_err_set(g->e, CF_EINVAL, where, "bad county weight \"%s\"", k);
		w[ci] = json_integer_value(v);
	}
	return 0;
}

static int load_chains(gen *g)
{
	json_t *arr = jget(g, g->cj, "chains", JSON_ARRAY, "chains.json:chains");
	json_t *c;
	size_t i;
	int rc;

	if (!arr)
		return CF_EINVAL;
	json_array_foreach(arr, i, c)
	{
		chain *h;
		json_t *segs, *s, *keys, *k;
		size_t j;
		char where[64];
		if (g->nch >= NCHAIN_MAX)
			return cf_err_set(g->e, CF_EINVAL, "chains.json:chains", "too many chains");
		h = &g->ch[g->nch++];
		snprintf(where, sizeof where, "chains.json:chains[%zu]", i);
		h->name = json_string_value(json_object_get(c, "name"));
		h->name_en = json_string_value(json_object_get(c, "name_en"));
		h->kind = json_string_value(json_object_get(c, "kind"));
		if (!h->name || !h->kind || (strcmp(h->kind, "pillar") && strcmp(h->kind, "emerging")))
			return cf_err_set(g->e, CF_EINVAL, where, "name and kind (pillar/emerging) are required");
		if ((rc = jint(g, c, "weight", where, &h->weight)) < 0)
			return rc;
		if ((rc = load_weights(g, json_object_get(c, "counties"), h->county_w, where)) < 0)
			return rc;
		segs = json_object_get(c, "segments");
		json_array_foreach(segs, j, s)
		{
			seg *sg;
			json_t *pr;
			size_t m;
			if (h->nsegs >= NSEG_MAX || json_array_size(s) != 4)
				return cf_err_set(g->e, CF_EINVAL, where, "segment %zu: expected [name, position, code, products]", j);
			sg = &h->segs[h->nsegs++];
			sg->name = json_string_value(json_array_get(s, 0));
			sg->position = json_string_value(json_array_get(s, 1));
			sg->code = json_string_value(json_array_get(s, 2));
			pr = json_array_get(s, 3);
			for (m = 0; m < json_array_size(pr) && sg->nproducts < 8; m++)
				sg->products[sg->nproducts++] = json_string_value(json_array_get(pr, m));
			if (!sg->name || !sg->position || !sg->code || !sg->nproducts)
				return cf_err_set(g->e, CF_EINVAL, where, "segment %zu is incomplete", j);
		}
		if (h->nsegs < 2)
			return cf_err_set(g->e, CF_EINVAL, where, "a chain needs at least two segments");
		keys = json_object_get(c, "key_inputs");
		json_array_foreach(keys, j, k)
		{
			if (h->nkey < 6) {
				h->key_input[h->nkey] = json_string_value(json_array_get(k, 0));
				h->key_region[h->nkey] = json_string_value(json_array_get(k, 1));
				if (!h->key_input[h->nkey] || !h->key_region[h->nkey])
					return cf_err_set(g->e, CF_EINVAL, where, "bad key_inputs item %zu", j);
				h->nkey++;
			}
		}
		if ((rc = jstrs(g, json_object_get(c, "ipc"), &h->ipc, where)) < 0 ||
		    (rc = jstrs(g, json_object_get(c, "objects"), &h->objects, where)) < 0 ||
		    (rc = jstrs(g, json_object_get(c, "techs"), &h->techs, where)) < 0 ||
		    (rc = jstrs(g, json_object_get(c, "materials"), &h->materials, where)) < 0 ||
		    (rc = jstrs(g, json_object_get(c, "props"), &h->props, where)) < 0 ||
		    (rc = jstrs(g, json_object_get(c, "specs"), &h->specs, where)) < 0 ||
		    (rc = jstrs(g, json_object_get(c, "problems"), &h->problems, where)) < 0 ||
		    (rc = jstrs(g, json_object_get(c, "firm_words"), &h->words, where)) < 0)
			return rc;
	}
	if (g->nch == 0)
		return cf_err_set(g->e, CF_EINVAL, "chains.json:chains", "no chains");
	return 0;
}

/* ---- records ---- */

static int row_begin(gen *g, const char *entity)
{
	const cf_entity *ent = schema_entity(entity);
	if (!ent)
		return cf_err_set(g->e, CF_EINTERNAL, entity, "unknown entity");
	if (!g->rowa && !(g->rowa = arena_create()))
		return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
	g->rown++;
	if (record_new(ent, g->rowa, &g->rec) < 0)
		return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
	memset(g->rec.v, 0, sizeof(cf_value) * ent->nfields);
	g->rec.synthetic = 1;
	return 0;
}

static cf_value *slot(gen *g, const char *field)
{
	int i = schema_field(g->rec.ent, field);
	if (i < 0) {
		/* A field the schema lost: a bug in this file, caught by the unit tests. */
		fprintf(stderr, "demo_gen: entity %s has no field %s\n", g->rec.ent->name, field);
		abort();
	}
	return &g->rec.v[i];
}

static void put_s(gen *g, const char *field, const char *s)
{
	cf_value *v = slot(g, field);
	if (!s)
		return;
	v->present = 1;
	v->s = s;
	v->n = strlen(s);
}

static void put_i(gen *g, const char *field, int64_t i)
{
	cf_value *v = slot(g, field);
	v->present = 1;
	v->i = i;
}

static const char *fmt(gen *g, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(gen *g, const char *f, ...)
{
	va_list ap;
	char tmp[8192];
	int n;
	va_start(ap, f);
	n = vsnprintf(tmp, sizeof tmp, f, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof tmp)
		n = sizeof tmp - 1;
	if (!g->rowa)
		g->rowa = arena_create();
	return arena_strndup(g->rowa ? g->rowa : g->a, tmp, (size_t)n);
}

static const char *fmt_keep(gen *g, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt_keep(gen *g, const char *f, ...)
{
	va_list ap;
	char tmp[1024];
	int n;
	va_start(ap, f);
	n = vsnprintf(tmp, sizeof tmp, f, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof tmp)
		n = sizeof tmp - 1;
	return arena_strndup(g->a, tmp, (size_t)n);
}

static int row_end(gen *g, int64_t *id)
{
	size_t k;
	int rc;
	for (k = 0; k < cf_nentities; k++)
		if (cf_entities[k] == g->rec.ent)
			break;
	rc = g->o->sink(g->o->sink_ctx, &g->rec, g->e);
	if (rc < 0)
		return rc;
	if (id)
		*id = g->rec.id;
	if (g->rown >= 2048) { /* strings made for the records so far are no longer needed */
		arena_free(g->rowa);
		g->rowa = NULL;
		g->rown = 0;
	}
	if (k < 16)
		g->st.rows[k]++;
	g->st.total++;
	if (g->o->progress && (g->st.total & 1023) == 0)
		g->o->progress(g->o->progress_ctx, g->st.total, g->planned);
	return 0;
}

/* ---- names ---- */

static const char *person(gen *g)
{
	if (below(&g->r, 3) == 0)
		return fmt_keep(g, "%s%s", str_pick(g, &g->surnames), str_pick(g, &g->given));
	return fmt_keep(g, "%s%s%s", str_pick(g, &g->surnames), str_pick(g, &g->given), str_pick(g, &g->given));
}

/* Two different brand characters ("宏泰"), as firm names have them. */
static const char *brand2(gen *g)
{
	const char *a = str_pick(g, &g->brand), *b;
	do
		b = str_pick(g, &g->brand);
	while (b == a && g->brand.n > 1);
	return fmt_keep(g, "%s%s", a, b);
}

/* A valid USCC: 9 (market regulator) 1 (enterprise), the county's division code, a GB 11714
 * organisation code whose eight body digits are a bijection of serial, and the check character. */
static int make_uscc(gen *g, const char *division, uint64_t serial, char out[USCC_LEN + 1])
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	char c17[18], body[9];
	uint64_t x = (serial * 48271ULL + 12345679ULL + (g->o->seed % 1000) * 100003ULL) % 100000000ULL;
	int i, sum = 0, c;

	snprintf(body, sizeof body, "%08llu", (unsigned long long)x);
	for (i = 0; i < 8; i++)
		sum += w[i] * (body[i] - '0');
	c = 11 - sum % 11;
	snprintf(c17, sizeof c17, "91%.6s%.8s%c", division, body, c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c));
	if (uscc_make(c17, out) < 0)
		return cf_err_set(g->e, CF_EINTERNAL, "uscc", "generated code %s is outside the character set", c17);
	return 0;
}

/* ---- exact allocation ---- */

/* Splits total over the firms idx[0..n): each gets base plus a share of the rest in
 * proportion to w[], and the remainder of the integer division goes one fen at a time to
 * the first firms, so the sum is exactly total. */
static int alloc_exact(gen *g, const int *idx, int n, int64_t total, int64_t base, const int64_t *w,
		       const char *pool)
{
	int64_t rest = total - base * n, W = 0, given = 0;
	int i;
	if (n == 0)
		return total == 0 ? 0 : cf_err_set(g->e, CF_EINTERNAL, pool, "value added to share but no firms");
	if (rest < 0)
		return cf_err_set(g->e, CF_EINTERNAL, pool, "the minimum value added per firm exceeds the pool's total");
	for (i = 0; i < n; i++)
		W += w[i];
	for (i = 0; i < n; i++) {
		int64_t share = money_muldiv_round(rest, w[i], W);
		if (share > rest - given)
			share = rest - given;
		g->f[idx[i]].va = base + share;
		given += share;
	}
	for (i = 0; given < rest; i = (i + 1) % n, given++)
		g->f[idx[i]].va++;
	for (i = 0; given > rest; i = (i + 1) % n)
		if (g->f[idx[i]].va > base) {
			g->f[idx[i]].va--;
			given--;
		}
	return 0;
}

/* Picks k of the candidates (indices for which ok() holds) at random and applies set(). */
typedef int (*firm_pred)(const firm *f);
static int pick_firms(gen *g, int k, firm_pred ok, void (*set)(firm *f), const char *what)
{
	int *c = malloc(sizeof(int) * (size_t)(g->nf ? g->nf : 1));
	int n = 0, i;
	if (!c)
		return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < g->nf; i++)
		if (ok(&g->f[i]))
			c[n++] = i;
	if (n < k) {
		free(c);
		return cf_err_set(g->e, CF_EINTERNAL, what, "profile asks for %d firms but only %d qualify", k, n);
	}
	for (i = 0; i < k; i++) {
		int j = i + (int)below(&g->r, (uint64_t)(n - i)), t = c[i];
		c[i] = c[j];
		c[j] = t;
		set(&g->f[c[i]]);
	}
	free(c);
	return 0;
}

static int p_giant(const firm *f) { return f->above && f->chain >= 0; }
static void s_giant(firm *f) { f->giant = f->high_tech = f->tech_sme = 1; }
static int p_ht_above(const firm *f) { return f->above && !f->high_tech; }
static int p_ht_micro(const firm *f) { return !f->above && !f->high_tech && f->section == 'C'; }
static void s_ht(firm *f) { f->high_tech = 1; }
static int p_ht_sme(const firm *f) { return f->high_tech && !f->tech_sme; }
static void s_sme(firm *f) { f->tech_sme = 1; }
static int p_sme_above(const firm *f) { return f->above && !f->high_tech && !f->tech_sme; }
static int p_sme_micro(const firm *f) { return !f->above && !f->high_tech && !f->tech_sme && f->section == 'C'; }
static int p_rdp_above(const firm *f) { return f->above && !f->rd && (f->high_tech || f->tech_sme); }
static int p_rdp_micro(const firm *f) { return !f->above && !f->rd && (f->high_tech || f->tech_sme); }
static void s_rdp(firm *f) { f->rd = 2; }
static int p_rdc_above(const firm *f) { return f->above && !f->rd; }
static int p_rdc_micro(const firm *f) { return !f->above && !f->rd && f->section == 'C'; }
static void s_rdc(firm *f) { f->rd = 1; }

/* ---- layout of the firms ---- */

static int layout_firms(gen *g)
{
	json_t *t = json_object_get(g->prof, "targets"), *p = json_object_get(g->prof, "params");
	json_t *sc = json_object_get(p, "section_counts"), *oc = json_object_get(g->cj, "other_codes");
	int64_t n, nA, nB, nD, nPil, nEm, va_total, above_share, pil_share, em_share, micro_chain_pct, micro_min,
		micro_max, above_min, micro_pct, giants, ht, ht_above, ht_sme, sme, sme_above, rdp, rdp_above, rdc,
		rdc_above, leading;
	int64_t kind_w[NCHAIN_MAX], all_w[NCHAIN_MAX], *wts = NULL;
	int *pool = NULL, np, i, rc;
	const char *where = "profile.json";

	if ((rc = jint(g, t, "enterprises", where, &n)) < 0 || (rc = jint(g, t, "above_scale", where, &nA)) < 0 ||
	    (rc = jdec(g, t, "value_added_yuan", where, &va_total)) < 0 ||
	    (rc = jdec(g, t, "micro_share_pct", where, &micro_pct)) < 0 ||
	    (rc = jdec(g, t, "pillar_va_share_pct", where, &pil_share)) < 0 ||
	    (rc = jdec(g, t, "emerging_va_share_pct", where, &em_share)) < 0 ||
	    (rc = jint(g, t, "little_giant", where, &giants)) < 0 || (rc = jint(g, t, "high_tech", where, &ht)) < 0 ||
	    (rc = jint(g, t, "tech_sme", where, &sme)) < 0 ||
	    (rc = jint(g, t, "rd_centre_province", where, &rdp)) < 0 ||
	    (rc = jint(g, t, "rd_centre_city", where, &rdc)) < 0 ||
	    (rc = jdec(g, p, "above_scale_va_share_pct", where, &above_share)) < 0 ||
	    (rc = jint(g, sc, "B", where, &nB)) < 0 || (rc = jint(g, sc, "D", where, &nD)) < 0 ||
	    (rc = jint(g, p, "above_scale_pillar", where, &nPil)) < 0 ||
	    (rc = jint(g, p, "above_scale_emerging", where, &nEm)) < 0 ||
	    (rc = jdec(g, p, "micro_chain_share_pct", where, &micro_chain_pct)) < 0 ||
	    (rc = jdec(g, p, "micro_va_min_yuan", where, &micro_min)) < 0 ||
	    (rc = jdec(g, p, "micro_va_max_yuan", where, &micro_max)) < 0 ||
	    (rc = jdec(g, p, "above_va_min_yuan", where, &above_min)) < 0 ||
	    (rc = jint(g, p, "high_tech_above_scale", where, &ht_above)) < 0 ||
	    (rc = jint(g, p, "high_tech_also_tech_sme", where, &ht_sme)) < 0 ||
	    (rc = jint(g, p, "tech_sme_above_scale_only", where, &sme_above)) < 0 ||
	    (rc = jint(g, p, "rd_province_above_scale", where, &rdp_above)) < 0 ||
	    (rc = jint(g, p, "rd_city_above_scale", where, &rdc_above)) < 0 ||
	    (rc = jint(g, p, "leading", where, &leading)) < 0)
		return rc;
	if ((rc = load_weights(g, json_object_get(p, "county_weights"), g->county_w, where)) < 0)
		return rc;
	if (n <= 0 || n > 10000000 || nA > n || nPil + nEm > nA || nB + nD > n - nA)
		return cf_err_set(g->e, CF_EINTERNAL, where, "enterprise counts do not fit together");
	/* Every firm that is not above scale is micro, and no above-scale firm is: the share this
	 * gives must round to the paper's 94.2% (one decimal). */
	{
		int64_t micro = n - nA, tenths = money_muldiv_round(micro, 1000, n); /* per-mille of firms */
		if (tenths * 10 != micro_pct)
			return cf_err_set(g->e, CF_EINTERNAL, "profile.json:targets.micro_share_pct",
					  "micro share %lld/%lld does not round to %lld.%02lld%%", (long long)micro,
					  (long long)n, (long long)(micro_pct / 100), (long long)(micro_pct % 100));
	}

	g->nf = (int)n;
	g->f = arena_alloc(g->a, sizeof(firm) * (size_t)n);
	pool = malloc(sizeof(int) * (size_t)n);
	wts = malloc(sizeof(int64_t) * (size_t)n);
	if (!g->f || !pool || !wts) {
		rc = cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (i = 0; i < g->nch; i++) {
		kind_w[i] = g->ch[i].weight;
		all_w[i] = g->ch[i].weight;
	}

	/* Chains, segments, classes and counties: above scale [0, nA), then the micro firms. */
	for (i = 0; i < g->nf; i++) {
		firm *f = &g->f[i];
		int in_chain, kind = -1, c, j;
		f->extra_sh = -1;
		f->above = i < nA;
		f->micro = !f->above;
		f->chain = -1;
		f->section = 'C';
		if (f->above) {
			in_chain = i < nPil + nEm;
			kind = i < nPil ? 0 : 1;
		} else {
			in_chain = (int64_t)below(&g->r, 10000) < micro_chain_pct;
		}
		if (in_chain) {
			for (j = 0; j < g->nch; j++)
				kind_w[j] = kind < 0 || !strcmp(g->ch[j].kind, kind == 0 ? "pillar" : "emerging") ? all_w[j] : 0;
			c = pick_w(&g->r, kind_w, g->nch);
			f->chain = c;
			f->seg = (int)below(&g->r, (uint64_t)g->ch[c].nsegs);
			f->code = g->ch[c].segs[f->seg].code;
			f->county = pick_w(&g->r, g->ch[c].county_w, 12);
		} else {
			f->county = pick_w(&g->r, g->county_w, 12);
		}
	}
	/* Sections B and D among the firms outside the chains, the rest of them in section C. */
	np = 0;
	for (i = 0; i < g->nf; i++)
		if (g->f[i].chain < 0)
			pool[np++] = i;
	if (np < nB + nD) {
		rc = cf_err_set(g->e, CF_EINTERNAL, where, "too few firms outside the chains for sections B and D");
		goto fail;
	}
	for (i = 0; i < np; i++) {
		int j = i + (int)below(&g->r, (uint64_t)(np - i)), tmp = pool[i];
		firm *f;
		json_t *codes;
		pool[i] = pool[j];
		pool[j] = tmp;
		f = &g->f[pool[i]];
		f->section = i < nB ? 'B' : i < nB + nD ? 'D' : 'C';
		codes = json_object_get(oc, f->section == 'B' ? "B" : f->section == 'D' ? "D" : "C");
		if (!json_is_array(codes) || json_array_size(codes) == 0) {
			rc = cf_err_set(g->e, CF_EINVAL, "chains.json:other_codes", "needs codes for B, C and D");
			goto fail;
		}
		f->code = json_string_value(json_array_get(codes, below(&g->r, json_array_size(codes))));
	}

	/* Value added (表1: exactly the total), split into pools: above scale (pillar §二.3
	 * 46.0%, emerging 26.4%, the rest) and micro. Weights: heavy-tailed above scale, bounded
	 * for micro firms so that their output stays under 20,000,000 yuan. */
	{
		int64_t t_above = money_muldiv_round(va_total, above_share, 10000), t_micro = va_total - t_above;
		int64_t t_pil = money_muldiv_round(t_above, pil_share, 10000), t_em = money_muldiv_round(t_above, em_share, 10000);
		int64_t t_oth = t_above - t_pil - t_em;
		int64_t targets[3] = {t_pil, t_em, t_oth};
		int k;
		for (k = 0; k < 3; k++) {
			int64_t lo = k == 0 ? 0 : k == 1 ? nPil : nPil + nEm, hi = k == 0 ? nPil : k == 1 ? nPil + nEm : nA;
			np = 0;
			for (i = (int)lo; i < (int)hi; i++) {
				uint64_t u = below(&g->r, 1000000) + 1; /* heavy tail: 1/u */
				pool[np] = i;
				wts[np++] = (int64_t)(1000000000ULL / (u + 2000)) + 100;
			}
			if ((rc = alloc_exact(g, pool, np, targets[k], above_min, wts, "above-scale value added")) < 0)
				goto fail;
		}
		np = 0;
		for (i = (int)nA; i < g->nf; i++) {
			uint64_t x = below(&g->r, 1000);
			pool[np] = i;
			wts[np++] = 1000 + (int64_t)(x * x * x / 50000); /* 1000 .. ~21000 */
		}
		if ((rc = alloc_exact(g, pool, np, t_micro, micro_min, wts, "micro value added")) < 0)
			goto fail;
	}

	/* Output, revenue, employees, founding date from value added, within the flags' bounds. */
	{
		int32_t d0, d1;
		json_t *fr = json_object_get(p, "founded_from"), *to = json_object_get(p, "founded_to");
		if (!json_is_string(fr) || !json_is_string(to) ||
		    date_parse(json_string_value(fr), strlen(json_string_value(fr)), &d0, g->e) < 0 ||
		    date_parse(json_string_value(to), strlen(json_string_value(to)), &d1, g->e) < 0 || d1 < d0) {
			rc = cf_err_set(g->e, CF_EINVAL, "profile.json:params.founded_from", "bad founding date range");
			goto fail;
		}
		for (i = 0; i < g->nf; i++) {
			firm *f = &g->f[i];
			if (f->above) {
				f->output = money_muldiv_round(f->va, range(&g->r, 3000, 6000), 1000);
				f->revenue = money_muldiv_round(f->output, range(&g->r, 920, 1100), 1000);
				if (f->revenue < MICRO_OUTPUT_LIMIT)
					f->revenue = MICRO_OUTPUT_LIMIT + range(&g->r, 0, 500 * WAN);
				f->employees = 50 + f->va / (30 * WAN) + range(&g->r, 0, 120);
			} else {
				if (f->va > micro_max) {
					rc = cf_err_set(g->e, CF_EINTERNAL, where, "a micro firm's value added exceeds micro_va_max_yuan");
					goto fail;
				}
				f->output = money_muldiv_round(f->va, range(&g->r, 1500, 3300), 1000);
				if (f->output >= MICRO_OUTPUT_LIMIT)
					f->output = MICRO_OUTPUT_LIMIT - 1;
				f->revenue = money_muldiv_round(f->output, range(&g->r, 800, 1000), 1000);
				f->employees = 3 + f->va / (15 * WAN) + range(&g->r, 0, 20);
			}
			f->founded = (int32_t)range(&g->r, d0, d1);
		}
	}

	/* Flags to the paper's counts (§一.1), nested as firms climb the ladder (§四.1). */
	if ((rc = pick_firms(g, (int)giants, p_giant, s_giant, "little_giant")) < 0 ||
	    (rc = pick_firms(g, (int)(ht_above - giants), p_ht_above, s_ht, "high_tech_above_scale")) < 0 ||
	    (rc = pick_firms(g, (int)(ht - ht_above), p_ht_micro, s_ht, "high_tech")) < 0 ||
	    (rc = pick_firms(g, (int)(ht_sme - giants), p_ht_sme, s_sme, "high_tech_also_tech_sme")) < 0 ||
	    (rc = pick_firms(g, (int)sme_above, p_sme_above, s_sme, "tech_sme_above_scale_only")) < 0 ||
	    (rc = pick_firms(g, (int)(sme - ht_sme - sme_above), p_sme_micro, s_sme, "tech_sme")) < 0 ||
	    (rc = pick_firms(g, (int)rdp_above, p_rdp_above, s_rdp, "rd_province_above_scale")) < 0 ||
	    (rc = pick_firms(g, (int)(rdp - rdp_above), p_rdp_micro, s_rdp, "rd_centre_province")) < 0 ||
	    (rc = pick_firms(g, (int)rdc_above, p_rdc_above, s_rdc, "rd_city_above_scale")) < 0 ||
	    (rc = pick_firms(g, (int)(rdc - rdc_above), p_rdc_micro, s_rdc, "rd_centre_city")) < 0)
		goto fail;
	if (ht_sme > ht || ht_above > ht || giants > ht_above) {
		rc = cf_err_set(g->e, CF_EINTERNAL, where, "high-tech sub-counts exceed the total");
		goto fail;
	}
	/* Leading firms: the largest by value added in each chain, leading/nch per chain. */
	{
		int c, per = (int)(leading / g->nch), k;
		for (c = 0; c < g->nch; c++)
			for (k = 0; k < per; k++) {
				int best = -1;
				for (i = 0; i < nA; i++)
					if (g->f[i].chain == c && !g->f[i].leading && (best < 0 || g->f[i].va > g->f[best].va))
						best = i;
				if (best >= 0)
					g->f[best].leading = 1;
			}
	}
	/* R&D expense: above scale 0.5%–4% of output, more for innovative firms. */
	for (i = 0; i < g->nf; i++) {
		firm *f = &g->f[i];
		int64_t pm = f->above ? range(&g->r, 5, 25) : range(&g->r, 0, 10);
		if (f->high_tech || f->tech_sme)
			pm += range(&g->r, 10, 25);
		f->rd_exp = money_muldiv_round(f->output, pm, 1000);
	}
	rc = 0;
fail:
	free(pool);
	free(wts);
	return rc;
}

/* Names, USCCs, legal representatives; the emission order (a shuffle); segment lists. */
static int name_firms(gen *g)
{
	int i, rc;
	g->order = arena_alloc(g->a, sizeof(int) * (size_t)g->nf);
	if (!g->order)
		return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < g->nf; i++)
		g->order[i] = i;
	for (i = g->nf - 1; i > 0; i--) {
		int j = (int)below(&g->r, (uint64_t)i + 1), t = g->order[i];
		g->order[i] = g->order[j];
		g->order[j] = t;
	}
	for (i = 0; i < g->nf; i++) {
		firm *f = &g->f[g->order[i]];
		const strs *words = f->chain >= 0 ? &g->ch[f->chain].words
				    : f->section == 'B' ? &g->fwB : f->section == 'D' ? &g->fwD : &g->fwC;
		const char *form = f->above && below(&g->r, 3) == 0 ? "股份有限公司" : "有限公司";
		if ((rc = make_uscc(g, county_codes[f->county], (uint64_t)i, f->uscc)) < 0)
			return rc;
		if (below(&g->r, 2))
			f->name = fmt_keep(g, "温州%s%s%s", brand2(g), str_pick(g, words), form);
		else
			f->name = fmt_keep(g, "%s%s%s%s", county_short[f->county], brand2(g), str_pick(g, words), form);
		f->legal_rep = person(g);
	}
	for (i = 0; i < g->nf; i++) {
		firm *f = &g->f[g->order[i]];
		if (f->chain >= 0)
			g->ch[f->chain].segs[f->seg].nfirms++;
	}
	{
		int c, s;
		for (c = 0; c < g->nch; c++)
			for (s = 0; s < g->ch[c].nsegs; s++) {
				seg *sg = &g->ch[c].segs[s];
				sg->firms = arena_alloc(g->a, sizeof(int) * (size_t)(sg->nfirms + 1));
				if (!sg->firms)
					return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
				sg->nfirms = 0;
			}
	}
	for (i = 0; i < g->nf; i++) {
		int fi = g->order[i];
		firm *f = &g->f[fi];
		if (f->chain >= 0) {
			seg *sg = &g->ch[f->chain].segs[f->seg];
			sg->firms[sg->nfirms++] = fi;
		}
	}
	return 0;
}

/* ---- emitters ---- */

/* The groups (中类), then the classes (小类) the chains use, each with its parent, so that
 * the industry table stays a tree (the division rows come from model/industry.c). */
static int emit_industries(gen *g)
{
	static const char *const keys[2] = {"industry_groups", "industries"};
	static const char *const levels[2] = {"group", "class"};
	int rc, lv;
	for (lv = 0; lv < 2; lv++) {
		json_t *arr = json_object_get(g->cj, keys[lv]), *row;
		size_t i;
		if (!json_is_array(arr))
			return cf_err_set(g->e, CF_EINVAL, keys[lv], "chains.json needs the array %s", keys[lv]);
		json_array_foreach(arr, i, row)
		{
			const char *code = json_string_value(json_array_get(row, 0)), *name = json_string_value(json_array_get(row, 1)),
				   *parent = json_string_value(json_array_get(row, 2)), *sec = json_string_value(json_array_get(row, 3));
			if (!code || !name || !parent || !sec)
				return cf_err_set(g->e, CF_EINVAL, keys[lv], "item %zu: expected [code, name, parent, section]", i);
			if ((rc = row_begin(g, "industry")) < 0)
				return rc;
			put_s(g, "code", code);
			put_s(g, "name", name);
			put_s(g, "level", levels[lv]);
			put_s(g, "parent", parent);
			put_s(g, "section", sec);
			if ((rc = row_end(g, NULL)) < 0)
				return rc;
		}
	}
	return 0;
}

static int emit_chains(gen *g)
{
	int c, s, k, rc;
	for (c = 0; c < g->nch; c++) {
		chain *h = &g->ch[c];
		char codes[400] = "";
		size_t len = 0;
		for (s = 0; s < h->nsegs; s++) {
			if (strstr(codes, h->segs[s].code))
				continue;
			len += (size_t)snprintf(codes + len, sizeof codes - len, "%s%s", len ? "," : "", h->segs[s].code);
			if (len >= sizeof codes)
				return cf_err_set(g->e, CF_EINVAL, h->name, "too many industry codes");
		}
		if ((rc = row_begin(g, "chain")) < 0)
			return rc;
		put_s(g, "name", h->name);
		put_s(g, "name_en", h->name_en);
		put_s(g, "kind", h->kind);
		put_s(g, "industry_codes", fmt(g, "%s", codes));
		put_s(g, "description",
		      fmt(g, "温州\"5+5\"产业之%s（%s），合成演示数据。", h->name,
			  !strcmp(h->kind, "pillar") ? "传统支柱产业" : "战略性新兴产业"));
		if ((rc = row_end(g, &h->id)) < 0)
			return rc;
	}
	for (c = 0; c < g->nch; c++) {
		chain *h = &g->ch[c];
		for (s = 0; s < h->nsegs; s++) {
			seg *sg = &h->segs[s];
			char prod[1000] = "";
			size_t len = 0;
			for (k = 0; k < sg->nproducts; k++)
				len += (size_t)snprintf(prod + len, sizeof prod - len, "%s%s", k ? "、" : "", sg->products[k]);
			if ((rc = row_begin(g, "segment")) < 0)
				return rc;
			put_i(g, "chain_id", h->id);
			put_s(g, "name", sg->name);
			put_s(g, "position", sg->position);
			put_i(g, "seq", s + 1);
			put_s(g, "products", fmt(g, "%s", prod));
			put_s(g, "industry_code", sg->code);
			if ((rc = row_end(g, &sg->id)) < 0)
				return rc;
		}
	}
	return 0;
}

static int emit_enterprises(gen *g)
{
	int i, rc;
	for (i = 0; i < g->nf; i++) {
		firm *f = &g->f[g->order[i]];
		if ((rc = row_begin(g, "enterprise")) < 0)
			return rc;
		put_s(g, "uscc", f->uscc);
		put_s(g, "name", f->name);
		put_s(g, "county", cf_counties[f->county]);
		put_s(g, "industry_code", f->code);
		if (f->chain >= 0) {
			put_i(g, "chain_id", g->ch[f->chain].id);
			put_i(g, "segment_id", g->ch[f->chain].segs[f->seg].id);
		}
		put_s(g, "legal_rep", f->legal_rep);
		put_i(g, "revenue", f->revenue);
		put_i(g, "output_value", f->output);
		put_i(g, "value_added", f->va);
		put_i(g, "rd_expense", f->rd_exp);
		put_i(g, "employees", f->employees);
		put_i(g, "founded", f->founded);
		put_i(g, "above_scale", f->above);
		put_i(g, "micro", f->micro);
		put_i(g, "tech_sme", f->tech_sme);
		put_i(g, "high_tech", f->high_tech);
		put_i(g, "little_giant", f->giant);
		put_s(g, "rd_centre", f->rd == 2 ? "province" : f->rd == 1 ? "city" : "none");
		put_i(g, "leading", f->leading);
		if ((rc = row_end(g, &f->id)) < 0)
			return rc;
	}
	return 0;
}

static void add_hold(gen *g, int held, int by_firm, const char *who, int64_t share)
{
	hold *h = &g->holds[g->nholds];
	h->firm = held;
	h->by_firm = by_firm;
	h->person = who;
	h->share = share;
	h->next = g->f[held].extra_sh;
	g->f[held].extra_sh = g->nholds++;
}

/* Related-party structures for the award checks (§四.4): a person holding shares in two
 * firms of one chain, one firm holding shares in another, and a holding through a third
 * firm. Each pair is also given a supply relation later. */
static int plan_related(gen *g, int groups, int *pairs)
{
	int k;
	g->holds = arena_alloc(g->a, sizeof(hold) * (size_t)(groups * 2 + 1));
	if (!g->holds)
		return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
	for (k = 0; k < groups; k++) {
		chain *h = &g->ch[k % g->nch];
		seg *up = &h->segs[0], *down = &h->segs[h->nsegs - 1];
		int a, b, tries = 0;
		if (up->nfirms == 0 || down->nfirms == 0 || h->segs[1].nfirms == 0)
			return cf_err_set(g->e, CF_EINTERNAL, h->name, "no firms for a related-party structure");
		do {
			a = up->firms[below(&g->r, (uint64_t)up->nfirms)];
			b = down->firms[below(&g->r, (uint64_t)down->nfirms)];
		} while ((g->f[a].extra_sh >= 0 || g->f[b].extra_sh >= 0) && ++tries < 100);
		if (tries >= 100)
			return cf_err_set(g->e, CF_EINTERNAL, h->name, "no firms for a related-party structure");
		pairs[2 * k] = a;
		pairs[2 * k + 1] = b;
		switch (k % 3) {
		case 0: /* the supplier's legal representative holds shares in the customer */
			add_hold(g, b, -1, g->f[a].legal_rep, 1500);
			add_hold(g, a, -1, g->f[a].legal_rep, 6000);
			break;
		case 1: /* the supplier holds 30% of the customer */
			add_hold(g, b, a, NULL, 3000);
			break;
		default: { /* the supplier holds 51% of a third firm, which holds 20% of the customer */
			seg *mid = &h->segs[1];
			int c = mid->firms[below(&g->r, (uint64_t)mid->nfirms)];
			if (c == a || c == b || g->f[c].extra_sh >= 0)
				add_hold(g, b, a, NULL, 2000);
			else {
				add_hold(g, c, a, NULL, 5100);
				add_hold(g, b, c, NULL, 2000);
			}
		}
		}
	}
	return 0;
}

static int emit_shareholders(gen *g, int64_t max_holders)
{
	int i, rc;
	for (i = 0; i < g->nf; i++) {
		firm *f = &g->f[g->order[i]];
		int64_t left = 10000;
		int h, nh, k;
		int rep_done = 0;
		for (h = f->extra_sh; h >= 0; h = g->holds[h].next) {
			hold *x = &g->holds[h];
			if ((rc = row_begin(g, "shareholder")) < 0)
				return rc;
			put_i(g, "enterprise_id", f->id);
			if (x->by_firm >= 0) {
				put_s(g, "holder_kind", "entity");
				put_s(g, "holder_name", g->f[x->by_firm].name);
				put_s(g, "holder_uscc", g->f[x->by_firm].uscc);
			} else {
				put_s(g, "holder_kind", "person");
				put_s(g, "holder_name", x->person);
				if (x->person == f->legal_rep)
					rep_done = 1;
			}
			put_i(g, "share", x->share);
			left -= x->share;
			if ((rc = row_end(g, NULL)) < 0)
				return rc;
		}
		nh = 1 + (int)below(&g->r, (uint64_t)max_holders);
		for (k = 0; k < nh && left > 0; k++) {
			int64_t sh = k == nh - 1 ? left : money_muldiv_round(left, range(&g->r, 400, 800), 1000);
			if ((rc = row_begin(g, "shareholder")) < 0)
				return rc;
			put_i(g, "enterprise_id", f->id);
			put_s(g, "holder_kind", "person");
			put_s(g, "holder_name", !rep_done ? f->legal_rep : person(g));
			rep_done = 1;
			put_i(g, "share", sh);
			left -= sh;
			if ((rc = row_end(g, NULL)) < 0)
				return rc;
		}
	}
	return 0;
}

static const char *const positionings[] = {"基础研究", "技术创新", "产业服务", "成果转化"};
static const char *const dev_stages[] = {"筹建期", "建设期", "运行期", "成熟期"};

static int chain_by_name(gen *g, const char *text)
{
	int c;
	for (c = 0; c < g->nch; c++)
		if (strstr(text, g->ch[c].name))
			return c;
	return -1;
}

static int emit_platforms(gen *g, int64_t nplat)
{
	json_t *pj = json_object_get(g->cj, "platforms"), *real = json_object_get(pj, "real");
	strs pre, field, kind;
	int i, rc;
	size_t nreal = json_array_size(real);

	if ((rc = jstrs(g, json_object_get(pj, "prefix"), &pre, "chains.json:platforms.prefix")) < 0 ||
	    (rc = jstrs(g, json_object_get(pj, "field"), &field, "chains.json:platforms.field")) < 0 ||
	    (rc = jstrs(g, json_object_get(pj, "kind"), &kind, "chains.json:platforms.kind")) < 0)
		return rc;
	if ((int64_t)nreal > nplat)
		return cf_err_set(g->e, CF_EINVAL, "chains.json:platforms.real", "more real platforms than the target");
	g->npl = (int)nplat;
	g->pl = arena_alloc(g->a, sizeof(plat) * (size_t)(nplat + 1));
	if (!g->pl)
		return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < g->npl; i++) {
		plat *p = &g->pl[i];
		if (i < (int)nreal) {
			/* The paper's own names (§一.1, §一.2, §四.2); every other attribute is synthetic. */
			json_t *r = json_array_get(real, (size_t)i);
			const char *county = json_string_value(json_array_get(r, 5));
			p->name = json_string_value(json_array_get(r, 0));
			p->co_builder = json_string_value(json_array_get(r, 1));
			p->positioning = json_string_value(json_array_get(r, 2));
			p->industries = json_string_value(json_array_get(r, 3));
			p->code = json_string_value(json_array_get(r, 4));
			p->county = county ? county_index(county) : -1;
			if (!p->name || !p->co_builder || !p->positioning || !p->industries || !p->code || p->county < 0)
				return cf_err_set(g->e, CF_EINVAL, "chains.json:platforms.real", "item %d is incomplete", i);
			p->chain = chain_by_name(g, p->industries);
		} else {
			int tries = 0, j, dup;
			const char *fld;
			do {
				fld = str_pick(g, &field);
				p->name = fmt_keep(g, "%s%s%s（合成）", str_pick(g, &pre), fld, str_pick(g, &kind));
				for (dup = 0, j = 0; j < i; j++)
					if (!strcmp(g->pl[j].name, p->name))
						dup = 1;
			} while (dup && ++tries < 1000);
			if (dup)
				return cf_err_set(g->e, CF_EINTERNAL, "platforms", "cannot make %d distinct platform names", g->npl);
			p->chain = (int)below(&g->r, (uint64_t)g->nch);
			p->co_builder = "某高校（合成）、温州市人民政府";
			p->positioning = positionings[below(&g->r, 4)];
			p->industries = fmt_keep(g, "%s（%s）", g->ch[p->chain].name, fld);
			p->code = g->ch[p->chain].segs[g->ch[p->chain].nsegs - 1].code;
			p->county = pick_w(&g->r, g->ch[p->chain].county_w, 12);
		}
		if ((rc = row_begin(g, "platform")) < 0)
			return rc;
		put_s(g, "name", p->name);
		put_s(g, "co_builder", p->co_builder);
		put_s(g, "positioning", p->positioning);
		put_s(g, "stage", dev_stages[below(&g->r, 4)]);
		put_i(g, "support", range(&g->r, 300, 15000) * WAN);
		put_s(g, "industries", p->industries);
		put_s(g, "industry_code", p->code);
		put_s(g, "county", cf_counties[p->county]);
		put_i(g, "market_based", below(&g->r, 5) == 0);
		put_i(g, "high_level", 1);
		if ((rc = row_end(g, &p->id)) < 0)
			return rc;
	}
	/* Platforms per chain, for achievements, teams and instruments. */
	{
		int c;
		for (c = 0; c < g->nch; c++) {
			g->ch[c].platforms = arena_alloc(g->a, sizeof(int) * (size_t)(g->npl + 1));
			if (!g->ch[c].platforms)
				return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
			g->ch[c].nplatforms = 0;
			for (i = 0; i < g->npl; i++)
				if (g->pl[i].chain == c || (g->pl[i].chain < 0 && (i + c) % 3 == 0))
					g->ch[c].platforms[g->ch[c].nplatforms++] = i;
			if (g->ch[c].nplatforms == 0)
				g->ch[c].platforms[g->ch[c].nplatforms++] = c % g->npl;
		}
	}
	return 0;
}

static int pct_pick(gen *g, json_t *o, const char *const *keys, int n, const char *where, int *out)
{
	int64_t w[8];
	int i, rc;
	for (i = 0; i < n; i++)
		if ((rc = jdec(g, o, keys[i], where, &w[i])) < 0)
			return rc;
	*out = pick_w(&g->r, w, n);
	return 0;
}

static const char *const broker_levels[] = {"初级", "中级", "高级"};

static int emit_brokers(gen *g, json_t *p, int64_t n)
{
	int i, rc;
	g->brokers = arena_alloc(g->a, sizeof(int64_t) * (size_t)(n + 1));
	if (!g->brokers)
		return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < n; i++) {
		int lvl, emp = (int)below(&g->r, 10);
		int64_t hours;
		if ((rc = pct_pick(g, json_object_get(p, "broker_level_pct"), broker_levels, 3,
				   "profile.json:params.broker_level_pct", &lvl)) < 0)
			return rc;
		hours = lvl == 0 ? range(&g->r, 40, 80) : lvl == 1 ? range(&g->r, 80, 160) : range(&g->r, 160, 400);
		if ((rc = row_begin(g, "broker")) < 0)
			return rc;
		put_s(g, "name", person(g));
		put_s(g, "certificate", fmt(g, "WZJJ%04d%04d", 2014 + i % 8, i + 1));
		put_s(g, "level", broker_levels[lvl]);
		put_i(g, "training_hours", hours);
		if (emp < 4) { /* works at a platform */
			plat *pl = &g->pl[below(&g->r, (uint64_t)g->npl)];
			put_s(g, "employer_name", pl->name);
			put_s(g, "county", cf_counties[pl->county]);
		} else if (emp < 7) { /* works for an enterprise: what the related-party check looks for */
			firm *f = &g->f[g->order[below(&g->r, (uint64_t)g->nf)]];
			put_s(g, "employer_uscc", f->uscc);
			put_s(g, "employer_name", f->name);
			put_s(g, "county", cf_counties[f->county]);
		} else { /* a technology-transfer agency */
			char u[USCC_LEN + 1];
			int c = pick_w(&g->r, g->county_w, 12);
			if ((rc = make_uscc(g, county_codes[c], 90000000ULL + (uint64_t)i, u)) < 0)
				return rc;
			put_s(g, "employer_uscc", fmt(g, "%s", u));
			put_s(g, "employer_name", fmt(g, "温州%s技术转移服务有限公司", brand2(g)));
			put_s(g, "county", cf_counties[c]);
		}
		{
			uint64_t s = below(&g->r, 100);
			put_s(g, "status", s < 95 ? "active" : s < 99 ? "suspended" : "revoked");
		}
		if ((rc = row_end(g, &g->brokers[i])) < 0)
			return rc;
	}
	g->nbrokers = (int)n;
	return 0;
}

/* A Chinese invention-patent application number ZL + year + 1 + 7 digits + "." + check
 * (weights 2..9,2..5 over the 12 digits, mod 11, 10 -> X). */
static const char *patent_no(gen *g)
{
	static const int w[12] = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
	char d[13];
	int i, s = 0, c;
	snprintf(d, sizeof d, "%04d1%07d", (int)range(&g->r, 2015, 2021), (int)range(&g->r, 0, 9999999));
	for (i = 0; i < 12; i++)
		s += w[i] * (d[i] - '0');
	c = s % 11;
	return fmt(g, "ZL%s.%c", d, c == 10 ? 'X' : (char)('0' + c));
}

static const char *const chain_stages[] = {"基础研究", "应用研究", "试验与发展", "试制改进"};
static const char *const deal_modes[] = {"转让", "许可", "作价入股", "合作开发"};

static int emit_achievements(gen *g, json_t *p, int64_t n)
{
	int64_t brokers_pct;
	int i, rc;
	if ((rc = jdec(g, p, "achievement_brokers_only_pct", "profile.json:params", &brokers_pct)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		int64_t cw[NCHAIN_MAX];
		int c, k, trl, np;
		chain *h;
		seg *sg;
		plat *pl;
		const char *obj, *tech, *mat, *prop, *spec, *prob, *product, *pats;
		for (k = 0; k < g->nch; k++)
			cw[k] = g->ch[k].weight;
		c = pick_w(&g->r, cw, g->nch);
		h = &g->ch[c];
		sg = &h->segs[below(&g->r, (uint64_t)h->nsegs)];
		pl = &g->pl[h->platforms[below(&g->r, (uint64_t)h->nplatforms)]];
		obj = str_pick(g, &h->objects);
		tech = str_pick(g, &h->techs);
		mat = str_pick(g, &h->materials);
		prop = str_pick(g, &h->props);
		spec = str_pick(g, &h->specs);
		prob = str_pick(g, &h->problems);
		product = sg->products[below(&g->r, (uint64_t)sg->nproducts)];
		trl = (int)range(&g->r, 2, 9);
		np = (int)range(&g->r, 0, 3);
		pats = np == 0 ? NULL : np == 1 ? patent_no(g) : fmt(g, "%s;%s", patent_no(g), patent_no(g));
		if ((rc = row_begin(g, "achievement")) < 0)
			return rc;
		put_s(g, "title", fmt(g, "%s%s%s关键技术%s", prop, obj, tech, below(&g->r, 2) ? "研究" : "及产业化"));
		put_s(g, "abstract",
		      fmt(g,
			  "针对%s在%s应用中存在的%s问题，本成果采用%s与%s工艺，研制出%s%s，关键指标达到%s。"
			  "成果已完成%s，技术成熟度TRL %d级，可用于%s等产品的升级，适合温州%s产业链%s环节企业承接。",
			  obj, product, prob, mat, tech, prop, obj, spec, trl >= 7 ? "中试验证" : trl >= 5 ? "样机研制" : "实验室验证",
			  trl, product, h->name, sg->name));
		put_s(g, "keywords", fmt(g, "%s;%s;%s;%s", obj, tech, mat, prop));
		put_i(g, "platform_id", pl->id);
		put_s(g, "owner_name", pl->name);
		put_s(g, "patents", pats);
		put_s(g, "ipc", fmt(g, "%s %d/%02d", str_pick(g, &h->ipc), (int)range(&g->r, 1, 99), (int)range(&g->r, 0, 99)));
		put_s(g, "industry_code", sg->code);
		put_s(g, "chain_stage", chain_stages[trl <= 3 ? 0 : trl <= 5 ? 1 : trl <= 7 ? 2 : 3]);
		put_i(g, "trl", trl);
		put_s(g, "deal_mode", deal_modes[below(&g->r, 4)]);
		put_i(g, "price", range(&g->r, 5, 500) * WAN);
		put_s(g, "county", cf_counties[pl->county]);
		put_s(g, "visibility", (int64_t)below(&g->r, 10000) < brokers_pct ? "brokers" : "public");
		if ((rc = row_end(g, NULL)) < 0)
			return rc;
	}
	return 0;
}

static const char *const vis_vals[] = {"public", "brokers", "confidential"};

static int emit_demands(gen *g, json_t *p, int64_t n)
{
	int i, rc;
	for (i = 0; i < n; i++) {
		int vis, k, tries = 0;
		firm *f;
		chain *h;
		seg *sg;
		const char *obj, *tech, *prop, *spec, *prob, *product, *bp = NULL;
		int64_t budget;
		do /* demands come from firms in the chains, more often from innovative ones */
			f = &g->f[g->order[below(&g->r, (uint64_t)g->nf)]];
		while ((f->chain < 0 || (!f->above && !f->tech_sme && below(&g->r, 4))) && ++tries < 1000);
		if (f->chain < 0)
			return cf_err_set(g->e, CF_EINTERNAL, "demands", "no firm in a chain");
		h = &g->ch[f->chain];
		sg = &h->segs[f->seg];
		obj = str_pick(g, &h->objects);
		tech = str_pick(g, &h->techs);
		prop = str_pick(g, &h->props);
		spec = str_pick(g, &h->specs);
		prob = str_pick(g, &h->problems);
		product = sg->products[below(&g->r, (uint64_t)sg->nproducts)];
		/* §二.1: most micro firms' four-technology contracts are below 300,000 yuan. */
		budget = f->above ? range(&g->r, 20, 300) * WAN : range(&g->r, 3, 30) * WAN;
		if (h->nkey && below(&g->r, 5) == 0) {
			k = (int)below(&g->r, (uint64_t)h->nkey);
			bp = fmt(g, "断链断供风险：%s依赖%s", h->key_input[k], !strcmp(h->key_region[k], "foreign") ? "进口" : "外地单一来源");
		}
		if ((rc = pct_pick(g, json_object_get(p, "demand_visibility_pct"), vis_vals, 3,
				   "profile.json:params.demand_visibility_pct", &vis)) < 0)
			return rc;
		if ((rc = row_begin(g, "demand")) < 0)
			return rc;
		put_i(g, "enterprise_id", f->id);
		put_s(g, "title", fmt(g, "%s%s%s技术需求", product, prop, below(&g->r, 2) ? "提升" : "攻关"));
		put_s(g, "description",
		      fmt(g,
			  "我公司主要生产%s，年产值约%lld万元。目前%s存在%s问题，希望寻求%s方面的技术合作或成果转让，"
			  "目标%s，实现%s。%s预算约%lld万元，可接受合作开发或技术许可。",
			  product, (long long)(f->output / WAN), obj, prob, tech, spec, prop,
			  bp ? "该问题涉及关键外购件，" : "", (long long)(budget / WAN)));
		put_i(g, "budget", budget);
		put_i(g, "deadline", date_from_ymd(2022, 1, 1) + (int32_t)range(&g->r, 0, 729));
		put_s(g, "industry_code", f->code);
		put_i(g, "chain_id", h->id);
		put_i(g, "segment_id", sg->id);
		put_s(g, "product", product);
		put_s(g, "break_point", bp);
		put_s(g, "visibility", vis_vals[vis]);
		if (vis == 2 && g->nbrokers > 0) {
			/* §二.3: a firm that hides a demand names the brokers it trusts. */
			int64_t ids[3];
			int nb = (int)range(&g->r, 1, 3), j, m = 0;
			char list[80] = "";
			size_t len = 0;
			for (j = 0; j < nb; j++) {
				int64_t id = g->brokers[below(&g->r, (uint64_t)g->nbrokers)];
				int dup = 0, q;
				for (q = 0; q < m; q++)
					dup |= ids[q] == id;
				if (!dup)
					ids[m++] = id;
			}
			for (j = 1; j < m; j++) /* ascending */
				for (k = j; k > 0 && ids[k - 1] > ids[k]; k--) {
					int64_t t = ids[k];
					ids[k] = ids[k - 1];
					ids[k - 1] = t;
				}
			for (j = 0; j < m; j++)
				len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld", j ? "," : "", (long long)ids[j]);
			put_s(g, "brokers", fmt(g, "%s", list));
		}
		if ((rc = row_end(g, NULL)) < 0)
			return rc;
	}
	return 0;
}

static int emit_instruments(gen *g, int64_t n)
{
	json_t *kinds = json_object_get(g->cj, "instrument_kinds");
	size_t nk = json_array_size(kinds);
	int i, rc;
	if (nk == 0)
		return cf_err_set(g->e, CF_EINVAL, "chains.json:instrument_kinds", "no instrument kinds");
	for (i = 0; i < n; i++) {
		json_t *k = json_array_get(kinds, below(&g->r, nk));
		plat *pl = &g->pl[below(&g->r, (uint64_t)g->npl)];
		const char *nm = json_string_value(json_array_get(k, 0)), *cat = json_string_value(json_array_get(k, 1)),
			   *ab = json_string_value(json_array_get(k, 2));
		if (!nm || !cat || !ab)
			return cf_err_set(g->e, CF_EINVAL, "chains.json:instrument_kinds", "bad item");
		if ((rc = row_begin(g, "instrument")) < 0)
			return rc;
		put_s(g, "name", nm);
		put_s(g, "model", fmt(g, "%s-%d%c", ab, (int)range(&g->r, 100, 9900), (char)('A' + below(&g->r, 6))));
		put_i(g, "platform_id", pl->id);
		put_s(g, "category", cat);
		put_s(g, "description", fmt(g, "%s，%s类高端仪器，面向%s等产业企业开放共享，提供检测分析与工艺验证服务。", nm, cat,
					    pl->industries));
		put_i(g, "fee_per_hour", range(&g->r, 200, 3000) * YUAN);
		put_s(g, "county", cf_counties[pl->county]);
		put_i(g, "shareable", below(&g->r, 100) < 85);
		if ((rc = row_end(g, NULL)) < 0)
			return rc;
	}
	return 0;
}

static int emit_teams(gen *g, int64_t n)
{
	int i, rc;
	for (i = 0; i < n; i++) {
		plat *pl = &g->pl[below(&g->r, (uint64_t)g->npl)];
		chain *h = &g->ch[pl->chain >= 0 ? pl->chain : i % g->nch];
		const char *leader = person(g), *t1 = str_pick(g, &h->techs), *t2 = str_pick(g, &h->techs);
		if ((rc = row_begin(g, "team")) < 0)
			return rc;
		put_s(g, "name", fmt(g, "%s%s创新团队", leader, t1));
		put_s(g, "leader", leader);
		put_i(g, "platform_id", pl->id);
		put_s(g, "field", fmt(g, "%s；%s；%s%s", t1, t2, str_pick(g, &h->props), str_pick(g, &h->objects)));
		put_s(g, "industry_code", h->segs[h->nsegs - 1].code);
		put_i(g, "members", range(&g->r, 3, 40));
		put_s(g, "county", cf_counties[pl->county]);
		if ((rc = row_end(g, NULL)) < 0)
			return rc;
	}
	return 0;
}

static const char *const foreign_a[] = {"Nord", "Alpen", "Hansa", "Rhein", "Kyo", "Tokai", "Pacifa", "Atlan"};
static const char *const foreign_b[] = {"tech", "tronic", "motion", "werk", "sys", "flow"};
static const char *const foreign_c[] = {" GmbH", " Co., Ltd.", " Inc.", " AG", " K.K."};
static const char *const domestic_city[] = {"上海", "苏州", "宁波", "深圳", "无锡", "杭州", "天津", "成都"};

static int emit_supply_row(gen *g, int64_t customer, int local_firm, const char *outside, const char *input,
			   int64_t share, const char *region, const char *grade, int64_t value)
{
	int rc;
	if ((rc = row_begin(g, "supply")) < 0)
		return rc;
	if (local_firm >= 0) {
		put_i(g, "supplier_id", g->f[local_firm].id);
		put_s(g, "supplier_name", g->f[local_firm].name);
	} else {
		put_s(g, "supplier_name", outside);
	}
	put_i(g, "customer_id", customer);
	put_s(g, "input", input);
	put_i(g, "share", share);
	put_s(g, "region", region);
	put_s(g, "grade", grade);
	put_i(g, "value", value);
	return row_end(g, NULL);
}

/* Supply relations (C3): customers in later segments take 2–3 products of earlier segments of
 * their chain, and sometimes one of the chain's key inputs, each from one to three sources.
 * A share of the inputs has a single source: the absolute risk points chain-break analysis
 * is there to find (§二.1). */
static int emit_supplies(gen *g, json_t *p, int64_t ncust, const int *pairs, int npairs)
{
	int64_t single_pct;
	int i, rc, done = 0, tries = 0;
	unsigned char *used;
	if ((rc = jdec(g, p, "single_source_pct", "profile.json:params", &single_pct)) < 0)
		return rc;
	if (!(used = calloc((size_t)g->nf, 1)))
		return cf_err_set(g->e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < npairs; i++)
		used[pairs[2 * i + 1]] = 1;
	rc = 0;
	for (i = 0; i < npairs && rc == 0; i++) {
		firm *a = &g->f[pairs[2 * i]], *b = &g->f[pairs[2 * i + 1]];
		seg *up = &g->ch[a->chain].segs[a->seg];
		rc = emit_supply_row(g, b->id, pairs[2 * i], NULL, up->products[0], 10000, "local", "standard",
				     money_muldiv_round(b->output, 80, 1000));
	}
	while (rc == 0 && done < ncust && ++tries < ncust * 100) {
		int fi = g->order[below(&g->r, (uint64_t)g->nf)];
		firm *f = &g->f[fi];
		chain *h;
		const char *taken[4];
		int nin, k, ntaken = 0;
		if (used[fi] || f->chain < 0 || f->seg == 0 || (!f->above && below(&g->r, 20)))
			continue;
		used[fi] = 1;
		h = &g->ch[f->chain];
		nin = (int)range(&g->r, 2, 3);
		for (k = 0; k < nin + 1 && rc == 0; k++) {
			const char *input, *region_key = NULL;
			int src_seg = -1, nsrc, s, q, dup = 0;
			int64_t left = 10000, value = money_muldiv_round(f->output, range(&g->r, 30, 150), 1000);
			if (k == nin) { /* a key input from outside, in half the cases */
				if (!h->nkey || below(&g->r, 2))
					break;
				int ki = (int)below(&g->r, (uint64_t)h->nkey);
				input = h->key_input[ki];
				region_key = h->key_region[ki];
			} else {
				src_seg = (int)below(&g->r, (uint64_t)f->seg);
				input = h->segs[src_seg].products[below(&g->r, (uint64_t)h->segs[src_seg].nproducts)];
			}
			for (q = 0; q < ntaken; q++) /* one row set per (customer, input) */
				dup |= !strcmp(taken[q], input);
			if (dup)
				continue;
			taken[ntaken++] = input;
			nsrc = (int64_t)below(&g->r, 10000) < single_pct ? 1 : (int)range(&g->r, 2, 3);
			for (s = 0; s < nsrc; s++) {
				int64_t share = s == nsrc - 1 ? left : money_muldiv_round(left, range(&g->r, 400, 700), 1000);
				const char *region, *grade, *name = NULL;
				int local = -1;
				if (region_key && s == 0) {
					region = region_key;
				} else if (src_seg >= 0 && g->ch[f->chain].segs[src_seg].nfirms > 0 && below(&g->r, 10) < 6) {
					region = "local";
				} else {
					region = below(&g->r, 4) ? "domestic" : "foreign";
				}
				if (!strcmp(region, "local")) {
					seg *ss = &g->ch[f->chain].segs[src_seg];
					local = ss->firms[below(&g->r, (uint64_t)ss->nfirms)];
					if (local == (int)(f - g->f))
						local = ss->firms[0];
					grade = below(&g->r, 3) ? "standard" : "low";
				} else if (!strcmp(region, "foreign")) {
					name = fmt(g, "%s%s%s", foreign_a[below(&g->r, 8)], foreign_b[below(&g->r, 6)],
						   foreign_c[below(&g->r, 5)]);
					grade = "high";
				} else {
					name = fmt(g, "%s%s%s有限公司", domestic_city[below(&g->r, 8)], brand2(g), str_pick(g, &g->fwC));
					grade = below(&g->r, 2) ? "high" : "standard";
				}
				if ((rc = emit_supply_row(g, f->id, local, name, input, share, region, grade,
							  money_muldiv_round(value, share, 10000))) < 0)
					break;
				left -= share;
			}
		}
		done++;
	}
	free(used);
	if (rc == 0 && done < ncust)
		return cf_err_set(g->e, CF_EINTERNAL, "supply_customers", "found only %d customers", done);
	return rc;
}

/* ---- driver ---- */

int demo_generate(const demo_opts *o, demo_stats *st, cf_err *e)
{
	gen g;
	json_t *p, *t;
	int64_t nplat, nbrok, nach, ndem, ninst, nteam, ncust, groups, maxh;
	int *pairs = NULL, rc, i;
	uint64_t sm;

	memset(&g, 0, sizeof g);
	g.o = o;
	g.e = e;
	sm = o->seed;
	for (i = 0; i < 4; i++)
		g.r.s[i] = splitmix(&sm);
	if (!(g.a = arena_create()))
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if ((rc = load_json(&g, o->profile_path, "demo/profile.json", &g.prof)) < 0 ||
	    (rc = load_json(&g, o->chains_path, "demo/chains.json", &g.cj)) < 0 || (rc = load_chains(&g)) < 0)
		goto fail;
	if ((rc = jstrs(&g, json_object_get(g.cj, "surnames"), &g.surnames, "chains.json:surnames")) < 0 ||
	    (rc = jstrs(&g, json_object_get(g.cj, "given"), &g.given, "chains.json:given")) < 0 ||
	    (rc = jstrs(&g, json_object_get(g.cj, "brand"), &g.brand, "chains.json:brand")) < 0 ||
	    (rc = jstrs(&g, json_object_get(json_object_get(g.cj, "firm_words"), "B"), &g.fwB, "chains.json:firm_words.B")) < 0 ||
	    (rc = jstrs(&g, json_object_get(json_object_get(g.cj, "firm_words"), "C"), &g.fwC, "chains.json:firm_words.C")) < 0 ||
	    (rc = jstrs(&g, json_object_get(json_object_get(g.cj, "firm_words"), "D"), &g.fwD, "chains.json:firm_words.D")) < 0)
		goto fail;
	p = json_object_get(g.prof, "params");
	t = json_object_get(g.prof, "targets");
	if ((rc = jint(&g, t, "platforms", "profile.json:targets", &nplat)) < 0 ||
	    (rc = jint(&g, p, "brokers", "profile.json:params", &nbrok)) < 0 ||
	    (rc = jint(&g, p, "achievements", "profile.json:params", &nach)) < 0 ||
	    (rc = jint(&g, p, "demands", "profile.json:params", &ndem)) < 0 ||
	    (rc = jint(&g, p, "instruments", "profile.json:params", &ninst)) < 0 ||
	    (rc = jint(&g, p, "teams", "profile.json:params", &nteam)) < 0 ||
	    (rc = jint(&g, p, "supply_customers", "profile.json:params", &ncust)) < 0 ||
	    (rc = jint(&g, p, "related_party_groups", "profile.json:params", &groups)) < 0 ||
	    (rc = jint(&g, p, "shareholders_max", "profile.json:params", &maxh)) < 0)
		goto fail;
	if (nplat < 1 || nbrok < 1 || maxh < 1 || groups > 1000) {
		rc = cf_err_set(e, CF_EINVAL, "profile.json:params", "platforms, brokers and shareholders_max must be positive");
		goto fail;
	}
	if ((rc = layout_firms(&g)) < 0 || (rc = name_firms(&g)) < 0)
		goto fail;
	pairs = malloc(sizeof(int) * (size_t)(2 * groups + 2));
	if (!pairs) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if ((rc = plan_related(&g, (int)groups, pairs)) < 0)
		goto fail;
	g.planned = (int64_t)json_array_size(json_object_get(g.cj, "industries")) + (int64_t)json_array_size(json_object_get(g.cj, "industry_groups")) + 50 + g.nf * 3 + nplat + nbrok + nach +
		    ndem + ninst + nteam + ncust * 6;
	if ((rc = emit_industries(&g)) < 0 || (rc = emit_chains(&g)) < 0 || (rc = emit_enterprises(&g)) < 0 ||
	    (rc = emit_shareholders(&g, maxh)) < 0 || (rc = emit_platforms(&g, nplat)) < 0 ||
	    (rc = emit_brokers(&g, p, nbrok)) < 0 || (rc = emit_achievements(&g, p, nach)) < 0 ||
	    (rc = emit_demands(&g, p, ndem)) < 0 || (rc = emit_instruments(&g, ninst)) < 0 ||
	    (rc = emit_teams(&g, nteam)) < 0 || (rc = emit_supplies(&g, p, ncust, pairs, (int)groups)) < 0)
		goto fail;
	if (o->progress)
		o->progress(o->progress_ctx, g.st.total, g.st.total);
	if (st)
		*st = g.st;
	rc = 0;
fail:
	free(pairs);
	json_decref(g.prof);
	json_decref(g.cj);
	arena_free(g.rowa);
	arena_free(g.a);
	return rc;
}

/*
 * cascade — every firm's cascade at once.
 *
 * K(w), the firms whose stop stops w, satisfies K(w) = {w} ∪ ⋃_{inputs i of w} ⋂_{sources s
 * of i} K(s): an input is lost when all its sources are lost (OR), a firm stops when one
 * input is lost (AND). Ungrounded sources never run and are left out of the intersection.
 * On an acyclic graph one pass in topological order gives K exactly; with cycles, passes in
 * derivation order (start from "everything", as the iterative dominator algorithm does)
 * descend to the greatest fixpoint, which is the grounded semantics (see chain.h). The sets
 * are sorted int32 arrays; a single-source input shares its source's set. cascade(v) =
 * {w : v ∈ K(w)} is the transpose. With one input per firm K(w) is w's dominator chain.
 */
#include <stdlib.h>
#include <string.h>

#include "chain/chain.h"

typedef struct vec {
	int32_t *p;
	int64_t n, cap;
} vec;

static int vec_reserve(vec *v, int64_t need)
{
	if (need <= v->cap)
		return 0;
	int64_t nc = v->cap ? v->cap : 1024;
	while (nc < need)
		nc *= 2;
	int32_t *np = realloc(v->p, (size_t)nc * sizeof *np);
	if (!np)
		return CF_ENOMEM;
	v->p = np;
	v->cap = nc;
	return 0;
}

/* out = a ∩ b (sorted); returns length. out may not alias b; may alias a. */
static int64_t isect(const int32_t *a, int64_t na, const int32_t *b, int64_t nb, int32_t *out)
{
	int64_t i = 0, j = 0, k = 0;
	while (i < na && j < nb) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else {
			out[k++] = a[i];
			i++, j++;
		}
	}
	return k;
}

/* out = a ∪ b (sorted, distinct); returns length. */
static int64_t unite(const int32_t *a, int64_t na, const int32_t *b, int64_t nb, int32_t *out)
{
	int64_t i = 0, j = 0, k = 0;
	while (i < na && j < nb) {
		if (a[i] < b[j])
			out[k++] = a[i++];
		else if (a[i] > b[j])
			out[k++] = b[j++];
		else
			out[k++] = a[i++], j++;
	}
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
	return k;
}

void chain_cascades_free(chain_cascades *c)
{
	if (!c)
		return;
	free(c->grounded);
	free(c->cas_off);
	free(c->cas);
	free(c->stopped_value);
	free(c->final_n);
	free(c->rank);
	memset(c, 0, sizeof *c);
}

/* Per firm: where K lives in the pool, its length (-1: not available) and a 64-bit
 * signature (one bit per member, hashed) that proves two sets disjoint without reading them. */
typedef struct kinfo {
	int64_t off;
	int64_t len;
} kinfo;

/* The signatures live apart (sig == 0: not available, since K(w) always holds w) so the
 * per-source test touches 4 bytes per firm, which stays in cache. */
#define SIG(v) (1u << (((uint32_t)(v) * 2654435769u) >> 27))

typedef struct rank_key {
	int64_t loss, size;
	int32_t v;
} rank_key;

static int rank_cmp(const void *pa, const void *pb)
{
	const rank_key *a = pa, *b = pb;
	if (a->loss != b->loss)
		return a->loss > b->loss ? -1 : 1;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return a->v < b->v ? -1 : a->v > b->v;
}

int chain_cascades_compute(const chain_graph *g, chain_cascades *out, cf_err *e)
{
	const int32_t n = g->n;
	chain_cascades c;
	int32_t *order = malloc(((size_t)n + 1) * sizeof *order);
	int32_t *indeg = NULL, *topo = NULL;
	kinfo *ki = malloc(((size_t)n + 1) * sizeof *ki);
	uint32_t *ksig = calloc((size_t)n + 1, sizeof *ksig);
	vec pool = {0}, acc = {0}, tmp = {0}, sl = {0}, sl2 = {0};
	int64_t grounded_n, total = 0;
	int acyclic;

	memset(&c, 0, sizeof c);
	c.n = n;
	c.grounded = calloc((size_t)n + 1, 1);
	c.cas_off = calloc((size_t)n + 2, sizeof *c.cas_off);
	c.stopped_value = calloc((size_t)n + 1, sizeof *c.stopped_value);
	c.final_n = calloc((size_t)n + 1, sizeof *c.final_n);
	c.rank = malloc(((size_t)n + 1) * sizeof *c.rank);
	if (!order || !ki || !ksig || !c.grounded || !c.cas_off || !c.stopped_value || !c.final_n || !c.rank)
		goto nomem;
	for (int32_t v = 0; v < n; v++)
		ki[v].len = 0;
	/* Kahn over all firms (in-degree = recorded source edges). On an acyclic graph this
	 * order serves alone: a firm is grounded when each input has a grounded source, all
	 * of which come before it. With a cycle, fall back to the simulation's derivation order. */
	indeg = malloc(((size_t)n + 1) * sizeof *indeg);
	topo = malloc(((size_t)n + 1) * sizeof *topo);
	if (!indeg || !topo)
		goto nomem;
	{
		int64_t head = 0, tail = 0;
		for (int32_t w = 0; w < n; w++) {
			indeg[w] = g->src_off[g->slot_off[w + 1]] - g->src_off[g->slot_off[w]];
			if (!indeg[w])
				topo[tail++] = w;
		}
		while (head < tail) {
			int32_t v = topo[head++];
			for (int64_t j = g->out_off[v]; j < g->out_off[v + 1]; j++) {
				int32_t w = g->out_firm[j];
				if (--indeg[w] == 0)
					topo[tail++] = w;
			}
		}
		acyclic = tail == n;
		grounded_n = n;
		if (!acyclic && (grounded_n = chain_simulate(g, NULL, NULL, c.grounded, order)) < 0)
			goto nomem;
	}
	{
		const int32_t *seq = acyclic ? topo : order;
		int changed = 1;
		while (changed) {
			changed = 0;
			c.passes++;
			for (int64_t q = 0; q < grounded_n; q++) {
				int32_t w = seq[q];
				int ungrounded = 0;
				acc.n = 0;
				for (int32_t s = g->slot_off[w]; s < g->slot_off[w + 1]; s++) {
					const int32_t *cur = NULL;
					int64_t cn = -1; /* -1: still "everything" */
					uint32_t sig = 0;
					for (int32_t j = g->src_off[s]; j < g->src_off[s + 1]; j++) {
						int32_t u = g->src[j];
						uint32_t su = ksig[u];
						if (!su) /* ungrounded, or not yet reached in pass 1 */
							continue;
						if (cn < 0) {
							cur = pool.p + ki[u].off;
							cn = ki[u].len;
							sig = su;
							continue;
						}
						if (!(sig & su)) { /* signatures prove the sets disjoint */
							cn = 0;
							break;
						}
						sig &= su;
						if (vec_reserve(&sl, cn) < 0)
							goto nomem;
						cn = isect(cur, cn, pool.p + ki[u].off, ki[u].len, sl.p);
						cur = sl.p;
						{ /* keep cur in sl; swap buffers so the next isect may alias */
							vec t = sl;
							sl = sl2;
							sl2 = t;
						}
						if (cn == 0)
							break;
					}
					if (cn < 0) { /* no grounded source: w never runs (acyclic order only) */
						ungrounded = 1;
						break;
					}
					if (cn == 0)
						continue;
					if (vec_reserve(&tmp, acc.n + cn) < 0)
						goto nomem;
					tmp.n = unite(acc.p, acc.n, cur, cn, tmp.p);
					{
						vec t = acc;
						acc = tmp;
						tmp = t;
					}
				}
				if (ungrounded)
					continue;
				c.grounded[w] = 1;
				/* add w itself */
				{
					int32_t self = w;
					if (vec_reserve(&tmp, acc.n + 1) < 0)
						goto nomem;
					tmp.n = unite(acc.p, acc.n, &self, 1, tmp.p);
				}
				if (ksig[w] && ki[w].len == tmp.n && !memcmp(pool.p + ki[w].off, tmp.p, (size_t)tmp.n * sizeof *tmp.p))
					continue;
				changed = 1; /* pass 1 always counts: it started from "everything" */
				if (vec_reserve(&pool, pool.n + tmp.n) < 0)
					goto nomem;
				memcpy(pool.p + pool.n, tmp.p, (size_t)tmp.n * sizeof *tmp.p);
				ki[w].off = pool.n;
				ki[w].len = tmp.n;
				ksig[w] = 0;
				for (int64_t i = 0; i < tmp.n; i++)
					ksig[w] |= SIG(tmp.p[i]);
				pool.n += tmp.n;
			}
			if (acyclic)
				break;
		}
	}
	/* transpose: cascade(v) = {w : v ∈ K(w)} */
	for (int32_t w = 0; w < n; w++)
		if (c.grounded[w])
			for (int64_t i = 0; i < ki[w].len; i++)
				c.cas_off[pool.p[ki[w].off + i] + 1]++;
	for (int32_t v = 0; v < n; v++)
		c.cas_off[v + 1] += c.cas_off[v];
	total = c.cas_off[n];
	if (!(c.cas = malloc(((size_t)total + 1) * sizeof *c.cas)))
		goto nomem;
	{
		int64_t *fill = malloc(((size_t)n + 1) * sizeof *fill);
		if (!fill)
			goto nomem;
		memcpy(fill, c.cas_off, (size_t)n * sizeof *fill);
		for (int32_t w = 0; w < n; w++) {
			int final = g->out_off[w] == g->out_off[w + 1];
			if (!c.grounded[w])
				continue;
			for (int64_t i = 0; i < ki[w].len; i++) {
				int32_t v = pool.p[ki[w].off + i];
				c.cas[fill[v]++] = w;
				c.stopped_value[v] += g->value[w];
				c.final_n[v] += final;
			}
		}
		free(fill);
	}
	{
		/* Only firms with a downstream loss or a cascade beyond themselves need sorting;
		 * the rest follow in (size desc, index) order without comparisons. */
		rank_key *rk = malloc(((size_t)n + 1) * sizeof *rk);
		int32_t k = 0, r = 0;
		if (!rk)
			goto nomem;
		for (int32_t v = 0; v < n; v++) {
			int64_t loss = c.stopped_value[v] - (c.grounded[v] ? g->value[v] : 0), size = c.cas_off[v + 1] - c.cas_off[v];
			if (loss > 0 || size > 1)
				rk[k++] = (rank_key){loss, size, v};
		}
		qsort(rk, (size_t)k, sizeof *rk, rank_cmp);
		for (; r < k; r++)
			c.rank[r] = rk[r].v;
		for (int want = 1; want >= 0; want--)
			for (int32_t v = 0; v < n; v++)
				if (c.cas_off[v + 1] - c.cas_off[v] == want &&
				    c.stopped_value[v] - (c.grounded[v] ? g->value[v] : 0) <= 0)
					c.rank[r++] = v;
		free(rk);
	}
	free(order);
	free(indeg);
	free(topo);
	free(ki);
	free(ksig);
	free(pool.p);
	free(acc.p);
	free(tmp.p);
	free(sl.p);
	free(sl2.p);
	*out = c;
	return 0;
nomem:
	free(order);
	free(indeg);
	free(topo);
	free(ki);
	free(ksig);
	free(pool.p);
	free(acc.p);
	free(tmp.p);
	free(sl.p);
	free(sl2.p);
	chain_cascades_free(&c);
	return cf_err_set(e, CF_ENOMEM, NULL, "out of memory computing cascades");
}

int chain_cascade_naive(const chain_graph *g, int32_t v, int32_t **set, int64_t *len)
{
	uint8_t *base = malloc((size_t)g->n + 1), *after = malloc((size_t)g->n + 1), *stop = calloc((size_t)g->n + 1, 1);
	int32_t *s = NULL;
	int64_t k = 0;
	int rc = CF_ENOMEM;

	if (!base || !after || !stop || !(s = malloc(((size_t)g->n + 1) * sizeof *s)))
		goto out;
	if (chain_simulate(g, NULL, NULL, base, NULL) < 0)
		goto out;
	stop[v] = 1;
	if (chain_simulate(g, stop, NULL, after, NULL) < 0)
		goto out;
	for (int32_t w = 0; w < g->n; w++)
		if (base[w] && !after[w])
			s[k++] = w;
	*set = s;
	*len = k;
	s = NULL;
	rc = 0;
out:
	free(base);
	free(after);
	free(stop);
	free(s);
	return rc;
}

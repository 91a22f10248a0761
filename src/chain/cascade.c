/*
 * cascade — every firm's cascade at once.
 *
 * K(w), the firms whose stop stops w, satisfies K(w) = {w} ∪ ⋃_{inputs i of w} ⋂_{sources s
 * of i} K(s): an input is lost when all its sources are lost (OR), a firm stops when one
 * input is lost (AND). Ungrounded sources never run and are left out of the intersection.
 * On an acyclic graph one pass in topological order gives K exactly; with cycles, passes in
 * derivation order (start from "everything", as the iterative dominator algorithm does)
 * descend to the greatest fixpoint, which is the grounded semantics (see chain.h). The sets
 * are sorted int32 arrays packed one after another in a pool. cascade(v) = {w : v ∈ K(w)} is
 * the transpose. With one input per firm K(w) is w's dominator chain.
 *
 * Speed (bench/chain): the topological order is the numbering itself when one sequential
 * check proves it, otherwise Kahn's queue, each K computed as its firm is popped; each K is
 * merged straight into the pool; 32-bit signatures settle most intersections without
 * reading the sets; the ranking is a stable radix sort (no comparison callback).
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

/* Ranking key: loss and size descending, then index ascending. Stored complemented so an
 * ascending, stable LSD radix sort over (size, then loss) of records already in index order
 * yields the ranking. */
typedef struct rank_key {
	uint64_t loss; /* ~loss */
	uint32_t size; /* ~size */
	int32_t v;
} rank_key;

/* Stable LSD radix sort of k keys by (loss, size) ascending, 8 bits a pass; digits on which
 * all keys agree are skipped. tmp holds k keys. Returns where the sorted keys lie (rk or tmp). */
static rank_key *rank_sort(rank_key *rk, rank_key *tmp, int32_t k)
{
	static const int nd = 12; /* 4 size digits, then 8 loss digits */
	uint32_t (*cnt)[256] = calloc((size_t)nd, sizeof *cnt);
	rank_key *a = rk, *b = tmp;
	if (!cnt)
		return NULL;
	for (int32_t i = 0; i < k; i++) {
		for (int d = 0; d < 4; d++)
			cnt[d][(rk[i].size >> (8 * d)) & 255]++;
		for (int d = 0; d < 8; d++)
			cnt[4 + d][(rk[i].loss >> (8 * d)) & 255]++;
	}
	for (int d = 0; d < nd; d++) {
		uint32_t sum = 0;
		int skip = 0;
		for (int x = 0; x < 256; x++)
			if (cnt[d][x] == (uint32_t)k)
				skip = 1;
		if (skip || k == 0)
			continue;
		for (int x = 0; x < 256; x++) {
			uint32_t t = cnt[d][x];
			cnt[d][x] = sum;
			sum += t;
		}
		for (int32_t i = 0; i < k; i++) {
			unsigned x = d < 4 ? (a[i].size >> (8 * d)) & 255 : (unsigned)((a[i].loss >> (8 * (d - 4))) & 255);
			b[cnt[d][x]++] = a[i];
		}
		rank_key *t = a;
		a = b;
		b = t;
	}
	free(cnt);
	return a;
}

/* The working state of one computation of every K. */
typedef struct kstate {
	kinfo *ki;
	uint32_t *ksig;
	uint8_t *grounded;
	vec pool, acc, tmp, sl, sl2;
} kstate;

/* Recomputes K(w) from its sources' current sets. Returns 1 when K(w) was set or changed,
 * 0 when unchanged, 2 when w has an input without a grounded source, or CF_ENOMEM. */
static inline int k_step(const chain_graph *g, kstate *st, int32_t w)
{
	kinfo *ki = st->ki;
	uint32_t *ksig = st->ksig;
	int32_t *kw;
	int64_t i = 0, len = 0;
	uint32_t wsig = SIG(w);

	st->acc.n = 0;
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
				cur = st->pool.p + ki[u].off;
				cn = ki[u].len;
				sig = su;
				continue;
			}
			if (!(sig & su)) { /* signatures prove the sets disjoint */
				cn = 0;
				break;
			}
			sig &= su;
			if (vec_reserve(&st->sl, cn) < 0)
				return CF_ENOMEM;
			cn = isect(cur, cn, st->pool.p + ki[u].off, ki[u].len, st->sl.p);
			cur = st->sl.p;
			{ /* keep cur in sl; swap buffers so the next isect may alias */
				vec t = st->sl;
				st->sl = st->sl2;
				st->sl2 = t;
			}
			if (cn == 0)
				break;
		}
		if (cn < 0) /* no grounded source: w never runs */
			return 2;
		if (cn == 0)
			continue;
		if (vec_reserve(&st->tmp, st->acc.n + cn) < 0)
			return CF_ENOMEM;
		st->tmp.n = unite(st->acc.p, st->acc.n, cur, cn, st->tmp.p);
		{
			vec t = st->acc;
			st->acc = st->tmp;
			st->tmp = t;
		}
	}
	st->grounded[w] = 1;
	/* K(w) = acc ∪ {w}, merged straight onto the end of the pool */
	if (vec_reserve(&st->pool, st->pool.n + st->acc.n + 1) < 0)
		return CF_ENOMEM;
	kw = st->pool.p + st->pool.n;
	for (; i < st->acc.n && st->acc.p[i] < w; i++)
		kw[len++] = st->acc.p[i];
	kw[len++] = w;
	for (; i < st->acc.n; i++)
		if (st->acc.p[i] != w)
			kw[len++] = st->acc.p[i];
	if (ksig[w] && ki[w].len == len && !memcmp(st->pool.p + ki[w].off, kw, (size_t)len * sizeof *kw))
		return 0;
	for (i = 0; i < len; i++)
		wsig |= SIG(kw[i]);
	ki[w].off = st->pool.n;
	ki[w].len = len;
	ksig[w] = wsig;
	st->pool.n += len;
	return 1;
}

int chain_cascades_compute(const chain_graph *g, chain_cascades *out, cf_err *e)
{
	const int32_t n = g->n;
	chain_cascades c;
	int32_t *order = malloc(((size_t)n + 1) * sizeof *order);
	int32_t *indeg = NULL;
	kstate st = {0};
	kinfo *ki;
	vec pool;
	int64_t total = 0;
	int rc;

	memset(&c, 0, sizeof c);
	c.n = n;
	st.ki = ki = malloc(((size_t)n + 1) * sizeof *ki);
	st.ksig = calloc((size_t)n + 1, sizeof *st.ksig);
	st.grounded = c.grounded = calloc((size_t)n + 1, 1);
	c.cas_off = calloc((size_t)n + 2, sizeof *c.cas_off);
	c.stopped_value = calloc((size_t)n + 1, sizeof *c.stopped_value);
	c.final_n = calloc((size_t)n + 1, sizeof *c.final_n);
	c.rank = malloc(((size_t)n + 1) * sizeof *c.rank);
	if (!order || !ki || !st.ksig || !c.grounded || !c.cas_off || !c.stopped_value || !c.final_n || !c.rank)
		goto nomem;
	c.passes = 1;
	{
		/* Acyclic graphs take one pass in topological order, each firm's K computed as
		 * soon as its last source's is (Kahn's algorithm, in-degree = recorded source
		 * edges). When the numbering itself is topological (records often list suppliers
		 * first; one sequential pass over the sources proves it) no queue is needed. */
		int32_t inorder = 1;
		int64_t head = 0, tail = 0;
		for (int32_t w = 0; w < n && inorder; w++)
			for (int32_t j = g->src_off[g->slot_off[w]]; j < g->src_off[g->slot_off[w + 1]]; j++)
				inorder &= g->src[j] < w;
		if (inorder) {
			for (int32_t w = 0; w < n; w++)
				if ((rc = k_step(g, &st, w)) < 0)
					goto nomem;
			tail = n;
		} else {
			if (!(indeg = malloc(((size_t)n + 1) * sizeof *indeg)))
				goto nomem;
			for (int32_t w = 0; w < n; w++) {
				indeg[w] = g->src_off[g->slot_off[w + 1]] - g->src_off[g->slot_off[w]];
				if (!indeg[w])
					order[tail++] = w;
			}
			while (head < tail) {
				int32_t v = order[head++];
				if ((rc = k_step(g, &st, v)) < 0)
					goto nomem;
				for (int64_t j = g->out_off[v]; j < g->out_off[v + 1]; j++) {
					int32_t w = g->out_firm[j];
					if (--indeg[w] == 0)
						order[tail++] = w;
				}
			}
		}
		if (tail < n) {
			/* A cycle: start again in the simulation's derivation order, from
			 * "everything" (as the iterative dominator algorithm does), and repeat the
			 * passes until nothing changes (the greatest fixpoint). */
			int64_t grounded_n;
			memset(st.ksig, 0, (size_t)n * sizeof *st.ksig);
			for (int32_t v = 0; v < n; v++)
				ki[v].len = 0;
			st.pool.n = 0;
			if ((grounded_n = chain_simulate(g, NULL, NULL, c.grounded, order)) < 0)
				goto nomem;
			for (int changed = 1; changed; ) {
				changed = 0;
				for (int64_t q = 0; q < grounded_n; q++) {
					if ((rc = k_step(g, &st, order[q])) < 0)
						goto nomem;
					changed |= rc == 1;
				}
				c.passes += changed; /* the pass after the last change confirms it */
			}
		}
	}
	pool = st.pool;
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
		rank_key *rk = malloc(((size_t)n + 1) * sizeof *rk), *tmpk = NULL, *sorted = NULL;
		int32_t k = 0, r = 0, n0 = 0;
		if (!rk)
			goto nomem;
		for (int32_t v = 0; v < n; v++) {
			int64_t loss = c.stopped_value[v] - (c.grounded[v] ? g->value[v] : 0), size = c.cas_off[v + 1] - c.cas_off[v];
			if (loss > 0 || size > 1)
				rk[k++] = (rank_key){~(uint64_t)loss, ~(uint32_t)size, v};
			else if (size == 0) /* parked at the end of rk (k + n0 <= n), in index order */
				rk[n - 1 - n0++].v = v;
		}
		if (!(tmpk = malloc(((size_t)k + 1) * sizeof *tmpk)) || !(sorted = rank_sort(rk, tmpk, k))) {
			free(rk);
			free(tmpk);
			goto nomem;
		}
		for (; r < k; r++)
			c.rank[r] = sorted[r].v;
		for (int32_t v = 0; v < n; v++) /* size 1, no loss */
			if (c.cas_off[v + 1] - c.cas_off[v] == 1 && c.stopped_value[v] - (c.grounded[v] ? g->value[v] : 0) <= 0)
				c.rank[r++] = v;
		for (int32_t i = 0; i < n0; i++)
			c.rank[r++] = rk[n - 1 - i].v;
		free(rk);
		free(tmpk);
	}
	free(order);
	free(indeg);
	free(ki);
	free(st.ksig);
	free(st.pool.p);
	free(st.acc.p);
	free(st.tmp.p);
	free(st.sl.p);
	free(st.sl2.p);
	*out = c;
	return 0;
nomem:
	free(order);
	free(indeg);
	free(ki);
	free(st.ksig);
	free(st.pool.p);
	free(st.acc.p);
	free(st.tmp.p);
	free(st.sl.p);
	free(st.sl2.p);
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

/*
 * graph — building the CSR supply graph from supply records, and the grounded simulation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "chain/chain.h"

/* Open-addressing string interner (ids → dense indices). */
typedef struct intern {
	char **key;
	int32_t *idx;
	size_t cap;
	int32_t n;
	char **names; /* n names in index order */
	size_t names_cap;
} intern;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int intern_grow(intern *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 1024;
	char **nk = calloc(ncap, sizeof *nk);
	int32_t *ni = calloc(ncap, sizeof *ni);
	if (!nk || !ni) {
		free(nk);
		free(ni);
		return CF_ENOMEM;
	}
	for (size_t i = 0; i < t->cap; i++)
		if (t->key[i]) {
			size_t j = hash_str(t->key[i]) & (ncap - 1);
			while (nk[j])
				j = (j + 1) & (ncap - 1);
			nk[j] = t->key[i];
			ni[j] = t->idx[i];
		}
	free(t->key);
	free(t->idx);
	t->key = nk;
	t->idx = ni;
	t->cap = ncap;
	return 0;
}

/* Index of s, adding a copy (in a) when new; negative CF code on failure. */
static int32_t intern_get(intern *t, arena *a, const char *s)
{
	size_t j;
	if ((size_t)(t->n + 1) * 2 > t->cap && intern_grow(t) < 0)
		return CF_ENOMEM;
	j = hash_str(s) & (t->cap - 1);
	while (t->key[j]) {
		if (!strcmp(t->key[j], s))
			return t->idx[j];
		j = (j + 1) & (t->cap - 1);
	}
	if ((size_t)t->n == t->names_cap) {
		size_t nc = t->names_cap ? t->names_cap * 2 : 1024;
		char **nn = realloc(t->names, nc * sizeof *nn);
		if (!nn)
			return CF_ENOMEM;
		t->names = nn;
		t->names_cap = nc;
	}
	if (!(t->key[j] = arena_strdup(a, s)))
		return CF_ENOMEM;
	t->idx[j] = t->n;
	t->names[t->n] = t->key[j];
	return t->n++;
}

static void intern_free(intern *t)
{
	free(t->key);
	free(t->idx);
	free(t->names);
}

typedef struct rec {
	int32_t sup, cus, inp;
	int8_t grade, region;
	int64_t value;
} rec;

static int rec_cmp(const void *pa, const void *pb)
{
	const rec *a = pa, *b = pb;
	if (a->cus != b->cus)
		return a->cus < b->cus ? -1 : 1;
	if (a->inp != b->inp)
		return a->inp < b->inp ? -1 : 1;
	if (a->sup != b->sup)
		return a->sup < b->sup ? -1 : 1;
	return 0;
}

void chain_graph_free(chain_graph *g)
{
	if (!g)
		return;
	arena_free(g->mem);
	free(g);
}

int32_t chain_find(const chain_graph *g, const char *id)
{
	for (int32_t i = 0; i < g->n; i++)
		if (!strcmp(g->id[i], id))
			return i;
	return -1;
}

#define ALLOC(p, cnt) (((p) = arena_alloc(a, (size_t)(cnt) * sizeof *(p) + 1)) == NULL)

int chain_graph_build(const chain_edge *edges, size_t m, chain_graph **out, cf_err *e)
{
	intern firms = {0}, inputs = {0};
	arena *a = arena_create();
	chain_graph *g = calloc(1, sizeof *g);
	rec *r = malloc((m ? m : 1) * sizeof *r);
	size_t k = 0;
	int rc = CF_ENOMEM;
	char where[64];

	if (!a || !g || !r)
		goto nomem;
	for (size_t i = 0; i < m; i++) {
		const chain_edge *x = &edges[i];
		int32_t s, c, in;
		if (!x->supplier || !x->customer || !*x->supplier || !*x->customer) {
			snprintf(where, sizeof where, "$[%zu]", i);
			rc = cf_err_set(e, CF_EINVAL, where, "supplier and customer are required");
			goto fail;
		}
		if (!strcmp(x->supplier, x->customer)) {
			snprintf(where, sizeof where, "$[%zu]", i);
			rc = cf_err_set(e, CF_EINVAL, where, "firm %s supplies itself", x->supplier);
			goto fail;
		}
		if (x->grade < CHAIN_LOW || x->grade > CHAIN_HIGH || x->region < CHAIN_LOCAL || x->region > CHAIN_FOREIGN ||
		    x->value < 0) {
			snprintf(where, sizeof where, "$[%zu]", i);
			rc = cf_err_set(e, CF_EINVAL, where, "grade, region or value out of range");
			goto fail;
		}
		if ((s = intern_get(&firms, a, x->supplier)) < 0 || (c = intern_get(&firms, a, x->customer)) < 0 ||
		    (in = intern_get(&inputs, a, x->input ? x->input : "")) < 0)
			goto nomem;
		r[k++] = (rec){s, c, in, (int8_t)x->grade, (int8_t)x->region, x->value};
	}
	qsort(r, k, sizeof *r, rec_cmp);
	/* merge duplicates */
	{
		size_t w = 0;
		for (size_t i = 0; i < k; i++) {
			if (w && r[w - 1].cus == r[i].cus && r[w - 1].inp == r[i].inp && r[w - 1].sup == r[i].sup) {
				r[w - 1].value += r[i].value;
				if (r[i].grade > r[w - 1].grade)
					r[w - 1].grade = r[i].grade;
				continue;
			}
			r[w++] = r[i];
		}
		k = w;
	}
	g->n = firms.n;
	g->n_inputs = inputs.n;
	g->n_edges = (int64_t)k;
	g->mem = a;
	if (ALLOC(g->id, g->n) || ALLOC(g->input_name, g->n_inputs) || ALLOC(g->slot_off, g->n + 1) ||
	    ALLOC(g->src, k) || ALLOC(g->src_grade, k) || ALLOC(g->src_region, k) || ALLOC(g->src_value, k) ||
	    ALLOC(g->out_off, g->n + 1) || ALLOC(g->out_edge, k) || ALLOC(g->edge_slot, k) || ALLOC(g->out_slot, k) || ALLOC(g->out_firm, k) || ALLOC(g->value, g->n))
		goto nomem;
	if (g->n) /* an empty graph has no name arrays (memcpy from NULL is undefined even for 0 bytes) */
		memcpy(g->id, firms.names, (size_t)g->n * sizeof *g->id);
	if (g->n_inputs)
		memcpy(g->input_name, inputs.names, (size_t)g->n_inputs * sizeof *g->input_name);
	/* count slots */
	{
		int32_t ns = 0;
		for (size_t i = 0; i < k; i++)
			if (!i || r[i].cus != r[i - 1].cus || r[i].inp != r[i - 1].inp)
				ns++;
		g->n_slots = ns;
		if (ALLOC(g->slot_firm, ns) || ALLOC(g->slot_input, ns) || ALLOC(g->src_off, ns + 1))
			goto nomem;
	}
	{
		int32_t s = -1;
		int64_t *in_value = calloc((size_t)g->n + 1, sizeof *in_value);
		if (!in_value)
			goto nomem;
		for (size_t i = 0; i < k; i++) {
			if (!i || r[i].cus != r[i - 1].cus || r[i].inp != r[i - 1].inp) {
				s++;
				g->slot_firm[s] = r[i].cus;
				g->slot_input[s] = r[i].inp;
				g->src_off[s] = (int32_t)i;
				g->slot_off[r[i].cus + 1]++;
			}
			g->src[i] = r[i].sup;
			g->src_grade[i] = r[i].grade;
			g->src_region[i] = r[i].region;
			g->src_value[i] = r[i].value;
			g->edge_slot[i] = s;
			g->out_off[r[i].sup + 1]++;
			g->value[r[i].sup] += r[i].value;
			in_value[r[i].cus] += r[i].value;
		}
		g->src_off[g->n_slots] = (int32_t)k;
		for (int32_t v = 0; v < g->n; v++) {
			g->slot_off[v + 1] += g->slot_off[v];
			g->out_off[v + 1] += g->out_off[v];
			if (g->out_off[v + 1] == g->out_off[v])
				g->value[v] = in_value[v];
		}
		free(in_value);
	}
	{
		int64_t *fill = malloc(((size_t)g->n + 1) * sizeof *fill);
		if (!fill)
			goto nomem;
		memcpy(fill, g->out_off, (size_t)g->n * sizeof *fill);
		for (size_t i = 0; i < k; i++) {
			int64_t at = fill[g->src[i]]++;
			g->out_edge[at] = (int64_t)i;
			g->out_slot[at] = g->edge_slot[i];
			g->out_firm[at] = g->slot_firm[g->edge_slot[i]];
		}
		free(fill);
	}
	if (k > INT32_MAX)
		goto nomem;
	free(r);
	intern_free(&firms);
	intern_free(&inputs);
	*out = g;
	return 0;
nomem:
	rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory building the supply graph");
fail:
	free(r);
	intern_free(&firms);
	intern_free(&inputs);
	if (g)
		g->mem = NULL;
	free(g);
	arena_free(a);
	return rc;
}

int64_t chain_simulate(const chain_graph *g, const uint8_t *stop_node, const uint8_t *stop_edge, uint8_t *alive,
		       int32_t *order)
{
	int32_t *have = calloc((size_t)g->n_slots + 1, sizeof *have); /* running sources per slot */
	int32_t *ok = calloc((size_t)g->n + 1, sizeof *ok);           /* satisfied slots per firm */
	int32_t *queue = order ? order : malloc(((size_t)g->n + 1) * sizeof *queue);
	int64_t head = 0, tail = 0;

	if (!have || !ok || !queue) {
		free(have);
		free(ok);
		if (!order)
			free(queue);
		return CF_ENOMEM;
	}
	memset(alive, 0, (size_t)g->n);
	for (int32_t v = 0; v < g->n; v++)
		if (g->slot_off[v] == g->slot_off[v + 1] && !(stop_node && stop_node[v])) {
			alive[v] = 1;
			queue[tail++] = v;
		}
	while (head < tail) {
		int32_t v = queue[head++];
		for (int64_t j = g->out_off[v]; j < g->out_off[v + 1]; j++) {
			int32_t s = g->out_slot[j], w;
			if (stop_edge && stop_edge[g->out_edge[j]])
				continue;
			if (have[s]++ != 0)
				continue;
			w = g->slot_firm[s];
			if (++ok[w] == g->slot_off[w + 1] - g->slot_off[w] && !alive[w] && !(stop_node && stop_node[w])) {
				alive[w] = 1;
				queue[tail++] = w;
			}
		}
	}
	free(have);
	free(ok);
	if (!order)
		free(queue);
	return tail;
}

/*
 * related — ownership graph and the related-party check; see related.h.
 *
 * Nodes are interned in an open-addressing hash table; edges are kept in one array and
 * indexed both ways (compressed rows by source and by target). A check runs one upstream
 * breadth-first search per party over holdings at or above the minimum share, up to the
 * policy's depth, so every path it reports is a shortest one.
 */
#include "policy/related.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rp_edge {
	int from, to, rel;
	int32_t share_bp;
} rp_edge;

struct rp_graph {
	char **keys;
	size_t nnodes, capnodes;
	int *slots; /* hash table of node indexes, -1 empty */
	size_t nslots;
	rp_edge *edges;
	size_t nedges, capedges;
	/* index: edges by source and by target, as offsets into the arrays below */
	int indexed;
	size_t *out_off, *in_off;
	int *out_e, *in_e;
};

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

rp_graph *rp_graph_create(void)
{
	rp_graph *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->nslots = 64;
	g->slots = malloc(g->nslots * sizeof *g->slots);
	if (!g->slots) {
		free(g);
		return NULL;
	}
	memset(g->slots, -1, g->nslots * sizeof *g->slots);
	return g;
}

static void drop_index(rp_graph *g)
{
	free(g->out_off);
	free(g->in_off);
	free(g->out_e);
	free(g->in_e);
	g->out_off = g->in_off = NULL;
	g->out_e = g->in_e = NULL;
	g->indexed = 0;
}

void rp_graph_free(rp_graph *g)
{
	size_t i;
	if (!g)
		return;
	for (i = 0; i < g->nnodes; i++)
		free(g->keys[i]);
	free(g->keys);
	free(g->slots);
	free(g->edges);
	drop_index(g);
	free(g);
}

/* The node index of key, or -1. */
static int find(const rp_graph *g, const char *key)
{
	size_t m = g->nslots - 1, i = fnv(key) & m;
	while (g->slots[i] >= 0) {
		if (!strcmp(g->keys[g->slots[i]], key))
			return g->slots[i];
		i = (i + 1) & m;
	}
	return -1;
}

static int grow_slots(rp_graph *g)
{
	size_t n = g->nslots * 2, i;
	int *s = malloc(n * sizeof *s);
	if (!s)
		return CF_ENOMEM;
	memset(s, -1, n * sizeof *s);
	for (i = 0; i < g->nnodes; i++) {
		size_t j = fnv(g->keys[i]) & (n - 1);
		while (s[j] >= 0)
			j = (j + 1) & (n - 1);
		s[j] = (int)i;
	}
	free(g->slots);
	g->slots = s;
	g->nslots = n;
	return 0;
}

/* The node index of key, adding it when new; -1 when out of memory. */
static int intern(rp_graph *g, const char *key)
{
	int k = find(g, key);
	size_t i;
	if (k >= 0)
		return k;
	if ((g->nnodes + 1) * 2 > g->nslots && grow_slots(g) != 0)
		return -1;
	if (g->nnodes == g->capnodes) {
		size_t c = g->capnodes ? g->capnodes * 2 : 64;
		char **nk = realloc(g->keys, c * sizeof *nk);
		if (!nk)
			return -1;
		g->keys = nk;
		g->capnodes = c;
	}
	if (!(g->keys[g->nnodes] = strdup(key)))
		return -1;
	i = fnv(key) & (g->nslots - 1);
	while (g->slots[i] >= 0)
		i = (i + 1) & (g->nslots - 1);
	g->slots[i] = (int)g->nnodes;
	return (int)g->nnodes++;
}

static int add_edge(rp_graph *g, const char *from, const char *to, int rel, int32_t share, cf_err *e)
{
	int a, b;
	if (!from || !to || !*from || !*to)
		return cf_err_set(e, CF_EINVAL, NULL, "an ownership edge needs two non-empty keys");
	if (!strcmp(from, to))
		return cf_err_set(e, CF_EINVAL, from, "\"%s\" cannot hold, represent or employ itself", from);
	if (g->nedges == g->capedges) {
		size_t c = g->capedges ? g->capedges * 2 : 64;
		rp_edge *ne = realloc(g->edges, c * sizeof *ne);
		if (!ne)
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		g->edges = ne;
		g->capedges = c;
	}
	if ((a = intern(g, from)) < 0 || (b = intern(g, to)) < 0)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	g->edges[g->nedges].from = a;
	g->edges[g->nedges].to = b;
	g->edges[g->nedges].rel = rel;
	g->edges[g->nedges].share_bp = share;
	g->nedges++;
	if (g->indexed)
		drop_index(g);
	return 0;
}

int rp_add_holding(rp_graph *g, const char *holder, const char *company, int32_t share_bp, cf_err *e)
{
	if (share_bp < 1 || share_bp > 10000)
		return cf_err_set(e, CF_EINVAL, holder, "a share must be 1..10000 basis points");
	return add_edge(g, holder, company, RP_HOLDS, share_bp, e);
}

int rp_add_legal_rep(rp_graph *g, const char *person, const char *company, cf_err *e)
{
	return add_edge(g, person, company, RP_REPRESENTS, 0, e);
}

int rp_add_employment(rp_graph *g, const char *broker, const char *employer, cf_err *e)
{
	return add_edge(g, broker, employer, RP_EMPLOYS, 0, e);
}

/* Compressed rows of edge indexes grouped by source (by_to = 0) or target (by_to = 1). */
static int build_rows(const rp_graph *g, int by_to, size_t **off_out, int **e_out)
{
	size_t *off = calloc(g->nnodes + 1, sizeof *off), *fill = NULL, i;
	int *ev = malloc((g->nedges ? g->nedges : 1) * sizeof *ev);
	if (!off || !ev || !(fill = calloc(g->nnodes + 1, sizeof *fill))) {
		free(off);
		free(ev);
		return CF_ENOMEM;
	}
	for (i = 0; i < g->nedges; i++)
		off[(by_to ? g->edges[i].to : g->edges[i].from) + 1]++;
	for (i = 0; i < g->nnodes; i++)
		off[i + 1] += off[i];
	for (i = 0; i < g->nedges; i++) {
		int n = by_to ? g->edges[i].to : g->edges[i].from;
		ev[off[n] + fill[n]++] = (int)i;
	}
	free(fill);
	*off_out = off;
	*e_out = ev;
	return 0;
}

int rp_graph_index(rp_graph *g, cf_err *e)
{
	if (g->indexed)
		return 0;
	if (build_rows(g, 0, &g->out_off, &g->out_e) != 0 || build_rows(g, 1, &g->in_off, &g->in_e) != 0) {
		drop_index(g);
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	}
	g->indexed = 1;
	return 0;
}

/* Result of an upstream search from one party: dist[n] = links from n down to the party
 * (-1 unreached), via[n] = the edge n → (next node towards the party). */
typedef struct upstream {
	int *dist, *via;
} upstream;

static int search_up(const rp_graph *g, int root, const policy *p, upstream *u)
{
	int *queue;
	size_t head = 0, tail = 0, i;
	u->dist = malloc((g->nnodes ? g->nnodes : 1) * sizeof(int));
	u->via = malloc((g->nnodes ? g->nnodes : 1) * sizeof(int));
	queue = malloc((g->nnodes ? g->nnodes : 1) * sizeof(int));
	if (!u->dist || !u->via || !queue) {
		free(queue);
		return CF_ENOMEM;
	}
	for (i = 0; i < g->nnodes; i++)
		u->dist[i] = u->via[i] = -1;
	if (root < 0) {
		free(queue);
		return 0;
	}
	u->dist[root] = 0;
	queue[tail++] = root;
	while (head < tail) {
		int n = queue[head++];
		size_t k;
		if (u->dist[n] >= p->rp_max_depth)
			continue;
		for (k = g->in_off[n]; k < g->in_off[n + 1]; k++) {
			const rp_edge *ed = &g->edges[g->in_e[k]];
			if (ed->rel != RP_HOLDS || ed->share_bp < p->rp_min_share_bp || u->dist[ed->from] >= 0)
				continue;
			u->dist[ed->from] = u->dist[n] + 1;
			u->via[ed->from] = g->in_e[k];
			queue[tail++] = ed->from;
		}
	}
	free(queue);
	return 0;
}

static void step_of(const rp_graph *g, int edge, rp_step *s)
{
	const rp_edge *ed = &g->edges[edge];
	s->from = g->keys[ed->from];
	s->to = g->keys[ed->to];
	s->rel = ed->rel;
	s->share_bp = ed->share_bp;
}

/* Appends the path from node n down to u's root to f. */
static void append_path(const rp_graph *g, const upstream *u, int n, rp_flag *f)
{
	while (u->via[n] >= 0 && f->nsteps < RP_MAX_STEPS) {
		step_of(g, u->via[n], &f->steps[f->nsteps++]);
		n = g->edges[u->via[n]].to;
	}
}

/* 1 when a node strictly between n and u's root is reached from both parties. */
static int path_has_common(const rp_graph *g, const upstream *u, int n, const upstream *a, const upstream *b)
{
	n = g->edges[u->via[n]].to;
	while (u->via[n] >= 0) {
		if (a->dist[n] >= 0 && b->dist[n] >= 0)
			return 1;
		n = g->edges[u->via[n]].to;
	}
	return 0;
}

typedef struct flags {
	rp_flag *v;
	size_t n, cap;
} flags;

static rp_flag *push(flags *fl, int kind, const char *who)
{
	rp_flag *f;
	if (fl->n == fl->cap) {
		size_t c = fl->cap ? fl->cap * 2 : 8;
		rp_flag *nv = realloc(fl->v, c * sizeof *nv);
		if (!nv)
			return NULL;
		fl->v = nv;
		fl->cap = c;
	}
	f = &fl->v[fl->n++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->who = who;
	return f;
}

int rp_check(rp_graph *g, const policy *p, const char *buyer, const char *seller, const char *const *brokers,
	     size_t nbrokers, rp_flag **out, size_t *nout, cf_err *e)
{
	upstream ub = {NULL, NULL}, us = {NULL, NULL};
	flags fl = {NULL, 0, 0};
	int b, s, rc = 0;
	size_t i, k, j;
	rp_flag *f;

	if ((rc = rp_graph_index(g, e)) != 0)
		return rc;
	b = find(g, buyer);
	s = find(g, seller);
	if (search_up(g, b, p, &ub) != 0 || search_up(g, s, p, &us) != 0)
		goto nomem;

	/* one party holds the other */
	if (b >= 0 && s >= 0 && us.dist[b] > 0) {
		if (!(f = push(&fl, RP_BUYER_HOLDS_SELLER, g->keys[b])))
			goto nomem;
		append_path(g, &us, b, f);
	}
	if (b >= 0 && s >= 0 && ub.dist[s] > 0) {
		if (!(f = push(&fl, RP_SELLER_HOLDS_BUYER, g->keys[s])))
			goto nomem;
		append_path(g, &ub, s, f);
	}
	/* common holders: the nearest ones only (no other common holder on either path) */
	for (i = 0; b >= 0 && s >= 0 && i < g->nnodes; i++) {
		int n = (int)i;
		if (n == b || n == s || ub.dist[n] <= 0 || us.dist[n] <= 0)
			continue;
		if (path_has_common(g, &ub, n, &ub, &us) || path_has_common(g, &us, n, &ub, &us))
			continue;
		if (!(f = push(&fl, RP_COMMON_HOLDER, g->keys[n])))
			goto nomem;
		append_path(g, &ub, n, f);
		append_path(g, &us, n, f);
	}
	/* common legal representative */
	for (k = b >= 0 && s >= 0 ? g->in_off[b] : 0; b >= 0 && s >= 0 && k < g->in_off[b + 1]; k++) {
		const rp_edge *eb = &g->edges[g->in_e[k]];
		if (eb->rel != RP_REPRESENTS)
			continue;
		for (j = g->out_off[eb->from]; j < g->out_off[eb->from + 1]; j++) {
			const rp_edge *es = &g->edges[g->out_e[j]];
			if (es->rel != RP_REPRESENTS || es->to != s)
				continue;
			if (!(f = push(&fl, RP_COMMON_LEGAL_REP, g->keys[eb->from])))
				goto nomem;
			step_of(g, g->in_e[k], &f->steps[f->nsteps++]);
			step_of(g, g->out_e[j], &f->steps[f->nsteps++]);
		}
	}
	/* brokers: holds (first link from broker_min_share_bp on, then a chain), represents, works for */
	for (i = 0; i < nbrokers; i++) {
		int r = find(g, brokers[i]);
		if (r < 0)
			continue;
		for (j = 0; j < 2; j++) {
			int party = j ? s : b;
			const upstream *u = j ? &us : &ub;
			int best = -1;
			if (party < 0)
				continue;
			for (k = g->out_off[r]; k < g->out_off[r + 1]; k++) {
				const rp_edge *ed = &g->edges[g->out_e[k]];
				if (ed->to != party || ed->rel == RP_HOLDS)
					continue;
				if (!(f = push(&fl, ed->rel == RP_REPRESENTS ? RP_BROKER_REPRESENTS : RP_BROKER_EMPLOYED,
					       g->keys[r])))
					goto nomem;
				step_of(g, g->out_e[k], &f->steps[f->nsteps++]);
			}
			/* the shortest holding chain from the broker into the party */
			for (k = g->out_off[r]; k < g->out_off[r + 1]; k++) {
				const rp_edge *ed = &g->edges[g->out_e[k]];
				if (ed->rel != RP_HOLDS || ed->share_bp < p->rp_broker_min_share_bp || u->dist[ed->to] < 0 ||
				    u->dist[ed->to] + 1 > p->rp_max_depth)
					continue;
				if (best < 0 || u->dist[ed->to] < u->dist[g->edges[best].to])
					best = g->out_e[k];
			}
			if (best >= 0) {
				if (!(f = push(&fl, RP_BROKER_HOLDS, g->keys[r])))
					goto nomem;
				step_of(g, best, &f->steps[f->nsteps++]);
				append_path(g, u, g->edges[best].to, f);
			}
		}
	}
	free(ub.dist);
	free(ub.via);
	free(us.dist);
	free(us.via);
	*out = fl.v;
	*nout = fl.n;
	return 0;
nomem:
	free(ub.dist);
	free(ub.via);
	free(us.dist);
	free(us.via);
	free(fl.v);
	return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
}

const char *rp_kind_name(int kind)
{
	static const char *const names[] = {"common_holder",	"common_legal_rep", "buyer_holds_seller",
					    "seller_holds_buyer", "broker_holds",     "broker_represents",
					    "broker_employed"};
	return kind >= 0 && kind < (int)(sizeof names / sizeof names[0]) ? names[kind] : "unknown";
}

char *rp_flag_path(const rp_flag *f, char *out, size_t size)
{
	size_t i, w = 0;
	out[0] = '\0';
	for (i = 0; i < f->nsteps && w < size; i++) {
		const rp_step *st = &f->steps[i];
		int n;
		/* a new segment starts when this step does not continue from the previous one */
		int cont = i > 0 && !strcmp(f->steps[i - 1].to, st->from);
		if (st->rel == RP_HOLDS)
			n = snprintf(out + w, size - w, "%s%s -holds %d.%02d%%-> %s", i ? (cont ? "" : "; ") : "",
				     cont ? "" : st->from, st->share_bp / 100, st->share_bp % 100, st->to);
		else
			n = snprintf(out + w, size - w, "%s%s -%s-> %s", i ? (cont ? "" : "; ") : "", cont ? "" : st->from,
				     st->rel == RP_REPRESENTS ? "legal representative of" : "works for", st->to);
		if (n < 0)
			break;
		w += (size_t)n;
	}
	return out;
}

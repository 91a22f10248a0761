/*
 * chain — the firm-level supply graph and what breaks when a firm or a source stops.
 *
 * A firm needs every one of its inputs (AND) and gets each input from any of its recorded
 * sources (OR). The graph is compact (CSR): firms → input slots → source edges, plus the
 * reverse (supplier → slots it feeds). Production is grounded: a firm runs when each of its
 * inputs has a running source, starting from firms with no recorded inputs (least fixpoint),
 * so cycles without an outside source do not run. The cascade of v is the set of running
 * firms that stop when v stops. For graphs where every firm has one input this is exactly
 * the set v dominates (super-root → firms without inputs).
 *
 * Pure C over in-memory structs: no SQL, no HTTP.
 */
#ifndef CF_CHAIN_CHAIN_H
#define CF_CHAIN_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum chain_region { CHAIN_LOCAL = 0, CHAIN_DOMESTIC = 1, CHAIN_FOREIGN = 2 };
enum chain_grade { CHAIN_LOW = 0, CHAIN_STANDARD = 1, CHAIN_HIGH = 2 };

/* One supply record as given to the builder (strings are copied). */
typedef struct chain_edge {
	const char *supplier;
	const char *customer;
	const char *input; /* what is supplied; "" = the customer's one generic input */
	int grade;         /* enum chain_grade */
	int region;        /* enum chain_region (of the supplier, as seen by the customer) */
	int64_t value;     /* fen per year */
} chain_edge;

typedef struct chain_graph {
	int32_t n;         /* firms (suppliers and customers) */
	char **id;         /* n external ids */
	int32_t n_inputs;  /* distinct input names */
	char **input_name; /* n_inputs names */
	/* firm w's input slots: [slot_off[w], slot_off[w+1]) */
	int32_t *slot_off;
	int32_t n_slots;
	int32_t *slot_firm;  /* n_slots: owning firm */
	int32_t *slot_input; /* n_slots: index into input_name */
	/* slot s's source edges: [src_off[s], src_off[s+1]) */
	int32_t *src_off;
	int64_t n_edges;
	int32_t *src;        /* n_edges: supplier firm */
	int8_t *src_grade;   /* n_edges */
	int8_t *src_region;  /* n_edges */
	int64_t *src_value;  /* n_edges */
	/* supplier v feeds edges out_edge[out_off[v] .. out_off[v+1]) (indices into src) */
	int64_t *out_off;
	int64_t *out_edge;
	int32_t *edge_slot;  /* n_edges: slot of each edge */
	int32_t *out_slot;   /* n_edges, parallel to out_edge: the slot fed (for locality) */
	int32_t *out_firm;   /* n_edges, parallel to out_edge: the customer */
	int64_t *value;      /* n: firm output value (sales recorded; purchases when it has no customer) */
	void *mem;           /* private: arena */
} chain_graph;

/* Builds the graph from m records. Duplicate (supplier, customer, input) records are merged
 * (values added, best grade kept); a record whose supplier is its customer is refused.
 * Returns 0 and *out (free with chain_graph_free), CF_EINVAL (e: "$[i]") or CF_ENOMEM. */
int chain_graph_build(const chain_edge *edges, size_t m, chain_graph **out, cf_err *e);
void chain_graph_free(chain_graph *g);
/* Index of the firm with this id, or -1. O(n) — for CLI lookups, not loops. */
int32_t chain_find(const chain_graph *g, const char *id);

/* Which firms run. stop_node (n, may be NULL): firms forced to stop; stop_edge (n_edges, may
 * be NULL): source edges cut. Fills alive (n) with 0/1. O(n + edges). order (may be NULL,
 * n entries) receives the running firms in the order they became able to run; returns how
 * many run, or CF_ENOMEM. */
int64_t chain_simulate(const chain_graph *g, const uint8_t *stop_node, const uint8_t *stop_edge, uint8_t *alive,
		       int32_t *order);

typedef struct chain_cascades {
	int32_t n;
	uint8_t *grounded;  /* n: runs when nothing is stopped */
	int64_t *cas_off;   /* n+1: cascade of v = cas[cas_off[v] .. cas_off[v+1]) (ascending; holds v itself) */
	int32_t *cas;
	int64_t *stopped_value; /* n: Σ value over the cascade (v included) */
	int32_t *final_n;       /* n: firms of the cascade with no customer (final products) */
	int32_t *rank;          /* n: firms by downstream loss (stopped_value − own value) desc, then size, then index */
	int passes;             /* fixpoint passes (1 on acyclic graphs) */
} chain_cascades;

/* Every firm's cascade, exactly, without one simulation per firm: per firm the set K(w) of
 * firms whose stop stops w is computed in topological order (K(w) = {w} ∪ ⋃_inputs
 * ⋂_sources K(s); on cycles, iterated to the greatest fixpoint from derivation order) and
 * then transposed. Cost is proportional to Σ|K| times the fan-in. Returns 0 and *out (free
 * with chain_cascades_free) or CF_ENOMEM. */
int chain_cascades_compute(const chain_graph *g, chain_cascades *out, cf_err *e);
void chain_cascades_free(chain_cascades *c);

/* The reference: cascade of v by one simulation (firms running before and not after).
 * Fills *set (malloc'd, ascending; caller frees) and *len. Returns 0 or CF_ENOMEM. */
int chain_cascade_naive(const chain_graph *g, int32_t v, int32_t **set, int64_t *len);

/* Substitutability of each (customer, input) slot. */
enum chain_subst {
	CHAIN_SUBST_ABSOLUTE = 0,  /* 绝对风险点: one source only, no alternative */
	CHAIN_SUBST_DOWNGRADE = 1, /* 降准替代: alternatives, but only of lower grade */
	CHAIN_SUBST_EQUAL = 2      /* 同准替代: an alternative of at least the main source's grade */
};
typedef struct chain_slot_risk {
	uint8_t cls;          /* enum chain_subst, judged against the main (largest-value) source */
	uint8_t domestic_cls; /* the same judged only over local/domestic alternatives (foreign cut) */
	uint8_t foreign_main; /* the main source is foreign */
	int32_t main_src;     /* supplier firm of the main source */
} chain_slot_risk;
/* Fills risk (n_slots entries). No allocation. */
void chain_substitutability(const chain_graph *g, chain_slot_risk *risk);
/* Short English and Chinese names of a class. Static storage. */
const char *chain_subst_name(int cls);
const char *chain_subst_name_zh(int cls);

/* Parses a standalone supply CSV (header supplier,customer,input,grade,region,value in any
 * order; grade high|standard|low or 高|标准|低, region local|domestic|foreign or
 * 本地|国内|国外; value in yuan, parsed with money_parse) and builds the graph. Returns 0,
 * CF_EIO, CF_EINVAL (e: FILE:ROW:COL) or CF_ENOMEM. */
int chain_load_csv(const char *path, chain_graph **out, cf_err *e);

#endif

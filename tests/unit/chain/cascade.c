/* Tests of src/chain: graph building, grounded simulation, all-node cascades against the
 * naive simulation (hand-made and random multi-input graphs, with cycles), substitutability. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/chain.h"

static chain_graph *build(const chain_edge *ed, size_t m)
{
	chain_graph *g = NULL;
	cf_err e;
	cr_assert_eq(chain_graph_build(ed, m, &g, &e), 0, "%s", e.msg);
	return g;
}

static void cascade_ids(const chain_graph *g, const chain_cascades *c, const char *id, char *out, size_t size)
{
	int32_t v = chain_find(g, id);
	size_t at = 0;
	out[0] = '\0';
	cr_assert(v >= 0);
	for (int64_t i = c->cas_off[v]; i < c->cas_off[v + 1]; i++)
		at += (size_t)snprintf(out + at, size - at, "%s%s", at ? " " : "", g->id[c->cas[i]]);
}

Test(chain_cascade, and_across_inputs_or_across_sources)
{
	/* A needs steel (R1 or R2) and chip (R3 only); B needs A's casing and R4's motor. */
	chain_edge ed[] = {
		{"R1", "A", "steel", CHAIN_HIGH, CHAIN_LOCAL, 10000},   {"R2", "A", "steel", CHAIN_STANDARD, CHAIN_DOMESTIC, 5000},
		{"R3", "A", "chip", CHAIN_HIGH, CHAIN_FOREIGN, 20000},  {"A", "B", "casing", CHAIN_STANDARD, CHAIN_LOCAL, 40000},
		{"R4", "B", "motor", CHAIN_HIGH, CHAIN_LOCAL, 10000},   {"B", "C", "pump", CHAIN_STANDARD, CHAIN_LOCAL, 90000},
		{"R3", "D", "chip", CHAIN_HIGH, CHAIN_FOREIGN, 3000},   {"R5", "D", "chip", CHAIN_HIGH, CHAIN_DOMESTIC, 1000},
	};
	chain_graph *g = build(ed, sizeof ed / sizeof *ed);
	chain_cascades c;
	chain_slot_risk risk[16];
	char buf[256];
	cf_err e;

	cr_assert_eq(g->n, 9);
	cr_assert_eq(g->n_slots, 6);
	cr_assert_eq(chain_cascades_compute(g, &c, &e), 0);
	cascade_ids(g, &c, "R3", buf, sizeof buf);
	/* members in firm-index order: R1 A R2 R3 B R4 C D R5 */
	cr_assert_str_eq(buf, "A R3 B C");
	cascade_ids(g, &c, "R1", buf, sizeof buf);
	cr_assert_str_eq(buf, "R1");
	cascade_ids(g, &c, "A", buf, sizeof buf);
	cr_assert_str_eq(buf, "A B C");
	cascade_ids(g, &c, "R5", buf, sizeof buf);
	cr_assert_str_eq(buf, "R5");
	/* stopped value of R3: own sales 230 + A 400 + B 900 + C (no customer: purchases 900) */
	cr_assert_eq(c.stopped_value[chain_find(g, "R3")], 23000 + 40000 + 90000 + 90000);
	cr_assert_eq(c.final_n[chain_find(g, "R3")], 1);
	cr_assert_eq(c.rank[0], chain_find(g, "R3"));
	chain_substitutability(g, risk);
	for (int32_t s = 0; s < g->n_slots; s++) {
		const char *cu = g->id[g->slot_firm[s]], *in = g->input_name[g->slot_input[s]];
		if (!strcmp(cu, "A") && !strcmp(in, "steel")) /* main R1 high; R2 standard only */
			cr_assert_eq(risk[s].cls, CHAIN_SUBST_DOWNGRADE);
		else if (!strcmp(cu, "D")) { /* main R3 foreign high; R5 domestic high */
			cr_assert_eq(risk[s].cls, CHAIN_SUBST_EQUAL);
			cr_assert_eq(risk[s].domestic_cls, CHAIN_SUBST_EQUAL);
			cr_assert(risk[s].foreign_main);
		} else
			cr_assert_eq(risk[s].cls, CHAIN_SUBST_ABSOLUTE, "%s %s", cu, in);
	}
	chain_cascades_free(&c);
	chain_graph_free(g);
}

Test(chain_cascade, refuses_self_supply)
{
	chain_edge ed[] = {{"A", "B", "x", 1, 1, 1}, {"B", "B", "x", 1, 1, 1}};
	chain_graph *g = NULL;
	cf_err e;
	cr_assert_eq(chain_graph_build(ed, 2, &g, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "$[1]");
	cr_assert_null(g);
}

static uint64_t rng_state = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* 300 random multi-input graphs (a third with cycles): every firm's cascade equals the naive one. */
Test(chain_cascade, random_graphs_match_naive)
{
	static char names[40][16], inputs[3][4] = {"a", "b", "c"};
	chain_edge ed[400];
	for (int i = 0; i < 40; i++)
		snprintf(names[i], sizeof names[i], "F%d", i);
	for (int round = 0; round < 300; round++) {
		int n = 4 + (int)rnd(30), m = 0, cyclic = round % 3 == 0;
		chain_graph *g;
		chain_cascades c;
		cf_err e;
		for (int w = 0; w < n; w++) {
			if (rnd(4) == 0)
				continue;
			int ni = 1 + (int)rnd(3);
			for (int k = 0; k < ni; k++)
				for (int t = 1 + (int)rnd(3); t > 0 && m < 400; t--) {
					int s = (int)rnd((uint32_t)n);
					if (s == w || (!cyclic && s > w))
						continue;
					ed[m++] = (chain_edge){names[s], names[w], inputs[k], (int)rnd(3), (int)rnd(3), 1 + rnd(100)};
				}
		}
		if (!m)
			continue;
		g = build(ed, (size_t)m);
		cr_assert_eq(chain_cascades_compute(g, &c, &e), 0);
		for (int32_t v = 0; v < g->n; v++) {
			int32_t *set;
			int64_t len;
			cr_assert_eq(chain_cascade_naive(g, v, &set, &len), 0);
			cr_assert_eq(len, c.cas_off[v + 1] - c.cas_off[v], "round %d firm %s", round, g->id[v]);
			cr_assert_eq(memcmp(set, c.cas + c.cas_off[v], (size_t)len * sizeof *set), 0, "round %d firm %s", round,
				     g->id[v]);
			free(set);
		}
		chain_cascades_free(&c);
		chain_graph_free(g);
	}
}

Test(chain_cascade, scenario_cut_edges)
{
	chain_edge ed[] = {{"X", "A", "chip", 2, CHAIN_FOREIGN, 1}, {"Y", "A", "chip", 1, CHAIN_DOMESTIC, 1},
			   {"A", "B", "part", 1, CHAIN_LOCAL, 1}};
	chain_graph *g = build(ed, 3);
	uint8_t cut[3] = {0}, alive[8];
	for (int64_t i = 0; i < g->n_edges; i++)
		cut[i] = g->src_region[i] == CHAIN_FOREIGN;
	cr_assert_eq(chain_simulate(g, NULL, cut, alive, NULL), 4);
	cr_assert(alive[chain_find(g, "B")]);
	for (int64_t i = 0; i < g->n_edges; i++)
		cut[i] = 1;
	cr_assert_eq(chain_simulate(g, NULL, cut, alive, NULL), 2); /* X and Y still run; A, B stop */
	cr_assert(!alive[chain_find(g, "A")] && !alive[chain_find(g, "B")]);
	chain_graph_free(g);
}

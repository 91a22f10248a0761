/*
 * subst — substitutability of each (customer, input): is there another source as good as
 * the main one (同准), only a lower-grade one (降准), or none (绝对风险点)?
 */
#include "chain/chain.h"

const char *chain_subst_name(int cls)
{
	switch (cls) {
	case CHAIN_SUBST_ABSOLUTE:
		return "absolute";
	case CHAIN_SUBST_DOWNGRADE:
		return "downgrade";
	case CHAIN_SUBST_EQUAL:
		return "equal";
	}
	return "?";
}

const char *chain_subst_name_zh(int cls)
{
	switch (cls) {
	case CHAIN_SUBST_ABSOLUTE:
		return "绝对风险点";
	case CHAIN_SUBST_DOWNGRADE:
		return "降准替代";
	case CHAIN_SUBST_EQUAL:
		return "同准替代";
	}
	return "?";
}

void chain_substitutability(const chain_graph *g, chain_slot_risk *risk)
{
	for (int32_t s = 0; s < g->n_slots; s++) {
		int32_t a = g->src_off[s], b = g->src_off[s + 1], main = a;
		int best_alt = -1, best_dom = -1;
		/* main source: largest value, then best grade, then local before foreign */
		for (int32_t j = a + 1; j < b; j++)
			if (g->src_value[j] > g->src_value[main] ||
			    (g->src_value[j] == g->src_value[main] &&
			     (g->src_grade[j] > g->src_grade[main] ||
			      (g->src_grade[j] == g->src_grade[main] && g->src_region[j] < g->src_region[main]))))
				main = j;
		for (int32_t j = a; j < b; j++) {
			if (j == main)
				continue;
			if (g->src_grade[j] > best_alt)
				best_alt = g->src_grade[j];
			if (g->src_region[j] != CHAIN_FOREIGN && g->src_grade[j] > best_dom)
				best_dom = g->src_grade[j];
		}
		risk[s].main_src = g->src[main];
		risk[s].foreign_main = g->src_region[main] == CHAIN_FOREIGN;
		risk[s].cls = best_alt < 0 ? CHAIN_SUBST_ABSOLUTE
			      : best_alt >= g->src_grade[main] ? CHAIN_SUBST_EQUAL
							       : CHAIN_SUBST_DOWNGRADE;
		risk[s].domestic_cls = best_dom < 0 ? CHAIN_SUBST_ABSOLUTE
				       : best_dom >= g->src_grade[main] ? CHAIN_SUBST_EQUAL
									: CHAIN_SUBST_DOWNGRADE;
	}
}

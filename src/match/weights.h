/*
 * weights — the fusion weights of the matchmaking engine, read from data/match/weights.json.
 *
 * The engine holds no ranking constants: BM25's k1 and b, the weight of text against each
 * structured signal and the levels inside a signal all come from this file, so the bureau
 * can re-weight matching by editing data.
 */
#ifndef CF_MATCH_WEIGHTS_H
#define CF_MATCH_WEIGHTS_H

#include "base/err.h"

enum match_signal {
	MS_INDUSTRY = 0, /* GB/T 4754 code proximity: same 小类 > 中类 > 大类 > 门类 */
	MS_SEGMENT,      /* same industry-chain segment */
	MS_TRL_FIT,      /* technology readiness against the firm's size */
	MS_BUDGET,       /* budget against asking price */
	MS_LOCALITY,     /* same county > same city > same province */
	MS_CONTRACTS,    /* past contracts between the two parties' fields */
	MS_COUNT
};

#define MATCH_FB_ROUNDS 2

/* One round of pseudo-relevance feedback (see match/feedback.h). */
typedef struct match_fb_round {
	int docs;           /* best documents of the current query read (0: no such round) */
	double score_power; /* a document weighs its score to this power */
	double lambda;      /* 0..1: round 1, the feedback model's share of the expanded query;
			     * later rounds, the new model's share of the feedback part */
} match_fb_round;

typedef struct match_weights {
	char version[32];
	double k1, b, k3;       /* BM25; k3 saturates repeated query terms */
	int rerank_pool;        /* text candidates re-ranked with signals */
	int max_query_terms;    /* a longer query keeps its best terms by weight * idf; 0: all */
	int taat_min_terms;     /* from this many query terms on, term-at-a-time; 0: never */
	double text;            /* weight of the BM25 score */
	double signal[MS_COUNT];
	double industry_level[4]; /* class, group, division, section */
	double locality_level[3]; /* county, city, province */
	int trl_required[5];      /* index by firm size 1..4 (micro, small, medium, large) */
	double trl_ramp;
	double contracts_half;
	int fb_terms;        /* pseudo-relevance feedback: terms kept in a feedback model */
	double fb_idf_power; /* a feedback term's value is tf / length * idf to this power */
	int fb_min_df;       /* feedback terms must occur in at least this many documents */
	match_fb_round fb_round[MATCH_FB_ROUNDS]; /* rounds in order; docs 0 ends them */
	int fb_max_query_terms; /* feedback only for queries of at most this many distinct terms */
} match_weights;

/* The signal's name as used in explanations and the weights file ("industry", ...). */
const char *match_signal_name(int s);

/* Reads weights from a JSON file (see data/match/weights.json). CF_EIO when unreadable,
 * CF_EINVAL with a JSON path in e->where for a missing or out-of-range value. w is
 * untouched on failure. */
int match_weights_load(const char *path, match_weights *w, cf_err *e);
/* Reads the shipped data/match/weights.json (path_data). */
int match_weights_load_default(match_weights *w, cf_err *e);

#endif

/*
 * feedback — the pseudo-relevance feedback model of the matchmaking engine (RM3-style).
 *
 * A short query (a title, a few keywords) says little; the best documents of a first pass
 * say more. match_fb_model reads those documents, weighted by their first-pass score, into
 * a distribution over terms (tf / length * idf, summed over the documents by their weight),
 * and keeps its strongest terms; match_fb_interpolate mixes that distribution with the
 * original query, (1 - lambda) * original + lambda * feedback, at the original query's
 * total weight, so the expanded query's scores stay on the scale of the original's.
 *
 * Pure computation over term ids: index.c gathers the documents' terms and their document
 * frequencies. Every parameter comes from data/match/weights.json ("feedback").
 */
#ifndef CF_MATCH_FEEDBACK_H
#define CF_MATCH_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "match/weights.h"

/* A term and its weight in a query or a feedback model. */
typedef struct match_fb_term {
	uint32_t tid;
	double weight;
} match_fb_term;

/* One feedback document: its first-pass score and its term ids, one per occurrence, sorted
 * ascending (so equal ids are adjacent: their count is the term's tf; n is the length). */
typedef struct match_fb_doc {
	double score;
	const uint32_t *tids;
	size_t n;
} match_fb_doc;

/* The number of documents holding term tid (the collection statistic idf is computed from). */
typedef uint32_t (*match_fb_df_fn)(void *ctx, uint32_t tid);

/* The feedback model of docs over a collection of ndocs_total documents: each document
 * weighs score^score_power / the sum over docs (documents with a score <= 0 weigh
 * nothing); a term's value is the sum over the documents of weight * tf / n * idf, with
 * idf^w->fb_idf_power, idf = ln(1 + (N - df + 0.5) / (df + 0.5)) as in BM25. Terms held by fewer than
 * w->fb_min_df documents are left out (a term of the feedback document alone brings
 * nothing else in). The w->fb_terms best (value descending, then tid ascending) are kept
 * and normalised to sum 1. *out (malloc'd, the caller frees it) is NULL and *nout 0 when no
 * term qualifies. CF_ENOMEM: *out and *nout untouched. */
int match_fb_model(const match_weights *w, double score_power, const match_fb_doc *docs, size_t ndocs, match_fb_df_fn df, void *ctx,
		   double ndocs_total, match_fb_term **out, size_t *nout, cf_err *e);

/* The expanded query: with S the sum of the original weights q[], term t weighs
 * (1 - lambda) * q(t) + lambda * S * fb(t) (fb summing to 1), so the total stays S. The
 * original terms come first in their order, then the feedback terms not among them in
 * fb's order; terms whose weight comes out 0 (all of q's when lambda is 1) are left out.
 * lambda in [0, 1]. *out (malloc'd, the caller frees it) has *nout terms.
 * CF_ENOMEM: *out and *nout untouched. */
int match_fb_interpolate(const match_fb_term *q, size_t nq, const match_fb_term *fb, size_t nfb, double lambda,
			 match_fb_term **out, size_t *nout, cf_err *e);

/* A later feedback round: the feedback part of cur (made from the original query q by a
 * first round of share lambda1) moves toward the new model fb by lambda:
 *   (1 - lambda) * cur + lambda * ((1 - lambda1) * q + lambda1 * S * fb),
 * S the sum of q's weights (cur sums to S as well), so the original query keeps its share
 * 1 - lambda1 however many rounds follow. Terms in cur's order, then new ones in fb's.
 * *out (malloc'd, the caller frees it) has *nout terms. CF_ENOMEM: outputs untouched. */
int match_fb_refine(const match_fb_term *q, size_t nq, const match_fb_term *cur, size_t ncur,
		    const match_fb_term *fb, size_t nfb, double lambda1, double lambda, match_fb_term **out,
		    size_t *nout, cf_err *e);

#endif

/* feedback — RM3-style pseudo-relevance feedback model and query interpolation; see
 * feedback.h. */
#include "match/feedback.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_tid(const void *a, const void *b)
{
	uint32_t x = ((const match_fb_term *)a)->tid, y = ((const match_fb_term *)b)->tid;
	return x < y ? -1 : x > y;
}

static int cmp_weight_desc(const void *a, const void *b)
{
	double x = ((const match_fb_term *)a)->weight, y = ((const match_fb_term *)b)->weight;
	if (x != y)
		return x > y ? -1 : 1;
	return cmp_tid(a, b);
}

int match_fb_model(const match_weights *w, double score_power, const match_fb_doc *docs, size_t ndocs, match_fb_df_fn df, void *ctx,
		   double ndocs_total, match_fb_term **out, size_t *nout, cf_err *e)
{
	match_fb_term *t = NULL;
	size_t nt = 0, cap = 0, i, j, u;
	double wsum = 0, total = 0;

	for (i = 0; i < ndocs; i++)
		if (docs[i].score > 0 && docs[i].n)
			wsum += pow(docs[i].score, score_power);
	for (i = 0; i < ndocs; i++)
		if (docs[i].score > 0 && docs[i].n)
			cap += docs[i].n;
	if (!(wsum > 0) || !cap || w->fb_terms <= 0) {
		*out = NULL;
		*nout = 0;
		return 0;
	}
	t = malloc(cap * sizeof *t);
	if (!t)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory building the feedback model");
	for (i = 0; i < ndocs; i++) {
		const match_fb_doc *d = &docs[i];
		double dw;
		if (!(d->score > 0) || !d->n)
			continue;
		dw = pow(d->score, score_power) / wsum;
		for (j = 0; j < d->n; j = u) {
			uint32_t f;
			double fd;
			for (u = j; u < d->n && d->tids[u] == d->tids[j]; u++)
				;
			f = df(ctx, d->tids[j]);
			if (f < (uint32_t)w->fb_min_df)
				continue;
			fd = f < ndocs_total ? f : ndocs_total;
			t[nt].tid = d->tids[j];
			t[nt].weight = dw * (double)(u - j) / (double)d->n *
				       pow(log(1.0 + (ndocs_total - fd + 0.5) / (fd + 0.5)), w->fb_idf_power);
			nt++;
		}
	}
	/* one entry per term, values summed over the documents */
	qsort(t, nt, sizeof *t, cmp_tid);
	for (i = 0, j = 0; i < nt; i++) {
		if (j && t[j - 1].tid == t[i].tid)
			t[j - 1].weight += t[i].weight;
		else
			t[j++] = t[i];
	}
	nt = j;
	qsort(t, nt, sizeof *t, cmp_weight_desc);
	if (nt > (size_t)w->fb_terms)
		nt = (size_t)w->fb_terms;
	while (nt && !(t[nt - 1].weight > 0))
		nt--;
	for (i = 0; i < nt; i++)
		total += t[i].weight;
	for (i = 0; i < nt; i++)
		t[i].weight /= total;
	if (!nt) {
		free(t);
		t = NULL;
	}
	*out = t;
	*nout = nt;
	return 0;
}

int match_fb_interpolate(const match_fb_term *q, size_t nq, const match_fb_term *fb, size_t nfb, double lambda,
			 match_fb_term **out, size_t *nout, cf_err *e)
{
	match_fb_term *r = malloc((nq + nfb ? nq + nfb : 1) * sizeof *r);
	size_t n = 0, i, j;
	double s = 0;

	if (!r)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory expanding the query");
	for (i = 0; i < nq; i++)
		s += q[i].weight;
	for (i = 0; i < nq; i++) {
		r[n].tid = q[i].tid;
		r[n].weight = (1 - lambda) * q[i].weight;
		n++;
	}
	/* queries are short (feedback runs only for short ones) and fb holds a few hundred
	 * terms: a linear probe of the originals is cheaper than sorting */
	for (i = 0; i < nfb; i++) {
		for (j = 0; j < nq; j++)
			if (r[j].tid == fb[i].tid)
				break;
		if (j == nq) {
			r[n].tid = fb[i].tid;
			r[n].weight = 0;
			j = n++;
		}
		r[j].weight += lambda * s * fb[i].weight;
	}
	/* a term left with no weight (lambda 1) would only cost its postings */
	for (i = 0, j = 0; i < n; i++)
		if (r[i].weight > 0)
			r[j++] = r[i];
	*out = r;
	*nout = j;
	return 0;
}

int match_fb_refine(const match_fb_term *q, size_t nq, const match_fb_term *cur, size_t ncur,
		    const match_fb_term *fb, size_t nfb, double lambda1, double lambda, match_fb_term **out,
		    size_t *nout, cf_err *e)
{
	match_fb_term *alt = NULL;
	size_t nalt = 0, i;
	double s = 0;
	int rc;

	for (i = 0; i < nq; i++)
		s += q[i].weight;
	/* the query the first round would have made from fb, as a distribution (sum 1), mixed
	 * into cur by lambda at cur's total S */
	if ((rc = match_fb_interpolate(q, nq, fb, nfb, lambda1, &alt, &nalt, e)))
		return rc;
	for (i = 0; i < nalt && s > 0; i++)
		alt[i].weight /= s;
	rc = match_fb_interpolate(cur, ncur, alt, nalt, s > 0 ? lambda : 0, out, nout, e);
	free(alt);
	return rc;
}

/* Unit tests of src/match/feedback.c (the RM3-style feedback model, interpolation and later
 * rounds) with exact weights on hand-made documents, and of the feedback rounds through
 * match_search on a tiny corpus. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/path.h"
#include "match/feedback.h"
#include "match/index.h"
#include "match/weights.h"
#include "text/tokenize.h"

#define EPS 1e-12

/* document frequencies of the hand-made collection of 10 documents */
static uint32_t df_of(void *ctx, uint32_t tid)
{
	(void)ctx;
	switch (tid) {
	case 1:
	case 4:
		return 1;
	case 2:
		return 2;
	case 3:
		return 5;
	default:
		return 0;
	}
}

static double idf(double df)
{
	return log(1.0 + (10.0 - df + 0.5) / (df + 0.5));
}

static const uint32_t d1[] = {1, 1, 2, 3}; /* tf 2, 1, 1 of 4 */
static const uint32_t d2[] = {2, 4};       /* tf 1, 1 of 2 */

static match_weights wts(int terms, int min_df)
{
	match_weights w;
	memset(&w, 0, sizeof w);
	w.fb_terms = terms;
	w.fb_idf_power = 1;
	w.fb_min_df = min_df;
	return w;
}

Test(match_feedback, model_weighs_documents_by_score_and_terms_by_tf_idf)
{
	match_fb_doc docs[2] = {{3.0, d1, 4}, {1.0, d2, 2}};
	match_weights w = wts(3, 1);
	match_fb_term *t = NULL;
	size_t n = 0;
	cf_err e;
	/* document weights 3/4 and 1/4 */
	double v1 = 0.75 * 2 / 4 * idf(1), v2 = (0.75 / 4 + 0.25 / 2) * idf(2), v4 = 0.25 / 2 * idf(1);
	double sum = v1 + v2 + v4; /* term 3 (0.75 / 4 * idf(5) = 0.130) is the fourth: cut */

	cr_assert_eq(match_fb_model(&w, 1.0, docs, 2, df_of, NULL, 10, &t, &n, &e), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(t[0].tid, 1);
	cr_assert_eq(t[1].tid, 2);
	cr_assert_eq(t[2].tid, 4);
	cr_assert_float_eq(t[0].weight, v1 / sum, EPS);
	cr_assert_float_eq(t[1].weight, v2 / sum, EPS);
	cr_assert_float_eq(t[2].weight, v4 / sum, EPS);
	cr_assert_float_eq(t[0].weight, 0.512029, 1e-6);
	free(t);
}

Test(match_feedback, score_power_and_min_df)
{
	match_fb_doc docs[2] = {{3.0, d1, 4}, {1.0, d2, 2}};
	match_weights w = wts(10, 2);
	match_fb_term *t = NULL;
	size_t n = 0;
	cf_err e;
	double v2, v3;

	/* min_df 2 leaves out terms 1 and 4 (one document each) */
	cr_assert_eq(match_fb_model(&w, 1.0, docs, 2, df_of, NULL, 10, &t, &n, &e), 0);
	cr_assert_eq(n, 2);
	v2 = (0.75 / 4 + 0.25 / 2) * idf(2);
	v3 = 0.75 / 4 * idf(5);
	cr_assert_eq(t[0].tid, 2);
	cr_assert_eq(t[1].tid, 3);
	cr_assert_float_eq(t[0].weight, v2 / (v2 + v3), EPS);
	cr_assert_float_eq(t[1].weight, v3 / (v2 + v3), EPS);
	free(t);
	/* score power 2: document weights 9/10 and 1/10 */
	cr_assert_eq(match_fb_model(&w, 2.0, docs, 2, df_of, NULL, 10, &t, &n, &e), 0);
	v2 = (0.9 / 4 + 0.1 / 2) * idf(2);
	v3 = 0.9 / 4 * idf(5);
	cr_assert_eq(n, 2);
	cr_assert_float_eq(t[0].weight, v2 / (v2 + v3), EPS);
	free(t);
}

Test(match_feedback, documents_without_score_give_no_model)
{
	match_fb_doc docs[2] = {{0.0, d1, 4}, {-1.0, d2, 2}};
	match_weights w = wts(10, 1);
	match_fb_term *t = (match_fb_term *)&w;
	size_t n = 7;
	cf_err e;
	cr_assert_eq(match_fb_model(&w, 1.0, docs, 2, df_of, NULL, 10, &t, &n, &e), 0);
	cr_assert_null(t);
	cr_assert_eq(n, 0);
}

Test(match_feedback, interpolation_keeps_the_total_weight)
{
	const match_fb_term q[] = {{7, 1.0}, {1, 1.0}}, fb[] = {{1, 0.75}, {9, 0.25}};
	match_fb_term *r = NULL;
	size_t n = 0;
	cf_err e;
	cr_assert_eq(match_fb_interpolate(q, 2, fb, 2, 0.5, &r, &n, &e), 0);
	cr_assert_eq(n, 3);
	/* originals first in their order, then new terms; (1 - l) q + l * S * fb, S = 2 */
	cr_assert_eq(r[0].tid, 7);
	cr_assert_float_eq(r[0].weight, 0.5, EPS);
	cr_assert_eq(r[1].tid, 1);
	cr_assert_float_eq(r[1].weight, 1.25, EPS);
	cr_assert_eq(r[2].tid, 9);
	cr_assert_float_eq(r[2].weight, 0.25, EPS);
	free(r);
	/* lambda 1: the original terms fb lacks weigh 0 and are dropped */
	cr_assert_eq(match_fb_interpolate(q, 2, fb, 2, 1.0, &r, &n, &e), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(r[0].tid, 1);
	cr_assert_float_eq(r[0].weight, 1.5, EPS);
	cr_assert_eq(r[1].tid, 9);
	cr_assert_float_eq(r[1].weight, 0.5, EPS);
	free(r);
}

Test(match_feedback, later_round_keeps_the_original_share)
{
	const match_fb_term q[] = {{7, 1.0}, {1, 1.0}}, cur[] = {{7, 0.5}, {1, 1.25}, {9, 0.25}}, fb[] = {{9, 1.0}};
	match_fb_term *r = NULL;
	size_t n = 0;
	cf_err e;
	/* (1 - 0.5) cur + 0.5 ((1 - 0.5) q + 0.5 * 2 * fb) */
	cr_assert_eq(match_fb_refine(q, 2, cur, 3, fb, 1, 0.5, 0.5, &r, &n, &e), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(r[0].tid, 7);
	cr_assert_float_eq(r[0].weight, 0.5, EPS);
	cr_assert_eq(r[1].tid, 1);
	cr_assert_float_eq(r[1].weight, 0.875, EPS);
	cr_assert_eq(r[2].tid, 9);
	cr_assert_float_eq(r[2].weight, 0.625, EPS);
	free(r);
	/* lambda 1: the new model replaces the old feedback part; q keeps 1 - lambda1 */
	cr_assert_eq(match_fb_refine(q, 2, cur, 3, fb, 1, 0.5, 1.0, &r, &n, &e), 0);
	cr_assert_eq(n, 3);
	cr_assert_float_eq(r[0].weight, 0.5, EPS);
	cr_assert_float_eq(r[1].weight, 0.5, EPS);
	cr_assert_float_eq(r[2].weight, 1.0, EPS);
	free(r);
}

/* ---- rounds through match_search ---- */

static const char *const corpus[] = {"涡轮叶片 高温合金", "高温合金 定向凝固", "定向凝固 单晶炉 晶体", "水稻 育种"};

static int text_of(void *ctx, int kind, int64_t id, const char **text, size_t *len)
{
	(void)ctx;
	(void)kind;
	if (id < 1 || id > 4)
		return -1;
	*text = corpus[id - 1];
	*len = strlen(*text);
	return 0;
}

Test(match_feedback, second_round_reaches_documents_of_the_first_rounds_documents)
{
	char path[4096];
	text_tokenizer *tok;
	match_index *ix;
	match_weights w;
	arena *ar = arena_create();
	match_query q;
	match_result r;
	cf_err e;
	int i;

	cr_assert_eq(text_tokenizer_create(0, &tok, &e), 0);
	cr_assert_eq(path_data("text/stopwords.txt", path, sizeof path), 0);
	cr_assert_eq(text_tokenizer_load_stopwords(tok, path, &e), 0);
	cr_assert_eq(match_index_create(tok, &ix, &e), 0);
	cr_assert_eq(match_weights_load_default(&w, &e), 0, "%s: %s", e.where, e.msg);
	for (i = 0; i < 4; i++) {
		match_doc d;
		memset(&d, 0, sizeof d);
		d.kind = MK_ACHIEVEMENT;
		d.id = i + 1;
		d.text = corpus[i];
		d.len = strlen(corpus[i]);
		cr_assert_eq(match_index_put(ix, &d, &e), 0, "%s", e.msg);
	}
	memset(&q, 0, sizeof q);
	q.text = "涡轮叶片";
	q.len = strlen(q.text);
	q.kind = MK_ACHIEVEMENT;
	q.who = &cf_viewer_bureau;
	q.k = 10;
	q.exclude_kind = MK_ACHIEVEMENT;
	q.exclude_id = 1;
	q.doc_text = text_of;
	w.fb_min_df = 1;
	w.fb_max_query_terms = 64;
	/* one round from document 1 (the only match) brings document 2 (高温合金) */
	w.fb_round[0] = (match_fb_round){1, 1.0, 0.9};
	w.fb_round[1].docs = 0;
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.hits[0].id, 2);
	/* a second round reads documents 1 and 2 and reaches document 3 (定向凝固), below 2;
	 * 水稻 育种 shares nothing and stays out */
	w.fb_round[1] = (match_fb_round){2, 1.0, 1.0};
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.n, 2);
	cr_assert_eq(r.hits[0].id, 2);
	cr_assert_eq(r.hits[1].id, 3);
	/* the explanation still adds up to the score */
	for (size_t h = 0; h < r.n; h++) {
		double s = 0;
		for (size_t j = 0; j < r.hits[h].nterms; j++)
			s += r.hits[h].terms[j].score;
		cr_assert_float_eq(s, r.hits[h].score, 1e-9);
	}
	match_index_free(ix);
	text_tokenizer_free(tok);
	arena_free(ar);
}

/* The default weights with $.feedback.rounds replaced by rounds, loaded back. */
static int load_with_rounds(json_t *rounds, match_weights *w, cf_err *e)
{
	char path[4096], tmp[] = "/tmp/cf-weights-XXXXXX";
	json_t *root;
	int fd, rc;
	cr_assert_eq(path_data("match/weights.json", path, sizeof path), 0);
	root = json_load_file(path, 0, NULL);
	cr_assert_not_null(root);
	json_object_set_new(json_object_get(root, "feedback"), "rounds", rounds);
	fd = mkstemp(tmp);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(json_dump_file(root, tmp, 0), 0);
	json_decref(root);
	rc = match_weights_load(tmp, w, e);
	unlink(tmp);
	return rc;
}

Test(match_feedback, rounds_are_read_and_checked)
{
	match_weights w;
	cf_err e;
	memset(&w, 0, sizeof w);
	cr_assert_eq(load_with_rounds(json_pack("[{s:i, s:f, s:f}]", "docs", 4, "score_power", 2.0, "lambda", 0.5), &w, &e),
		     0, "%s: %s", e.where, e.msg);
	cr_assert_eq(w.fb_round[0].docs, 4);
	cr_assert_float_eq(w.fb_round[0].score_power, 2.0, EPS);
	cr_assert_float_eq(w.fb_round[0].lambda, 0.5, EPS);
	cr_assert_eq(w.fb_round[1].docs, 0, "a missing round is off");
	cr_assert_eq(load_with_rounds(json_pack("[{s:i, s:f, s:f}, {s:i, s:f, s:f}]", "docs", 4, "score_power", 2.0,
						"lambda", 0.5, "docs", 9, "score_power", 1.0, "lambda", 1.5),
				      &w, &e),
		     CF_EINVAL);
	cr_assert_str_eq(e.where, "$.feedback.rounds[1].lambda");
	cr_assert_eq(w.fb_round[0].docs, 4, "untouched on failure");
	cr_assert_eq(load_with_rounds(json_pack("[{}, {}, {}]"), &w, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "$.feedback.rounds");
}

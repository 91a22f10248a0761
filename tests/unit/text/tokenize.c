/* Unit tests of src/text/tokenize.c: normalisation, CJK bigrams, model numbers, stop words,
 * invalid input, and real sentences from ../shared/data/csl-benchmark. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/path.h"
#include "base/utf8.h"
#include "text/tokenize.h"

static int join(void *ctx, const char *t, size_t n, uint32_t pos)
{
	buf *b = ctx;
	(void)pos;
	buf_putc(b, '[');
	buf_append(b, t, n);
	buf_putc(b, ']');
	return 0;
}

/* Tokenizes s with the shipped stop words and returns the terms as "[a][b]..." (static). */
static const char *toks(const char *s)
{
	static char out[4096];
	text_tokenizer *t;
	char path[4096];
	cf_err e;
	buf b;
	buf_init(&b, 0);
	cr_assert_eq(text_tokenizer_create(0, &t, &e), 0);
	cr_assert_eq(path_data("text/stopwords.txt", path, sizeof path), 0);
	cr_assert_eq(text_tokenizer_load_stopwords(t, path, &e), 0, "%s", e.msg);
	cr_assert_eq(text_tokenize(t, s, strlen(s), join, &b, &e), 0, "%s", e.msg);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_free(&b);
	text_tokenizer_free(t);
	return out;
}

Test(text_tokenize, fullwidth_folds_to_halfwidth_lowercase)
{
	cr_assert_str_eq(toks("ＤＮ５０阀门"), "[dn50][阀门]");
	cr_assert_str_eq(toks("３．５ｍｍ"), "[3.5mm]");
}

Test(text_tokenize, model_numbers_stay_whole)
{
	cr_assert_str_eq(toks("304L不锈钢管"), "[304l][不锈钢][管][不锈][锈钢][钢管]");
	cr_assert_str_eq(toks("防护等级IP68"), "[防护][护等][等级][ip68]");
}

Test(text_tokenize, cjk_runs_become_bigrams_and_stop_words_cut_them)
{
	/* 的 is a stop word: no bigram 器的 or 的姿 */
	cr_assert_str_eq(toks("飞行器的姿态"), "[器][飞行][行器][姿态]");
	cr_assert_str_eq(toks("世界铌的发展动态"), "[铌][世界][界铌][发展][展动][动态]");
}

Test(text_tokenize, ascii_words_lowercased_and_english_stop_words_dropped)
{
	cr_assert_str_eq(toks("Hello World, THE end."), "[hello][world][end]");
}

Test(text_tokenize, punctuation_and_empty_yield_nothing)
{
	cr_assert_str_eq(toks(""), "");
	cr_assert_str_eq(toks("，。！？ ,.;"), "");
}

Test(text_tokenize, invalid_utf8_is_rejected_with_offset)
{
	text_tokenizer *t;
	cf_err e;
	buf b;
	buf_init(&b, 0);
	cr_assert_eq(text_tokenizer_create(0, &t, &e), 0);
	cr_assert_eq(text_tokenize(t, "ab\xff" "cd", 5, join, &b, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "byte 2");
	cr_assert_eq(b.len, 0);
	buf_free(&b);
	text_tokenizer_free(t);
}

static int stop_at_second(void *ctx, const char *t, size_t n, uint32_t pos)
{
	int *seen = ctx;
	(void)t;
	(void)n;
	(void)pos;
	return ++*seen == 2 ? 42 : 0;
}

Test(text_tokenize, callback_stop_value_is_returned)
{
	text_tokenizer *t;
	int seen = 0;
	cf_err e;
	cr_assert_eq(text_tokenizer_create(0, &t, &e), 0);
	cr_assert_eq(text_tokenize(t, "alpha beta gamma", 16, stop_at_second, &seen, &e), 42);
	cr_assert_eq(seen, 2);
	text_tokenizer_free(t);
}

struct check {
	int n, bad, has_lyapunov, has_stop;
};

static int check_term(void *ctx, const char *s, size_t n, uint32_t pos)
{
	struct check *c = ctx;
	size_t i;
	(void)pos;
	c->n++;
	if (!utf8_valid(s, n, NULL) || n == 0)
		c->bad++;
	for (i = 0; i < n; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z') || s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
			c->bad++;
	if (n == 8 && !memcmp(s, "lyapunov", 8))
		c->has_lyapunov = 1;
	if (n == 3 && !memcmp(s, "的", 3))
		c->has_stop = 1;
	return 0;
}

Test(text_tokenize, real_csl_sentences_with_shared_stop_words)
{
	FILE *f = fopen("../shared/data/csl-benchmark/csl_dev_joined.tsv", "r");
	struct check c = {0, 0, 0, 0};
	text_tokenizer *t;
	char line[16384];
	int rows = 0;
	cf_err e;

	if (!f)
		cr_skip_test("../shared/data/csl-benchmark not found: skipping the CSL sentences");
	cr_assert_eq(text_tokenizer_create(0, &t, &e), 0);
	if (text_tokenizer_load_stopwords(t, "../shared/data/stopwords-zh/stopwords-zh.txt", &e) != 0) {
		fclose(f);
		text_tokenizer_free(t);
		cr_skip_test("../shared/data/stopwords-zh not found");
	}
	cr_assert(fgets(line, sizeof line, f)); /* header */
	while (rows < 50 && fgets(line, sizeof line, f)) {
		cr_assert_eq(text_tokenize(t, line, strlen(line), check_term, &c, &e), 0, "%s", e.msg);
		rows++;
	}
	fclose(f);
	text_tokenizer_free(t);
	cr_assert_eq(rows, 50);
	cr_assert_gt(c.n, 5000);
	cr_assert_eq(c.bad, 0);
	cr_assert(c.has_lyapunov, "dev-0000 mentions Lyapunov; lower-cased it must appear");
	cr_assert_eq(c.has_stop, 0, "的 is a stop word in stopwords-zh");
}

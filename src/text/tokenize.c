/*
 * tokenize — ICU-based term extraction for the matchmaking index; see tokenize.h.
 *
 * Text is converted to UTF-16 once, normalised with NFKC and walked with a word break
 * iterator. CJK words accumulate into a run of code points that is flushed as bigrams when
 * a non-CJK word, a stop word or punctuation ends it.
 */
#include "text/tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "base/buf.h"
#include "base/path.h"
#include "base/utf8.h"

#define TERM_MAX 256 /* bytes; longer letter/number words are cut (still one term) */

struct text_tokenizer {
	unsigned flags;
	UBreakIterator *bi;
	const UNormalizer2 *nfkc;
	UChar *u16, *norm;      /* conversion buffers */
	int32_t u16cap, normcap;
	uint32_t *run;          /* current CJK run, code points */
	size_t runlen, runcap;
	/* stop words: open addressing over (ptr,len) strings held in one pool */
	char **sw;
	uint32_t *swlen;
	size_t swcap, swn;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int text_tokenizer_create(unsigned flags, text_tokenizer **out, cf_err *e)
{
	UErrorCode st = U_ZERO_ERROR;
	text_tokenizer *t = calloc(1, sizeof *t);

	*out = NULL;
	if (!t)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory creating the tokenizer");
	t->flags = flags;
	t->nfkc = unorm2_getNFKCInstance(&st);
	if (U_FAILURE(st))
		goto icu_fail;
	t->bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
	if (U_FAILURE(st))
		goto icu_fail;
	*out = t;
	return 0;
icu_fail:
	text_tokenizer_free(t);
	return cf_err_set(e, CF_EINTERNAL, NULL, "ICU: %s", u_errorName(st));
}

void text_tokenizer_free(text_tokenizer *t)
{
	size_t i;
	if (!t)
		return;
	if (t->bi)
		ubrk_close(t->bi);
	free(t->u16);
	free(t->norm);
	free(t->run);
	for (i = 0; i < t->swcap; i++)
		free(t->sw ? t->sw[i] : NULL);
	free(t->sw);
	free(t->swlen);
	free(t);
}

int text_is_stopword(const text_tokenizer *t, const char *w, size_t len)
{
	size_t i;
	if (!t->swn)
		return 0;
	for (i = hash_bytes(w, len) & (t->swcap - 1); t->sw[i]; i = (i + 1) & (t->swcap - 1))
		if (t->swlen[i] == len && !memcmp(t->sw[i], w, len))
			return 1;
	return 0;
}

static int sw_insert(text_tokenizer *t, const char *w, size_t len)
{
	size_t i;
	char *copy;

	if (len == 0 || text_is_stopword(t, w, len))
		return 0;
	if ((t->swn + 1) * 2 > t->swcap) {
		size_t ncap = t->swcap ? t->swcap * 2 : 256, j;
		char **nsw = calloc(ncap, sizeof *nsw);
		uint32_t *nlen = calloc(ncap, sizeof *nlen);
		if (!nsw || !nlen) {
			free(nsw);
			free(nlen);
			return CF_ENOMEM;
		}
		for (j = 0; j < t->swcap; j++) {
			if (!t->sw[j])
				continue;
			for (i = hash_bytes(t->sw[j], t->swlen[j]) & (ncap - 1); nsw[i]; i = (i + 1) & (ncap - 1))
				;
			nsw[i] = t->sw[j];
			nlen[i] = t->swlen[j];
		}
		free(t->sw);
		free(t->swlen);
		t->sw = nsw;
		t->swlen = nlen;
		t->swcap = ncap;
	}
	copy = malloc(len + 1);
	if (!copy)
		return CF_ENOMEM;
	memcpy(copy, w, len);
	copy[len] = '\0';
	for (i = hash_bytes(w, len) & (t->swcap - 1); t->sw[i]; i = (i + 1) & (t->swcap - 1))
		;
	t->sw[i] = copy;
	t->swlen[i] = (uint32_t)len;
	t->swn++;
	return 0;
}

/* Normalises s[0..n) (valid UTF-8) into t->norm; returns its length in UTF-16 units or <0. */
static int32_t normalise(text_tokenizer *t, const char *s, size_t n, cf_err *e)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = 0, nlen;

	if (n > (size_t)INT32_MAX / 4)
		return cf_err_set(e, CF_ETOOBIG, NULL, "text of %zu bytes is too long to tokenize", n);
	if ((int32_t)n + 1 > t->u16cap) {
		int32_t cap = (int32_t)n + 64;
		UChar *p = realloc(t->u16, (size_t)cap * sizeof *p);
		if (!p)
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory tokenizing");
		t->u16 = p;
		t->u16cap = cap;
	}
	u_strFromUTF8(t->u16, t->u16cap, &len, s, (int32_t)n, &st);
	if (U_FAILURE(st))
		return cf_err_set(e, CF_EINVAL, NULL, "ICU: %s", u_errorName(st));
	for (;;) {
		st = U_ZERO_ERROR;
		nlen = unorm2_normalize(t->nfkc, t->u16, len, t->norm, t->normcap, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			int32_t cap = nlen + 64;
			UChar *p = realloc(t->norm, (size_t)cap * sizeof *p);
			if (!p)
				return cf_err_set(e, CF_ENOMEM, NULL, "out of memory tokenizing");
			t->norm = p;
			t->normcap = cap;
			continue;
		}
		if (U_FAILURE(st))
			return cf_err_set(e, CF_EINVAL, NULL, "ICU: %s", u_errorName(st));
		return nlen;
	}
}

/* Writes the UTF-8 of code points cps[0..n) into out (4*n bytes room); ASCII lower-cased. */
static size_t cps_utf8(const uint32_t *cps, size_t n, char *out)
{
	size_t i, len = 0;
	for (i = 0; i < n; i++) {
		uint32_t c = cps[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		len += utf8_encode(c, out + len);
	}
	return len;
}

/* Reads UTF-16 units [b,e) of t->norm into code points (at most max); returns the count. */
static size_t seg_cps(const text_tokenizer *t, int32_t b, int32_t e, uint32_t *cps, size_t max)
{
	size_t n = 0;
	int32_t i = b;
	while (i < e && n < max) {
		UChar32 c;
		U16_NEXT(t->norm, i, e, c);
		cps[n++] = (uint32_t)c;
	}
	return n;
}

static int run_push(text_tokenizer *t, const uint32_t *cps, size_t n)
{
	if (t->runlen + n > t->runcap) {
		size_t cap = (t->runlen + n) * 2 + 64;
		uint32_t *p = realloc(t->run, cap * sizeof *p);
		if (!p)
			return CF_ENOMEM;
		t->run = p;
		t->runcap = cap;
	}
	memcpy(t->run + t->runlen, cps, n * sizeof *cps);
	t->runlen += n;
	return 0;
}

/* Emits the bigrams of the current run (or its single character) and empties it. */
static int run_flush(text_tokenizer *t, text_token_fn fn, void *ctx, uint32_t *pos)
{
	char tmp[16];
	size_t i, len;
	int rc;

	if (t->runlen == 1) {
		len = cps_utf8(t->run, 1, tmp);
		if (!text_is_stopword(t, tmp, len) && (rc = fn(ctx, tmp, len, (*pos)++)))
			goto out;
	}
	for (i = 0; i + 1 < t->runlen; i++) {
		len = cps_utf8(t->run + i, 2, tmp);
		if (!text_is_stopword(t, tmp, len) && (rc = fn(ctx, tmp, len, (*pos)++)))
			goto out;
	}
	rc = 0;
out:
	t->runlen = 0;
	return rc;
}

static int is_cjk_status(int32_t s)
{
	return (s >= UBRK_WORD_KANA && s < UBRK_WORD_KANA_LIMIT) || (s >= UBRK_WORD_IDEO && s < UBRK_WORD_IDEO_LIMIT);
}

/* Han, kana and hangul code points: what counts as CJK when ICU's status says "letter". */
static int is_cjk_cp(uint32_t c)
{
	return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	       (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f);
}

int text_tokenize(text_tokenizer *t, const char *s, size_t n, text_token_fn fn, void *ctx, cf_err *e)
{
	UErrorCode st = U_ZERO_ERROR;
	uint32_t cps[TERM_MAX], pos = 0;
	char term[TERM_MAX * 4];
	size_t bad = 0, ncp, len;
	int32_t nlen, b, end;
	int rc;

	if (!utf8_valid(s, n, &bad)) {
		char where[32];
		snprintf(where, sizeof where, "byte %zu", bad);
		return cf_err_set(e, CF_EINVAL, where, "text is not valid UTF-8");
	}
	t->runlen = 0;
	if (n == 0)
		return 0;
	nlen = normalise(t, s, n, e);
	if (nlen < 0)
		return nlen;
	ubrk_setText(t->bi, t->norm, nlen, &st);
	if (U_FAILURE(st))
		return cf_err_set(e, CF_EINTERNAL, NULL, "ICU: %s", u_errorName(st));
	for (b = ubrk_first(t->bi), end = ubrk_next(t->bi); end != UBRK_DONE; b = end, end = ubrk_next(t->bi)) {
		int32_t status = ubrk_getRuleStatus(t->bi);
		if (status < UBRK_WORD_NONE_LIMIT) { /* spaces, punctuation, symbols */
			if ((rc = run_flush(t, fn, ctx, &pos)))
				return rc;
			continue;
		}
		ncp = seg_cps(t, b, end, cps, TERM_MAX);
		len = cps_utf8(cps, ncp, term);
		if (is_cjk_status(status) || (ncp > 0 && is_cjk_cp(cps[0]))) {
			if (text_is_stopword(t, term, len)) {
				if ((rc = run_flush(t, fn, ctx, &pos)))
					return rc;
				continue;
			}
			if (run_push(t, cps, ncp))
				return cf_err_set(e, CF_ENOMEM, NULL, "out of memory tokenizing");
			/* whole words: three characters or more (a two-character word is a bigram
			 * already), and single characters that ICU sets apart, which bigrams across
			 * the run would otherwise never yield alone (铌 in 世界铌) */
			if ((ncp >= 3 || ncp == 1) && !(t->flags & TEXT_NO_WORDS) && (rc = fn(ctx, term, len, pos++)))
				return rc;
			continue;
		}
		if ((rc = run_flush(t, fn, ctx, &pos)))
			return rc;
		if (!text_is_stopword(t, term, len) && (rc = fn(ctx, term, len, pos++)))
			return rc;
	}
	return run_flush(t, fn, ctx, &pos);
}


int text_tokenizer_add_stopword(text_tokenizer *t, const char *w, size_t len, cf_err *e)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t nlen;
	char out[TERM_MAX * 4];
	int32_t olen = 0;
	size_t bad;

	if (!utf8_valid(w, len, &bad))
		return cf_err_set(e, CF_EINVAL, NULL, "stop word is not valid UTF-8");
	nlen = normalise(t, w, len, e);
	if (nlen < 0)
		return nlen;
	u_strToUTF8(out, (int32_t)sizeof out - 1, &olen, t->norm, nlen, &st);
	if (U_FAILURE(st))
		return 0; /* absurdly long: cannot match a term anyway */
	for (int32_t i = 0; i < olen; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] + ('a' - 'A'));
	if (sw_insert(t, out, (size_t)olen))
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory adding a stop word");
	return 0;
}

int text_tokenizer_load_stopwords(text_tokenizer *t, const char *path, cf_err *e)
{
	buf b;
	size_t i = 0, row = 0;
	int rc;

	buf_init(&b, 64u << 20);
	if ((rc = path_read_file(path, &b, e)))
		goto fail;
	while (i < b.len) {
		size_t j = i, k;
		while (j < b.len && b.p[j] != '\n')
			j++;
		row++;
		k = j;
		while (k > i && (b.p[k - 1] == '\r' || b.p[k - 1] == ' ' || b.p[k - 1] == '\t'))
			k--;
		if (k > i && b.p[i] != '#') {
			rc = text_tokenizer_add_stopword(t, b.p + i, k - i, e);
			if (rc == CF_EINVAL) {
				char where[300];
				snprintf(where, sizeof where, "%.200s:%zu:1", path, row);
				rc = cf_err_set(e, CF_EINVAL, where, "stop word is not valid UTF-8");
			}
			if (rc)
				goto fail;
		}
		i = j + 1;
	}
	rc = 0;
fail:
	buf_free(&b);
	return rc;
}

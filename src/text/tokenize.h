/*
 * tokenize — turns Chinese/English text into index terms for the matchmaking engine.
 *
 * Pipeline: UTF-8 check → NFKC (full-width → half-width, compatibility forms folded) →
 * ICU word breaks → terms. Runs of CJK words become overlapping character bigrams (a run
 * of one character becomes that character), and ICU words of three or more CJK characters
 * are kept whole as extra terms; stop words cut runs, so no bigram spans one. Letter and
 * number words are lower-cased (ASCII only) and kept whole, so model numbers such as DN50,
 * 304L or IP68 stay one term. Punctuation and spaces produce nothing.
 *
 * The tokenizer is created once and reused; it is not thread-safe (one per thread).
 */
#ifndef CF_TEXT_TOKENIZE_H
#define CF_TEXT_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct text_tokenizer text_tokenizer;

/* Called once per term: term bytes (UTF-8, not NUL-terminated, valid only during the call)
 * and its ordinal position. Return non-zero to stop; text_tokenize then returns that value. */
typedef int (*text_token_fn)(void *ctx, const char *term, size_t len, uint32_t pos);

enum {
	TEXT_NO_WORDS = 1 /* bigrams only: skip whole CJK words of three or more characters */
};

/* Creates a tokenizer without stop words. flags: TEXT_* bits. *out is NULL on failure
 * (CF_ENOMEM, or CF_EINTERNAL when ICU cannot open its break iterator). Free with
 * text_tokenizer_free(). */
int text_tokenizer_create(unsigned flags, text_tokenizer **out, cf_err *e);
void text_tokenizer_free(text_tokenizer *t);

/* Adds the stop words of a file, one word a line (blank lines and lines starting with '#'
 * ignored; words are NFKC-normalised and lower-cased like text). CF_EIO when unreadable. */
int text_tokenizer_load_stopwords(text_tokenizer *t, const char *path, cf_err *e);
/* Adds one stop word. */
int text_tokenizer_add_stopword(text_tokenizer *t, const char *w, size_t len, cf_err *e);
/* 1 when w (already normalised) is a stop word. */
int text_is_stopword(const text_tokenizer *t, const char *w, size_t len);

/* Tokenizes s[0..n) and calls fn for each term in order. Returns 0, fn's non-zero value,
 * CF_EINVAL (with the byte offset in e->where) for invalid UTF-8, or CF_ENOMEM. */
int text_tokenize(text_tokenizer *t, const char *s, size_t n, text_token_fn fn, void *ctx, cf_err *e);

#endif

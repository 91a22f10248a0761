/*
 * fuzz_tokenize — libFuzzer driver for src/text/tokenize.c (a parser that faces users: every
 * demand, achievement and query goes through it). Checks that every term is non-empty valid
 * UTF-8 without ASCII upper case, and that invalid input is refused, never crashes.
 * Built and run briefly by tests/fuzz/run-tokenize (clang -fsanitize=fuzzer,address,undefined).
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/utf8.h"
#include "text/tokenize.h"

static text_tokenizer *tok;

static int check(void *ctx, const char *t, size_t n, uint32_t pos)
{
	size_t i;
	(void)ctx;
	(void)pos;
	if (n == 0 || !utf8_valid(t, n, NULL))
		abort();
	for (i = 0; i < n; i++)
		if (t[i] >= 'A' && t[i] <= 'Z')
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_err e;
	int rc;
	if (!tok) {
		if (text_tokenizer_create(0, &tok, &e))
			abort();
		text_tokenizer_add_stopword(tok, "的", 3, &e);
		text_tokenizer_add_stopword(tok, "the", 3, &e);
	}
	rc = text_tokenize(tok, (const char *)data, size, check, NULL, &e);
	if (rc != 0 && rc != CF_EINVAL)
		abort();
	if ((rc == CF_EINVAL) != !utf8_valid((const char *)data, size, NULL))
		abort();
	return 0;
}

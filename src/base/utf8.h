/*
 * utf8 — validation and decoding of UTF-8 text.
 *
 * Everything that enters the store is valid UTF-8; this is where that is checked.
 */
#ifndef CF_BASE_UTF8_H
#define CF_BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returns 1 when s[0..n) is valid UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF), else 0 and, when bad is not NULL, the byte offset of the first bad sequence. */
int utf8_valid(const char *s, size_t n, size_t *bad);
/* Decodes one code point at s (n bytes left) into *cp; returns its length in bytes,
 * or 0 on an invalid or truncated sequence. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes cp into out (4 bytes room); returns the length, 0 for an invalid cp. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Number of code points in valid UTF-8 text. */
size_t utf8_count(const char *s, size_t n);

#endif

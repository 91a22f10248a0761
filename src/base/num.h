/*
 * num — whole-string integer parsing, for text that must be exactly one base-10 integer
 * (ids and counts read back from SQL results, options, data files).
 */
#ifndef CF_BASE_NUM_H
#define CF_BASE_NUM_H

#include <stdint.h>

/* Parses s as one base-10 integer filling the whole string (strtoll's syntax: optional
 * leading blanks and sign). 0 and *out set; -1 and *out untouched for NULL, empty text, text
 * after the digits, or a value outside int64. */
int num_parse_i64(const char *s, int64_t *out);

#endif

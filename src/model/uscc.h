/*
 * uscc — the unified social credit code (统一社会信用代码, GB 32100-2015).
 *
 * 18 characters from 0123456789ABCDEFGHJKLMNPQRTUWXY: [1] registration authority code,
 * [2] entity type code (its meaning depends on [1]), [3-8] administrative division code of the
 * registering office (GB/T 2260, six digits), [9-17] entity identifier (GB 11714 organisation
 * code), [18] check character = 31 - (sum of value x weight mod 31), 31 -> 0, with weights
 * 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 (SPEC C1).
 */
#ifndef CF_MODEL_USCC_H
#define CF_MODEL_USCC_H

#include <stddef.h>

#include "base/err.h"

#define USCC_LEN 18

/* What uscc_check found: pos is the 1-based position of the first problem (0: the length,
 * or no problem), found/expected the characters there (expected only for the check
 * character, else 0), msg one English sentence such as
 * "position 18: check character is 'X', expected '3'". */
typedef struct uscc_result {
	int pos;
	char found;
	char expected;
	char msg[160];
} uscc_result;

/* Checks code[0..len). Returns 0 when valid (res->pos = 0, msg "valid"), CF_EINVAL otherwise
 * with res describing the first problem. res may be NULL. Lower-case letters are rejected
 * (the standard's codes are upper case), blanks too. */
int uscc_check(const char *code, size_t len, uscc_result *res);
/* The check character for the first 17 characters, or 0 when one of them is outside the
 * character set. */
char uscc_check_char(const char *code17);
/* Completes 17 characters with their check character into out (19 bytes, NUL-terminated).
 * Returns 0, or CF_EINVAL when a character is outside the set (out untouched). Used by the
 * demo generator. */
int uscc_make(const char *code17, char out[USCC_LEN + 1]);

#endif

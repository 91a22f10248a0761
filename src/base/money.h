/*
 * money — amounts of yuan as int64 fen (分), parsed and printed exactly.
 *
 * No floating point ever touches money. "1,234.5" is 123450 fen; more than two decimals,
 * a stray sign or an overflow is an error that says where in the text it went wrong.
 */
#ifndef CF_BASE_MONEY_H
#define CF_BASE_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Longest text money_format() writes, with the NUL. */
#define MONEY_FMT_MAX 32

/* Parses yuan text ("1234", "1234.5", "1,234.56", "-3.00"; surrounding blanks allowed)
 * into fen. Thousands separators must be every three digits. On error returns CF_EINVAL
 * (message names the character position) and leaves *fen untouched. */
int money_parse(const char *s, size_t n, int64_t *fen, cf_err *e);
/* Writes fen as yuan with exactly two decimals ("-1234.56"), returns out. */
char *money_format(int64_t fen, char out[MONEY_FMT_MAX]);
/* The same with thousands separators ("1,234.56"). */
char *money_format_grouped(int64_t fen, char out[MONEY_FMT_MAX]);
/* a * num / den rounded half away from zero, exactly (128-bit intermediate).
 * den must be positive. Used for rates in basis points and shares. */
int64_t money_muldiv_round(int64_t a, int64_t num, int64_t den);

#endif

/* money — exact decimal parse and format of fen; see money.h. */
#include "base/money.h"

#include <stdio.h>
#include <string.h>

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int money_parse(const char *s, size_t n, int64_t *fen, cf_err *e)
{
	size_t i = 0, end = n;
	int neg = 0, decimals = -1, digits = 0, group = -1;
	__int128 v = 0;

	while (i < end && is_blank(s[i]))
		i++;
	while (end > i && is_blank(s[end - 1]))
		end--;
	if (i == end)
		return cf_err_set(e, CF_EINVAL, NULL, "empty amount");
	if (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-';
		i++;
	}
	for (; i < end; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (decimals >= 0) {
				if (decimals == 2)
					return cf_err_set(e, CF_EINVAL, NULL,
							  "amount \"%.*s\" has more than two decimals (character %zu)",
							  (int)n, s, i + 1);
				decimals++;
			} else if (group >= 0) {
				group++;
				if (group > 3)
					return cf_err_set(e, CF_EINVAL, NULL,
							  "amount \"%.*s\": misplaced thousands separator before character %zu",
							  (int)n, s, i + 1);
			}
			v = v * 10 + (c - '0');
			digits++;
			if (v > (__int128)INT64_MAX)
				return cf_err_set(e, CF_EINVAL, NULL, "amount \"%.*s\" is too large", (int)n, s);
		} else if (c == ',' && decimals < 0 && digits > 0 && (group < 0 || group == 3)) {
			if (group < 0 && digits > 3)
				return cf_err_set(e, CF_EINVAL, NULL,
						  "amount \"%.*s\": misplaced thousands separator at character %zu",
						  (int)n, s, i + 1);
			group = 0;
		} else if (c == '.' && decimals < 0 && digits > 0) {
			if (group >= 0 && group != 3)
				return cf_err_set(e, CF_EINVAL, NULL,
						  "amount \"%.*s\": misplaced thousands separator before character %zu",
						  (int)n, s, i + 1);
			decimals = 0;
		} else {
			return cf_err_set(e, CF_EINVAL, NULL,
					  "amount \"%.*s\": unexpected character '%c' at position %zu",
					  (int)n, s, c, i + 1);
		}
	}
	if (digits == 0)
		return cf_err_set(e, CF_EINVAL, NULL, "amount \"%.*s\" has no digits", (int)n, s);
	if (group >= 0 && decimals < 0 && group != 3)
		return cf_err_set(e, CF_EINVAL, NULL, "amount \"%.*s\": misplaced thousands separator", (int)n, s);
	if (decimals < 0)
		decimals = 0;
	for (; decimals < 2; decimals++) {
		v *= 10;
		if (v > (__int128)INT64_MAX)
			return cf_err_set(e, CF_EINVAL, NULL, "amount \"%.*s\" is too large", (int)n, s);
	}
	*fen = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

char *money_format(int64_t fen, char out[MONEY_FMT_MAX])
{
	unsigned long long a = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;
	snprintf(out, MONEY_FMT_MAX, "%s%llu.%02llu", fen < 0 ? "-" : "", a / 100, a % 100);
	return out;
}

char *money_format_grouped(int64_t fen, char out[MONEY_FMT_MAX])
{
	unsigned long long a = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;
	char digits[24], *o = out;
	int n = snprintf(digits, sizeof digits, "%llu", a / 100), i;

	if (fen < 0)
		*o++ = '-';
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			*o++ = ',';
		*o++ = digits[i];
	}
	snprintf(o, (size_t)(MONEY_FMT_MAX - (o - out)), ".%02llu", a % 100);
	return out;
}

int64_t money_muldiv_round(int64_t a, int64_t num, int64_t den)
{
	__int128 p = (__int128)a * num;
	__int128 q = p / den, r = p % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += p < 0 ? -1 : 1;
	return (int64_t)q;
}

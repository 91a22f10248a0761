/*
 * date — calendar dates as days since 1970-01-01, parsed from and printed as ISO 8601.
 */
#ifndef CF_BASE_DATE_H
#define CF_BASE_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Parses "YYYY-MM-DD" (also "YYYY/MM/DD" and "YYYY.MM.DD", as Chinese office files write)
 * into days since 1970-01-01. Rejects impossible dates (2023-02-29) with CF_EINVAL. */
int date_parse(const char *s, size_t n, int32_t *days, cf_err *e);
/* Days from a civil date; month 1–12. No validation. */
int32_t date_from_ymd(int y, int m, int d);
/* The civil date of days. */
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Writes "YYYY-MM-DD" into out (11 bytes) and returns out. */
char *date_format(int32_t days, char out[11]);
/* Today in UTC+8 (China Standard Time), the calendar of the bureau. */
int32_t date_today(void);
/* Adds whole years, clamping 29 February to 28 February. */
int32_t date_add_years(int32_t days, int years);

#endif

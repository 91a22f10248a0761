/* Tests of src/base/date.c: civil dates as day numbers. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/date.h"

static int32_t parse_ok(const char *s)
{
	int32_t d = -1;
	cf_err e;
	cr_assert_eq(date_parse(s, strlen(s), &d, &e), 0, "%s: %s", s, e.msg);
	return d;
}

Test(base_date, parses_iso_and_office_forms)
{
	cr_assert_eq(parse_ok("1970-01-01"), 0);
	cr_assert_eq(parse_ok("2021-09-30"), 18900);
	cr_assert_eq(parse_ok("2021/9/30"), 18900);
	cr_assert_eq(parse_ok("2021.09.30"), 18900);
	cr_assert_eq(parse_ok("2000-02-29"), 11016);
}

Test(base_date, rejects_impossible_and_malformed)
{
	int32_t d = 5;
	cf_err e;
	cr_assert_eq(date_parse("2023-02-29", 10, &d, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "does not exist"));
	cr_assert_eq(date_parse("2023-13-01", 10, &d, &e), CF_EINVAL);
	cr_assert_eq(date_parse("2023-1-1x", 9, &d, &e), CF_EINVAL);
	cr_assert_eq(date_parse("23-01-01", 8, &d, &e), CF_EINVAL);
	cr_assert_eq(date_parse("2023-01/01", 10, &d, &e), CF_EINVAL);
	cr_assert_eq(d, 5);
}

Test(base_date, formats_and_adds_years)
{
	char out[11];
	cr_assert_str_eq(date_format(18900, out), "2021-09-30");
	cr_assert_str_eq(date_format(date_add_years(parse_ok("2020-02-29"), 5), out), "2025-02-28");
	cr_assert_str_eq(date_format(date_add_years(parse_ok("2021-06-15"), 5), out), "2026-06-15");
	for (int32_t d = -1000; d < 30000; d += 13) {
		int y, m, dd;
		date_to_ymd(d, &y, &m, &dd);
		cr_assert_eq(date_from_ymd(y, m, dd), d);
	}
}

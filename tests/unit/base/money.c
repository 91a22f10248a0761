/* Tests of src/base/money.c: exact parse and format of fen. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/money.h"

static int64_t parse_ok(const char *s)
{
	int64_t v = -777;
	cf_err e;
	cr_assert_eq(money_parse(s, strlen(s), &v, &e), 0, "%s: %s", s, e.msg);
	return v;
}

static int parse_bad(const char *s, cf_err *e)
{
	int64_t v = -777;
	int rc = money_parse(s, strlen(s), &v, e);
	cr_assert_eq(v, -777, "output touched on failure for %s", s);
	return rc;
}

Test(base_money, parses_plain_and_grouped)
{
	cr_assert_eq(parse_ok("0"), 0);
	cr_assert_eq(parse_ok("0.01"), 1);
	cr_assert_eq(parse_ok("1"), 100);
	cr_assert_eq(parse_ok("1234.5"), 123450);
	cr_assert_eq(parse_ok(" 1,234.56 "), 123456);
	cr_assert_eq(parse_ok("1,000,000.00"), 100000000);
	cr_assert_eq(parse_ok("-3.07"), -307);
	cr_assert_eq(parse_ok("+3.1"), 310);
	cr_assert_eq(parse_ok("92233720368547758.07"), INT64_MAX);
}

Test(base_money, rejects_bad_text_with_position)
{
	cf_err e;
	cr_assert_eq(parse_bad("1.234", &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "more than two decimals"), "%s", e.msg);
	cr_assert_eq(parse_bad("12a", &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "'a' at position 3"), "%s", e.msg);
	cr_assert_eq(parse_bad("", &e), CF_EINVAL);
	cr_assert_eq(parse_bad("1,23", &e), CF_EINVAL);
	cr_assert_eq(parse_bad("1234,567", &e), CF_EINVAL);
	cr_assert_eq(parse_bad("1,2345", &e), CF_EINVAL);
	cr_assert_eq(parse_bad(".5", &e), CF_EINVAL);
	cr_assert_eq(parse_bad("1..5", &e), CF_EINVAL);
	cr_assert_eq(parse_bad("92233720368547758.08", &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "too large"), "%s", e.msg);
}

Test(base_money, formats_exactly)
{
	char out[MONEY_FMT_MAX];
	cr_assert_str_eq(money_format(0, out), "0.00");
	cr_assert_str_eq(money_format(1, out), "0.01");
	cr_assert_str_eq(money_format(185185, out), "1851.85");
	cr_assert_str_eq(money_format(-307, out), "-3.07");
	cr_assert_str_eq(money_format(INT64_MIN, out), "-92233720368547758.08");
	cr_assert_str_eq(money_format_grouped(192100000000000, out), "1,921,000,000,000.00");
	cr_assert_str_eq(money_format_grouped(99999, out), "999.99");
	cr_assert_str_eq(money_format_grouped(-100000, out), "-1,000.00");
}

Test(base_money, round_trips)
{
	int64_t v;
	for (v = -100005; v <= 100005; v += 7) {
		char out[MONEY_FMT_MAX];
		cr_assert_eq(parse_ok(money_format(v, out)), v);
		cr_assert_eq(parse_ok(money_format_grouped(v, out)), v);
	}
}

Test(base_money, muldiv_rounds_half_away_from_zero)
{
	/* 1.5% of 123,456.78 yuan = 1851.8517 yuan → 1851.85 */
	cr_assert_eq(money_muldiv_round(12345678, 150, 10000), 185185);
	cr_assert_eq(money_muldiv_round(1, 1, 2), 1);
	cr_assert_eq(money_muldiv_round(-1, 1, 2), -1);
	cr_assert_eq(money_muldiv_round(1, 1, 3), 0);
	cr_assert_eq(money_muldiv_round(INT64_MAX, 10000, 10000), INT64_MAX);
}

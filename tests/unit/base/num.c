/* Tests of src/base/num.c: whole-string int64 parsing. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "base/num.h"

Test(base_num, parses_whole_integers)
{
	int64_t v = 0;
	cr_assert_eq(num_parse_i64("0", &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(num_parse_i64("12345", &v), 0);
	cr_assert_eq(v, 12345);
	cr_assert_eq(num_parse_i64("-42", &v), 0);
	cr_assert_eq(v, -42);
	cr_assert_eq(num_parse_i64("9223372036854775807", &v), 0);
	cr_assert_eq(v, INT64_MAX);
	cr_assert_eq(num_parse_i64("-9223372036854775808", &v), 0);
	cr_assert_eq(v, INT64_MIN);
}

Test(base_num, refuses_anything_else_and_leaves_the_output)
{
	static const char *bad[] = {"", "-", "12a", "1.5", "1,2", "abc", "9223372036854775808",
				    "-9223372036854775809", "7 "};
	size_t i;
	int64_t v = -777;
	cr_assert_eq(num_parse_i64(NULL, &v), -1);
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		cr_assert_eq(num_parse_i64(bad[i], &v), -1, "\"%s\"", bad[i]);
		cr_assert_eq(v, -777, "output touched for \"%s\"", bad[i]);
	}
}

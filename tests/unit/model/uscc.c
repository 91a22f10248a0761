/* Unit tests for src/model/uscc.c: GB 32100-2015 check character and part shapes. */
#include <criterion/criterion.h>
#include <string.h>

#include "model/uscc.h"

static int chk(const char *c, uscc_result *r) { return uscc_check(c, strlen(c), r); }

Test(model_uscc, valid_published_code)
{
	uscc_result r;
	cr_assert_eq(chk("91520000214434146R", &r), 0);
	cr_assert_eq(r.pos, 0);
	cr_assert_str_eq(r.msg, "valid");
}

Test(model_uscc, check_digit_zero_when_sum_divisible)
{
	/* 914403001922038216 has check '6'; 12100000425006133D a letter: both pass */
	cr_assert_eq(chk("914403001922038216", NULL), 0);
	cr_assert_eq(chk("12100000425006133D", NULL), 0);
}

Test(model_uscc, wrong_check_character_names_expected)
{
	uscc_result r;
	cr_assert_eq(chk("9144030071526726X7", &r), CF_EINVAL);
	cr_assert_eq(r.pos, 18);
	cr_assert_eq(r.found, '7');
	cr_assert_eq(r.expected, 'G');
	cr_assert_str_eq(r.msg, "position 18: check character is '7', expected 'G'");
}

Test(model_uscc, length)
{
	uscc_result r;
	cr_assert_eq(chk("9152000021443414", &r), CF_EINVAL);
	cr_assert_eq(r.pos, 0);
	cr_assert(strstr(r.msg, "18 characters"));
}

Test(model_uscc, forbidden_letters)
{
	uscc_result r;
	/* I, O, S, V, Z are not in the character set; lower case neither */
	cr_assert_eq(chk("91520000214434146I", &r), CF_EINVAL);
	cr_assert_eq(r.pos, 18);
	cr_assert_eq(chk("91520000O14434146R", &r), CF_EINVAL);
	cr_assert_eq(r.pos, 9);
	cr_assert_eq(chk("91520000214434146r", &r), CF_EINVAL);
	cr_assert_eq(r.pos, 18);
}

Test(model_uscc, authority_and_type_codes)
{
	uscc_result r;
	char c[19];
	/* authority B does not exist */
	cr_assert_eq(uscc_make("B1520000214434146", c), 0);
	cr_assert_eq(chk(c, &r), CF_EINVAL);
	cr_assert_eq(r.pos, 1);
	/* authority 9 (工商) registers types 1, 2, 3 only */
	cr_assert_eq(uscc_make("94520000214434146", c), 0);
	cr_assert_eq(chk(c, &r), CF_EINVAL);
	cr_assert_eq(r.pos, 2);
	/* 5 (民政) type 3 (基金会) is fine */
	cr_assert_eq(uscc_make("53330000MJ0000000", c), 0);
	cr_assert_eq(chk(c, NULL), 0);
}

Test(model_uscc, division_code)
{
	uscc_result r;
	char c[19];
	cr_assert_eq(uscc_make("91A30300MA2AX0001", c), 0);
	cr_assert_eq(chk(c, &r), CF_EINVAL);
	cr_assert_eq(r.pos, 3);
	/* 99 is no province of GB/T 2260 */
	cr_assert_eq(uscc_make("91990300MA2AX0001", c), 0);
	cr_assert_eq(chk(c, &r), CF_EINVAL);
	cr_assert_eq(r.pos, 3);
	/* Wenzhou 330300 */
	cr_assert_eq(uscc_make("91330300MA2AX0001", c), 0);
	cr_assert_eq(chk(c, NULL), 0);
}

Test(model_uscc, make_appends_check)
{
	char c[19];
	cr_assert_eq(uscc_make("91520000214434146", c), 0);
	cr_assert_str_eq(c, "91520000214434146R");
	cr_assert_eq(uscc_make("9152000021443414I", c), CF_EINVAL);
	cr_assert_eq(uscc_check_char("91110000710925462"), 'X');
}

/* Tests of src/base/utf8.c: strict validation, decode, encode. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/utf8.h"

Test(base_utf8, accepts_valid_text)
{
	const char *s = "温州 DN50 泵阀 \xF0\x9F\x98\x80";
	cr_assert(utf8_valid(s, strlen(s), NULL));
	cr_assert_eq(utf8_count(s, strlen(s)), 12);
}

Test(base_utf8, rejects_bad_sequences_at_their_offset)
{
	size_t bad = 99;
	cr_assert_not(utf8_valid("ab\xC0\xAF", 4, &bad)); /* overlong '/' */
	cr_assert_eq(bad, 2);
	cr_assert_not(utf8_valid("\xED\xA0\x80", 3, &bad)); /* surrogate */
	cr_assert_eq(bad, 0);
	cr_assert_not(utf8_valid("x\xE6\xB8", 3, &bad)); /* truncated 温 */
	cr_assert_eq(bad, 1);
	cr_assert_not(utf8_valid("\xF4\x90\x80\x80", 4, &bad)); /* > U+10FFFF */
	cr_assert_not(utf8_valid("\xB8", 1, &bad));
}

Test(base_utf8, encode_decode_round_trip)
{
	uint32_t cps[] = {0x41, 0x7FF, 0x6E29, 0xFFFD, 0x1F600, 0x10FFFF};
	size_t i;
	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char b[4];
		uint32_t back = 0;
		size_t n = utf8_encode(cps[i], b);
		cr_assert_gt(n, 0);
		cr_assert_eq(utf8_decode(b, n, &back), n);
		cr_assert_eq(back, cps[i]);
	}
	cr_assert_eq(utf8_encode(0xD800, (char[4]){0}), 0);
}

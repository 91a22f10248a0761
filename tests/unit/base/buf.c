/* Tests of src/base/buf.c and src/base/arena.c. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

Test(base_buf, grows_and_caps)
{
	buf b;
	int i;
	buf_init(&b, 10);
	cr_assert_str_eq(buf_cstr(&b), "");
	cr_assert_eq(buf_puts(&b, "温州"), 0);
	cr_assert_eq(b.len, 6);
	cr_assert_eq(buf_printf(&b, "%d", 1234), 0);
	cr_assert_str_eq(buf_cstr(&b), "温州1234");
	cr_assert_eq(buf_puts(&b, "x"), CF_ETOOBIG);
	cr_assert_str_eq(buf_cstr(&b), "温州1234", "unchanged after refusing");
	cr_assert_eq(buf_printf(&b, "%s", "ab"), CF_ETOOBIG);
	buf_reset(&b);
	for (i = 0; i < 10; i++)
		cr_assert_eq(buf_putc(&b, 'a'), 0);
	cr_assert_eq(buf_putc(&b, 'a'), CF_ETOOBIG);
	buf_free(&b);
}

Test(base_buf, detach_hands_over_memory)
{
	buf b;
	size_t n;
	char *p;
	buf_init(&b, 0);
	buf_puts(&b, "hello");
	p = buf_detach(&b, &n);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(p, "hello");
	cr_assert_eq(b.len, 0);
	free(p);
	buf_free(&b);
}

Test(base_arena, allocates_aligned_zeroed_memory)
{
	arena *a = arena_create();
	char *s;
	int i;
	for (i = 0; i < 10000; i++) {
		unsigned char *p = arena_alloc(a, (size_t)(i % 97) + 1);
		cr_assert_eq((uintptr_t)p % 16, 0);
		cr_assert_eq(p[0], 0);
		p[0] = 0xFF;
	}
	s = arena_printf(a, "%s-%d", "瓯海区", 7);
	cr_assert_str_eq(s, "瓯海区-7");
	cr_assert_str_eq(arena_strndup(a, "abcdef", 3), "abc");
	cr_assert_not_null(arena_alloc(a, 1 << 20));
	cr_assert_geq(arena_used(a), (size_t)1 << 20);
	arena_free(a);
}

/* Unit tests for src/model/industry.c: GB/T 4754-2017 shapes and built-in table. */
#include <criterion/criterion.h>
#include <string.h>

#include "model/industry.h"

Test(model_industry, builtin_counts)
{
	size_t n, i, sec = 0, div = 0;
	const industry_row *r = industry_builtin(&n);
	cr_assert_eq(n, 117);
	for (i = 0; i < n; i++)
		if (r[i].parent)
			div++;
		else
			sec++;
	cr_assert_eq(sec, 20);
	cr_assert_eq(div, 97);
}

Test(model_industry, lookup)
{
	const industry_row *r = industry_builtin_find("38", 2);
	cr_assert_not_null(r);
	cr_assert_str_eq(r->name, "电气机械和器材制造业");
	cr_assert_str_eq(r->section, "C");
	r = industry_builtin_find("P", 1);
	cr_assert_str_eq(r->name, "教育");
	cr_assert_null(industry_builtin_find("98", 2));
	cr_assert_null(industry_builtin_find("U", 1));
}

Test(model_industry, shapes)
{
	industry_level l;
	cr_assert_eq(industry_shape("C", 1, &l, NULL), 0);
	cr_assert_eq(l, IND_SECTION);
	cr_assert_eq(industry_shape("38", 2, &l, NULL), 0);
	cr_assert_eq(l, IND_DIVISION);
	cr_assert_eq(industry_shape("381", 3, &l, NULL), 0);
	cr_assert_eq(l, IND_GROUP);
	cr_assert_eq(industry_shape("3811", 4, &l, NULL), 0);
	cr_assert_eq(l, IND_CLASS);
	cr_assert_eq(industry_shape("U", 1, &l, NULL), CF_EINVAL);
	cr_assert_eq(industry_shape("00", 2, &l, NULL), CF_EINVAL);
	cr_assert_eq(industry_shape("9811", 4, &l, NULL), CF_EINVAL);
	cr_assert_eq(industry_shape("38111", 5, &l, NULL), CF_EINVAL);
	cr_assert_eq(industry_shape("38a", 3, &l, NULL), CF_EINVAL);
}

Test(model_industry, section_of)
{
	cr_assert_eq(industry_section_of("3811", 4), 'C');
	cr_assert_eq(industry_section_of("0111", 4), 'A');
	cr_assert_eq(industry_section_of("83", 2), 'P');
	cr_assert_eq(industry_section_of("97", 2), 'T');
	cr_assert_eq(industry_section_of("M", 1), 'M');
	cr_assert_eq(industry_section_of("99", 2), 0);
}

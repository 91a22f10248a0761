/* Unit tests for src/model/value.c: parsing, formatting and checks of field values. */
#include <criterion/criterion.h>
#include <string.h>

#include "model/value.h"

static arena *A;
static void setup(void) { A = arena_create(); }
static void teardown(void) { arena_free(A); }

static const cf_field f_money = {"revenue", "营业收入(元)", FT_MONEY, 0, NULL, NULL, 0, 0, 0};
static const cf_field f_date = {"founded", "成立日期", FT_DATE, 0, NULL, NULL, 0, 0, 0};
static const cf_field f_bool = {"micro", "小微企业", FT_BOOL, 0, NULL, NULL, 0, 0, 0};
static const cf_field f_pct = {"share", "持股比例(%)", FT_PERCENT, 0, NULL, NULL, 0, 0, 0};
static const char *const lv[] = {"初级", "中级", "高级", NULL};
static const cf_field f_enum = {"level", "认证等级", FT_ENUM, 0, lv, NULL, 0, 0, 0};
static const cf_field f_text = {"name", "姓名", FT_TEXT, 0, NULL, NULL, 0, 0, 4};
static const cf_field f_int = {"trl", "TRL", FT_INT, 0, NULL, NULL, 1, 9, 0};
static const cf_field f_uscc = {"uscc", "统一社会信用代码", FT_USCC, 0, NULL, NULL, 0, 0, 0};
static const cf_field f_county = {"county", "县(市、区)", FT_COUNTY, 0, NULL, NULL, 0, 0, 0};
static const cf_field f_ind = {"industry_code", "行业代码", FT_INDUSTRY, 0, NULL, NULL, 0, 0, 0};
static const cf_field f_ref = {"chain_id", "产业", FT_REF, 0, NULL, "chain", 0, 0, 0};
static const cf_field f_ids = {"brokers", "指定经纪人", FT_IDLIST, 0, NULL, "broker", 0, 0, 0};

static int P(const cf_field *f, const char *s, cf_value *v, cf_err *e)
{
	return value_parse(f, s, strlen(s), A, v, e);
}

TestSuite(model_value, .init = setup, .fini = teardown);

Test(model_value, money)
{
	cf_value v;
	cf_err e;
	cr_assert_eq(P(&f_money, "1234.56", &v, &e), 0);
	cr_assert_eq(v.i, 123456);
	cr_assert_str_eq(value_format(&f_money, &v, A), "1234.56");
	cr_assert_eq(P(&f_money, " 1,000,000 ", &v, &e), 0);
	cr_assert_eq(v.i, 100000000);
	cr_assert_str_eq(value_format(&f_money, &v, A), "1000000.00");
	cr_assert_eq(P(&f_money, "0.5", &v, &e), 0);
	cr_assert_eq(v.i, 50);
	cr_assert_eq(P(&f_money, "92233720368547758.07", &v, &e), 0);
	cr_assert_eq(v.i, INT64_MAX);
}

Test(model_value, money_rejects)
{
	cf_value v = {0};
	cf_err e;
	cr_assert_eq(P(&f_money, "1.234", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "revenue"));
	cr_assert(strstr(e.msg, "two decimals"));
	cr_assert_eq(v.present, 0, "output untouched on failure");
	cr_assert_eq(P(&f_money, "-5", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "negative"));
	cr_assert_eq(P(&f_money, "12a", &v, &e), CF_EINVAL);
	cr_assert_eq(P(&f_money, "92233720368547758.08", &v, &e), CF_EINVAL);
}

Test(model_value, empty_is_absent)
{
	cf_value v;
	cr_assert_eq(P(&f_money, "   ", &v, NULL), 0);
	cr_assert_eq(v.present, 0);
	cr_assert_str_eq(value_format(&f_money, &v, A), "");
}

Test(model_value, dates)
{
	cf_value v;
	cf_err e;
	cr_assert_eq(P(&f_date, "2021-06-30", &v, &e), 0);
	cr_assert_eq(v.i, 18808);
	cr_assert_str_eq(value_format(&f_date, &v, A), "2021-06-30");
	cr_assert_eq(P(&f_date, "2020/02/29", &v, &e), 0);
	cr_assert_str_eq(value_format(&f_date, &v, A), "2020-02-29");
	cr_assert_eq(P(&f_date, "2023-02-29", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "founded"));
}

Test(model_value, bools)
{
	const char *yes[] = {"1", "true", "TRUE", "yes", "是"}, *no[] = {"0", "false", "No", "否"};
	cf_value v;
	cf_err e;
	size_t i;
	for (i = 0; i < 5; i++) {
		cr_assert_eq(P(&f_bool, yes[i], &v, &e), 0, "%s", yes[i]);
		cr_assert_eq(v.i, 1);
	}
	for (i = 0; i < 4; i++) {
		cr_assert_eq(P(&f_bool, no[i], &v, &e), 0, "%s", no[i]);
		cr_assert_eq(v.i, 0);
	}
	cr_assert_eq(P(&f_bool, "对", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "是"));
}

Test(model_value, percents)
{
	cf_value v;
	cf_err e;
	cr_assert_eq(P(&f_pct, "12.5", &v, &e), 0);
	cr_assert_eq(v.i, 1250);
	cr_assert_str_eq(value_format(&f_pct, &v, A), "12.5");
	cr_assert_eq(P(&f_pct, "12.05%", &v, &e), 0);
	cr_assert_eq(v.i, 1205);
	cr_assert_str_eq(value_format(&f_pct, &v, A), "12.05");
	cr_assert_eq(P(&f_pct, "100", &v, &e), 0);
	cr_assert_eq(v.i, 10000);
	cr_assert_str_eq(value_format(&f_pct, &v, A), "100");
	cr_assert_eq(P(&f_pct, "0", &v, &e), 0);
	cr_assert_eq(v.i, 0);
	cr_assert_eq(P(&f_pct, "100.01", &v, &e), CF_EINVAL);
	cr_assert_eq(P(&f_pct, "1.234", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "two decimals"));
	cr_assert_eq(P(&f_pct, "-1", &v, &e), CF_EINVAL);
	cr_assert_eq(P(&f_pct, ".", &v, &e), CF_EINVAL);
}

Test(model_value, enums_list_allowed)
{
	cf_value v;
	cf_err e;
	cr_assert_eq(P(&f_enum, "中级", &v, &e), 0);
	cr_assert_eq(v.s, lv[1], "canonical pointer");
	cr_assert_eq(P(&f_enum, "顶级", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "初级, 中级, 高级"), "%s", e.msg);
}

Test(model_value, utf8_and_length)
{
	cf_value v;
	cf_err e;
	cr_assert_eq(P(&f_text, "温州瓯海", &v, &e), 0);
	cr_assert_eq(v.n, 12);
	cr_assert_eq(P(&f_text, "温州瓯海区", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "5 characters"), "%s", e.msg);
	cr_assert_eq(value_parse(&f_text, "a\0b", 3, A, &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "control character 0x00 at byte 1"), "%s", e.msg);
	cr_assert_eq(P(&f_text, "a\tb", &v, &e), 0);
	cr_assert_eq(P(&f_text, "ab\xC3(", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "byte 2"), "%s", e.msg);
}

Test(model_value, int_bounds)
{
	cf_value v;
	cf_err e;
	cr_assert_eq(P(&f_int, "9", &v, &e), 0);
	cr_assert_eq(v.i, 9);
	cr_assert_eq(P(&f_int, "10", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "1..9"));
	cr_assert_eq(P(&f_int, "3.5", &v, &e), CF_EINVAL);
	cr_assert_eq(P(&f_int, "99999999999999999999", &v, &e), CF_EINVAL);
}

Test(model_value, uscc_county_industry)
{
	cf_value v;
	cf_err e;
	cr_assert_eq(P(&f_uscc, "91520000214434146R", &v, &e), 0);
	cr_assert_eq(P(&f_uscc, "91520000214434146X", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "expected 'R'"), "%s", e.msg);
	cr_assert_eq(P(&f_county, "龙港市", &v, &e), 0);
	cr_assert_eq(P(&f_county, "杭州市", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "泰顺县"));
	cr_assert_eq(P(&f_ind, "3811", &v, &e), 0);
	cr_assert_eq(P(&f_ind, "381A", &v, &e), CF_EINVAL);
}

Test(model_value, refs_and_idlists)
{
	cf_value v;
	cf_err e;
	cr_assert_eq(P(&f_ref, "7", &v, &e), 0);
	cr_assert_eq(v.i, 7);
	cr_assert_eq(P(&f_ref, "0", &v, &e), CF_EINVAL);
	cr_assert_eq(P(&f_ref, "-3", &v, &e), CF_EINVAL);
	cr_assert_eq(P(&f_ids, "3, 5 ,9", &v, &e), 0);
	cr_assert_str_eq(v.s, "3,5,9");
	cr_assert_str_eq(value_format(&f_ids, &v, A), "3,5,9");
	cr_assert_eq(P(&f_ids, "+3,007", &v, &e), 0);
	cr_assert_str_eq(v.s, "3,7");
	cr_assert_eq(P(&f_ids, "3,,9", &v, &e), CF_EINVAL);
	cr_assert_eq(P(&f_ids, "3,5,3", &v, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "twice"));
}

Test(model_value, record_check_required)
{
	cf_record r;
	cf_err e;
	const cf_entity *ent = schema_entity("broker");
	cr_assert_eq(record_new(ent, A, &r), 0);
	cr_assert_eq(record_check(&r, 1, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "name");
	cr_assert_eq(record_check(&r, 0, &e), 0);
	cr_assert_eq(P(&ent->fields[0], "张三", &r.v[0], &e), 0);
	cr_assert_eq(P(&ent->fields[2], "高级", &r.v[2], &e), 0);
	cr_assert_eq(P(&ent->fields[7], "active", &r.v[7], &e), 0);
	cr_assert_eq(record_check(&r, 1, &e), 0);
	r.v[3] = (cf_value){1, 100001, NULL, 0}; /* training_hours over 100000 */
	cr_assert_eq(record_check(&r, 1, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "training_hours");
}

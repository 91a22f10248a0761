/* Tests of src/policy/policy.c: the shipped versions, version by date, and refused files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "policy/policy.h"

static const char good[] =
	"{\"id\":\"x\",\"name\":\"x\",\"in_force\":true,\"effective_from\":\"2020-01-01\",\"effective_to\":\"2022-12-31\","
	"\"award\":{\"tiers\":[{\"upto_fen\":100,\"rate_bp\":150},{\"upto_fen\":null,\"rate_bp\":100}],\"split\":\"shares\"},"
	"\"clawback\":\"all\",\"ban_years\":5,\"payment_due_days\":90,"
	"\"related_party\":{\"min_share_bp\":500,\"max_depth\":3,\"broker_min_share_bp\":1}}";

/* good with the first occurrence of from replaced by to, parsed; returns the status and fills e. */
static int parse_edit(const char *from, const char *to, cf_err *e)
{
	char text[2048];
	const char *at = strstr(good, from);
	policy p;
	cr_assert(at, "fixture lacks %s", from);
	snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	cf_err_clear(e);
	return policy_parse(text, strlen(text), "bad.json", &p, e);
}

Test(policy_policy, shipped_versions_load)
{
	policy_set *s = NULL;
	cf_err e;
	const policy *p;
	cr_assert_eq(policy_set_load_default(&s, &e), 0, "%s: %s", e.where, e.msg);
	p = policy_set_find(s, "nbsz-2020");
	cr_assert(p);
	cr_assert_eq(p->ntiers, 2);
	cr_assert_eq(p->tiers[0].upto_fen, 100000000);
	cr_assert_eq(p->tiers[0].rate_bp, 150);
	cr_assert_eq(p->tiers[1].upto_fen, POLICY_OPEN_FEN);
	cr_assert_eq(p->tiers[1].rate_bp, 100);
	cr_assert_eq(p->ban_years, 5);
	cr_assert_eq(p->cap_contract_fen, -1);
	cr_assert_eq(policy_set_at(s, date_from_ymd(2024, 6, 1)), p);
	cr_assert_null(policy_set_at(s, date_from_ymd(2019, 12, 31)));
	p = policy_set_find(s, "us-tlo-15");
	cr_assert(p);
	cr_assert_eq(p->in_force, 0);
	cr_assert_eq(p->tiers[0].rate_bp, 1500);
	cr_assert(policy_covers_type(p, "技术转让"));
	cr_assert(!policy_covers_type(p, "技术开发"));
	policy_set_free(s);
}

Test(policy_policy, good_fixture_parses)
{
	policy p;
	cf_err e;
	cr_assert_eq(policy_parse(good, strlen(good), "g.json", &p, &e), 0, "%s: %s", e.where, e.msg);
	cr_assert_eq(p.to, date_from_ymd(2022, 12, 31));
	cr_assert_eq(p.rp_max_depth, 3);
}

Test(policy_policy, errors_name_the_json_path)
{
	cf_err e;
	cr_assert_eq(parse_edit("\"rate_bp\":100}", "\"rate_bp\":10001}", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.award.tiers[1].rate_bp");
	cr_assert_eq(parse_edit("\"rate_bp\":150", "\"rate_bp\":1.5", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.award.tiers[0].rate_bp");
	cr_assert_eq(parse_edit("{\"upto_fen\":null", "{\"upto_fen\":50", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.award.tiers[1].upto_fen");
	cr_assert_eq(parse_edit("{\"upto_fen\":100,", "{\"upto_fen\":null,", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.award.tiers[0].upto_fen");
	cr_assert_eq(parse_edit("\"split\":\"shares\"", "\"split\":\"shares\",\"cap_per_contract\":5", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.award.cap_per_contract");
	cr_assert_eq(parse_edit("\"split\":\"shares\"", "\"split\":\"half\"", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.award.split");
	cr_assert_eq(parse_edit("\"2022-12-31\"", "\"2019-12-31\"", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.effective_to");
	cr_assert_eq(parse_edit("\"2020-01-01\"", "\"2020-02-30\"", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.effective_from");
	cr_assert_eq(parse_edit("\"max_depth\":3", "\"max_depth\":0", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.related_party.max_depth");
	cr_assert_eq(parse_edit("\"ban_years\":5,", "", &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "bad.json: $.ban_years");
}

Test(policy_policy, syntax_error_names_line_and_column)
{
	policy p;
	cf_err e;
	const char *t = "{\n  \"id\": \"x\",\n  \"name\" \"y\"\n}";
	cr_assert_eq(policy_parse(t, strlen(t), "s.json", &p, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "s.json:3:12");
}

Test(policy_policy, overlapping_in_force_versions_conflict)
{
	policy a, b;
	policy_set *s = policy_set_create();
	cf_err e;
	cr_assert_eq(policy_parse(good, strlen(good), "a.json", &a, &e), 0);
	b = a;
	snprintf(b.id, sizeof b.id, "y");
	b.from = date_from_ymd(2022, 12, 31);
	b.to = POLICY_OPEN_DATE;
	cr_assert_eq(policy_set_add(s, &a, &e), 0);
	cr_assert_eq(policy_set_add(s, &b, &e), CF_ECONFLICT);
	cr_assert_eq(policy_set_add(s, &a, &e), CF_ECONFLICT); /* same id twice */
	b.from = date_from_ymd(2023, 1, 1);
	cr_assert_eq(policy_set_add(s, &b, &e), 0);
	cr_assert_str_eq(policy_set_at(s, date_from_ymd(2022, 12, 31))->id, "x");
	cr_assert_str_eq(policy_set_at(s, date_from_ymd(2023, 1, 1))->id, "y");
	policy_set_free(s);
}

/* Unit tests for src/api/json_record.c: record → JSON by type and JSON → record with paths. */
#include <criterion/criterion.h>
#include <string.h>

#include "api/json_record.h"
#include "model/value.h"

static arena *A;
static const cf_entity *demand, *enterprise;
static void setup(void)
{
	A = arena_create();
	demand = schema_entity("demand");
	enterprise = schema_entity("enterprises");
}
static void teardown(void) { arena_free(A); }

TestSuite(api_json_record, .init = setup, .fini = teardown);

static json_t *J(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	return j;
}

static const char *err_path(json_t *errs, size_t i)
{
	return json_string_value(json_object_get(json_array_get(errs, i), "path"));
}

Test(api_json_record, apply_then_render_round_trip)
{
	cf_record r;
	json_t *in = J("{\"enterprise_id\": 3, \"title\": \"密封件\", \"budget\": \"1234.5\", \"deadline\": \"2026-02-28\","
		       " \"visibility\": \"brokers\", \"brokers\": [4, 9], \"id\": 77, \"synthetic\": true}");
	json_t *errs = json_array(), *out;
	cr_assert_eq(record_new(demand, A, &r), 0);
	cr_assert_eq(json_record_apply(in, &r, A, errs), 0);
	cr_assert_eq(json_array_size(errs), 0);
	cr_assert_eq(r.v[schema_field(demand, "budget")].i, 123450);
	cr_assert_eq(r.id, 0); /* id and synthetic are read-only */
	r.id = 5;
	out = json_record_to(&r, A);
	cr_assert_str_eq(json_string_value(json_object_get(out, "budget")), "1234.50");
	cr_assert_str_eq(json_string_value(json_object_get(out, "deadline")), "2026-02-28");
	cr_assert_eq(json_integer_value(json_object_get(out, "enterprise_id")), 3);
	cr_assert_eq(json_integer_value(json_object_get(out, "id")), 5);
	cr_assert_eq(json_array_size(json_object_get(out, "brokers")), 2);
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(out, "brokers"), 1)), 9);
	cr_assert(json_is_null(json_object_get(out, "description")));
	cr_assert(json_is_false(json_object_get(out, "synthetic")));
	json_decref(in);
	json_decref(out);
	json_decref(errs);
}

Test(api_json_record, money_integer_of_yuan_and_real_rejected)
{
	cf_record r;
	json_t *errs = json_array(), *in = J("{\"revenue\": 250000, \"rd_expense\": 1.5, \"employees\": 2.0}");
	record_new(enterprise, A, &r);
	cr_assert_eq(json_record_apply(in, &r, A, errs), CF_EINVAL);
	cr_assert_eq(r.v[schema_field(enterprise, "revenue")].i, 25000000);
	cr_assert_eq(json_array_size(errs), 2);
	cr_assert_str_eq(err_path(errs, 0), "$.rd_expense");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(errs, 0), "detail")),
			 "money must be a string like \"1234.56\" or an integer of yuan, not a real number");
	cr_assert_str_eq(err_path(errs, 1), "$.employees");
	json_decref(in);
	json_decref(errs);
}

Test(api_json_record, percent_and_booleans)
{
	cf_record r;
	const cf_entity *sh = schema_entity("shareholder");
	json_t *errs = json_array(), *in = J("{\"share\": 12.5}"), *out;
	record_new(sh, A, &r);
	cr_assert_eq(json_record_apply(in, &r, A, errs), 0);
	cr_assert_eq(r.v[schema_field(sh, "share")].i, 1250);
	out = json_record_to(&r, A);
	cr_assert_float_eq(json_real_value(json_object_get(out, "share")), 12.5, 1e-9);
	json_decref(out);
	json_decref(in);
	in = J("{\"share\": \"40\"}");
	cr_assert_eq(json_record_apply(in, &r, A, errs), 0);
	out = json_record_to(&r, A);
	cr_assert_eq(json_integer_value(json_object_get(out, "share")), 40);
	json_decref(out);
	json_decref(in);
	in = J("{\"above_scale\": 1}");
	record_new(enterprise, A, &r);
	cr_assert_eq(json_record_apply(in, &r, A, errs), CF_EINVAL);
	cr_assert_str_eq(err_path(errs, 0), "$.above_scale");
	json_decref(in);
	json_decref(errs);
}

Test(api_json_record, unknown_wrong_type_null_and_not_object)
{
	cf_record r;
	json_t *errs = json_array(), *in = J("{\"title\": null, \"nope\": 1, \"brokers\": [1, 0], \"enterprise_id\": \"3\"}");
	record_new(demand, A, &r);
	r.v[schema_field(demand, "title")].present = 1;
	cr_assert_eq(json_record_apply(in, &r, A, errs), CF_EINVAL);
	cr_assert_eq(r.v[schema_field(demand, "title")].present, 0); /* null clears */
	cr_assert_eq(json_array_size(errs), 3);
	cr_assert_str_eq(err_path(errs, 0), "$.nope");
	cr_assert_str_eq(err_path(errs, 1), "$.brokers");
	cr_assert_str_eq(err_path(errs, 2), "$.enterprise_id");
	json_decref(in);
	json_array_clear(errs);
	in = J("[1]");
	cr_assert_eq(json_record_apply(in, &r, A, errs), CF_EINVAL);
	cr_assert_str_eq(err_path(errs, 0), "$");
	json_decref(in);
	json_decref(errs);
}

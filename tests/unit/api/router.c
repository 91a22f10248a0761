/* Unit tests for src/api/router.c (route matching, problems) and src/api/jsonpath.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "api/api_int.h"

static int h_dummy(api_req *rq, api_res *rs, cf_err *e) { return 0; }

/* Registered by hand: the test binary links no h_*.c, so these are the only routes. */
static struct api_route r_list = {"GET", "/t/items", h_dummy, NULL, NULL};
static struct api_route r_make = {"POST", "/t/items", h_dummy, NULL, NULL};
static struct api_route r_one = {"GET", "/t/items/{id}", h_dummy, NULL, NULL};
static struct api_route r_del = {"DELETE", "/t/items/{id}", h_dummy, NULL, NULL};
static struct api_route r_import = {"GET", "/t/items/import", h_dummy, NULL, NULL};
static struct api_route r_nested = {"GET", "/t/items/{id}/parts/{part}", h_dummy, NULL, NULL};
static arena *A;

static void setup(void)
{
	static int done;
	A = arena_create();
	if (!done) {
		api_route_register(&r_list);
		api_route_register(&r_make);
		api_route_register(&r_one);
		api_route_register(&r_del);
		api_route_register(&r_import);
		api_route_register(&r_nested);
		done = 1;
	}
}
static void teardown(void) { arena_free(A); }

TestSuite(api_router, .init = setup, .fini = teardown);

Test(api_router, literal_and_params)
{
	api__match m;
	cr_assert_eq(api__route_match("GET", "/t/items", A, &m), 0);
	cr_assert_eq(m.route, &r_list);
	cr_assert_eq(m.nparams, 0);
	cr_assert_eq(api__route_match("GET", "/t/items/42", A, &m), 0);
	cr_assert_eq(m.route, &r_one);
	cr_assert_eq(m.nparams, 1);
	cr_assert_str_eq(m.params[0].name, "id");
	cr_assert_str_eq(m.params[0].value, "42");
	cr_assert_eq(api__route_match("GET", "/t/items/7/parts/abc", A, &m), 0);
	cr_assert_eq(m.route, &r_nested);
	cr_assert_str_eq(m.params[1].name, "part");
	cr_assert_str_eq(m.params[1].value, "abc");
}

Test(api_router, most_literal_wins)
{
	api__match m;
	cr_assert_eq(api__route_match("GET", "/t/items/import", A, &m), 0);
	cr_assert_eq(m.route, &r_import);
}

Test(api_router, not_found_and_method_not_allowed)
{
	api__match m;
	cr_assert_eq(api__route_match("GET", "/t/other", A, &m), CF_ENOTFOUND);
	cr_assert_eq(api__route_match("GET", "/t/items/", A, &m), CF_ENOTFOUND); /* empty {id} */
	cr_assert_eq(api__route_match("GET", "/t/items/1/parts", A, &m), CF_ENOTFOUND);
	cr_assert_eq(api__route_match("PUT", "/t/items", A, &m), CF_EFORBIDDEN);
	cr_assert_str_eq(m.allow, "GET, POST");
	cr_assert_eq(api__route_match("PATCH", "/t/items/3", A, &m), CF_EFORBIDDEN);
	cr_assert_str_eq(m.allow, "GET, DELETE");
}

Test(api_router, problem_document)
{
	api_res rs;
	cf_err e;
	memset(&rs, 0, sizeof rs);
	cf_err_set(&e, CF_EINVAL, "budget", "budget: amount \"1.234\" has more than two decimals");
	cr_assert_eq(api_error(&rs, &e), CF_EINVAL);
	cr_assert_eq(rs.status, 422);
	cr_assert_str_eq(rs.content_type, "application/problem+json");
	cr_assert_str_eq(json_string_value(json_object_get(rs.json, "type")), "/problems/validation-error");
	cr_assert_eq(json_integer_value(json_object_get(rs.json, "status")), 422);
	{
		json_t *first = json_array_get(json_object_get(rs.json, "errors"), 0);
		cr_assert_str_eq(json_string_value(json_object_get(first, "path")), "$.budget");
	}
	cf_err_set(&e, CF_ECONFLICT, NULL, "taken");
	cr_assert_eq(api_error(&rs, &e), CF_ECONFLICT);
	cr_assert_eq(rs.status, 409);
	cr_assert_null(json_object_get(rs.json, "errors"));
	cf_err_set(&e, CF_EIO, NULL, "disk");
	api_error(&rs, &e);
	cr_assert_eq(rs.status, 500);
	json_decref(rs.json);
}

static const char *path_at(const char *s, size_t off)
{
	static char out[128];
	api__json_path_at(s, strlen(s), off, out, sizeof out);
	return out;
}

TestSuite(api_jsonpath);

Test(api_jsonpath, paths_at_offsets)
{
	const char *s = "{\"a\": 1, \"b\": [10, {\"c\": \"x,y\"}, 3], \"d\": {\"e\": [[1, 2]]}}";
	cr_assert_str_eq(path_at(s, 0), "$");
	cr_assert_str_eq(path_at(s, strchr(s, '1') - s), "$.a");
	cr_assert_str_eq(path_at(s, strstr(s, "10") - s), "$.b[0]");
	cr_assert_str_eq(path_at(s, strstr(s, "x,y") - s + 2), "$.b[1].c"); /* a comma inside a string */
	cr_assert_str_eq(path_at(s, strstr(s, "3]") - s), "$.b[2]");
	cr_assert_str_eq(path_at(s, strstr(s, "2]]") - s), "$.d.e[0][1]");
}

Test(api_jsonpath, escaped_quote_and_truncated_text)
{
	const char *s = "{\"k\\\"q\": [\"a\\\"b\", \"\xff\"";
	cr_assert_str_eq(path_at(s, strlen(s) - 2), "$.k\\\"q[1]");
	cr_assert_str_eq(path_at("{\"name\": \"ab", 11), "$.name");
}

Test(api_jsonpath, invalid_utf8_replaced_in_messages)
{
	json_t *j = api__json_str("a\xff" "b\xe7\x94\xb5\xe7");
	cr_assert_not_null(j);
	cr_assert_str_eq(json_string_value(j), "a\xEF\xBF\xBD" "b\xe7\x94\xb5\xEF\xBF\xBD");
	json_decref(j);
	j = api__json_str("泵阀");
	cr_assert_str_eq(json_string_value(j), "泵阀");
	json_decref(j);
}

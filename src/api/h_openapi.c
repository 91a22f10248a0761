/*
 * h_openapi — GET /api/v1/openapi.json: an OpenAPI 3.0 document of the whole API, built at
 * request time from the route table (every route any room registered), the authorization
 * table (summary and, as x-roles, who may call it) and, for the generic registry routes, the
 * entities of model/schema.h (request and response schemas).
 */
#include <string.h>

#include "api/api.h"

static json_t *field_schema(const cf_field *f)
{
	json_t *o = json_object();
	size_t i;
	switch (f->type) {
	case FT_TEXT:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "maxLength", json_integer(f->max_len ? f->max_len : 200));
		break;
	case FT_INT:
		json_object_set_new(o, "type", json_string("integer"));
		if (f->min < f->max) {
			json_object_set_new(o, "minimum", json_integer(f->min));
			json_object_set_new(o, "maximum", json_integer(f->max));
		}
		break;
	case FT_MONEY:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "description", json_string("yuan, as text \"1234.56\" (stored as integer fen)"));
		break;
	case FT_DATE:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "format", json_string("date"));
		break;
	case FT_BOOL:
		json_object_set_new(o, "type", json_string("boolean"));
		break;
	case FT_ENUM:
	case FT_COUNTY: {
		const char *const *v = f->type == FT_ENUM ? f->enum_vals : cf_counties;
		json_t *e = json_array();
		json_object_set_new(o, "type", json_string("string"));
		for (i = 0; v && v[i]; i++)
			json_array_append_new(e, json_string(v[i]));
		json_object_set_new(o, "enum", e);
		break;
	}
	case FT_PERCENT:
		json_object_set_new(o, "type", json_string("number"));
		json_object_set_new(o, "minimum", json_integer(0));
		json_object_set_new(o, "maximum", json_integer(100));
		break;
	case FT_USCC:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "pattern", json_string("^[0-9A-HJ-NPQRTUWXY]{18}$"));
		break;
	case FT_INDUSTRY:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "description", json_string("GB/T 4754-2017 code"));
		break;
	case FT_REF:
		json_object_set_new(o, "type", json_string("integer"));
		json_object_set_new(o, "description", json_sprintf("id of a %s", f->ref ? f->ref : "row"));
		break;
	case FT_IDLIST:
		json_object_set_new(o, "type", json_string("string"));
		json_object_set_new(o, "description", json_sprintf("ids of %s rows, \"3,5,9\"", f->ref ? f->ref : "other"));
		break;
	}
	if (f->zh)
		json_object_set_new(o, "title", json_string(f->zh));
	if (f->flags & F_READONLY)
		json_object_set_new(o, "readOnly", json_true());
	return o;
}

static json_t *entity_schema(const cf_entity *ent)
{
	json_t *o = json_object(), *props = json_object(), *req = json_array(), *id = json_object();
	size_t i;
	json_object_set_new(o, "type", json_string("object"));
	json_object_set_new(o, "title", json_string(ent->zh));
	json_object_set_new(id, "type", json_string("integer"));
	json_object_set_new(id, "readOnly", json_true());
	json_object_set_new(props, "id", id);
	for (i = 0; i < ent->nfields; i++) {
		json_object_set_new(props, ent->fields[i].name, field_schema(&ent->fields[i]));
		if (ent->fields[i].flags & F_REQUIRED)
			json_array_append_new(req, json_string(ent->fields[i].name));
	}
	json_object_set_new(props, "synthetic", json_pack("{s:s,s:b}", "type", "boolean", "readOnly", 1));
	json_object_set_new(o, "properties", props);
	json_object_set_new(o, "required", req);
	return o;
}

static const cf_entity *route_entity(const struct api_route *r)
{
	size_t i;
	for (i = 0; i < cf_nentities; i++)
		if (r->ctx == (const void *)cf_entities[i])
			return cf_entities[i];
	return NULL;
}

static json_t *ref(const char *name)
{
	return json_pack("{s:s}", "$ref", name);
}

static json_t *json_content(json_t *schema)
{
	return json_pack("{s:{s:o}}", "application/json", "schema", schema);
}

/* The operation object of route r. */
static json_t *operation(const struct api_route *r)
{
	json_t *op = json_object(), *params = json_array(), *roles = json_object(), *resp = json_object();
	const cf_entity *ent = route_entity(r);
	const char *summary = NULL, *p;
	char opid[200];
	size_t k = 0;
	int role, any = 0;

	for (role = 0; role < ROLE_COUNT; role++) {
		authz_decision d = authz_decide(r->method, r->pattern, (cf_role)role, role ? NULL : &summary);
		if (d != AUTHZ_DENY)
			any = 1;
		json_object_set_new(roles, viewer_role_name((cf_role)role),
				    json_string(d == AUTHZ_ALLOW ? "allow" : d == AUTHZ_OWNER ? "owner" : "deny"));
	}
	json_object_set_new(op, "summary", json_string(summary ? summary : r->pattern));
	/* operationId: method + the pattern's letters */
	k = (size_t)snprintf(opid, sizeof opid, "%s", r->method);
	for (p = r->pattern; *p && k + 2 < sizeof opid; p++)
		opid[k++] = ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) ? *p : '_';
	opid[k] = '\0';
	json_object_set_new(op, "operationId", json_string(opid));
	json_object_set_new(op, "x-roles", roles);
	for (p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		if (!end)
			break;
		json_array_append_new(params, json_pack("{s:s%,s:s,s:b,s:{s:s}}", "name", p + 1, (size_t)(end - p - 1), "in",
							"path", "required", 1, "schema", "type",
							!strncmp(p, "{id}", 4) ? "integer" : "string"));
	}
	if (ent) {
		char sref[128];
		snprintf(sref, sizeof sref, "#/components/schemas/%s", ent->name);
		json_object_set_new(op, "tags", json_pack("[s]", ent->plural));
		if (!strcmp(r->method, "GET") && !strchr(r->pattern + 8, '{')) {
			size_t i;
			json_array_append_new(params, json_pack("{s:s,s:s,s:{s:s}}", "name", "q", "in", "query", "schema",
								"type", "string"));
			json_array_append_new(params, json_pack("{s:s,s:s,s:{s:s}}", "name", "sort", "in", "query", "schema",
								"type", "string"));
			json_array_append_new(params, json_pack("{s:s,s:s,s:{s:s}}", "name", "cursor", "in", "query",
								"schema", "type", "string"));
			json_array_append_new(params, json_pack("{s:s,s:s,s:{s:s,s:i,s:i}}", "name", "limit", "in", "query",
								"schema", "type", "integer", "minimum", 1, "maximum", 1000));
			for (i = 0; i < ent->nfields; i++)
				if (ent->fields[i].flags & F_FILTER)
					json_array_append_new(params, json_pack("{s:s,s:s,s:o}", "name", ent->fields[i].name,
										"in", "query", "schema",
										field_schema(&ent->fields[i])));
			json_object_set_new(resp, "200", json_pack("{s:s,s:o}", "description", "a page of rows", "content",
								   json_content(json_pack("{s:s,s:{s:{s:s,s:o},s:{s:s},s:{s:s,s:b}}}",
											  "type", "object", "properties", "items",
											  "type", "array", "items", ref(sref),
											  "total", "type", "integer", "next_cursor",
											  "type", "string", "nullable", 1))));
		} else if (!strcmp(r->method, "DELETE")) {
			json_object_set_new(resp, "204", json_pack("{s:s}", "description", "deleted"));
		} else {
			const char *code = !strcmp(r->method, "POST") ? "201" : "200";
			json_object_set_new(resp, code, json_pack("{s:s,s:o}", "description", "the row", "content",
								  json_content(ref(sref))));
		}
		if (!strcmp(r->method, "POST") || !strcmp(r->method, "PUT") || !strcmp(r->method, "PATCH"))
			json_object_set_new(op, "requestBody", json_pack("{s:b,s:o}", "required", 1, "content",
									 json_content(ref(sref))));
	} else {
		json_object_set_new(resp, "200", json_pack("{s:s}", "description", "success"));
	}
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	json_object_set_new(resp, "default", json_pack("{s:s,s:{s:{s:o}}}", "description", "an RFC 7807 problem", "content",
							"application/problem+json", "schema", ref("#/components/schemas/Problem")));
	json_object_set_new(op, "responses", resp);
	if (!any)
		json_object_set_new(op, "x-denied", json_true());
	if (!strcmp(r->pattern, "/api/v1/auth/login") || authz_decide(r->method, r->pattern, ROLE_PUBLIC, NULL) == AUTHZ_ALLOW)
		json_object_set_new(op, "security", json_pack("[{}, {s:[]}]", "cookieAuth"));
	return op;
}

static int openapi(api_req *rq, api_res *rs, cf_err *e)
{
	json_t *doc, *paths, *schemas;
	const struct api_route *r;
	size_t i;

	if (rq->nquery)
		return api_query_check(rq, rs, NULL, NULL, NULL);
	paths = json_object();
	schemas = json_object();
	for (r = api_routes(); r; r = r->next) {
		json_t *item = json_object_get(paths, r->pattern);
		char m[16];
		size_t k;
		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		for (k = 0; r->method[k] && k + 1 < sizeof m; k++)
			m[k] = (char)(r->method[k] >= 'A' && r->method[k] <= 'Z' ? r->method[k] + 32 : r->method[k]);
		m[k] = '\0';
		json_object_set_new(item, m, operation(r));
	}
	for (i = 0; i < cf_nentities; i++)
		json_object_set_new(schemas, cf_entities[i]->name, entity_schema(cf_entities[i]));
	json_object_set_new(schemas, "Problem",
			    json_pack("{s:s,s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}}}", "type", "object",
				      "properties", "type", "type", "string", "title", "type", "string", "status", "type",
				      "integer", "detail", "type", "string", "instance", "type", "string", "errors", "type",
				      "array"));
	json_object_set_new(schemas, "User",
			    json_pack("{s:s,s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s,s:b},s:{s:s,s:b},s:{s:s,s:b},s:{s:s,s:b}}}",
				      "type", "object", "properties", "id", "type", "integer", "username", "type", "string",
				      "role", "type", "string", "display_name", "type", "string", "nullable", 1,
				      "enterprise_id", "type", "integer", "nullable", 1, "platform_id", "type", "integer",
				      "nullable", 1, "broker_id", "type", "integer", "nullable", 1));
	doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:o,s:{s:o,s:{s:{s:s,s:s,s:s},s:{s:s,s:s,s:s}}},s:[{s:[]}]}", "openapi",
			"3.0.3", "info", "title", "chainfuse 两链融合服务平台 API", "version", "1", "description",
			"中文优先 / Chinese first. Log in with POST /api/v1/auth/login; the cf_session cookie "
			"identifies the session and every state-changing request carries X-CSRF-Token. x-roles on "
			"each operation is the authorization table (data/auth/authz.json).",
			"paths", paths, "components", "schemas", schemas, "securitySchemes", "cookieAuth", "type",
			"apiKey", "in", "cookie", "name", "cf_session", "csrfToken", "type", "apiKey", "in", "header",
			"name", "X-CSRF-Token", "security", "cookieAuth");
	if (!doc)
		return cf_err_set(e, CF_EINTERNAL, NULL, "cannot build the OpenAPI document");
	return api_json(rs, 200, doc);
}
API_ROUTE(r_openapi, "GET", "/api/v1/openapi.json", openapi)

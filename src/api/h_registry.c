/*
 * h_registry — generic REST for every registry entity of model/schema.h, under its plural:
 *   GET    /api/v1/{plural}?q=&sort=field|-field&cursor=&limit=&<filter field>=value
 *   POST   /api/v1/{plural}          create → 201 + Location
 *   GET    /api/v1/{plural}/{id}
 *   PUT    /api/v1/{plural}/{id}     full replacement
 *   PATCH  /api/v1/{plural}/{id}     merge onto the stored row, then validate the whole row
 *   DELETE /api/v1/{plural}/{id}     204
 * plus GET /api/v1/entities, the schema for the UI. Routes are registered from the entity
 * table at start-up, so a new entity in entities.c gets its REST endpoints with no edit here.
 * Writes go through service/registry.c, which validates and writes in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/json_record.h"
#include "model/value.h"
#include "service/registry.h"

#define MAX_ENTITIES 32

static int is_filter(const void *ctx, const char *name)
{
	const cf_entity *ent = ctx;
	int fi = schema_field(ent, name);
	return fi >= 0 && (ent->fields[fi].flags & F_FILTER);
}

static int list(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"q", "sort", "cursor", "limit", NULL};
	const cf_entity *ent = rq->ctx;
	store_query q;
	store_page page;
	store_filter *filters;
	const char *sort, *lim;
	json_t *o, *items;
	size_t i, nf = 0;
	int rc;

	rc = api_query_check(rq, rs, allowed, is_filter, ent);
	if (rc)
		return rc;
	memset(&q, 0, sizeof q);
	q.sort_field = -1;
	q.who = rq->who;
	q.q = api_query(rq, "q");
	if (q.q && !*q.q)
		q.q = NULL;
	q.cursor = api_query(rq, "cursor");
	if (q.cursor && !*q.cursor)
		q.cursor = NULL;
	sort = api_query(rq, "sort");
	if (sort && *sort) {
		const char *name = sort[0] == '-' ? sort + 1 : sort;
		q.sort_desc = sort[0] == '-';
		if (strcmp(name, "id") != 0) {
			int fi = schema_field(ent, name);
			if (fi < 0 || !(ent->fields[fi].flags & F_SORT))
				return api_problem(rs, 400, "sort", "cannot sort %s by \"%s\"", ent->plural, name);
			q.sort_field = fi;
		}
	}
	lim = api_query(rq, "limit");
	if (lim) {
		char *end;
		long v = strtol(lim, &end, 10);
		if (end == lim || *end || v < 1 || v > 1000)
			return api_problem(rs, 400, "limit", "limit must be an integer from 1 to 1000, not \"%s\"", lim);
		q.limit = (int)v;
	}
	filters = arena_alloc(rq->a, (rq->nquery + 1) * sizeof *filters);
	if (!filters)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < rq->nquery; i++) {
		int fi;
		cf_value v;
		if (!is_filter(ent, rq->query[i].name))
			continue;
		fi = schema_field(ent, rq->query[i].name);
		cf_err_clear(e);
		if (value_parse(&ent->fields[fi], rq->query[i].value, strlen(rq->query[i].value), rq->a, &v, e) != 0)
			return api_problem(rs, 400, rq->query[i].name, "%s", e->msg);
		filters[nf].field = fi;
		filters[nf].value = rq->query[i].value;
		nf++;
	}
	q.filters = filters;
	q.nfilters = nf;
	rc = registry_list(rq->db, rq->who, ent, &q, rq->a, &page, e);
	if (rc == CF_EINVAL)
		return api_problem(rs, 400, e->where[0] ? e->where : "cursor", "%s", e->msg);
	if (rc)
		return rc;
	o = json_object();
	items = json_array();
	if (!o || !items) {
		json_decref(o);
		json_decref(items);
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	}
	for (i = 0; i < page.n; i++)
		json_array_append_new(items, json_record_to(&page.rows[i], rq->a));
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "total", json_integer(page.total));
	json_object_set_new(o, "next_cursor", page.next_cursor ? json_string(page.next_cursor) : json_null());
	return api_json(rs, 200, o);
}

/* The one answer for a row that does not exist or that the viewer may not see: the same
 * body for both, so that a 404 never tells them apart. */
static int not_found(api_res *rs, const cf_entity *ent, int64_t id)
{
	return api_problem(rs, 404, NULL, "no %s with id %lld", ent->name, (long long)id);
}

/* The {id} of an item route, which takes no query parameters. */
static int item_id(const api_req *rq, api_res *rs, int64_t *id)
{
	if (rq->nquery)
		return api_query_check(rq, rs, NULL, NULL, NULL);
	return api_param_id(rq, rs, "id", id);
}

static int get_one(api_req *rq, api_res *rs, cf_err *e)
{
	const cf_entity *ent = rq->ctx;
	cf_record r;
	int64_t id;
	int rc;

	rc = item_id(rq, rs, &id);
	if (rc)
		return rc;
	rc = registry_get(rq->db, rq->who, ent, id, rq->a, &r, e);
	if (rc == CF_ENOTFOUND)
		return not_found(rs, ent, id);
	if (rc)
		return rc;
	return api_json(rs, 200, json_record_to(&r, rq->a));
}

/* Applies the body to r; on any problem sets the 422 with all of them. */
static int apply_body(api_req *rq, api_res *rs, cf_record *r)
{
	json_t *errs;
	if (!rq->body)
		return api_problem(rs, 422, "$", "a JSON object body is required");
	errs = json_array();
	if (!errs)
		return CF_ENOMEM;
	if (json_record_apply(rq->body, r, rq->a, errs) != 0) {
		char detail[600];
		json_t *first = json_array_get(errs, 0);
		snprintf(detail, sizeof detail, "%zu invalid field%s; first: %s: %s", json_array_size(errs),
			 json_array_size(errs) > 1 ? "s" : "", json_string_value(json_object_get(first, "path")),
			 json_string_value(json_object_get(first, "detail")));
		return api_problem_errors(rs, 422, detail, errs);
	}
	json_decref(errs);
	return 0;
}

/* Writes the stored row back as the response (the canonical form of what was saved). */
static int reply_row(api_req *rq, api_res *rs, const cf_entity *ent, int64_t id, int status, cf_err *e)
{
	cf_record r;
	int rc = registry_get(rq->db, rq->who, ent, id, rq->a, &r, e);
	if (rc)
		return rc;
	if (status == 201)
		rs->location = arena_printf(rq->a, "/api/v1/%s/%lld", ent->plural, (long long)id);
	return api_json(rs, status, json_record_to(&r, rq->a));
}

static int create(api_req *rq, api_res *rs, cf_err *e)
{
	const cf_entity *ent = rq->ctx;
	cf_record r;
	int rc;

	if (rq->nquery)
		return api_query_check(rq, rs, NULL, NULL, NULL);
	if (record_new(ent, rq->a, &r) != 0)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	rc = apply_body(rq, rs, &r);
	if (rc)
		return rc;
	rc = registry_create(rq->db, rq->who, &r, e);
	if (rc)
		return api_error(rs, e);
	return reply_row(rq, rs, ent, r.id, 201, e);
}

static int replace_or_patch(api_req *rq, api_res *rs, cf_err *e, int patch)
{
	const cf_entity *ent = rq->ctx;
	cf_record r;
	int64_t id;
	int rc;

	rc = item_id(rq, rs, &id);
	if (rc)
		return rc;
	/* The row must exist (and be visible) before its body is judged. */
	rc = registry_get(rq->db, rq->who, ent, id, rq->a, &r, e);
	if (rc == CF_ENOTFOUND)
		return not_found(rs, ent, id);
	if (rc)
		return rc;
	if (!patch) {
		int synthetic = r.synthetic;
		if (record_new(ent, rq->a, &r) != 0)
			return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		r.id = id;
		r.synthetic = synthetic;
	}
	rc = apply_body(rq, rs, &r);
	if (rc)
		return rc;
	rc = registry_update(rq->db, rq->who, &r, e);
	if (rc == CF_ENOTFOUND)
		return not_found(rs, ent, id);
	if (rc)
		return api_error(rs, e);
	return reply_row(rq, rs, ent, id, 200, e);
}

static int put(api_req *rq, api_res *rs, cf_err *e) { return replace_or_patch(rq, rs, e, 0); }
static int patch(api_req *rq, api_res *rs, cf_err *e) { return replace_or_patch(rq, rs, e, 1); }

static int del(api_req *rq, api_res *rs, cf_err *e)
{
	const cf_entity *ent = rq->ctx;
	int64_t id;
	int rc;

	rc = item_id(rq, rs, &id);
	if (rc)
		return rc;
	rc = registry_delete(rq->db, rq->who, ent, id, e);
	if (rc == CF_ENOTFOUND)
		return not_found(rs, ent, id);
	if (rc == CF_ECONFLICT)
		return api_problem(rs, 409, NULL, "%s %lld cannot be deleted: %s", ent->name, (long long)id,
				   e->msg[0] ? e->msg : "other rows refer to it");
	if (rc)
		return rc;
	return api_no_content(rs);
}

static const char *type_names[] = {"text", "int", "money", "date", "bool", "enum",
				   "percent", "uscc", "industry", "county", "ref", "idlist"};

/* GET /api/v1/entities — the schema for the UI: entities, fields, types, labels, enums. */
static int entities(api_req *rq, api_res *rs, cf_err *e)
{
	json_t *arr = json_array();
	size_t i, k;

	if (rq->nquery)
		return api_query_check(rq, rs, NULL, NULL, NULL);
	if (!arr)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	for (i = 0; i < cf_nentities; i++) {
		const cf_entity *ent = cf_entities[i];
		json_t *o = json_object(), *fs = json_array();
		json_object_set_new(o, "name", json_string(ent->name));
		json_object_set_new(o, "plural", json_string(ent->plural));
		json_object_set_new(o, "zh", json_string(ent->zh));
		json_object_set_new(o, "url", json_string(arena_printf(rq->a, "/api/v1/%s", ent->plural)));
		json_object_set_new(o, "visibility", ent->visibility ? json_string(ent->visibility) : json_null());
		json_object_set_new(o, "owner", ent->owner ? json_string(ent->owner) : json_null());
		for (k = 0; k < ent->nfields; k++) {
			const cf_field *f = &ent->fields[k];
			json_t *fo = json_object();
			json_object_set_new(fo, "name", json_string(f->name));
			json_object_set_new(fo, "zh", json_string(f->zh));
			json_object_set_new(fo, "type", json_string(type_names[f->type]));
			json_object_set_new(fo, "required", json_boolean(f->flags & F_REQUIRED));
			json_object_set_new(fo, "unique", json_boolean(f->flags & F_UNIQUE));
			json_object_set_new(fo, "filter", json_boolean(f->flags & F_FILTER));
			json_object_set_new(fo, "sort", json_boolean(f->flags & F_SORT));
			json_object_set_new(fo, "search", json_boolean(f->flags & F_SEARCH));
			json_object_set_new(fo, "readonly", json_boolean(f->flags & F_READONLY));
			if (f->type == FT_ENUM || f->type == FT_COUNTY) {
				json_t *ev = json_array();
				const char *const *p = f->type == FT_COUNTY ? cf_counties : f->enum_vals;
				for (; p && *p; p++)
					json_array_append_new(ev, json_string(*p));
				json_object_set_new(fo, "enum", ev);
			}
			if (f->ref)
				json_object_set_new(fo, "ref", json_string(f->ref));
			if (f->type == FT_INT && f->min < f->max) {
				json_object_set_new(fo, "min", json_integer(f->min));
				json_object_set_new(fo, "max", json_integer(f->max));
			}
			if (f->type == FT_TEXT)
				json_object_set_new(fo, "max_len", json_integer(f->max_len ? f->max_len : 200));
			json_array_append_new(fs, fo);
		}
		json_object_set_new(o, "fields", fs);
		json_array_append_new(arr, o);
	}
	{
		json_t *o = json_object();
		json_object_set_new(o, "entities", arr);
		return api_json(rs, 200, o);
	}
}
API_ROUTE(r_entities, "GET", "/api/v1/entities", entities)

/* Two patterns and six routes per entity, in static storage (the route table keeps them). */
static struct api_route routes[MAX_ENTITIES][6];
static char patterns[MAX_ENTITIES][2][96];

__attribute__((constructor)) static void registry_routes(void)
{
	size_t i;
	for (i = 0; i < cf_nentities && i < MAX_ENTITIES; i++) {
		const cf_entity *ent = cf_entities[i];
		struct api_route *r = routes[i];
		snprintf(patterns[i][0], sizeof patterns[i][0], "/api/v1/%s", ent->plural);
		snprintf(patterns[i][1], sizeof patterns[i][1], "/api/v1/%s/{id}", ent->plural);
		r[0] = (struct api_route){"GET", patterns[i][0], list, ent, NULL};
		r[1] = (struct api_route){"POST", patterns[i][0], create, ent, NULL};
		r[2] = (struct api_route){"GET", patterns[i][1], get_one, ent, NULL};
		r[3] = (struct api_route){"PUT", patterns[i][1], put, ent, NULL};
		r[4] = (struct api_route){"PATCH", patterns[i][1], patch, ent, NULL};
		r[5] = (struct api_route){"DELETE", patterns[i][1], del, ent, NULL};
		for (size_t k = 0; k < 6; k++)
			api_route_register(&r[k]);
	}
}

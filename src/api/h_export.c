/*
 * h_export — GET /api/v1/{plural}/export?format=csv|xlsx: the registry rows the caller may
 * see, as a file (SPEC C1 export, through HTTP).
 *
 * The rows are exactly those a list by the same viewer would page through: export_csv and
 * export_xlsx read through the store with rq->who, which filters rows with visibility in SQL,
 * so a confidential demand is in no one's export but its owner's, the bureau's and its named
 * brokers'. Who may export an entity at all is the authorization table's say
 * (data/auth/authz.json): roles that may only see their own rows ("owner" on the list) may
 * not export, since an export cannot be restricted to them row by row here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "base/buf.h"
#include "base/path.h"
#include "model/schema.h"
#include "service/export.h"

#define EXPORT_MAX_ENTITIES 32

static int export_csv_body(api_req *rq, api_res *rs, const cf_entity *ent, cf_err *e)
{
	char *mem = NULL;
	size_t n = 0, rows = 0;
	FILE *f = open_memstream(&mem, &n);
	int rc;

	if (!f)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	rc = export_csv(rq->db, rq->who, ent, f, &rows, e);
	if (fclose(f) != 0 && rc == 0)
		rc = cf_err_set(e, CF_EIO, NULL, "cannot finish the CSV");
	if (rc == 0) {
		char *body = arena_strndup(rq->a, mem, n);
		if (!body)
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		else
			rc = api_text(rs, 200, "text/csv; charset=utf-8", body, n);
	}
	free(mem);
	return rc;
}

static int export_xlsx_body(api_req *rq, api_res *rs, const cf_entity *ent, cf_err *e)
{
	char path[] = "/tmp/chainfuse-export-XXXXXX.xlsx";
	size_t rows = 0;
	buf b;
	int fd, rc;

	fd = mkstemps(path, 5);
	if (fd < 0)
		return cf_err_set(e, CF_EIO, NULL, "cannot create a temporary file for the XLSX");
	close(fd);
	buf_init(&b, 256u << 20);
	rc = export_xlsx(rq->db, rq->who, ent, path, &rows, e);
	if (rc == 0)
		rc = path_read_file(path, &b, e);
	unlink(path);
	if (rc == 0) {
		char *body = arena_strndup(rq->a, buf_cstr(&b), b.len);
		if (!body)
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		else
			rc = api_text(rs, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body,
				      b.len);
	}
	buf_free(&b);
	return rc;
}

static int export(api_req *rq, api_res *rs, cf_err *e)
{
	static const char *const allowed[] = {"format", NULL};
	const cf_entity *ent = rq->ctx;
	const char *format;
	int rc;

	rc = api_query_check(rq, rs, allowed, NULL, NULL);
	if (rc)
		return rc;
	if (rq->owner_only)
		return api_problem(rs, 403, NULL, "exporting %s is for roles that may see all of them", ent->plural);
	format = api_query(rq, "format");
	if (!format || !strcmp(format, "csv"))
		return export_csv_body(rq, rs, ent, e);
	if (!strcmp(format, "xlsx"))
		return export_xlsx_body(rq, rs, ent, e);
	return api_problem(rs, 400, "format", "format must be csv or xlsx, not \"%s\"", format);
}

static struct api_route routes[EXPORT_MAX_ENTITIES];
static char patterns[EXPORT_MAX_ENTITIES][96];

__attribute__((constructor)) static void export_routes(void)
{
	size_t i;
	for (i = 0; i < cf_nentities && i < EXPORT_MAX_ENTITIES; i++) {
		snprintf(patterns[i], sizeof patterns[i], "/api/v1/%s/export", cf_entities[i]->plural);
		routes[i] = (struct api_route){"GET", patterns[i], export, cf_entities[i], NULL};
		api_route_register(&routes[i]);
	}
}

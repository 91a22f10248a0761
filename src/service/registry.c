/*
 * registry — create/update/delete/get/list of registry rows with the checks that need the
 * database (see registry.h). Joins model/ validation and the store; the API, the import and
 * the CLI all come through here.
 */
#include "service/registry.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "model/industry.h"
#include "model/value.h"

/* store_sql callback: remembers that a row came back, and its first column as an int. */
typedef struct reg_hit {
	int found;
	long long n;
} reg_hit;

static int reg_row(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	reg_hit *h = ctx;
	h->found = 1;
	h->n = 0;
	/* a COUNT(*) or an id, as the database writes it: decimal digits */
	if (ncols > 0 && cols[0])
		for (const char *p = cols[0]; *p >= '0' && *p <= '9' && h->n < (1LL << 58); p++)
			h->n = h->n * 10 + (*p - '0');
	return 0;
}

static int reg_exists(store *s, const cf_entity *ent, int64_t id, int *found, cf_err *e)
{
	char sql[160], idtxt[24];
	const char *params[1] = {idtxt};
	reg_hit h = {0, 0};
	int rc;
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE id = ?", ent->table);
	snprintf(idtxt, sizeof idtxt, "%lld", (long long)id);
	if ((rc = store_sql(s, sql, params, 1, reg_row, &h, e)) != 0)
		return rc;
	*found = h.found;
	return 0;
}

int registry_industry_ok(store *s, const char *code, size_t n, cf_err *e)
{
	const char *params[1];
	char c[8];
	reg_hit h = {0, 0};
	industry_level lvl;
	int rc;

	if ((rc = industry_shape(code, n, &lvl, e)) != 0)
		return rc;
	memcpy(c, code, n);
	c[n] = 0;
	params[0] = c;
	if ((rc = store_sql(s, "SELECT id FROM industries WHERE code = ?", params, 1, reg_row, &h, e)) != 0)
		return rc;
	if (h.found)
		return 0;
	if (lvl >= IND_GROUP) {
		/* only sections and divisions loaded: a finer code is judged by its division */
		reg_hit fine = {0, 0};
		if ((rc = store_sql(s, "SELECT COUNT(*) FROM industries WHERE level IN ('group', 'class')", NULL, 0,
				    reg_row, &fine, e)) != 0)
			return rc;
		if (fine.n == 0) {
			char div[3] = {code[0], code[1], 0};
			reg_hit d = {0, 0};
			params[0] = div;
			if ((rc = store_sql(s, "SELECT id FROM industries WHERE code = ?", params, 1, reg_row, &d, e)) != 0)
				return rc;
			if (d.found)
				return 0;
		}
	}
	return cf_err_set(e, CF_EINVAL, NULL, "industry code %s is not in the loaded GB/T 4754-2017 table", c);
}

int registry_check_refs(store *s, const cf_record *r, cf_err *e)
{
	size_t i;
	int rc, found;
	for (i = 0; i < r->ent->nfields; i++) {
		const cf_field *f = &r->ent->fields[i];
		const cf_value *v = &r->v[i];
		const cf_entity *ref;
		if (!v->present)
			continue;
		switch (f->type) {
		case FT_REF:
			ref = schema_entity(f->ref);
			if (!ref)
				return cf_err_set(e, CF_EINTERNAL, f->name, "%s refers to unknown entity %s", f->name, f->ref);
			if ((rc = reg_exists(s, ref, v->i, &found, e)) != 0)
				return rc;
			if (!found)
				return cf_err_set(e, CF_EINVAL, f->name, "%s: no %s with id %lld", f->name, ref->name,
						  (long long)v->i);
			break;
		case FT_IDLIST: {
			size_t p = 0, st;
			ref = schema_entity(f->ref);
			if (!ref)
				return cf_err_set(e, CF_EINTERNAL, f->name, "%s refers to unknown entity %s", f->name, f->ref);
			while (p <= v->n) {
				long long id = 0;
				st = p;
				while (p < v->n && v->s[p] != ',') {
					id = id * 10 + (v->s[p] - '0'); /* value_check made it digits */
					p++;
				}
				if (p > st) {
					if ((rc = reg_exists(s, ref, id, &found, e)) != 0)
						return rc;
					if (!found)
						return cf_err_set(e, CF_EINVAL, f->name, "%s: no %s with id %lld", f->name,
								  ref->name, id);
				}
				p++;
			}
			break;
		}
		case FT_INDUSTRY:
			if ((rc = registry_industry_ok(s, v->s, v->n, e)) != 0) {
				char m[sizeof e->msg];
				if (!e)
					return rc;
				snprintf(m, sizeof m, "%s", e->msg);
				return cf_err_set(e, rc, f->name, "%s: %s", f->name, m);
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

/* Whether who may write row r (its owner field, or the row itself for enterprise/platform). */
static int reg_may_write(const cf_viewer *who, const cf_record *r)
{
	int fi;
	const cf_field *f;
	if (who->role == ROLE_BUREAU)
		return 1;
	if (who->role == ROLE_ENTERPRISE && !strcmp(r->ent->name, "enterprise"))
		return r->id != 0 && r->id == who->enterprise_id;
	if (who->role == ROLE_PLATFORM && !strcmp(r->ent->name, "platform"))
		return r->id != 0 && r->id == who->platform_id;
	if (!r->ent->owner || (fi = schema_field(r->ent, r->ent->owner)) < 0)
		return 0;
	f = &r->ent->fields[fi];
	if (!r->v[fi].present)
		return 0;
	if (who->role == ROLE_ENTERPRISE && !strcmp(f->ref, "enterprise"))
		return r->v[fi].i == who->enterprise_id;
	if (who->role == ROLE_PLATFORM && !strcmp(f->ref, "platform"))
		return r->v[fi].i == who->platform_id;
	return 0;
}

#define MAX_LISTENERS 8
static struct {
	registry_listener_fn fn;
	void *ctx;
} listeners[MAX_LISTENERS];
static int nlisteners; /* published with release after the entry is written */
static pthread_mutex_t listen_mu = PTHREAD_MUTEX_INITIALIZER;

int registry_listen(registry_listener_fn fn, void *ctx, cf_err *e)
{
	int i, n, rc = 0;
	pthread_mutex_lock(&listen_mu);
	n = __atomic_load_n(&nlisteners, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++)
		if (listeners[i].fn == fn && listeners[i].ctx == ctx)
			goto done;
	if (n == MAX_LISTENERS) {
		rc = cf_err_set(e, CF_ETOOBIG, NULL, "too many registry listeners");
		goto done;
	}
	listeners[n].fn = fn;
	listeners[n].ctx = ctx;
	__atomic_store_n(&nlisteners, n + 1, __ATOMIC_RELEASE);
done:
	pthread_mutex_unlock(&listen_mu);
	return rc;
}

void registry_changed(store *s, const cf_entity *ent, int64_t id)
{
	int i, n = __atomic_load_n(&nlisteners, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++)
		listeners[i].fn(listeners[i].ctx, s, ent, id);
}

int registry_create(store *s, const cf_viewer *who, cf_record *r, cf_err *e)
{
	int rc;
	if ((rc = record_check(r, 1, e)) != 0)
		return rc;
	if (!reg_may_write(who, r))
		return cf_err_set(e, CF_EFORBIDDEN, NULL, "this role may not create %s rows", r->ent->name);
	if ((rc = registry_check_refs(s, r, e)) != 0)
		return rc;
	if ((rc = store_insert(s, r, e)) == 0)
		registry_changed(s, r->ent, r->id);
	return rc;
}

int registry_update(store *s, const cf_viewer *who, const cf_record *r, cf_err *e)
{
	arena *a = arena_create();
	cf_record old;
	int rc;
	if (!a)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	/* the row as stored must be visible and writable, and so must the new version */
	if ((rc = store_get(s, r->ent, r->id, who, a, &old, e)) != 0)
		goto fail;
	if (!reg_may_write(who, &old)) {
		rc = cf_err_set(e, CF_EFORBIDDEN, NULL, "this role may not change this row");
		goto fail;
	}
	if ((rc = record_check(r, 1, e)) != 0)
		goto fail;
	if (!reg_may_write(who, r)) {
		rc = cf_err_set(e, CF_EFORBIDDEN, NULL, "this role may not give the row another owner");
		goto fail;
	}
	if ((rc = registry_check_refs(s, r, e)) != 0)
		goto fail;
	if ((rc = store_update(s, r, e)) == 0)
		registry_changed(s, r->ent, r->id);
fail:
	arena_free(a);
	return rc;
}

int registry_delete(store *s, const cf_viewer *who, const cf_entity *ent, int64_t id, cf_err *e)
{
	arena *a = arena_create();
	cf_record old;
	int rc;
	if (!a)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if ((rc = store_get(s, ent, id, who, a, &old, e)) != 0)
		goto fail;
	if (!reg_may_write(who, &old)) {
		rc = cf_err_set(e, CF_EFORBIDDEN, NULL, "this role may not delete this row");
		goto fail;
	}
	if ((rc = store_delete(s, ent, id, e)) == 0)
		registry_changed(s, ent, id);
fail:
	arena_free(a);
	return rc;
}

int registry_get(store *s, const cf_viewer *who, const cf_entity *ent, int64_t id, arena *a, cf_record *r,
		 cf_err *e)
{
	return store_get(s, ent, id, who, a, r, e);
}

int registry_list(store *s, const cf_viewer *who, const cf_entity *ent, const store_query *q, arena *a,
		  store_page *out, cf_err *e)
{
	store_query qq = *q;
	qq.who = who;
	return store_list(s, ent, &qq, a, out, e);
}

int registry_open(store *s, cf_err *e)
{
	const cf_entity *ind = schema_entity("industry");
	const industry_row *rows;
	arena *a = NULL;
	size_t n, i;
	int64_t count = 0;
	int rc;

	if ((rc = store_count(s, ind, &cf_viewer_bureau, &count, e)) != 0)
		return rc;
	if (count > 0)
		return 0;
	rows = industry_builtin(&n);
	if (!(a = arena_create()))
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if ((rc = store_begin(s, e)) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		cf_record r;
		const char *lvl = rows[i].parent ? "division" : "section";
		if ((rc = record_new(ind, a, &r)) != 0)
			goto rollback;
		r.v[0] = (cf_value){1, 0, rows[i].code, strlen(rows[i].code)};
		r.v[1] = (cf_value){1, 0, rows[i].name, strlen(rows[i].name)};
		r.v[2] = (cf_value){1, 0, lvl, strlen(lvl)};
		if (rows[i].parent)
			r.v[3] = (cf_value){1, 0, rows[i].parent, strlen(rows[i].parent)};
		r.v[4] = (cf_value){1, 0, rows[i].section, strlen(rows[i].section)};
		if ((rc = store_insert(s, &r, e)) != 0)
			goto rollback;
	}
	rc = store_commit(s, e);
	goto fail;
rollback:
	store_rollback(s);
fail:
	arena_free(a);
	return rc;
}

/*
 * chain_svc — joins the store and the chain engine: supply graph from the registry, lists
 * with bureau edits that survive recomputation, spillover, two-chain coverage map.
 */
#include "service/chain_svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/num.h"
#include "base/path.h"
#include "chain/chain.h"

/* ---- small helpers ---- */

/* store_sql callback: appends each row as a JSON array of strings/nulls to ctx (json_t array). */
static int collect(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	json_t *row = json_array();
	for (int i = 0; i < ncols; i++)
		json_array_append_new(row, cols[i] ? json_string(cols[i]) : json_null());
	return json_array_append_new((json_t *)ctx, row) == 0 ? 0 : CF_ENOMEM;
}

static int query(store *s, const char *sql, const char *const *params, size_t np, json_t **rows, cf_err *e)
{
	json_t *a = json_array();
	int rc = store_sql(s, sql, params, np, collect, a, e);
	if (rc != 0) {
		json_decref(a);
		return rc < 0 ? rc : cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	}
	*rows = a;
	return 0;
}

static const char *col(json_t *row, size_t i) { return json_string_value(json_array_get(row, i)); }

static int64_t col_i64(json_t *row, size_t i)
{
	int64_t v;
	return num_parse_i64(col(row, i), &v) ? 0 : v;
}

static int exec(store *s, const char *sql, const char *const *params, size_t np, cf_err *e)
{
	json_t *rows;
	int rc = query(s, sql, params, np, &rows, e);
	if (rc == 0)
		json_decref(rows);
	return rc;
}

static int find_chain(store *s, const char *industry, int64_t *id, cf_err *e)
{
	json_t *rows;
	int rc = query(s, "SELECT id FROM chains WHERE name = ? OR name_en = ?", (const char *const[]){industry, industry}, 2,
		       &rows, e);
	if (rc)
		return rc;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return cf_err_set(e, CF_ENOTFOUND, "--industry", "no chain named %s", industry);
	}
	*id = col_i64(json_array_get(rows, 0), 0);
	json_decref(rows);
	return 0;
}

/* ---- the city's supply graph ---- */

typedef struct ent_info {
	int64_t id;
	const char *name;
	int64_t chain_id, segment_id;
	int leading;
} ent_info;

typedef struct city {
	chain_graph *g;
	chain_cascades c;
	chain_slot_risk *risk;
	int64_t *ent_of;  /* per node: enterprise id, 0 for an outside supplier */
	const char **name; /* per node: display name */
	int64_t *chain_of; /* per node: chain id (0 none) */
	int64_t *seg_of;   /* per node: segment id (0 none) */
	uint8_t *leading;  /* per node */
	arena *a;
	json_t *keep; /* rows whose strings the above point into */
} city;

static void city_free(city *k)
{
	if (k->g)
		chain_cascades_free(&k->c);
	chain_graph_free(k->g);
	free(k->risk);
	free(k->ent_of);
	free(k->name);
	free(k->chain_of);
	free(k->seg_of);
	free(k->leading);
	arena_free(k->a);
	json_decref(k->keep);
	memset(k, 0, sizeof *k);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int city_load(store *s, city *k, cf_err *e)
{
	json_t *sup = NULL, *ents = NULL;
	chain_edge *ed = NULL;
	size_t m, i;
	int rc;
	int64_t *ids = NULL;
	size_t nids = 0;

	memset(k, 0, sizeof *k);
	if (!(k->a = arena_create()) || !(k->keep = json_array()))
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if ((rc = query(s, "SELECT supplier_id, supplier_name, customer_id, input, grade, region, value FROM supplies", NULL,
			0, &sup, e)))
		goto fail;
	json_array_append(k->keep, sup);
	if ((rc = query(s,
			"SELECT id, name, chain_id, segment_id, leading FROM enterprises WHERE id IN "
			"(SELECT customer_id FROM supplies) OR id IN (SELECT supplier_id FROM supplies)",
			NULL, 0, &ents, e)))
		goto fail;
	json_array_append(k->keep, ents);
	m = json_array_size(sup);
	if (!(ed = calloc(m + 1, sizeof *ed))) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (i = 0; i < m; i++) {
		json_t *r = json_array_get(sup, i);
		const char *g = col(r, 4), *rg = col(r, 5);
		ed[i].supplier = col(r, 0) ? arena_printf(k->a, "E%s", col(r, 0)) : arena_printf(k->a, "X:%s", col(r, 1));
		ed[i].customer = arena_printf(k->a, "E%s", col(r, 2));
		ed[i].input = col(r, 3) ? col(r, 3) : "";
		ed[i].grade = g && !strcmp(g, "high") ? CHAIN_HIGH : g && !strcmp(g, "low") ? CHAIN_LOW : CHAIN_STANDARD;
		ed[i].region = rg && !strcmp(rg, "local") ? CHAIN_LOCAL : rg && !strcmp(rg, "foreign") ? CHAIN_FOREIGN : CHAIN_DOMESTIC;
		ed[i].value = col_i64(r, 6) > 0 ? col_i64(r, 6) : 0;
		if (!ed[i].supplier || !ed[i].customer) {
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
	}
	if ((rc = chain_graph_build(ed, m, &k->g, e)) < 0) {
		k->g = NULL;
		goto fail;
	}
	if ((rc = chain_cascades_compute(k->g, &k->c, e)) < 0) {
		chain_graph_free(k->g);
		k->g = NULL;
		goto fail;
	}
	{
		size_t n = (size_t)k->g->n + 1;
		k->risk = malloc(((size_t)k->g->n_slots + 1) * sizeof *k->risk);
		k->ent_of = calloc(n, sizeof *k->ent_of);
		k->name = calloc(n, sizeof *k->name);
		k->chain_of = calloc(n, sizeof *k->chain_of);
		k->seg_of = calloc(n, sizeof *k->seg_of);
		k->leading = calloc(n, 1);
		ids = malloc(2 * n * sizeof *ids);
		if (!k->risk || !k->ent_of || !k->name || !k->chain_of || !k->seg_of || !k->leading || !ids) {
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
	}
	chain_substitutability(k->g, k->risk);
	/* node → enterprise id; (id, node) pairs sorted for lookups */
	for (int32_t v = 0; v < k->g->n; v++) {
		const char *id = k->g->id[v];
		if (id[0] == 'E') {
			char *end;
			k->ent_of[v] = strtoll(id + 1, &end, 10);
			ids[2 * nids] = k->ent_of[v];
			ids[2 * nids + 1] = v;
			nids++;
		} else
			k->name[v] = id + 2;
	}
	qsort(ids, nids, 2 * sizeof *ids, cmp_i64);
	for (i = 0; i < json_array_size(ents); i++) {
		json_t *r = json_array_get(ents, i);
		int64_t key = col_i64(r, 0), *hit = bsearch(&key, ids, nids, 2 * sizeof *ids, cmp_i64);
		if (!hit)
			continue;
		int32_t v = (int32_t)hit[1];
		k->name[v] = col(r, 1);
		k->chain_of[v] = col_i64(r, 2);
		k->seg_of[v] = col_i64(r, 3);
		k->leading[v] = col_i64(r, 4) == 1;
	}
	for (int32_t v = 0; v < k->g->n; v++)
		if (!k->name[v])
			k->name[v] = k->g->id[v];
	free(ids);
	free(ed);
	json_decref(sup);
	json_decref(ents);
	return 0;
fail:
	free(ids);
	free(ed);
	json_decref(sup);
	json_decref(ents);
	city_free(k);
	return rc;
}

static json_t *node_json(const city *k, int32_t v)
{
	return json_pack("{s:o,s:s}", "id", k->ent_of[v] ? json_integer(k->ent_of[v]) : json_null(), "name", k->name[v]);
}

static int64_t downstream(const city *k, int32_t v) { return k->c.stopped_value[v] - (k->c.grounded[v] ? k->g->value[v] : 0); }

/* ---- lists ---- */

static const char *LIST_COLS =
	"SELECT id, list, entry_key, title, enterprise_id, input, score, detail, origin, present, status, note, "
	"computed_at, updated_at FROM chain_list_entries";

static json_t *entry_json(json_t *r)
{
	json_t *o = json_object();
	const char *names[] = {"id", "list", "key", "title", "enterprise_id", "input", "score_fen", "detail", "origin",
			       "present", "status", "note", "computed_at", "updated_at"};
	for (size_t i = 0; i < 14; i++) {
		json_t *v = json_array_get(r, i);
		if (i == 0 || i == 4 || i == 6)
			json_object_set_new(o, names[i], json_is_string(v) ? json_integer(col_i64(r, i)) : json_null());
		else if (i == 9)
			json_object_set_new(o, names[i], json_boolean(col_i64(r, i) == 1));
		else if (i == 7 && json_is_string(v)) {
			json_t *d = json_loads(json_string_value(v), 0, NULL);
			json_object_set_new(o, names[i], d ? d : json_incref(v));
		} else
			json_object_set(o, names[i], v);
	}
	return o;
}

static int read_list(store *s, int64_t chain_id, const char *list, json_t **out, cf_err *e)
{
	char sql[512], cid[24];
	json_t *rows, *arr = json_array();
	int rc;
	snprintf(cid, sizeof cid, "%lld", (long long)chain_id);
	snprintf(sql, sizeof sql, "%s WHERE chain_id = ? AND list = ? ORDER BY status DESC, present DESC, score DESC, entry_key",
		 LIST_COLS);
	if ((rc = query(s, sql, (const char *const[]){cid, list}, 2, &rows, e))) {
		json_decref(arr);
		return rc;
	}
	for (size_t i = 0; i < json_array_size(rows); i++)
		json_array_append_new(arr, entry_json(json_array_get(rows, i)));
	json_decref(rows);
	*out = arr;
	return 0;
}

static int upsert(store *s, const char *list, int64_t chain_id, const char *key, const char *title, int64_t ent,
		  const char *input, int64_t score, json_t *detail, cf_err *e)
{
	char cid[24], eid[24], sc[24];
	char *d = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	int rc;
	snprintf(cid, sizeof cid, "%lld", (long long)chain_id);
	snprintf(eid, sizeof eid, "%lld", (long long)ent);
	snprintf(sc, sizeof sc, "%lld", (long long)score);
	rc = exec(s,
		  "INSERT INTO chain_list_entries (list, chain_id, entry_key, title, enterprise_id, input, score, detail, "
		  "origin, present, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'computed', 1, CURRENT_TIMESTAMP) "
		  "ON CONFLICT (list, chain_id, entry_key) DO UPDATE SET title = excluded.title, enterprise_id = "
		  "excluded.enterprise_id, input = excluded.input, score = excluded.score, detail = excluded.detail, "
		  "present = 1, computed_at = excluded.computed_at",
		  (const char *const[]){list, cid, key, title, ent ? eid : NULL, input, sc, d}, 8, e);
	free(d);
	return rc;
}

/* Recomputes the lists of chain_id from the analysis in k. */
static int write_lists(store *s, city *k, int64_t chain_id, cf_err *e)
{
	const chain_graph *g = k->g;
	char cid[24];
	int rc;
	uint8_t *choke_in = calloc((size_t)g->n_inputs + 1, 1);
	if (!choke_in)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	snprintf(cid, sizeof cid, "%lld", (long long)chain_id);
	if ((rc = store_begin(s, e)) < 0) {
		free(choke_in);
		return rc;
	}
	if ((rc = exec(s, "UPDATE chain_list_entries SET present = 0 WHERE chain_id = ? AND origin = 'computed'",
		       (const char *const[]){cid}, 1, e)))
		goto fail;
	for (int32_t sl = 0; sl < g->n_slots; sl++) {
		int32_t w = g->slot_firm[sl];
		const chain_slot_risk *r = &k->risk[sl];
		const char *input = g->input_name[g->slot_input[sl]];
		if (k->chain_of[w] != chain_id || !k->c.grounded[w])
			continue;
		if (r->foreign_main && r->domestic_cls != CHAIN_SUBST_EQUAL)
			choke_in[g->slot_input[sl]] = 1;
		if (r->cls != CHAIN_SUBST_ABSOLUTE && !(r->foreign_main && r->domestic_cls == CHAIN_SUBST_ABSOLUTE))
			continue;
		{
			char key[256], title[512];
			json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:o,s:b,s:I,s:i}", "class", chain_subst_name(r->cls), "class_zh",
					      chain_subst_name_zh(r->cls), "domestic_class", chain_subst_name(r->domestic_cls),
					      "main_supplier", k->name[r->main_src], "main_supplier_id",
					      k->ent_of[r->main_src] ? json_integer(k->ent_of[r->main_src]) : json_null(),
					      "foreign_main", r->foreign_main, "cascade_n",
					      (json_int_t)(k->c.cas_off[w + 1] - k->c.cas_off[w]), "sources",
					      g->src_off[sl + 1] - g->src_off[sl]);
			snprintf(key, sizeof key, "E%lld/%s", (long long)k->ent_of[w], input);
			snprintf(title, sizeof title, "%s：%s（%s，主供 %s）", k->name[w], input,
				 r->cls == CHAIN_SUBST_ABSOLUTE ? chain_subst_name_zh(r->cls) : "仅境外来源、无国内替代",
				 k->name[r->main_src]);
			rc = upsert(s, "break", chain_id, key, title, k->ent_of[w], input, k->c.stopped_value[w], d, e);
			json_decref(d);
			if (rc)
				goto fail;
		}
	}
	/* choke points: cut every foreign source of the input, see what stops city-wide */
	{
		uint8_t *cut = malloc((size_t)g->n_edges + 1), *alive = malloc((size_t)g->n + 1);
		if (!cut || !alive) {
			free(cut);
			free(alive);
			rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		for (int32_t in = 0; in < g->n_inputs && rc == 0; in++) {
			int64_t lost = 0, stopped = 0, chain_stopped = 0, ncut = 0;
			char title[512];
			json_t *d;
			if (!choke_in[in])
				continue;
			for (int64_t ed = 0; ed < g->n_edges; ed++)
				ncut += cut[ed] = g->src_region[ed] == CHAIN_FOREIGN && g->slot_input[g->edge_slot[ed]] == in;
			if (chain_simulate(g, NULL, cut, alive, NULL) < 0) {
				rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
				break;
			}
			for (int32_t v = 0; v < g->n; v++)
				if (k->c.grounded[v] && !alive[v]) {
					lost += g->value[v];
					stopped++;
					chain_stopped += k->chain_of[v] == chain_id;
				}
			d = json_pack("{s:I,s:I,s:I}", "foreign_sources", (json_int_t)ncut, "stopped_firms", (json_int_t)stopped,
				      "stopped_in_chain", (json_int_t)chain_stopped);
			snprintf(title, sizeof title, "%s（境外来源、无国内同准替代）", g->input_name[in]);
			rc = upsert(s, "choke", chain_id, g->input_name[in], title, 0, g->input_name[in], lost, d, e);
			json_decref(d);
		}
		free(cut);
		free(alive);
		if (rc)
			goto fail;
	}
	free(choke_in);
	return store_commit(s, e);
fail:
	free(choke_in);
	store_rollback(s);
	return rc;
}

static json_t *spillover(const city *k, int64_t chain_id)
{
	const chain_graph *g = k->g;
	json_t *arr = json_array();
	for (int32_t w = 0; w < g->n; w++) {
		int64_t total = 0, local = 0;
		json_t *outside = json_array();
		if (k->chain_of[w] != chain_id || !k->leading[w]) {
			json_decref(outside);
			continue;
		}
		for (int32_t sl = g->slot_off[w]; sl < g->slot_off[w + 1]; sl++) {
			int64_t out_v = 0;
			int32_t in = g->slot_input[sl];
			json_t *cands = json_array();
			for (int32_t j = g->src_off[sl]; j < g->src_off[sl + 1]; j++) {
				total += g->src_value[j];
				if (g->src_region[j] == CHAIN_LOCAL)
					local += g->src_value[j];
				else
					out_v += g->src_value[j];
			}
			if (!out_v) {
				json_decref(cands);
				continue;
			}
			/* local firms already supplying this input to someone, not yet to w */
			for (int64_t ed = 0; ed < g->n_edges && json_array_size(cands) < 5; ed++) {
				int32_t u = g->src[ed], dup = 0;
				if (g->src_region[ed] != CHAIN_LOCAL || !k->ent_of[u] || g->slot_input[g->edge_slot[ed]] != in)
					continue;
				for (int32_t j = g->src_off[sl]; j < g->src_off[sl + 1]; j++)
					dup |= g->src[j] == u;
				for (size_t q = 0; q < json_array_size(cands); q++)
					dup |= json_integer_value(json_object_get(json_array_get(cands, q), "id")) == k->ent_of[u];
				if (!dup)
					json_array_append_new(cands, node_json(k, u));
			}
			json_array_append_new(outside, json_pack("{s:s,s:I,s:o}", "input", g->input_name[in], "outside_value_fen",
								 (json_int_t)out_v, "local_candidates", cands));
		}
		json_array_append_new(arr, json_pack("{s:I,s:s,s:I,s:I,s:o,s:o}", "id", (json_int_t)k->ent_of[w], "name",
						     k->name[w], "purchases_fen", (json_int_t)total, "local_fen", (json_int_t)local,
						     "local_share", total ? json_real((double)local / (double)total) : json_null(),
						     "outside_inputs", outside));
	}
	return arr;
}

int chain_svc_risk(store *s, const char *industry, json_t **out, cf_err *e)
{
	int64_t chain_id;
	city k;
	int rc;
	json_t *o, *brk = NULL, *chk = NULL, *top = json_array();
	int64_t firms = 0, cls[3] = {0, 0, 0};

	if ((rc = find_chain(s, industry, &chain_id, e)) || (rc = city_load(s, &k, e))) {
		json_decref(top);
		return rc;
	}
	if ((rc = write_lists(s, &k, chain_id, e)) || (rc = read_list(s, chain_id, "break", &brk, e)) ||
	    (rc = read_list(s, chain_id, "choke", &chk, e))) {
		json_decref(brk);
		json_decref(top);
		city_free(&k);
		return rc;
	}
	for (int32_t v = 0; v < k.g->n; v++)
		firms += k.chain_of[v] == chain_id;
	for (int32_t sl = 0; sl < k.g->n_slots; sl++)
		if (k.chain_of[k.g->slot_firm[sl]] == chain_id)
			cls[k.risk[sl].cls]++;
	for (int32_t r = 0, got = 0; r < k.g->n && got < 10; r++) {
		int32_t v = k.c.rank[r];
		int64_t in_chain = 0;
		for (int64_t i = k.c.cas_off[v]; i < k.c.cas_off[v + 1]; i++)
			in_chain += k.chain_of[k.c.cas[i]] == chain_id;
		if (!in_chain || downstream(&k, v) <= 0)
			continue;
		got++;
		json_t *n = node_json(&k, v);
		json_object_set_new(n, "downstream_value_fen", json_integer(downstream(&k, v)));
		json_object_set_new(n, "cascade_n", json_integer(k.c.cas_off[v + 1] - k.c.cas_off[v]));
		json_object_set_new(n, "cascade_in_chain", json_integer(in_chain));
		json_array_append_new(top, n);
	}
	o = json_pack("{s:{s:I,s:s},s:I,s:{s:I,s:I,s:I},s:o,s:o,s:o,s:o}", "chain", "id", (json_int_t)chain_id, "name", industry,
		      "firms", (json_int_t)firms, "inputs", "absolute", (json_int_t)cls[0], "downgrade", (json_int_t)cls[1], "equal",
		      (json_int_t)cls[2], "choke_points", top, "break_list", brk, "choke_list", chk, "spillover",
		      spillover(&k, chain_id));
	city_free(&k);
	if (!o)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	*out = o;
	return 0;
}

int chain_svc_cascade(store *s, const char *node, json_t **out, cf_err *e)
{
	city k;
	int rc;
	int32_t v = -1;
	char key[300];
	json_t *o, *members;
	const char *p = node;

	while (*p >= '0' && *p <= '9')
		p++;
	if (*node && !*p)
		snprintf(key, sizeof key, "E%s", node);
	else
		snprintf(key, sizeof key, "X:%s", node);
	if ((rc = city_load(s, &k, e)))
		return rc;
	v = chain_find(k.g, key);
	if (v < 0) {
		city_free(&k);
		return cf_err_set(e, CF_ENOTFOUND, "--node", "%s is not in any supply relation", node);
	}
	members = json_array();
	for (int64_t i = k.c.cas_off[v]; i < k.c.cas_off[v + 1]; i++)
		json_array_append_new(members, node_json(&k, k.c.cas[i]));
	o = node_json(&k, v);
	json_object_set_new(o, "grounded", json_boolean(k.c.grounded[v]));
	json_object_set_new(o, "stopped_value_fen", json_integer(k.c.stopped_value[v]));
	json_object_set_new(o, "final_products", json_integer(k.c.final_n[v]));
	json_object_set_new(o, "cascade", members);
	city_free(&k);
	*out = o;
	return 0;
}

int chain_svc_scenario(store *s, const char *county, const char *supplier, const char *cut_foreign, json_t **out,
		       cf_err *e)
{
	city k;
	int rc;
	uint8_t *stop = NULL, *cut = NULL, *alive = NULL;
	json_t *rows = NULL, *chains = NULL, *list, *by;
	int64_t lost = 0, n = 0;

	if (!county && !supplier && !cut_foreign)
		return cf_err_set(e, CF_EINVAL, NULL, "give a county, a supplier or an input whose foreign sources are cut");
	if ((rc = city_load(s, &k, e)))
		return rc;
	stop = calloc((size_t)k.g->n + 1, 1);
	cut = calloc((size_t)k.g->n_edges + 1, 1);
	alive = malloc((size_t)k.g->n + 1);
	if (!stop || !cut || !alive) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	if (county) {
		if ((rc = query(s, "SELECT id FROM enterprises WHERE county = ?", (const char *const[]){county}, 1, &rows, e)))
			goto done;
		{
			size_t nr = json_array_size(rows);
			int64_t *ids = malloc((nr + 1) * sizeof *ids);
			if (!ids) {
				rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
				goto done;
			}
			for (size_t i = 0; i < nr; i++)
				ids[i] = col_i64(json_array_get(rows, i), 0);
			qsort(ids, nr, sizeof *ids, cmp_i64);
			for (int32_t v = 0; v < k.g->n; v++)
				if (k.ent_of[v] && bsearch(&k.ent_of[v], ids, nr, sizeof *ids, cmp_i64))
					stop[v] = 1;
			free(ids);
		}
	}
	if (supplier) {
		char key[300];
		const char *p = supplier;
		int32_t v;
		while (*p >= '0' && *p <= '9')
			p++;
		snprintf(key, sizeof key, *supplier && !*p ? "E%s" : "X:%s", supplier);
		if ((v = chain_find(k.g, key)) < 0) {
			rc = cf_err_set(e, CF_ENOTFOUND, "supplier", "%s is not in any supply relation", supplier);
			goto done;
		}
		stop[v] = 1;
	}
	if (cut_foreign)
		for (int64_t ed = 0; ed < k.g->n_edges; ed++)
			cut[ed] = k.g->src_region[ed] == CHAIN_FOREIGN &&
				  !strcmp(k.g->input_name[k.g->slot_input[k.g->edge_slot[ed]]], cut_foreign);
	if (chain_simulate(k.g, stop, cut, alive, NULL) < 0) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto done;
	}
	if ((rc = query(s, "SELECT id, name FROM chains", NULL, 0, &chains, e)))
		goto done;
	list = json_array();
	by = json_object();
	for (int32_t v = 0; v < k.g->n; v++) {
		json_t *x;
		if (!k.c.grounded[v] || alive[v])
			continue;
		x = node_json(&k, v);
		json_object_set_new(x, "chain_id", k.chain_of[v] ? json_integer(k.chain_of[v]) : json_null());
		json_object_set_new(x, "value_fen", json_integer(k.g->value[v]));
		json_array_append_new(list, x);
		lost += k.g->value[v];
		n++;
		for (size_t i = 0; i < json_array_size(chains); i++)
			if (col_i64(json_array_get(chains, i), 0) == k.chain_of[v]) {
				const char *cn = col(json_array_get(chains, i), 1);
				json_object_set_new(by, cn, json_integer(json_integer_value(json_object_get(by, cn)) + 1));
			}
	}
	*out = json_pack("{s:o,s:I,s:I,s:o}", "stopped", list, "stopped_n", (json_int_t)n, "stopped_value_fen",
			 (json_int_t)lost, "by_chain", by);
done:
	free(stop);
	free(cut);
	free(alive);
	json_decref(rows);
	json_decref(chains);
	city_free(&k);
	return rc;
}

int chain_svc_lists(store *s, const char *industry, json_t **out, cf_err *e)
{
	int64_t chain_id;
	json_t *b = NULL, *c = NULL;
	int rc;
	if ((rc = find_chain(s, industry, &chain_id, e)) || (rc = read_list(s, chain_id, "break", &b, e)) ||
	    (rc = read_list(s, chain_id, "choke", &c, e))) {
		json_decref(b);
		return rc;
	}
	*out = json_pack("{s:o,s:o}", "break_list", b, "choke_list", c);
	return 0;
}

int chain_svc_edit(store *s, const char *industry, const char *list, const char *key, const char *action,
		   const char *title, const char *note, json_t **out, cf_err *e)
{
	int64_t chain_id;
	char cid[24], sql[512];
	json_t *rows;
	int rc;

	if (!list || (strcmp(list, "break") && strcmp(list, "choke")))
		return cf_err_set(e, CF_EINVAL, "list", "list must be break or choke");
	if (!key || !*key)
		return cf_err_set(e, CF_EINVAL, "key", "key is required");
	if ((rc = find_chain(s, industry, &chain_id, e)))
		return rc;
	snprintf(cid, sizeof cid, "%lld", (long long)chain_id);
	snprintf(sql, sizeof sql, "%s WHERE list = ? AND chain_id = ? AND entry_key = ?", LIST_COLS);
	if ((rc = query(s, sql, (const char *const[]){list, cid, key}, 3, &rows, e)))
		return rc;
	if (!strcmp(action, "add")) {
		int exists = json_array_size(rows) > 0;
		json_decref(rows);
		if (exists)
			return cf_err_set(e, CF_ECONFLICT, "key", "entry %s already exists in the %s list", key, list);
		if ((rc = exec(s,
			       "INSERT INTO chain_list_entries (list, chain_id, entry_key, title, origin, note) VALUES "
			       "(?, ?, ?, ?, 'bureau', ?)",
			       (const char *const[]){list, cid, key, title && *title ? title : key, note}, 5, e)))
			return rc;
	} else {
		const char *upd;
		int exists = json_array_size(rows) > 0;
		json_decref(rows);
		if (!exists)
			return cf_err_set(e, CF_ENOTFOUND, "key", "no entry %s in the %s list", key, list);
		if (!strcmp(action, "annotate"))
			upd = "UPDATE chain_list_entries SET note = ?, updated_at = CURRENT_TIMESTAMP WHERE list = ? AND "
			      "chain_id = ? AND entry_key = ?";
		else if (!strcmp(action, "dismiss"))
			upd = "UPDATE chain_list_entries SET status = 'dismissed', note = COALESCE(?, note), updated_at = "
			      "CURRENT_TIMESTAMP WHERE list = ? AND chain_id = ? AND entry_key = ?";
		else if (!strcmp(action, "reopen"))
			upd = "UPDATE chain_list_entries SET status = 'open', note = COALESCE(?, note), updated_at = "
			      "CURRENT_TIMESTAMP WHERE list = ? AND chain_id = ? AND entry_key = ?";
		else
			return cf_err_set(e, CF_EINVAL, "action", "action must be add, annotate, dismiss or reopen");
		if ((rc = exec(s, upd, (const char *const[]){note, list, cid, key}, 4, e)))
			return rc;
	}
	if ((rc = query(s, sql, (const char *const[]){list, cid, key}, 3, &rows, e)))
		return rc;
	*out = entry_json(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

/* ---- two-chain coverage map ---- */

static int64_t count1(store *s, const char *sql, const char *const *p, size_t np, int *rc, cf_err *e)
{
	json_t *rows;
	int64_t n;
	if (*rc || (*rc = query(s, sql, p, np, &rows, e)))
		return 0;
	n = col_i64(json_array_get(rows, 0), 0);
	json_decref(rows);
	return n;
}

static int load_weights(double w[3])
{
	char path[4096];
	json_t *root;
	const char *names[3] = {"platform", "achievement", "team"};
	w[0] = 3, w[1] = 1, w[2] = 2; /* used only when the data file is missing; see coverage.json */
	if (path_data("chain/coverage.json", path, sizeof path) < 0 || !(root = json_load_file(path, 0, NULL)))
		return -1;
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(json_object_get(root, "weights"), names[i]);
		if (json_is_number(v))
			w[i] = json_number_value(v);
	}
	json_decref(root);
	return 0;
}

static int gap_cmp(const void *a, const void *b)
{
	double x = json_real_value(json_object_get(*(json_t *const *)a, "gap"));
	double y = json_real_value(json_object_get(*(json_t *const *)b, "gap"));
	return x > y ? -1 : x < y;
}

int chain_svc_gaps(store *s, const char *industry, json_t **out, cf_err *e)
{
	city k;
	json_t *chains, *segs_out = json_array(), *plats_out = json_array(), *plats;
	int rc = 0;
	double w[3];
	size_t ns;
	json_t **sorted = NULL;

	load_weights(w);
	if (industry)
		rc = query(s, "SELECT id, name FROM chains WHERE name = ? OR name_en = ?", (const char *const[]){industry, industry},
			   2, &chains, e);
	else
		rc = query(s, "SELECT id, name FROM chains ORDER BY id", NULL, 0, &chains, e);
	if (rc) {
		json_decref(segs_out);
		json_decref(plats_out);
		return rc;
	}
	if (industry && json_array_size(chains) == 0) {
		json_decref(chains);
		json_decref(segs_out);
		json_decref(plats_out);
		return cf_err_set(e, CF_ENOTFOUND, "--industry", "no chain named %s", industry);
	}
	if ((rc = city_load(s, &k, e))) {
		json_decref(chains);
		json_decref(segs_out);
		json_decref(plats_out);
		return rc;
	}
	for (size_t ci = 0; ci < json_array_size(chains) && !rc; ci++) {
		json_t *cr = json_array_get(chains, ci), *segs;
		const char *cid = col(cr, 0), *cname = col(cr, 1);
		int64_t chain_id = col_i64(cr, 0);
		if ((rc = query(s, "SELECT id, name, industry_code FROM segments WHERE chain_id = ? ORDER BY seq, id",
				(const char *const[]){cid}, 1, &segs, e)))
			break;
		for (size_t si = 0; si < json_array_size(segs) && !rc; si++) {
			json_t *sr = json_array_get(segs, si);
			int64_t seg_id = col_i64(sr, 0), risk = 0, points = 0, firms = 0;
			const char *code = col(sr, 2) ? col(sr, 2) : "";
			char pre[8];
			snprintf(pre, sizeof pre, "%.3s", code);
			for (int32_t v = 0; v < k.g->n; v++) {
				int at_risk = 0;
				if (k.seg_of[v] != seg_id || !k.c.grounded[v])
					continue;
				firms++;
				for (int32_t sl = k.g->slot_off[v]; sl < k.g->slot_off[v + 1]; sl++)
					if (k.risk[sl].cls == CHAIN_SUBST_ABSOLUTE ||
					    (k.risk[sl].foreign_main && k.risk[sl].domestic_cls == CHAIN_SUBST_ABSOLUTE))
						at_risk = 1, points++;
				if (at_risk)
					risk += k.c.stopped_value[v];
			}
			char sid[24];
			snprintf(sid, sizeof sid, "%lld", (long long)seg_id);
			int64_t np = count1(s, "SELECT COUNT(*) FROM platforms WHERE substr(industry_code, 1, 3) = ? OR industries LIKE ?",
					    (const char *const[]){pre, arena_printf(k.a, "%%%s%%", cname)}, 2, &rc, e);
			int64_t na = count1(s, "SELECT COUNT(*) FROM achievements WHERE substr(industry_code, 1, 3) = ?",
					    (const char *const[]){pre}, 1, &rc, e);
			int64_t nt = count1(s, "SELECT COUNT(*) FROM teams WHERE substr(industry_code, 1, 3) = ?",
					    (const char *const[]){pre}, 1, &rc, e);
			int64_t nd = count1(s, "SELECT COUNT(*) FROM demands WHERE segment_id = ?", (const char *const[]){sid}, 1, &rc, e);
			double cov = w[0] * (double)np + w[1] * (double)na + w[2] * (double)nt;
			json_array_append_new(
				segs_out,
				json_pack("{s:I,s:s,s:I,s:s,s:s,s:I,s:I,s:I,s:{s:I,s:I,s:I,s:I},s:f,s:f}", "chain_id", (json_int_t)chain_id,
					  "chain", cname, "segment_id", (json_int_t)seg_id, "segment", col(sr, 1), "industry_code", code,
					  "firms", (json_int_t)firms, "break_points", (json_int_t)points, "risk_value_fen", (json_int_t)risk,
					  "resources", "platforms", (json_int_t)np, "achievements", (json_int_t)na, "teams", (json_int_t)nt,
					  "demands", (json_int_t)nd, "coverage", cov, "gap", (double)risk / 100.0 / (1.0 + cov)));
		}
		json_decref(segs);
	}
	json_decref(chains);
	/* platforms: local absorptive capacity of their field (same 3-digit industry group) */
	if (!rc && !(rc = query(s, "SELECT id, name, industry_code FROM platforms ORDER BY id", NULL, 0, &plats, e))) {
		for (size_t i = 0; i < json_array_size(plats) && !rc; i++) {
			json_t *pr = json_array_get(plats, i), *agg;
			char pre[8];
			snprintf(pre, sizeof pre, "%.3s", col(pr, 2) ? col(pr, 2) : "");
			if ((rc = query(s,
					"SELECT COUNT(*), SUM(output_value), SUM(CASE WHEN tech_sme = 1 OR high_tech = 1 THEN 1 ELSE 0 END) "
					"FROM enterprises WHERE substr(industry_code, 1, 3) = ?",
					(const char *const[]){pre}, 1, &agg, e)))
				break;
			json_t *a0 = json_array_get(agg, 0);
			json_array_append_new(plats_out, json_pack("{s:I,s:s,s:s,s:I,s:I,s:I}", "id", (json_int_t)col_i64(pr, 0), "name",
								   col(pr, 1), "industry_code", col(pr, 2) ? col(pr, 2) : "",
								   "local_firms", (json_int_t)col_i64(a0, 0), "local_output_fen",
								   (json_int_t)col_i64(a0, 1), "innovative_firms", (json_int_t)col_i64(a0, 2)));
			json_decref(agg);
		}
		json_decref(plats);
	}
	city_free(&k);
	if (rc) {
		json_decref(segs_out);
		json_decref(plats_out);
		return rc;
	}
	ns = json_array_size(segs_out);
	sorted = malloc((ns + 1) * sizeof *sorted);
	if (sorted) {
		json_t *ranked = json_array();
		for (size_t i = 0; i < ns; i++)
			sorted[i] = json_array_get(segs_out, i);
		qsort(sorted, ns, sizeof *sorted, gap_cmp);
		for (size_t i = 0; i < ns; i++)
			json_array_append(ranked, sorted[i]);
		free(sorted);
		json_decref(segs_out);
		segs_out = ranked;
	}
	*out = json_pack("{s:o,s:o,s:{s:f,s:f,s:f}}", "gaps", segs_out, "platforms", plats_out, "weights", "platform", w[0],
			 "achievement", w[1], "team", w[2]);
	return 0;
}

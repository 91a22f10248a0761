/* whatif — awards of the recorded contracts under several policy versions; see whatif.h. */
#include "service/whatif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "policy/award.h"
#include "service/sqlrows.h"

#define MAX_BROKERS 64

/* A running sum per (broker, year) or per broker (year 0). Linear, fine for a city's contracts. */
typedef struct tally {
	int64_t *broker;
	int *year;
	int64_t *fen;
	size_t n, cap;
} tally;

static int64_t *tally_at(tally *t, int64_t broker, int year)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		if (t->broker[i] == broker && t->year[i] == year)
			return &t->fen[i];
	if (t->n == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 32;
		int64_t *b = realloc(t->broker, c * sizeof *b), *f;
		int *y;
		if (!b)
			return NULL;
		t->broker = b;
		if (!(y = realloc(t->year, c * sizeof *y)))
			return NULL;
		t->year = y;
		if (!(f = realloc(t->fen, c * sizeof *f)))
			return NULL;
		t->fen = f;
		t->cap = c;
	}
	t->broker[t->n] = broker;
	t->year[t->n] = year;
	t->fen[t->n] = 0;
	return &t->fen[t->n++];
}

static void tally_free(tally *t)
{
	free(t->broker);
	free(t->year);
	free(t->fen);
}

int whatif_run(store *s, const policy_set *ps, const char *const *ids, size_t n, int32_t from, int32_t to, json_t **out,
	       cf_err *e)
{
	const policy **pv = NULL;
	json_t *rows = NULL, *brows = NULL, *pols = json_array(), *changed = json_array(), *per = NULL;
	int64_t *awards = NULL; /* [contract][policy] */
	size_t nc, i, k, j, bi = 0;
	char f[16], t[16], df[11], dt[11];
	const char *q[] = {f, t};
	int rc = 0;

	if (n == 0) {
		rc = cf_err_set(e, CF_EINVAL, "--policies", "name at least one policy version");
		goto fail;
	}
	if (!(pv = calloc(n, sizeof *pv))) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (k = 0; k < n; k++)
		if (!(pv[k] = policy_set_find(ps, ids[k]))) {
			rc = cf_err_set(e, CF_ENOTFOUND, "--policies", "no policy version \"%s\"", ids[k]);
			goto fail;
		}
	snprintf(f, sizeof f, "%d", from);
	snprintf(t, sizeof t, "%d", to);
	if ((rc = sqlrows_collect(s,
				  "SELECT id, reg_no, type, amount_fen, sign_date FROM contracts WHERE status <> 'fraud' "
				  "AND sign_date >= ? AND sign_date <= ? ORDER BY sign_date, id",
				  q, 2, &rows, e)) ||
	    (rc = sqlrows_collect(s,
				  "SELECT cb.contract_id, cb.broker_id, cb.share_bp FROM contract_brokers cb JOIN contracts c "
				  "ON c.id = cb.contract_id WHERE c.status <> 'fraud' AND c.sign_date >= ? AND c.sign_date <= ? "
				  "ORDER BY c.sign_date, c.id, cb.seq",
				  q, 2, &brows, e)))
		goto fail;
	nc = json_array_size(rows);
	if (nc && !(awards = calloc(nc * n, sizeof *awards))) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (k = 0; k < n; k++) {
		tally ytd = {0}, sum = {0};
		int64_t total = 0;
		per = json_array();
		bi = 0;
		for (i = 0; i < nc; i++) {
			int64_t cid = sqlrows_i64(rows, i, 0), bids[MAX_BROKERS];
			award_broker ab[MAX_BROKERS];
			award_part parts[MAX_BROKERS];
			award_calc calc;
			size_t nb = 0;
			int y, m, d;
			date_to_ymd((int32_t)sqlrows_i64(rows, i, 4), &y, &m, &d);
			while (bi < json_array_size(brows) && sqlrows_i64(brows, bi, 0) == cid) {
				if (nb < MAX_BROKERS) {
					bids[nb] = sqlrows_i64(brows, bi, 1);
					memset(&ab[nb], 0, sizeof ab[nb]);
					ab[nb].share_bp = sqlrows_i64(brows, bi, 2);
					nb++;
				}
				bi++;
			}
			if ((rc = award_compute(pv[k], sqlrows_i64(rows, i, 3), sqlrows_text(rows, i, 2), &calc, e)))
				goto fail_k;
			for (j = 0; j < nb; j++) {
				int64_t *x = tally_at(&ytd, bids[j], y);
				if (!x)
					goto nomem_k;
				ab[j].year_to_date_fen = *x;
			}
			if (nb && (rc = award_distribute(pv[k], calc.award_fen, ab, nb, parts, e)))
				goto fail_k;
			for (j = 0; j < nb; j++) {
				int64_t *x = tally_at(&ytd, bids[j], y), *z = tally_at(&sum, bids[j], 0);
				if (!x || !z)
					goto nomem_k;
				*x += parts[j].grant_fen;
				*z += parts[j].grant_fen;
				awards[i * n + k] += parts[j].grant_fen;
			}
			total += awards[i * n + k];
		}
		for (j = 0; j < sum.n; j++)
			json_array_append_new(per, json_pack("{s:I, s:I}", "broker_id", (json_int_t)sum.broker[j], "award_fen",
							     (json_int_t)sum.fen[j]));
		json_array_append_new(pols, json_pack("{s:s, s:s, s:I, s:o}", "id", pv[k]->id, "name", pv[k]->name, "total_fen",
						      (json_int_t)total, "brokers", per));
		per = NULL;
		tally_free(&ytd);
		tally_free(&sum);
		continue;
	nomem_k:
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	fail_k:
		tally_free(&ytd);
		tally_free(&sum);
		goto fail;
	}
	for (i = 0; i < nc; i++) {
		int differs = 0;
		json_t *by;
		for (k = 1; k < n; k++)
			differs |= awards[i * n + k] != awards[i * n];
		if (!differs)
			continue;
		by = json_object();
		for (k = 0; k < n; k++)
			json_object_set_new(by, pv[k]->id, json_integer(awards[i * n + k]));
		json_array_append_new(changed, json_pack("{s:I, s:s, s:I, s:o}", "contract_id", (json_int_t)sqlrows_i64(rows, i, 0),
							 "reg_no", sqlrows_text(rows, i, 1), "amount_fen",
							 (json_int_t)sqlrows_i64(rows, i, 3), "award_fen", by));
	}
	*out = json_pack("{s:o, s:o, s:I, s:o, s:o}", "from", from == INT32_MIN ? json_null() : json_string(date_format(from, df)),
			 "to", to == INT32_MAX ? json_null() : json_string(date_format(to, dt)), "contracts", (json_int_t)nc,
			 "policies", pols, "changed", changed);
	pols = changed = NULL;
fail:
	free(pv);
	free(awards);
	json_decref(rows);
	json_decref(brows);
	json_decref(pols);
	json_decref(changed);
	json_decref(per);
	return rc;
}

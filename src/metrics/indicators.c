/* indicators — U1/U2 composite indices, coupling and obstacle degrees; see indicators.h. */
#include "metrics/indicators.h"

#include <stdlib.h>
#include <string.h>

#include "metrics/entropy.h"

int metrics_system_run(const metrics_table *t, double alpha, double beta, double eps, metrics_system *out, cf_err *e)
{
	metrics_system s;
	size_t n = t->rows, m = t->cols, i, j, k, cnt[3] = {0, 0, 0};
	double *x = NULL, *w = NULL, *y = NULL, *yall = NULL;
	int rc = 0, sub;

	memset(&s, 0, sizeof s);
	s.rows = n;
	s.cols = m;
	s.subsystem = calloc(m, sizeof *s.subsystem);
	s.negative = calloc(m, sizeof *s.negative);
	s.weight = calloc(m, sizeof *s.weight);
	s.u = calloc(n * 2, sizeof *s.u);
	s.c = calloc(n, sizeof *s.c);
	s.obstacle = calloc(n * m, sizeof *s.obstacle);
	x = calloc(n * m, sizeof *x);
	w = calloc(m, sizeof *w);
	y = calloc(n * m, sizeof *y);
	yall = calloc(n * m, sizeof *yall);
	if (!s.subsystem || !s.negative || !s.weight || !s.u || !s.c || !s.obstacle || !x || !w || !y || !yall) {
		rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	for (j = 0; j < m; j++) {
		const char *nm = t->names[j];
		size_t len = strlen(nm);
		if (!strncmp(nm, "U1.", 3))
			s.subsystem[j] = 1;
		else if (!strncmp(nm, "U2.", 3))
			s.subsystem[j] = 2;
		else {
			rc = cf_err_set(e, CF_EINVAL, nm, "indicator column \"%s\" must start with U1. (industry chain) or U2. (innovation chain)", nm);
			goto fail;
		}
		s.negative[j] = len >= 3 && !strcmp(nm + len - 3, "(-)");
		cnt[s.subsystem[j]]++;
	}
	for (sub = 1; sub <= 2; sub++) {
		size_t mm = cnt[sub];
		int neg[512];
		if (mm == 0) {
			rc = cf_err_set(e, CF_EINVAL, NULL, "subsystem U%d has no indicator column", sub);
			goto fail;
		}
		if (mm > sizeof neg / sizeof neg[0]) {
			rc = cf_err_set(e, CF_ETOOBIG, NULL, "subsystem U%d has more than 512 indicators", sub);
			goto fail;
		}
		for (j = 0, k = 0; j < m; j++)
			if (s.subsystem[j] == sub) {
				neg[k] = s.negative[j];
				for (i = 0; i < n; i++)
					x[i * mm + k] = t->x[i * m + j];
				k++;
			}
		if ((rc = metrics_entropy(x, n, mm, neg, eps, NULL, w, NULL, y, e)) < 0)
			goto fail;
		for (i = 0; i < n; i++) {
			double uu = 0;
			for (k = 0; k < mm; k++)
				uu += w[k] * y[i * mm + k]; /* composite index in [0,1] over min-max scores */
			s.u[i * 2 + sub - 1] = uu;
		}
		for (j = 0, k = 0; j < m; j++)
			if (s.subsystem[j] == sub) {
				s.weight[j] = w[k];
				for (i = 0; i < n; i++)
					yall[i * m + j] = y[i * mm + k];
				k++;
			}
	}
	for (i = 0; i < n; i++) {
		double cw[2] = {alpha, beta}, fw[1024];
		if ((rc = metrics_coupling_compute(&s.u[i * 2], 2, cw, METRICS_COUPLING_STANDARD, &s.c[i], e)) < 0)
			goto fail;
		/* obstacle to the whole system: factor contribution = indicator weight × subsystem weight */
		for (j = 0; j < m && j < 1024; j++)
			fw[j] = s.weight[j] * (s.subsystem[j] == 1 ? alpha : beta);
		metrics_obstacle(&yall[i * m], fw, m, &s.obstacle[i * m]);
	}
	free(x);
	free(w);
	free(y);
	free(yall);
	*out = s;
	return 0;
fail:
	free(x);
	free(w);
	free(y);
	free(yall);
	metrics_system_free(&s);
	return rc;
}

void metrics_system_free(metrics_system *s)
{
	free(s->subsystem);
	free(s->negative);
	free(s->weight);
	free(s->u);
	free(s->c);
	free(s->obstacle);
	memset(s, 0, sizeof *s);
}

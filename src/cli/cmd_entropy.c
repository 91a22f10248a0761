/* cmd_entropy — `chainfuse entropy`: entropy weights, scores and obstacle degrees for a CSV. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/path.h"
#include "cli/cli.h"
#include "metrics/entropy.h"
#include "metrics/table.h"

static const char usage[] =
	"usage: chainfuse entropy --csv FILE [--negative COLS] [--epsilon E] [--scores] [--json]\n"
	"\n"
	"Entropy weight method (熵权法) over FILE, whose columns are id,X1,X2,... (one row per sample).\n"
	"  --negative COLS  comma-separated column names of cost (negative) indicators\n"
	"  --epsilon E      shift y' = E + (1-E)*y that keeps ln away from 0 (default 0.002)\n"
	"  --scores         print each row's composite score and obstacle degrees (障碍度)\n"
	"                   instead of the weights\n"
	"  --json           one JSON object with weights, scores and obstacle degrees\n"
	"No database is needed.\n";

static int entropy_main(int argc, char **argv)
{
	const char *csv = NULL, *neg = NULL, *epsv = NULL, *v;
	int json = 0, scores = 0, rc = 0, r;
	double eps = METRICS_ENTROPY_EPSILON;
	metrics_table t = {0};
	int *negative = NULL;
	double *ent = NULL, *w = NULL, *s = NULL, *y = NULL, *o = NULL;
	buf b;
	cf_err e;
	size_t i, j;

	if (cli_help(argc, argv, usage))
		return 0;
	for (int k = 1; k < argc; k++) {
		if ((r = cli_opt(&k, argc, argv, "--csv", &v)) != 0) {
			if (r < 0)
				return 2;
			csv = v;
		} else if ((r = cli_opt(&k, argc, argv, "--negative", &v)) != 0) {
			if (r < 0)
				return 2;
			neg = v;
		} else if ((r = cli_opt(&k, argc, argv, "--epsilon", &v)) != 0) {
			if (r < 0)
				return 2;
			epsv = v;
		} else if (cli_flag(k, argv, "--json")) {
			json = 1;
		} else if (cli_flag(k, argv, "--scores")) {
			scores = 1;
		} else {
			return cli_usage("entropy", "unknown argument %s", argv[k]);
		}
	}
	if (!csv)
		return cli_usage("entropy", "--csv FILE is required");
	if (epsv) {
		char *end;
		eps = strtod(epsv, &end);
		if (end == epsv || *end || !(eps >= 0 && eps < 1))
			return cli_usage("entropy", "--epsilon must be a number in [0, 1)");
	}
	cf_err_clear(&e);
	buf_init(&b, 256u << 20);
	if ((rc = path_read_file(csv, &b, &e)) < 0 || (rc = metrics_table_parse(b.p ? b.p : "", b.len, csv, &t, &e)) < 0) {
		rc = cli_fail("entropy", &e);
		goto done;
	}
	negative = calloc(t.cols, sizeof *negative);
	ent = calloc(t.cols, sizeof *ent);
	w = calloc(t.cols, sizeof *w);
	o = calloc(t.cols, sizeof *o);
	s = calloc(t.rows, sizeof *s);
	y = calloc(t.rows * t.cols, sizeof *y);
	if (!negative || !ent || !w || !o || !s || !y) {
		cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
		rc = cli_fail("entropy", &e);
		goto done;
	}
	for (const char *p = neg; p && *p;) {
		size_t n = strcspn(p, ",");
		int c = metrics_table_col(&t, p, n);
		if (c < 0) {
			rc = cli_usage("entropy", "--negative: no column \"%.*s\" in %s", (int)n, p, csv);
			goto done;
		}
		negative[c] = 1;
		p += n;
		if (*p == ',')
			p++;
	}
	if ((rc = metrics_entropy(t.x, t.rows, t.cols, negative, eps, ent, w, s, y, &e)) < 0) {
		if (!e.where[0])
			snprintf(e.where, sizeof e.where, "%s", csv);
		rc = cli_fail("entropy", &e);
		goto done;
	}
	if (json) {
		json_t *out = json_object(), *ind = json_array(), *rows = json_array();
		char *str;
		for (j = 0; j < t.cols; j++) {
			json_t *x = json_object();
			json_object_set_new(x, "name", json_string(t.names[j]));
			json_object_set_new(x, "type", json_string(negative[j] ? "negative" : "positive"));
			json_object_set_new(x, "entropy", json_real(ent[j]));
			json_object_set_new(x, "weight", json_real(w[j]));
			json_array_append_new(ind, x);
		}
		for (i = 0; i < t.rows; i++) {
			json_t *x = json_object(), *ob = json_object();
			metrics_obstacle(&y[i * t.cols], w, t.cols, o);
			for (j = 0; j < t.cols; j++)
				json_object_set_new(ob, t.names[j], json_real(o[j]));
			json_object_set_new(x, "id", json_string(t.ids[i]));
			json_object_set_new(x, "score", json_real(s[i]));
			json_object_set_new(x, "obstacle", ob);
			json_array_append_new(rows, x);
		}
		json_object_set_new(out, "epsilon", json_real(eps));
		json_object_set_new(out, "indicators", ind);
		json_object_set_new(out, "rows", rows);
		str = json_dumps(out, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
		json_decref(out);
		if (str) {
			puts(str);
			free(str);
		}
	} else if (scores) {
		printf("%s,score", t.id_name);
		for (j = 0; j < t.cols; j++)
			printf(",obstacle_%s", t.names[j]);
		putchar('\n');
		for (i = 0; i < t.rows; i++) {
			metrics_obstacle(&y[i * t.cols], w, t.cols, o);
			printf("%s,%.6f", t.ids[i], s[i]);
			for (j = 0; j < t.cols; j++)
				printf(",%.6f", o[j]);
			putchar('\n');
		}
	} else {
		printf("indicator,type,entropy,weight\n");
		for (j = 0; j < t.cols; j++)
			printf("%s,%s,%.7f,%.7f\n", t.names[j], negative[j] ? "negative" : "positive", ent[j], w[j]);
	}
	rc = 0;
done:
	free(negative);
	free(ent);
	free(w);
	free(s);
	free(y);
	free(o);
	metrics_table_free(&t);
	buf_free(&b);
	return rc;
}

CLI_COMMAND(cmd_entropy, "entropy", "entropy weights, scores and obstacle degrees of indicators in a CSV", entropy_main)

/* cmd_coupling — `chainfuse coupling`: coupling coordination degree of the subsystems in a CSV. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/path.h"
#include "cli/cli.h"
#include "metrics/coupling.h"
#include "metrics/table.h"

static const char usage[] =
	"usage: chainfuse coupling --csv FILE [--alpha A --beta B | --weights W1,W2,...] [--adjusted] [--json]\n"
	"\n"
	"Coupling C, coordination T and coupling coordination degree D (耦合协调度) for each row of\n"
	"FILE, whose columns are id,U1,U2[,U3...] (composite indices in [0,1]).\n"
	"  C = p*(prod U)^(1/p) / sum U   (p = 2: 2*sqrt(U1*U2)/(U1+U2))\n"
	"  T = sum w_i*U_i  (p = 2: alpha*U1 + beta*U2; default equal weights)\n"
	"  D = sqrt(C*T), graded 极度失调 (D < 0.1) ... 优质协调 (D >= 0.9)\n"
	"  --adjusted   Wang et al. (2021) adjusted coupling C = sqrt(C1*C2)\n"
	"  --json       one JSON object instead of CSV\n"
	"No database is needed.\n";

static int parse_num(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	return end != s && *end == '\0' && isfinite(*v) ? 0 : -1;
}

static int coupling_main(int argc, char **argv)
{
	const char *csv = NULL, *alpha = NULL, *beta = NULL, *weights = NULL, *v;
	int json = 0, form = METRICS_COUPLING_STANDARD, rc = 0, r;
	metrics_table t = {0};
	double *w = NULL;
	buf b;
	cf_err e;
	size_t i, j;
	json_t *out = NULL, *rows = NULL;

	if (cli_help(argc, argv, usage))
		return 0;
	for (int k = 1; k < argc; k++) {
		if ((r = cli_opt(&k, argc, argv, "--csv", &v)) != 0) {
			if (r < 0)
				return 2;
			csv = v;
		} else if ((r = cli_opt(&k, argc, argv, "--alpha", &v)) != 0) {
			if (r < 0)
				return 2;
			alpha = v;
		} else if ((r = cli_opt(&k, argc, argv, "--beta", &v)) != 0) {
			if (r < 0)
				return 2;
			beta = v;
		} else if ((r = cli_opt(&k, argc, argv, "--weights", &v)) != 0) {
			if (r < 0)
				return 2;
			weights = v;
		} else if (cli_flag(k, argv, "--json")) {
			json = 1;
		} else if (cli_flag(k, argv, "--adjusted")) {
			form = METRICS_COUPLING_ADJUSTED;
		} else {
			return cli_usage("coupling", "unknown argument %s", argv[k]);
		}
	}
	if (!csv)
		return cli_usage("coupling", "--csv FILE is required");
	if ((alpha || beta) && weights)
		return cli_usage("coupling", "give either --alpha/--beta or --weights, not both");
	if (!!alpha != !!beta)
		return cli_usage("coupling", "--alpha and --beta go together");

	cf_err_clear(&e);
	buf_init(&b, 256u << 20);
	if ((rc = path_read_file(csv, &b, &e)) < 0 || (rc = metrics_table_parse(b.p ? b.p : "", b.len, csv, &t, &e)) < 0) {
		rc = cli_fail("coupling", &e);
		goto done;
	}
	if (t.cols < 2) {
		cf_err_set(&e, CF_EINVAL, csv, "needs at least two subsystem columns (id,U1,U2), found %zu", t.cols);
		rc = cli_fail("coupling", &e);
		goto done;
	}
	if (alpha || weights) {
		w = calloc(t.cols, sizeof *w);
		if (!w) {
			cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
			rc = cli_fail("coupling", &e);
			goto done;
		}
	}
	if (alpha) {
		if (t.cols != 2) {
			rc = cli_usage("coupling", "--alpha/--beta apply to two subsystems; FILE has %zu (use --weights)", t.cols);
			goto done;
		}
		if (parse_num(alpha, &w[0]) < 0 || parse_num(beta, &w[1]) < 0) {
			rc = cli_usage("coupling", "--alpha and --beta must be numbers");
			goto done;
		}
	} else if (weights) {
		const char *s = weights;
		for (i = 0; i < t.cols; i++) {
			char tmp[64];
			size_t n = strcspn(s, ",");
			if (n == 0 || n >= sizeof tmp) {
				rc = cli_usage("coupling", "--weights needs %zu numbers separated by commas", t.cols);
				goto done;
			}
			memcpy(tmp, s, n);
			tmp[n] = '\0';
			if (parse_num(tmp, &w[i]) < 0) {
				rc = cli_usage("coupling", "--weights: \"%s\" is not a number", tmp);
				goto done;
			}
			s += n;
			if (*s == ',')
				s++;
			else if (i + 1 < t.cols) {
				rc = cli_usage("coupling", "--weights needs %zu numbers separated by commas", t.cols);
				goto done;
			}
		}
		if (*s) {
			rc = cli_usage("coupling", "--weights needs %zu numbers separated by commas", t.cols);
			goto done;
		}
	}
	if (json) {
		out = json_object();
		rows = json_array();
		json_object_set_new(out, "form", json_string(form == METRICS_COUPLING_ADJUSTED ? "adjusted" : "standard"));
		json_object_set_new(out, "subsystems", json_integer((json_int_t)t.cols));
		json_object_set(out, "rows", rows);
	} else {
		printf("%s,C,T,D,grade,grade_zh,grade_en\n", t.id_name);
	}
	for (i = 0; i < t.rows; i++) {
		metrics_coupling c;
		char where[300];
		if ((rc = metrics_coupling_compute(&t.x[i * t.cols], t.cols, w, form, &c, &e)) < 0) {
			char msg[sizeof e.msg];
			snprintf(msg, sizeof msg, "%s", e.msg);
			snprintf(where, sizeof where, "%s:%zu", csv, i + 2);
			cf_err_set(&e, rc, where, "%s", msg);
			rc = cli_fail("coupling", &e);
			goto done;
		}
		if (json) {
			json_t *o = json_object(), *u = json_array();
			for (j = 0; j < t.cols; j++)
				json_array_append_new(u, json_real(t.x[i * t.cols + j]));
			json_object_set_new(o, "id", json_string(t.ids[i]));
			json_object_set_new(o, "U", u);
			json_object_set_new(o, "C", json_real(c.C));
			json_object_set_new(o, "T", json_real(c.T));
			json_object_set_new(o, "D", json_real(c.D));
			json_object_set_new(o, "grade", json_integer(c.grade));
			json_object_set_new(o, "grade_zh", json_string(metrics_coupling_grade_zh(c.grade)));
			json_object_set_new(o, "grade_en", json_string(metrics_coupling_grade_en(c.grade)));
			json_array_append_new(rows, o);
		} else {
			printf("%s,%.6f,%.6f,%.6f,%d,%s,%s\n", t.ids[i], c.C, c.T, c.D, c.grade,
			       metrics_coupling_grade_zh(c.grade), metrics_coupling_grade_en(c.grade));
		}
	}
	if (json) {
		char *s = json_dumps(out, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		if (s) {
			puts(s);
			free(s);
		}
	}
	rc = 0;
done:
	json_decref(rows);
	json_decref(out);
	free(w);
	metrics_table_free(&t);
	buf_free(&b);
	return rc;
}

CLI_COMMAND(cmd_coupling, "coupling", "coupling coordination degree C, T, D of subsystems in a CSV", coupling_main)

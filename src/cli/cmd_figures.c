/* cmd_figures — `chainfuse figures`: the paper's figures and the recomputed derived values. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/path.h"
#include "cli/cli.h"
#include "metrics/figures.h"

static const char usage[] =
	"usage: chainfuse figures [--derived] [--check] [--json]\n"
	"\n"
	"Lists every figure the paper states (data/paper_figures.json), each with its section.\n"
	"  --derived  the derived values recomputed from the transcribed inputs instead\n"
	"  --check    recompute and compare with the values the paper prints; exit 1 on a mismatch\n"
	"             beyond the rounding of the inputs\n"
	"  --json     JSON instead of tab-separated text\n";

static int figures_main(int argc, char **argv)
{
	int derived = 0, check = 0, json = 0, rc, bad = 0;
	char path[4096];
	metrics_figures *f = NULL;
	metrics_derived *d = NULL;
	size_t n = 0, i;
	cf_err e;

	if (cli_help(argc, argv, usage))
		return 0;
	for (int k = 1; k < argc; k++) {
		if (cli_flag(k, argv, "--derived"))
			derived = 1;
		else if (cli_flag(k, argv, "--check"))
			check = derived = 1;
		else if (cli_flag(k, argv, "--json"))
			json = 1;
		else
			return cli_usage("figures", "unknown argument %s", argv[k]);
	}
	cf_err_clear(&e);
	if (path_data("paper_figures.json", path, sizeof path) < 0 || (rc = metrics_figures_load(path, &f, &e)) < 0 ||
	    (derived && (rc = metrics_figures_derive(f, &d, &n, &e)) < 0)) {
		if (!e.code)
			cf_err_set(&e, CF_ETOOBIG, NULL, "data path too long");
		rc = cli_fail("figures", &e);
		goto done;
	}
	if (derived) {
		json_t *arr = json_array();
		for (i = 0; i < n; i++) {
			if (d[i].has_published && !d[i].consistent)
				bad++;
			if (json) {
				json_t *o = json_object();
				json_object_set_new(o, "id", json_string(d[i].id));
				json_object_set_new(o, "zh", json_string(d[i].zh));
				json_object_set_new(o, "unit", json_string(d[i].unit));
				json_object_set_new(o, "value", json_real(d[i].value));
				json_object_set_new(o, "rounded", json_real(round(d[i].value * pow(10, d[i].decimals)) / pow(10, d[i].decimals)));
				json_object_set_new(o, "lo", json_real(d[i].lo));
				json_object_set_new(o, "hi", json_real(d[i].hi));
				if (d[i].has_published) {
					json_object_set_new(o, "published", json_real(d[i].published));
					json_object_set_new(o, "consistent", json_boolean(d[i].consistent));
				}
				json_array_append_new(arr, o);
			} else {
				printf("%s\t%.*f\t%s", d[i].id, d[i].decimals, d[i].value, d[i].unit);
				if (d[i].has_published)
					printf("\tpublished %.*f\t%s", d[i].decimals, d[i].published,
					       d[i].consistent ? "consistent" : "MISMATCH");
				printf("\t%s\n", d[i].zh);
			}
		}
		if (json) {
			char *s = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
			if (s)
				puts(s);
			free(s);
		}
		json_decref(arr);
	} else {
		const metrics_point *p;
		json_t *arr = json_array();
		int pass;
		for (pass = 0; pass < 2; pass++) {
			p = pass ? metrics_figures_facts(f, &n) : metrics_figures_points(f, &n);
			for (i = 0; i < n; i++) {
				if (json) {
					json_t *o = json_object();
					json_object_set_new(o, "kind", json_string(pass ? "fact" : "series"));
					json_object_set_new(o, "id", json_string(p[i].id));
					json_object_set_new(o, "section", json_string(p[i].section));
					json_object_set_new(o, "zh", json_string(p[i].zh));
					json_object_set_new(o, "en", json_string(p[i].en));
					json_object_set_new(o, "region", json_string(p[i].region));
					json_object_set_new(o, "period", json_string(p[i].period));
					json_object_set_new(o, "value", json_real(p[i].value));
					json_object_set_new(o, "unit", json_string(p[i].unit));
					json_array_append_new(arr, o);
				} else {
					printf("%s\t%s\t%s\t%s\t%g\t%s\t%s\n", p[i].section, p[i].id, p[i].region, p[i].period, p[i].value,
					       p[i].unit, p[i].zh);
				}
			}
		}
		if (json) {
			char *s = json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
			if (s)
				puts(s);
			free(s);
		}
		json_decref(arr);
	}
	rc = 0;
	if (check && bad) {
		fprintf(stderr, "chainfuse figures: %s: %d derived value(s) disagree with the paper beyond input rounding\n", path, bad);
		rc = 1;
	}
done:
	free(d);
	metrics_figures_free(f);
	return rc;
}

CLI_COMMAND(cmd_figures, "figures", "the paper's figures as data, and their recomputed derived values", figures_main)

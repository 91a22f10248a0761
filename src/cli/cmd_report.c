/* cmd_report — `chainfuse report`: the yearly analytics report as XLSX or printable HTML. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/path.h"
#include "cli/cli.h"
#include "metrics/figures.h"
#include "metrics/indicators.h"
#include "metrics/ladder.h"
#include "metrics/table.h"
#include "service/analytics.h"
#include "service/report.h"
#include "store/store.h"

static const char usage[] =
	"usage: chainfuse report --year Y --format xlsx|html -o FILE [--indicators CSV] [--alpha A --beta B]\n"
	"                        [--ladder CSV] [--synthetic] [--db PATH]\n"
	"\n"
	"Writes the two-chain analytics report for year Y: the paper's figures (Table 1 with the\n"
	"recomputed averages, Figures 1-3, facts, derived values) and, when given:\n"
	"  --indicators CSV  one row per year: year,U1.NAME...,U2.NAME... (NAME ending in (-) is a\n"
	"                    negative indicator); entropy weights, U1/U2, C/T/D, grades, obstacle degrees\n"
	"  --alpha/--beta    coordination weights of U1 and U2 (default 0.5/0.5)\n"
	"  --ladder CSV      enterprise,year,above_scale,tech_sme,high_tech,little_giant,leading (0/1):\n"
	"                    the ladder flows from Y-1 to Y as a sankey\n"
	"  --synthetic       label the data as the generated demo set\n"
	"  --db PATH         read the registry: yearly indicators, ladder flows, platform assessment and\n"
	"                    layout gap (--indicators/--ladder, when given, take precedence)\n"
	"XLSX has Chinese sheet names and headers and number formats; HTML is one self-contained page\n"
	"with inline SVG charts, for printing.\n";

static int load_table(const char *path, metrics_table *t, cf_err *e)
{
	buf b;
	int rc;
	buf_init(&b, 256u << 20);
	rc = path_read_file(path, &b, e);
	if (rc == 0)
		rc = metrics_table_parse(b.p ? b.p : "", b.len, path, t, e);
	buf_free(&b);
	return rc;
}

static const char *ladder_cols[] = {NULL, "above_scale", "tech_sme", "high_tech", "little_giant", "leading"};

static int load_ladder(const char *path, int year, metrics_ladder_flows *f, cf_err *e)
{
	metrics_table t = {0};
	metrics_ladder_obs *o = NULL;
	int rc, yc, col[METRICS_RUNG_N], r;
	size_t i;

	if ((rc = load_table(path, &t, e)) < 0)
		return rc;
	yc = metrics_table_col(&t, "year", 4);
	for (r = 1; r < METRICS_RUNG_N; r++)
		col[r] = metrics_table_col(&t, ladder_cols[r], strlen(ladder_cols[r]));
	if (yc < 0) {
		rc = cf_err_set(e, CF_EINVAL, path, "the ladder CSV needs a year column");
		goto done;
	}
	o = calloc(t.rows ? t.rows : 1, sizeof *o);
	if (!o) {
		rc = cf_err_set(e, CF_ENOMEM, path, "out of memory");
		goto done;
	}
	for (i = 0; i < t.rows; i++) {
		int64_t id;
		if (cli_parse_i64(t.ids[i], &id) < 0) {
			char where[320];
			snprintf(where, sizeof where, "%s:%zu:1", path, i + 2);
			rc = cf_err_set(e, CF_EINVAL, where, "enterprise id \"%s\" is not an integer", t.ids[i]);
			goto done;
		}
		o[i].enterprise = id;
		o[i].year = (int32_t)t.x[i * t.cols + (size_t)yc];
		for (r = 1; r < METRICS_RUNG_N; r++)
			if (col[r] >= 0 && t.x[i * t.cols + (size_t)col[r]] != 0)
				o[i].flags |= 1u << r;
	}
	rc = metrics_ladder_flows_compute(o, t.rows, year, f, e);
done:
	free(o);
	metrics_table_free(&t);
	return rc;
}

static int report_main(int argc, char **argv)
{
	const char *year_s = NULL, *format = NULL, *out = NULL, *ind = NULL, *ladder = NULL, *alpha_s = NULL, *beta_s = NULL, *v;
	const char *dbopt = NULL, *dbpath;
	store *db = NULL;
	analytics_platform *plats = NULL;
	analytics_gap *gaps = NULL;
	size_t nplats = 0, ngaps = 0;
	int have_ind = 0, have_ladder = 0, dbsyn = 0;
	struct stat st;
	int synthetic = 0, rc = 0, r;
	int64_t year;
	double alpha = 0.5, beta = 0.5;
	char fpath[4096];
	metrics_figures *fig = NULL;
	metrics_table t = {0};
	metrics_system sys = {0};
	metrics_ladder_flows flows;
	report_input in;
	buf html;
	cf_err e;

	if (cli_help(argc, argv, usage))
		return 0;
	for (int k = 1; k < argc; k++) {
		if ((r = cli_opt(&k, argc, argv, "--year", &v)) != 0) {
			if (r < 0)
				return 2;
			year_s = v;
		} else if ((r = cli_opt(&k, argc, argv, "--format", &v)) != 0) {
			if (r < 0)
				return 2;
			format = v;
		} else if ((r = cli_opt(&k, argc, argv, "-o", &v)) != 0 || (r = cli_opt(&k, argc, argv, "--output", &v)) != 0) {
			if (r < 0)
				return 2;
			out = v;
		} else if ((r = cli_opt(&k, argc, argv, "--indicators", &v)) != 0) {
			if (r < 0)
				return 2;
			ind = v;
		} else if ((r = cli_opt(&k, argc, argv, "--ladder", &v)) != 0) {
			if (r < 0)
				return 2;
			ladder = v;
		} else if ((r = cli_opt(&k, argc, argv, "--alpha", &v)) != 0) {
			if (r < 0)
				return 2;
			alpha_s = v;
		} else if ((r = cli_opt(&k, argc, argv, "--beta", &v)) != 0) {
			if (r < 0)
				return 2;
			beta_s = v;
		} else if ((r = cli_opt(&k, argc, argv, "--db", &v)) != 0) {
			if (r < 0)
				return 2;
			dbopt = v;
		} else if (cli_flag(k, argv, "--synthetic")) {
			synthetic = 1;
		} else {
			return cli_usage("report", "unknown argument %s", argv[k]);
		}
	}
	if (!year_s || cli_parse_i64(year_s, &year) < 0 || year < 1900 || year > 2200)
		return cli_usage("report", "--year Y (a year such as 2021) is required");
	if (!format || (strcmp(format, "xlsx") && strcmp(format, "html")))
		return cli_usage("report", "--format must be xlsx or html");
	if (!out)
		return cli_usage("report", "-o FILE is required");
	if (!!alpha_s != !!beta_s)
		return cli_usage("report", "--alpha and --beta go together");
	if (alpha_s) {
		char *e1, *e2;
		alpha = strtod(alpha_s, &e1);
		beta = strtod(beta_s, &e2);
		if (e1 == alpha_s || *e1 || e2 == beta_s || *e2)
			return cli_usage("report", "--alpha and --beta must be numbers");
	}
	cf_err_clear(&e);
	buf_init(&html, 64u << 20);
	if ((rc = path_data("paper_figures.json", fpath, sizeof fpath)) < 0) {
		cf_err_set(&e, rc, "paper_figures.json", "data path too long");
		goto fail;
	}
	if ((rc = metrics_figures_load(fpath, &fig, &e)) < 0)
		goto fail;
	dbpath = dbopt ? cli_db_path(dbopt) : NULL;
	if (dbpath && stat(dbpath, &st) != 0) {
		rc = cf_err_set(&e, CF_EIO, dbpath, "no database here: %s", strerror(errno));
		goto fail;
	}
	if (dbpath) {
		int syn = 0;
		if ((rc = store_open(dbpath, &db, &e)) < 0)
			goto fail;
		if (!ind) {
			rc = analytics_indicators(db, &t, &syn, &e);
			if (rc == 0) {
				have_ind = 1;
				dbsyn |= syn;
			} else if (rc != CF_ENOTFOUND) {
				goto fail;
			}
		}
		if (!ladder) {
			if ((rc = analytics_ladder(db, (int)year, &flows, &syn, &e)) < 0)
				goto fail;
			have_ladder = flows.up + flows.down + flows.stay > 0;
			dbsyn |= syn;
		}
		if ((rc = analytics_platforms(db, (int)year, 2, &plats, &nplats, &e)) < 0)
			goto fail;
		rc = analytics_layout_gap(db, 0.5, &gaps, &ngaps, &e);
		if (rc < 0 && rc != CF_ENOTFOUND)
			goto fail;
	}
	if (ind || have_ind) {
		if (ind && (rc = load_table(ind, &t, &e)) < 0)
			goto fail;
		have_ind = 1;
		if (!ind)
			ind = dbpath;
		if ((rc = metrics_system_run(&t, alpha, beta, 0.002, &sys, &e)) < 0 && ind == dbpath && rc == CF_EINVAL) {
			/* the registry's years do not support an entropy weighting yet: report without it */
			fprintf(stderr, "chainfuse report: warning: %s: no coupling section: %s\n", dbpath, e.msg);
			metrics_table_free(&t);
			have_ind = 0;
			cf_err_clear(&e);
			rc = 0;
		} else if (rc < 0) {
			if (!strchr(e.where, ':') && !strstr(e.where, ind)) {
				char msg[sizeof e.msg];
				snprintf(msg, sizeof msg, "%s", e.msg);
				cf_err_set(&e, rc, ind, "%s", msg);
			}
			goto fail;
		}
	}
	if (ladder && (rc = load_ladder(ladder, (int)year, &flows, &e)) < 0)
		goto fail;
	if (ladder)
		have_ladder = 1;
	memset(&in, 0, sizeof in);
	in.year = (int)year;
	in.fig = fig;
	in.ind = have_ind ? &t : NULL;
	in.sys = have_ind ? &sys : NULL;
	in.ladder = have_ladder ? &flows : NULL;
	in.platforms = plats;
	in.nplatforms = nplats;
	in.gaps = gaps;
	in.ngaps = ngaps;
	in.synthetic = synthetic || dbsyn;
	if (!strcmp(format, "xlsx")) {
		if ((rc = report_write_xlsx(&in, out, &e)) < 0)
			goto fail;
	} else {
		FILE *fp;
		if ((rc = report_write_html(&in, &html, &e)) < 0)
			goto fail;
		fp = fopen(out, "wb");
		if (!fp || fwrite(html.p, 1, html.len, fp) != html.len || fclose(fp) != 0) {
			rc = cf_err_set(&e, CF_EIO, out, "cannot write: %s", strerror(errno));
			goto fail;
		}
	}
	rc = 0;
	goto done;
fail:
	rc = cli_fail("report", &e);
done:
	free(plats);
	free(gaps);
	store_close(db);
	metrics_system_free(&sys);
	metrics_table_free(&t);
	metrics_figures_free(fig);
	buf_free(&html);
	return rc;
}

CLI_COMMAND(cmd_report, "report", "the yearly two-chain analytics report as XLSX or printable HTML", report_main)

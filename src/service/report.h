/*
 * report — the yearly analytics report (SPEC C10, issue 6 §6): an Excel workbook through
 * libxlsxwriter (several sheets, number formats, Chinese headers) and a printable HTML page
 * with inline SVG charts.
 *
 * Contents: the paper's figures (Table 1 with recomputed averages, the Figure 1-3 series,
 * the facts, the derived values), and, when given, the two-chain indicator system with
 * entropy weights, U1/U2, coupling C/T/D and grades, obstacle degrees, and the enterprise
 * ladder flows of the year. service/ fills report_input from the store once the registry
 * is there; today the CLI fills it from the figures file and an indicator CSV.
 */
#ifndef CF_SERVICE_REPORT_H
#define CF_SERVICE_REPORT_H

#include "base/buf.h"
#include "base/err.h"
#include "metrics/figures.h"
#include "metrics/indicators.h"
#include "metrics/ladder.h"
#include "metrics/table.h"
#include "service/analytics.h"

typedef struct report_input {
	int year;
	const metrics_figures *fig;        /* required */
	const metrics_table *ind;          /* optional: indicator table (ids are years) */
	const metrics_system *sys;         /* with ind: its results */
	const metrics_ladder_flows *ladder;/* optional */
	const analytics_platform *platforms; /* optional: assessment of the year */
	size_t nplatforms;
	const analytics_gap *gaps;         /* optional: layout gap per chain */
	size_t ngaps;
	int synthetic;                     /* data are the generated demo set: say so */
} report_input;

/* Writes the workbook to path. CF_EIO naming the path and libxlsxwriter's reason on failure. */
int report_write_xlsx(const report_input *in, const char *path, cf_err *e);
/* Appends the HTML page (UTF-8, self-contained) to out. CF_ENOMEM/CF_ETOOBIG from buf. */
int report_write_html(const report_input *in, buf *out, cf_err *e);

#endif

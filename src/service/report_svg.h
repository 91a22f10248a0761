/*
 * report_svg — small inline SVG charts for the printable HTML report: bars, a line and the
 * enterprise-ladder sankey. Self-contained markup, no scripts, nothing fetched at run time.
 */
#ifndef CF_SERVICE_REPORT_SVG_H
#define CF_SERVICE_REPORT_SVG_H

#include <stddef.h>

#include "base/buf.h"
#include "metrics/ladder.h"

/* Appends text with &, <, >, " escaped. Returns 0 or the buf error. */
int report_html_escape(buf *b, const char *s);
/* A vertical bar chart of n values with their labels; values must be >= 0. */
int report_svg_bars(buf *b, const char *title, const char *const *labels, const double *v, size_t n, const char *unit);
/* A grouped bar chart: n categories, two bars each (v[2*i], v[2*i+1]) named by legend[0..1]. */
int report_svg_pairs(buf *b, const char *title, const char *const *cats, const double *v, size_t n,
		     const char *const legend[2], const char *unit);
/* A line chart of n points (x labels, y in [ymin, ymax]). */
int report_svg_line(buf *b, const char *title, const char *const *labels, const double *v, size_t n, double ymin, double ymax);
/* The ladder flows from year-1 (left) to year (right) as a sankey: one node per rung on
 * each side, band width proportional to the number of firms. */
int report_svg_sankey(buf *b, const metrics_ladder_flows *f);

#endif

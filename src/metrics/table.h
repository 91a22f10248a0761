/*
 * table — a numeric CSV table for the analysts' commands: a header row, then rows of
 * "id,v1,v2,...". The first column is a label; every other cell must be a number.
 * Parsed with libcsv (quotes, CRLF); a bad cell is reported as NAME:ROW:COLUMN.
 */
#ifndef CF_METRICS_TABLE_H
#define CF_METRICS_TABLE_H

#include <stddef.h>

#include "base/err.h"

typedef struct metrics_table {
	size_t rows, cols;  /* numeric columns, not counting the id column */
	char **names;       /* cols header names of the numeric columns */
	char *id_name;      /* header of the first column */
	char **ids;         /* rows labels */
	double *x;          /* rows × cols, row-major */
} metrics_table;

/* Parses len bytes of CSV; name is used in error locations. On success *t owns its
 * memory (metrics_table_free). CF_EINVAL with NAME:ROW:COLUMN for a non-number, a row of
 * the wrong width, a missing header or no data rows; CF_ETOOBIG past 20,000,000 cells. */
int metrics_table_parse(const char *p, size_t len, const char *name, metrics_table *t, cf_err *e);
void metrics_table_free(metrics_table *t);
/* The index of the numeric column called name, or -1. */
int metrics_table_col(const metrics_table *t, const char *name, size_t len);

#endif

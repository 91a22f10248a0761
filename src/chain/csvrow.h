/*
 * csvrow — a small RFC 4180 row splitter for the chain room's CSV inputs (IO tables,
 * standalone supply files). Works in place on a NUL-terminated text the caller owns.
 */
#ifndef CF_CHAIN_CSVROW_H
#define CF_CHAIN_CSVROW_H

#include <stddef.h>

#include "base/err.h"

#define CHAIN_CSV_MAXCOLS 512

typedef struct chain_csv {
	char *p;      /* next unread byte (inside the caller's text) */
	long row;     /* 1-based number of the row last returned */
	int ncols;    /* fields in the row last returned */
	char *col[CHAIN_CSV_MAXCOLS];
	const char *name; /* file name for error locations */
} chain_csv;

/* Starts reading text (modified in place; must stay alive). Skips a UTF-8 BOM. */
void chain_csv_init(chain_csv *c, char *text, const char *name);
/* Reads the next row into c->col (fields unquoted, NUL-terminated, pointing into text).
 * Returns 1 for a row, 0 at the end, CF_EINVAL (e filled with FILE:ROW:COL) on a broken
 * quote or more than CHAIN_CSV_MAXCOLS fields. Blank lines are skipped. */
int chain_csv_next(chain_csv *c, cf_err *e);

#endif

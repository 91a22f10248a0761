/*
 * csv — CSV files in and out (RFC 4180, through libcsv).
 *
 * The reader takes a whole file (capped in size), accepts UTF-8 with or without a byte
 * order mark and GBK/GB18030 (what Chinese office software still writes: a file that is not
 * valid UTF-8 is converted from GB18030 with iconv), and returns rows of NUL-terminated
 * UTF-8 cells with their 1-based row numbers as a spreadsheet shows them: the header is row 1,
 * a blank line counts as a row (and is skipped), and a quoted cell spanning lines stays in one
 * row, so the number counts records, not lines. The writer
 * quotes a cell only when it must (comma, quote, CR, LF, or blanks at either end).
 */
#ifndef CF_BASE_CSV_H
#define CF_BASE_CSV_H

#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

/* Default cap on the size of a file csv_read_file() accepts. */
#define CSV_MAX_FILE (256u << 20)

typedef struct csv_row {
	size_t row;    /* 1-based record number in the file */
	size_t ncells;
	char **cells;  /* UTF-8, NUL-terminated */
	size_t *lens;  /* byte lengths of cells */
} csv_row;

typedef struct csv_table {
	csv_row *rows;
	size_t nrows;
	const char *encoding; /* "UTF-8", "UTF-8 (BOM)" or "GB18030" */
} csv_table;

/* Parses n bytes of CSV (any of the encodings above). name is used in messages only
 * (e->where = "name:ROW" or "name" with the byte offset in the message). Everything the
 * table holds lives in a. CF_EINVAL on bad encoding or quoting, CF_ENOMEM; *out untouched
 * on failure. */
int csv_read_mem(const char *data, size_t n, const char *name, arena *a, csv_table *out, cf_err *e);
/* Reads and parses the file at path; max is the size cap in bytes (0: CSV_MAX_FILE),
 * CF_ETOOBIG beyond it, CF_EIO when it cannot be read. */
int csv_read_file(const char *path, size_t max, arena *a, csv_table *out, cf_err *e);
/* Appends one record of n cells to b, quoted where needed, ending in CRLF. lens may be NULL
 * (cells are then NUL-terminated). Returns 0 or buf_append's error. */
int csv_write_row(buf *b, const char *const *cells, const size_t *lens, size_t n);

#endif

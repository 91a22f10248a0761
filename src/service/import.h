/*
 * import — CSV files into the registry, all or nothing (SPEC C1).
 *
 * The header row names the columns: English field names (schema.h) or their Chinese labels
 * (cf_field.zh), in any order, plus an optional "synthetic" column (1 for generated demo
 * rows). Unknown, repeated and missing required columns are errors. Every data row is
 * parsed and checked before anything is written — shape (model/value.c), references,
 * industry codes, unique fields against the database and against earlier rows of the same
 * file — and every problem is reported as "FILE:ROW:COLUMN" plus a reason, every bad cell of
 * every bad row. Then either nothing is written (the default, when any row is bad) or, with
 * partial, the good rows are written in one transaction.
 *
 * An FT_REF column to an enterprise accepts a unified social credit code instead of the id.
 *
 * The industry entity has its own rules, so that the GB/T 4754-2017 flat file
 * (level,code,name,parent_code,section,description) loads as it is: "parent_code" is read as
 * parent, the levels 门类/大类/中类/小类 as section/division/group/class, a code already in the
 * table is updated rather than refused (the built-in sections and divisions get the file's
 * names and descriptions), each code must have the shape of its level, its section, and a
 * parent that is its prefix and exists in the file or the table.
 */
#ifndef CF_SERVICE_IMPORT_H
#define CF_SERVICE_IMPORT_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/schema.h"
#include "model/viewer.h"
#include "store/store.h"

typedef struct import_problem {
	const char *where; /* "FILE:ROW:COLUMN" (or "FILE:ROW" for a whole row) */
	const char *msg;
} import_problem;

typedef struct import_report {
	size_t rows;      /* data rows in the file (header excluded) */
	size_t imported;  /* rows written (inserted or, for industries, updated) */
	size_t updated;   /* of those, existing rows updated */
	size_t rejected;  /* rows with at least one problem */
	import_problem *problems; /* every problem, in file order; in the arena */
	size_t nproblems;
	const char *encoding;     /* of the file, as csv.h detected it */
} import_report;

/* Called now and then with rows checked so far (for a progress bar); may be NULL. */
typedef void (*import_progress_fn)(void *ctx, size_t done, size_t total);

/* Imports the CSV file at path into ent as who (the CLI passes the bureau). Returns 0 when
 * the file could be processed — bad rows are then in rep (rep->rejected > 0), and nothing
 * was written unless partial. Returns CF_EINVAL when the header is bad (its problems are in
 * rep too; nothing written), or the error of reading the file or of the store. rep and
 * its strings live in a. */
int import_csv(store *s, const cf_viewer *who, const cf_entity *ent, const char *path, int partial, arena *a,
	       import_progress_fn progress, void *pctx, import_report *rep, cf_err *e);

#endif

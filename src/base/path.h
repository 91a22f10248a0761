/*
 * path — where chainfuse finds its shipped data files (policies, figures, demo profile).
 *
 * The data folder is $CHAINFUSE_DATA when set, else ../data beside the running binary
 * (build/chainfuse → data/), else ./data. Files are read at run time, never compiled in,
 * so policy numbers change by editing data, not code.
 */
#ifndef CF_BASE_PATH_H
#define CF_BASE_PATH_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/* Writes the path of data file rel ("policies/default.json") into out. Returns 0, or
 * CF_ETOOBIG when it does not fit. Does not check that the file exists. */
int path_data(const char *rel, char *out, size_t size);
/* Reads a whole file into b (appending; b's cap applies). CF_EIO with the path and
 * strerror on failure. */
int path_read_file(const char *path, buf *b, cf_err *e);

#endif

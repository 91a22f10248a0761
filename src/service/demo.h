/*
 * demo (service) — writes the synthetic Wenzhou dataset of model/demo_gen into a store.
 *
 * One transaction for the whole set (all or nothing); the store's cached prepared statements
 * make it a matter of seconds. The industry table gets the built-in sections and divisions
 * (registry_open, reference data with synthetic = 0) and the class rows the generator uses,
 * each only where the table lacks it, so a database already holding the full GB/T 4754
 * table keeps it.
 */
#ifndef CF_SERVICE_DEMO_H
#define CF_SERVICE_DEMO_H

#include <stdint.h>

#include "base/err.h"
#include "model/demo_gen.h"
#include "service/demo_extra.h"
#include "store/store.h"

/* Rows of every registry entity except the industry table (reference data), so that a
 * database holding only the code table still counts as empty. Sets *n. */
int demo_count_rows(store *s, int64_t *n, cf_err *e);

/* Generates the dataset for seed into s inside one transaction. progress may be NULL.
 * Returns 0 and fills st (may be NULL); on failure nothing is written and the error of the
 * generator or the store is returned (CF_EINVAL/CF_EIO for bad data files, ...). */
int demo_load(store *s, uint64_t seed, demo_progress_fn progress, void *progress_ctx, demo_stats *st, cf_err *e);
/* As demo_load, and after the registry, in the same transaction, the technology contracts
 * with awards and the ledger, and the yearly analytics tables (service/demo_extra.h), their
 * counts in xst (may be NULL). */
int demo_load_all(store *s, uint64_t seed, demo_progress_fn progress, void *progress_ctx, demo_stats *st,
		  demo_extra_stats *xst, cf_err *e);

#endif

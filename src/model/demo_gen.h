/*
 * demo_gen — the synthetic Wenzhou dataset, generated as records (SPEC "Demo data").
 *
 * Reads the targets (the paper's figures) from data/demo/profile.json and the "5+5" chain
 * layout, term lists and name lists from data/demo/chains.json, and hands every generated
 * record, in the schema's dependency order, to a sink: service/demo.c writes them to the
 * store, unit tests count them in memory. No database, no globals: the same seed gives the
 * same records, byte for byte. Every record has synthetic = 1. References between records
 * use the ids the sink sets in r->id.
 */
#ifndef CF_MODEL_DEMO_GEN_H
#define CF_MODEL_DEMO_GEN_H

#include <stdint.h>

#include "base/err.h"
#include "model/schema.h"

/* Receives one record; must set r->id (the store's row id) and return 0, or fail with a
 * negative CF_E* code, which stops the generation. The record and its strings are owned by
 * the generator and valid only during the call. */
typedef int (*demo_sink_fn)(void *ctx, cf_record *r, cf_err *e);
/* Called now and then with the number of records emitted so far and the planned total. */
typedef void (*demo_progress_fn)(void *ctx, int64_t done, int64_t total);

typedef struct demo_opts {
	uint64_t seed;            /* same seed, same data */
	const char *profile_path; /* NULL: path_data("demo/profile.json") */
	const char *chains_path;  /* NULL: path_data("demo/chains.json") */
	demo_sink_fn sink;
	void *sink_ctx;
	demo_progress_fn progress; /* may be NULL */
	void *progress_ctx;
} demo_opts;

/* How many records of each entity were emitted, indexed like cf_entities[]. */
typedef struct demo_stats {
	int64_t rows[16];
	int64_t total;
} demo_stats;

/* Generates the whole dataset into o->sink. st may be NULL. Returns 0; CF_EIO or CF_EINVAL
 * (with file:line:column or the JSON key) for a missing or bad data file, CF_EINTERNAL when
 * the profile's numbers cannot all hold at once (the message says which), or whatever the
 * sink returned. */
int demo_generate(const demo_opts *o, demo_stats *st, cf_err *e);

#endif

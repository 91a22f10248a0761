/*
 * Fuzz driver (libFuzzer) for the analysts' numeric CSV reader, src/metrics/table.c, and the
 * engines behind `chainfuse entropy` / `chainfuse coupling` on whatever it accepts: any bytes
 * must give a table or an error, never a crash, leak or out-of-bounds access. Build and run:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *     tests/fuzz/metrics_table.c src/metrics/table.c src/metrics/entropy.c src/metrics/coupling.c \
 *     src/base/err.c -lcsv -lm -o build/fuzz-metrics-table && build/fuzz-metrics-table -max_total_time=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "metrics/coupling.h"
#include "metrics/entropy.h"
#include "metrics/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	metrics_table t;
	cf_err e;
	size_t i;
	if (metrics_table_parse((const char *)data, size, "fuzz.csv", &t, &e) != 0)
		return 0;
	if (t.rows == 0 || t.cols == 0 || !t.ids || !t.names || !t.x)
		__builtin_trap();
	if (t.cols <= 64) {
		double w[64];
		metrics_coupling c;
		if (t.rows >= 2) {
			double *sc = malloc(t.rows * sizeof *sc);
			if (sc) {
				metrics_entropy(t.x, t.rows, t.cols, NULL, METRICS_ENTROPY_EPSILON, NULL, w, sc, NULL, &e);
				free(sc);
			}
		}
		for (i = 0; i < t.rows; i++)
			metrics_coupling_compute(&t.x[i * t.cols], t.cols, NULL, METRICS_COUPLING_ADJUSTED, &c, &e);
	}
	metrics_table_free(&t);
	return 0;
}

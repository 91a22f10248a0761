/*
 * Fuzz driver (libFuzzer) for the CSV reader, src/base/csv.c: any bytes must give a table or
 * an error, never a crash, leak or out-of-bounds access. Build and run by hand until the
 * Makefile grows a fuzz rule:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *     tests/fuzz/model_csv.c src/base/csv.c src/base/arena.c src/base/buf.c src/base/err.c \
 *     src/base/path.c src/base/utf8.c -lcsv -o build/fuzz-csv && build/fuzz-csv -max_total_time=60
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_create();
	csv_table t;
	cf_err e;
	size_t i, j;
	if (!a)
		return 0;
	if (csv_read_mem((const char *)data, size, "fuzz.csv", a, &t, &e) == 0) {
		for (i = 0; i < t.nrows; i++)
			for (j = 0; j < t.rows[i].ncells; j++)
				if (strlen(t.rows[i].cells[j]) > t.rows[i].lens[j])
					__builtin_trap();
	}
	arena_free(a);
	return 0;
}

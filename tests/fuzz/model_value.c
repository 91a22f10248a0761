/*
 * Fuzz driver (libFuzzer) for field values, src/model/value.c: the first byte picks a field of
 * the enterprise/demand/shareholder tables, the rest is the text. A value that parses must pass
 * value_check and format to text that parses to the same value. Build and run by hand:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc \
 *     tests/fuzz/model_value.c src/model/value.c src/model/uscc.c src/model/industry.c \
 *     src/model/entities.c src/base/[a-z]*.c -lcsv -o build/fuzz-value && build/fuzz-value -max_total_time=60
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ents[] = {"enterprise", "demand", "shareholder", "achievement"};
	const cf_entity *ent;
	const cf_field *f;
	arena *a;
	cf_value v, w;
	const char *txt;
	if (size < 1)
		return 0;
	ent = schema_entity(ents[data[0] % 4]);
	f = &ent->fields[(data[0] / 4) % ent->nfields];
	if (!(a = arena_create()))
		return 0;
	if (value_parse(f, (const char *)data + 1, size - 1, a, &v, NULL) == 0 && v.present) {
		if (value_check(f, &v, NULL))
			__builtin_trap();
		txt = value_format(f, &v, a);
		if (value_parse(f, txt, strlen(txt), a, &w, NULL) || !w.present || w.i != v.i ||
		    (v.s && (w.n != v.n || memcmp(w.s, v.s, v.n))))
			__builtin_trap();
	}
	arena_free(a);
	return 0;
}

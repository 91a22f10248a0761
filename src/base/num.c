/*
 * num — whole-string integer parsing; see num.h.
 */
#include "base/num.h"

#include <errno.h>
#include <stdlib.h>

int num_parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;
	if (!s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = (int64_t)v;
	return 0;
}

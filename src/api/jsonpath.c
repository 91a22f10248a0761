/*
 * jsonpath — the JSON path ("$.brokers[2]") of a byte offset in JSON text, for errors that
 * jansson reports only by position, such as invalid UTF-8 inside a string. A small scanner:
 * it tracks the stack of objects (current key) and arrays (current index) up to the offset.
 */
#include "api/api_int.h"

#include <stdio.h>
#include <string.h>

#define DEPTH 64

typedef struct frame {
	char kind;         /* '{' or '[' */
	int expecting_key; /* objects: the next string is a key */
	size_t idx;        /* arrays: index of the current element */
	const char *key;   /* objects: the current key (raw bytes), or NULL */
	size_t nkey;
} frame;

void api__json_path_at(const char *s, size_t n, size_t off, char *out, size_t size)
{
	frame st[DEPTH];
	int top = -1, d;
	size_t i = 0, len = 0;

	if (off > n)
		off = n;
	while (i < off) {
		char c = s[i];
		if (c == '"') {
			size_t j = i + 1;
			while (j < n && s[j] != '"')
				j += s[j] == '\\' ? 2 : 1;
			if (top >= 0 && st[top].kind == '{' && st[top].expecting_key) {
				st[top].key = s + i + 1;
				st[top].nkey = (j < off ? j : off) - (i + 1);
				if (j >= off)
					break;
				st[top].expecting_key = 0;
			} else if (j >= off) {
				break;
			}
			i = j + 1;
			continue;
		}
		if (c == '{' || c == '[') {
			if (top + 1 < DEPTH) {
				top++;
				memset(&st[top], 0, sizeof st[top]);
				st[top].kind = c;
				st[top].expecting_key = c == '{';
			}
		} else if ((c == '}' || c == ']') && top >= 0) {
			top--;
		} else if (c == ',' && top >= 0) {
			if (st[top].kind == '[')
				st[top].idx++;
			else
				st[top].expecting_key = 1;
		}
		i++;
	}
	if (size == 0)
		return;
	len = (size_t)snprintf(out, size, "$");
	for (d = 0; d <= top && len < size; d++) {
		if (st[d].kind == '[')
			len += (size_t)snprintf(out + len, size - len, "[%zu]", st[d].idx);
		else if (st[d].key)
			len += (size_t)snprintf(out + len, size - len, ".%.*s", (int)st[d].nkey, st[d].key);
	}
}

/*
 * csvrow — in-place RFC 4180 splitting (quotes, doubled quotes, CRLF) with row numbers.
 */
#include "chain/csvrow.h"

#include <stdio.h>
#include <string.h>

void chain_csv_init(chain_csv *c, char *text, const char *name)
{
	memset(c, 0, sizeof *c);
	c->p = text;
	c->name = name ? name : "-";
	if ((unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
		c->p += 3;
}

int chain_csv_next(chain_csv *c, cf_err *e)
{
	char *p = c->p;
	char where[256];

	for (;;) {
		if (*p == '\0') {
			c->p = p;
			return 0;
		}
		c->row++;
		if (*p == '\n' || (*p == '\r' && p[1] == '\n')) { /* blank line */
			p += *p == '\r' ? 2 : 1;
			continue;
		}
		break;
	}
	c->ncols = 0;
	for (;;) {
		char *out = p, *start = p;
		if (c->ncols == CHAIN_CSV_MAXCOLS) {
			snprintf(where, sizeof where, "%s:%ld:%d", c->name, c->row, c->ncols + 1);
			return cf_err_set(e, CF_EINVAL, where, "more than %d fields in a row", CHAIN_CSV_MAXCOLS);
		}
		c->col[c->ncols++] = start;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0') {
					snprintf(where, sizeof where, "%s:%ld:%d", c->name, c->row, c->ncols);
					return cf_err_set(e, CF_EINVAL, where, "unterminated quoted field");
				}
				if (*p == '"') {
					if (p[1] == '"') {
						*out++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					c->row++;
				*out++ = *p++;
			}
			if (*p != ',' && *p != '\n' && *p != '\r' && *p != '\0') {
				snprintf(where, sizeof where, "%s:%ld:%d", c->name, c->row, c->ncols);
				return cf_err_set(e, CF_EINVAL, where, "text after a closing quote");
			}
		} else {
			while (*p != ',' && *p != '\n' && *p != '\r' && *p != '\0')
				out++, p++;
		}
		if (*p == ',') {
			*out = '\0';
			p++;
			continue;
		}
		if (*p == '\r')
			*p++ = '\0';
		if (*p == '\n')
			p++;
		*out = '\0';
		break;
	}
	c->p = p;
	return 1;
}

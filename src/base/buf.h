/*
 * buf — a growable byte buffer with a hard cap.
 *
 * Every buffer that grows from outside input (request bodies, uploads, CSV fields,
 * generated reports) goes through here, so the cap is checked in one place.
 * The content is always NUL-terminated after len bytes, for convenience.
 */
#ifndef CF_BASE_BUF_H
#define CF_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *p;
	size_t len;
	size_t cap;
	size_t max; /* hard cap on len; 0 means the default of 1 GiB */
} buf;

/* Starts an empty buffer that refuses to grow past max bytes (0: 1 GiB). Allocates nothing. */
void buf_init(buf *b, size_t max);
/* Appends n bytes. Returns 0, CF_ETOOBIG past the cap (b unchanged), or CF_ENOMEM. */
int buf_append(buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string. */
int buf_puts(buf *b, const char *s);
/* Appends one byte. */
int buf_putc(buf *b, char c);
/* Appends formatted text; same returns as buf_append. */
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Makes len 0 and keeps the memory. */
void buf_reset(buf *b);
/* The content as a C string ("" when nothing was appended). Owned by b. */
const char *buf_cstr(const buf *b);
/* Hands the memory to the caller (who frees it with free()) and leaves b empty. Never NULL. */
char *buf_detach(buf *b, size_t *len);
/* Frees the memory. */
void buf_free(buf *b);

#endif

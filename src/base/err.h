/*
 * err — the error record that travels from where input went wrong up to the edge.
 *
 * Functions return an int status (0 ok, negative CF_E* code) and, when given a cf_err,
 * fill it with a message and a location (file:row:column or a JSON path). Only api/
 * turns it into problem+json and only cli/ prints it; everything below just fills it.
 */
#ifndef CF_BASE_ERR_H
#define CF_BASE_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum {
	CF_OK = 0,
	CF_EINVAL = -1,    /* bad input: the caller can fix it (HTTP 400/422) */
	CF_ENOTFOUND = -2, /* no such thing, or not visible to the caller (HTTP 404) */
	CF_ECONFLICT = -3, /* unique key or state conflict (HTTP 409) */
	CF_ENOMEM = -4,    /* allocation failed */
	CF_EIO = -5,       /* file, database or network failure (HTTP 500) */
	CF_ETOOBIG = -6,   /* a cap was exceeded (HTTP 413) */
	CF_EFORBIDDEN = -7,/* authenticated but not allowed (HTTP 403) */
	CF_EAUTH = -8,     /* not authenticated (HTTP 401) */
	CF_EINTERNAL = -9  /* a bug: an invariant did not hold (HTTP 500) */
};

typedef struct cf_err {
	int code;
	char where[256]; /* "FILE:ROW:COLUMN", "$.field", "" when unknown */
	char msg[512];   /* what and why, in one sentence */
} cf_err;

/* Fills e (when not NULL) and returns code, so callers can write `return cf_err_set(...)`.
 * where may be NULL. */
int cf_err_set(cf_err *e, int code, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int cf_err_vset(cf_err *e, int code, const char *where, const char *fmt, va_list ap);

/* Clears e to CF_OK with empty strings. */
void cf_err_clear(cf_err *e);

/* A short English name of a code ("invalid input", "not found", ...). Static storage. */
const char *cf_err_name(int code);

#endif

/* err — fill and name error records; see err.h. */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

int cf_err_vset(cf_err *e, int code, const char *where, const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	snprintf(e->where, sizeof e->where, "%s", where ? where : "");
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	return code;
}

int cf_err_set(cf_err *e, int code, const char *where, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cf_err_vset(e, code, where, fmt, ap);
	va_end(ap);
	return code;
}

void cf_err_clear(cf_err *e)
{
	if (!e)
		return;
	e->code = CF_OK;
	e->where[0] = '\0';
	e->msg[0] = '\0';
}

const char *cf_err_name(int code)
{
	switch (code) {
	case CF_OK: return "ok";
	case CF_EINVAL: return "invalid input";
	case CF_ENOTFOUND: return "not found";
	case CF_ECONFLICT: return "conflict";
	case CF_ENOMEM: return "out of memory";
	case CF_EIO: return "input/output error";
	case CF_ETOOBIG: return "too large";
	case CF_EFORBIDDEN: return "forbidden";
	case CF_EAUTH: return "not authenticated";
	default: return "internal error";
	}
}

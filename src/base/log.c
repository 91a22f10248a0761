/* log — leveled one-line logging to stderr; see log.h. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_level = -1;

void log_set_level(int level) { log_level = level; }

static int level_from_env(void)
{
	const char *v = getenv("CHAINFUSE_LOG");
	if (!v)
		return LOG_INFO;
	if (!strcmp(v, "debug"))
		return LOG_DEBUG;
	if (!strcmp(v, "warn"))
		return LOG_WARN;
	if (!strcmp(v, "error"))
		return LOG_ERROR;
	if (!strcmp(v, "off"))
		return LOG_OFF;
	return LOG_INFO;
}

void log_msg(int level, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char line[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n;

	if (log_level < 0)
		log_level = level_from_env();
	if (level < log_level || level >= LOG_OFF)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ", tm.tm_year + 1900,
		     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
		     names[level]);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (write(2, line, (size_t)n) < 0) {
		/* nothing sensible to do when stderr is gone */
	}
}

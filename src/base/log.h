/*
 * log — one line per event on stderr: time, level, message.
 *
 * The level comes from CHAINFUSE_LOG (debug, info, warn, error; default info).
 * Thread-safe: each line is written with a single write().
 */
#ifndef CF_BASE_LOG_H
#define CF_BASE_LOG_H

enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

void log_set_level(int level);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif

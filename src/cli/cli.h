/*
 * cli — what every `chainfuse <command>` shares: registration, options, errors, progress.
 *
 * A command lives in its own file cmd_<name>.c and registers itself with CLI_COMMAND, so
 * adding one touches no other file. Each command handles --help itself (cli_help()).
 * Exit status: 0 ok, 1 the input is bad or a check failed, 2 usage error, 3 internal error.
 */
#ifndef CF_CLI_H
#define CF_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"

typedef int (*cli_fn)(int argc, char **argv);

struct cli_command {
	const char *name;
	const char *summary; /* one line, English; shown by `chainfuse --help` */
	cli_fn fn;           /* argv[0] is the command name */
	struct cli_command *next;
};

void cli_register(struct cli_command *c);

#define CLI_COMMAND(ident, name, summary, fn)                                                        \
	static struct cli_command ident = {name, summary, fn, 0};                                    \
	__attribute__((constructor)) static void ident##_register(void) { cli_register(&ident); }

/* Matches argv[*i] against "--name VALUE" or "--name=VALUE"; on a match sets *val, advances
 * *i past what it used and returns 1. A missing value prints a usage error and returns -1. */
int cli_opt(int *i, int argc, char **argv, const char *name, const char **val);
/* Matches a flag without value ("--json"). */
int cli_flag(int i, char **argv, const char *name);
/* 1 when argv holds -h or --help; then prints usage to stdout. */
int cli_help(int argc, char **argv, const char *usage);
/* The database path: opt, else $CHAINFUSE_DB, else var/chainfuse.db. */
const char *cli_db_path(const char *opt);
/* Prints "chainfuse: WHERE: MESSAGE" to stderr and returns the exit status for e->code. */
int cli_fail(const char *cmd, const cf_err *e);
/* Prints a usage error and returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a decimal int64 with end check; 0 ok, -1 bad. */
int cli_parse_i64(const char *s, int64_t *out);

/* Prints o as indented JSON on stdout (with flags added to JSON_INDENT(2)) and drops the
 * caller's reference to o. Returns 0, or 3 when it cannot be encoded. */
int cli_print_json(json_t *o, size_t flags);

/* A progress bar on stderr when stderr is a terminal; silent in pipes and files. */
typedef struct cli_progress cli_progress;
cli_progress *cli_progress_start(const char *label, int64_t total);
void cli_progress_update(cli_progress *p, int64_t done);
void cli_progress_end(cli_progress *p);

#endif

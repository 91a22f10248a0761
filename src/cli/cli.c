/* cli — shared command-line helpers; see cli.h. */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cli_command *cli_commands;

void cli_register(struct cli_command *c)
{
	struct cli_command **p = &cli_commands;
	while (*p && strcmp((*p)->name, c->name) < 0)
		p = &(*p)->next;
	c->next = *p;
	*p = c;
}

int cli_opt(int *i, int argc, char **argv, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "chainfuse: option %s needs a value\n", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

int cli_flag(int i, char **argv, const char *name) { return strcmp(argv[i], name) == 0; }

int cli_help(int argc, char **argv, const char *usage)
{
	int i;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 1;
		}
	return 0;
}

const char *cli_db_path(const char *opt)
{
	const char *env = getenv("CHAINFUSE_DB");
	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return "var/chainfuse.db";
}

int cli_fail(const char *cmd, const cf_err *e)
{
	if (e->where[0])
		fprintf(stderr, "chainfuse %s: %s: %s\n", cmd, e->where, e->msg);
	else
		fprintf(stderr, "chainfuse %s: %s\n", cmd, e->msg[0] ? e->msg : cf_err_name(e->code));
	switch (e->code) {
	case CF_EINVAL:
	case CF_ENOTFOUND:
	case CF_ECONFLICT:
	case CF_ETOOBIG:
	case CF_EFORBIDDEN:
	case CF_EAUTH:
		return 1;
	default:
		return 3;
	}
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "chainfuse %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see chainfuse %s --help)\n", cmd);
	return 2;
}

int cli_parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int cli_print_json(json_t *o, size_t flags)
{
	char *s = json_dumps(o, JSON_INDENT(2) | flags);
	json_decref(o);
	if (!s)
		return 3;
	puts(s);
	free(s);
	return 0;
}

struct cli_progress {
	const char *label;
	int64_t total, last;
	struct timespec t0;
	int tty;
};

cli_progress *cli_progress_start(const char *label, int64_t total)
{
	cli_progress *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->label = label;
	p->total = total > 0 ? total : 1;
	p->last = -1;
	p->tty = isatty(2);
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	return p;
}

void cli_progress_update(cli_progress *p, int64_t done)
{
	int pct, bars, k;
	char line[128];
	if (!p || !p->tty)
		return;
	pct = (int)(done * 100 / p->total);
	if (pct == p->last)
		return;
	p->last = pct;
	bars = pct / 4;
	for (k = 0; k < 25; k++)
		line[k] = k < bars ? '#' : '.';
	line[25] = '\0';
	fprintf(stderr, "\r%s [%s] %3d%% %lld/%lld", p->label, line, pct, (long long)done,
		(long long)p->total);
	fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
	if (!p)
		return;
	if (p->tty) {
		struct timespec t1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		cli_progress_update(p, p->total);
		fprintf(stderr, " %.1fs\n",
			(double)(t1.tv_sec - p->t0.tv_sec) + (double)(t1.tv_nsec - p->t0.tv_nsec) / 1e9);
	}
	free(p);
}

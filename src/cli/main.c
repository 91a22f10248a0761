/*
 * main — `chainfuse <command> [options]`: finds the registered command and runs it.
 * Commands register themselves from their cmd_*.c files (see cli.h).
 */
#include "cli/cli.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

extern struct cli_command *cli_commands;

static void usage(FILE *f)
{
	struct cli_command *c;
	fprintf(f, "chainfuse — 两链融合服务平台 / industry-chain and innovation-chain platform\n\n"
		   "usage: chainfuse <command> [options]   (chainfuse <command> --help for details)\n\n"
		   "commands:\n");
	for (c = cli_commands; c; c = c->next)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
}

int main(int argc, char **argv)
{
	struct cli_command *c;

	setlocale(LC_CTYPE, "C.UTF-8");
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return argc < 2 ? 2 : 0;
	}
	for (c = cli_commands; c; c = c->next)
		if (!strcmp(c->name, argv[1]))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "chainfuse: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}

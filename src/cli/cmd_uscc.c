/*
 * cmd_uscc — `chainfuse uscc check CODE` and `chainfuse uscc make CODE17`: the GB 32100-2015
 * unified social credit code check (model/uscc.c) from the command line.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "model/uscc.h"

static const char uscc_usage[] =
	"usage: chainfuse uscc check CODE\n"
	"       chainfuse uscc make CODE17\n"
	"\n"
	"check: prints \"valid\" and exits 0 when CODE is a valid unified social credit code\n"
	"(GB 32100-2015); otherwise prints which position is wrong and why, and exits 1.\n"
	"make: prints the 18-character code for the first 17 characters (adds the check character).\n";

static int cmd_uscc(int argc, char **argv)
{
	uscc_result r;
	char out[USCC_LEN + 1];
	if (cli_help(argc, argv, uscc_usage))
		return 0;
	if (argc != 3)
		return cli_usage("uscc", "expected a subcommand (check or make) and a code");
	if (!strcmp(argv[1], "check")) {
		if (uscc_check(argv[2], strlen(argv[2]), &r) == 0) {
			printf("valid\n");
			return 0;
		}
		fprintf(stderr, "chainfuse uscc: %s: %s\n", argv[2], r.msg);
		printf("invalid: %s\n", r.msg);
		return 1;
	}
	if (!strcmp(argv[1], "make")) {
		if (strlen(argv[2]) != 17 || uscc_make(argv[2], out)) {
			fprintf(stderr, "chainfuse uscc: %s: expected 17 characters from 0-9 and ABCDEFGHJKLMNPQRTUWXY\n",
				argv[2]);
			return 1;
		}
		printf("%s\n", out);
		return 0;
	}
	return cli_usage("uscc", "unknown subcommand \"%s\" (check or make)", argv[1]);
}

CLI_COMMAND(cli_cmd_uscc, "uscc", "check or complete a unified social credit code (GB 32100-2015)", cmd_uscc)

/*
 * cmd_blacklist — `chainfuse blacklist list|check`: the serious dishonesty list (严重失信名单).
 * Listings come from fraud decisions (`chainfuse contract fraud`) and end by themselves.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "cli/cli.h"
#include "service/blacklist.h"
#include "store/store.h"

static const char usage[] =
	"usage: chainfuse blacklist list --db PATH [--date D] [--all] [--json]\n"
	"       chainfuse blacklist check PARTY --db PATH [--date D]\n\n"
	"  list   listings in force on --date (default today), or every listing with --all.\n"
	"  check  whether PARTY (a USCC or broker:ID) is listed on --date; exit 1 when listed.\n";

static int cmd_blacklist(int argc, char **argv)
{
	const char *db = NULL, *date = NULL, *party = NULL, *sub;
	store *s = NULL;
	json_t *out = NULL;
	cf_err e;
	int i, m, json = 0, all = 0, rc = 0;
	int32_t day = date_today();

	if (argc < 2 || cli_help(argc, argv, usage)) {
		if (argc < 2) {
			fputs(usage, stderr);
			return 2;
		}
		return 0;
	}
	sub = argv[1];
	for (i = 2; i < argc; i++) {
		if ((m = cli_opt(&i, argc, argv, "--db", &db)) || (m = cli_opt(&i, argc, argv, "--date", &date))) {
			if (m < 0)
				return 2;
		} else if (cli_flag(i, argv, "--json"))
			json = 1;
		else if (cli_flag(i, argv, "--all"))
			all = 1;
		else if (argv[i][0] != '-' && !party)
			party = argv[i];
		else
			return cli_usage("blacklist", "unknown option %s", argv[i]);
	}
	if (strcmp(sub, "list") && strcmp(sub, "check"))
		return cli_usage("blacklist", "unknown subcommand \"%s\"", sub);
	if (!strcmp(sub, "check") && !party)
		return cli_usage("blacklist", "check needs a PARTY");
	cf_err_clear(&e);
	if (date && date_parse(date, strlen(date), &day, &e)) {
		snprintf(e.where, sizeof e.where, "--date");
		return cli_fail("blacklist", &e);
	}
	if (store_open(cli_db_path(db), &s, &e))
		return cli_fail("blacklist", &e);
	if (!strcmp(sub, "list")) {
		if ((rc = blacklist_list(s, day, all, &out, &e)) == 0) {
			if (json) {
				char *t = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
				puts(t ? t : "[]");
				free(t);
			} else {
				size_t k;
				for (k = 0; k < json_array_size(out); k++) {
					json_t *x = json_array_get(out, k);
					printf("%-20s %-10s %s .. %s  %s\n", json_string_value(json_object_get(x, "party")),
					       json_string_value(json_object_get(x, "party_kind")),
					       json_string_value(json_object_get(x, "start_date")),
					       json_string_value(json_object_get(x, "end_date")), json_string_value(json_object_get(x, "reason")));
				}
			}
			json_decref(out);
		}
	} else {
		int listed = 0;
		int32_t until = 0;
		char d[11], u[11];
		if ((rc = blacklist_listed(s, party, day, &listed, &until, &e)) == 0) {
			if (listed)
				printf("%s is listed on %s, until %s\n", party, date_format(day, d), date_format(until, u));
			else
				printf("%s is not listed on %s\n", party, date_format(day, d));
			store_close(s);
			return listed ? 1 : 0;
		}
	}
	store_close(s);
	return rc ? cli_fail("blacklist", &e) : 0;
}

CLI_COMMAND(cli_blacklist, "blacklist", "the serious dishonesty list (严重失信名单): list, check", cmd_blacklist)

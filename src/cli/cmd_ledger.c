/*
 * cmd_ledger — `chainfuse ledger verify|list|overdue`: the policy fulfilment ledger (兑付台账).
 *
 * verify walks the whole hash chain and exits 1 naming the first bad entry when any row was
 * changed, deleted or inserted behind the program's back; --expect-head also catches entries
 * cut off the end (compare with a head printed earlier and kept elsewhere).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "cli/cli.h"
#include "service/ledgers.h"
#include "store/store.h"

static const char usage[] =
	"usage: chainfuse ledger verify --db PATH [--expect-head HEX] [--json]\n"
	"       chainfuse ledger list --db PATH [--subject contract:ID] [--json]\n"
	"       chainfuse ledger overdue --db PATH [--date D] [--json]\n\n"
	"  verify   checks the SHA-256 hash chain; exit 1 names the first bad entry.\n"
	"  list     every entry (commitments, payments, clawbacks, overrides) with its policy version.\n"
	"  overdue  commitments unpaid past their due date (as of --date, default today).\n";

static int print(json_t *o)
{
	return cli_print_json(o, JSON_PRESERVE_ORDER);
}

static int cmd_ledger(int argc, char **argv)
{
	const char *db = NULL, *head = NULL, *subject = NULL, *date = NULL, *sub;
	store *s = NULL;
	json_t *out = NULL;
	cf_err e;
	int i, m, json = 0, rc;
	int32_t today = date_today();

	if (argc < 2 || cli_help(argc, argv, usage)) {
		if (argc < 2) {
			fputs(usage, stderr);
			return 2;
		}
		return 0;
	}
	sub = argv[1];
	for (i = 2; i < argc; i++) {
		if ((m = cli_opt(&i, argc, argv, "--db", &db)) || (m = cli_opt(&i, argc, argv, "--expect-head", &head)) ||
		    (m = cli_opt(&i, argc, argv, "--subject", &subject)) || (m = cli_opt(&i, argc, argv, "--date", &date))) {
			if (m < 0)
				return 2;
		} else if (cli_flag(i, argv, "--json"))
			json = 1;
		else
			return cli_usage("ledger", "unknown option %s", argv[i]);
	}
	if (strcmp(sub, "verify") && strcmp(sub, "list") && strcmp(sub, "overdue"))
		return cli_usage("ledger", "unknown subcommand \"%s\"", sub);
	cf_err_clear(&e);
	if (date && date_parse(date, strlen(date), &today, &e)) {
		snprintf(e.where, sizeof e.where, "--date");
		return cli_fail("ledger", &e);
	}
	if (store_open(cli_db_path(db), &s, &e))
		return cli_fail("ledger", &e);
	if (!strcmp(sub, "verify")) {
		if ((rc = ledgers_verify(s, head, &out, &e)) == 0) {
			if (json)
				print(out);
			else {
				printf("ledger ok: %lld entries, head %s\n", (long long)json_integer_value(json_object_get(out, "entries")),
				       json_string_value(json_object_get(out, "head")));
				json_decref(out);
			}
		}
	} else if (!strcmp(sub, "list")) {
		if ((rc = ledgers_list(s, subject, &out, &e)) == 0) {
			if (json)
				print(out);
			else {
				size_t k;
				for (k = 0; k < json_array_size(out); k++) {
					json_t *x = json_array_get(out, k);
					char y[MONEY_FMT_MAX];
					printf("%5lld  %-10s %-12s %-14s %-12s %14s  %s  %.12s\n",
					       (long long)json_integer_value(json_object_get(x, "seq")),
					       json_string_value(json_object_get(x, "kind")), json_string_value(json_object_get(x, "policy")),
					       json_string_value(json_object_get(x, "subject")), json_string_value(json_object_get(x, "party")),
					       money_format_grouped(json_integer_value(json_object_get(x, "amount_fen")), y),
					       json_string_value(json_object_get(x, "date")), json_string_value(json_object_get(x, "hash")));
				}
				json_decref(out);
			}
		}
	} else if ((rc = ledgers_overdue(s, today, &out, &e)) == 0) {
		if (json)
			print(out);
		else {
			size_t k;
			for (k = 0; k < json_array_size(out); k++) {
				json_t *x = json_array_get(out, k);
				char y[MONEY_FMT_MAX];
				printf("entry %lld  %s  %s  %s yuan outstanding, due %s, %lld days late\n",
				       (long long)json_integer_value(json_object_get(x, "seq")), json_string_value(json_object_get(x, "subject")),
				       json_string_value(json_object_get(x, "party")),
				       money_format_grouped(json_integer_value(json_object_get(x, "outstanding_fen")), y),
				       json_string_value(json_object_get(x, "due")), (long long)json_integer_value(json_object_get(x, "days_late")));
			}
			json_decref(out);
		}
	}
	store_close(s);
	return rc ? cli_fail("ledger", &e) : 0;
}

CLI_COMMAND(cli_ledger, "ledger", "the policy fulfilment ledger: verify the hash chain, list, overdue", cmd_ledger)

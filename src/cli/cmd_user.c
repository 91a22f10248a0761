/*
 * cmd_user — `chainfuse user`: accounts from the command line (service/accounts.c).
 *   user add --username U --role R [--enterprise ID|--platform ID|--broker ID]
 *            [--display-name N] [--password P | the password on stdin]
 *   user list [--demo]       every account; --demo: the demo accounts with their passwords
 *   user passwd --username U [--password P | stdin]
 *   user seed-demo           creates the demo accounts (one per role) on the demo data
 * All take --db PATH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "service/accounts.h"
#include "store/store.h"

static const char usage[] =
	"usage: chainfuse user add --username U --role ROLE [--enterprise ID | --platform ID | --broker ID]\n"
	"                          [--display-name NAME] [--password P] [--db PATH]\n"
	"       chainfuse user list [--demo] [--db PATH]\n"
	"       chainfuse user passwd --username U [--password P] [--db PATH]\n"
	"       chainfuse user seed-demo [--db PATH]\n"
	"\n"
	"Manages login accounts. ROLE is bureau, enterprise, platform, broker, expert or fund; an\n"
	"enterprise, platform or broker account is linked to its row. Without --password the\n"
	"password is read from the first line of stdin (so it stays out of the process list).\n"
	"seed-demo creates one demo account per role (data/auth/demo_accounts.json) on the rows\n"
	"`chainfuse demo` made; list --demo prints them with their passwords.\n";

/* The first line of stdin, without its newline; NULL on EOF. Owned by a. */
static const char *read_password(arena *a)
{
	char line[1100];
	size_t n;
	if (!fgets(line, sizeof line, stdin))
		return NULL;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return arena_strdup(a, line);
}

/* Names a field error after the option that set the field ("--enterprise"). */
static void rename_where(cf_err *e)
{
	static const char *const map[][2] = {{"enterprise_id", "--enterprise"}, {"platform_id", "--platform"},
					     {"broker_id", "--broker"},	    {"username", "--username"},
					     {"password", "--password"},	    {"role", "--role"},
					     {"display_name", "--display-name"}};
	size_t i;
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(e->where, map[i][0])) {
			snprintf(e->where, sizeof e->where, "%s", map[i][1]);
			return;
		}
}

static int parse_id(const char *cmd, const char *opt, const char *s, int64_t *out)
{
	if (cli_parse_i64(s, out) != 0 || *out <= 0)
		return cli_usage(cmd, "%s must be a positive row id, not \"%s\"", opt, s);
	return 0;
}

static int user_main(int argc, char **argv)
{
	const char *db = NULL, *username = NULL, *role = NULL, *ent = NULL, *plat = NULL, *brok = NULL,
		   *display = NULL, *password = NULL, *sub;
	int demo = 0, i, rc, status = 0;
	store *s = NULL;
	arena *a = NULL;
	cf_err e;
	acct_fields f;

	if (cli_help(argc, argv, usage))
		return 0;
	if (argc < 2)
		return cli_usage("user", "a subcommand is required: add, list, passwd or seed-demo");
	sub = argv[1];
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "passwd") && strcmp(sub, "seed-demo"))
		return cli_usage("user", "unknown subcommand \"%s\" (add, list, passwd, seed-demo)", sub);
	for (i = 2; i < argc; i++) {
		int r;
		if ((r = cli_opt(&i, argc, argv, "--db", &db)) || (r = cli_opt(&i, argc, argv, "--username", &username)) ||
		    (r = cli_opt(&i, argc, argv, "--role", &role)) || (r = cli_opt(&i, argc, argv, "--enterprise", &ent)) ||
		    (r = cli_opt(&i, argc, argv, "--platform", &plat)) || (r = cli_opt(&i, argc, argv, "--broker", &brok)) ||
		    (r = cli_opt(&i, argc, argv, "--display-name", &display)) ||
		    (r = cli_opt(&i, argc, argv, "--password", &password))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (cli_flag(i, argv, "--demo") && !strcmp(sub, "list")) {
			demo = 1;
			continue;
		}
		return cli_usage("user", "unknown argument \"%s\"", argv[i]);
	}
	memset(&f, 0, sizeof f);
	if (!strcmp(sub, "add")) {
		if (!username || !role)
			return cli_usage("user", "add needs --username and --role");
		f.username = username;
		f.role = viewer_role_parse(role);
		if (f.role <= 0)
			return cli_usage("user", "--role must be bureau, enterprise, platform, broker, expert or fund, not \"%s\"",
					 role);
		if ((ent && parse_id("user", "--enterprise", ent, &f.enterprise_id)) ||
		    (plat && parse_id("user", "--platform", plat, &f.platform_id)) ||
		    (brok && parse_id("user", "--broker", brok, &f.broker_id)))
			return 2;
		f.display_name = display;
	} else if (!strcmp(sub, "passwd")) {
		if (!username)
			return cli_usage("user", "passwd needs --username");
	} else if (username || role || ent || plat || brok || display || password) {
		return cli_usage("user", "%s takes only --db%s", sub, strcmp(sub, "list") ? "" : " and --demo");
	}
	cf_err_clear(&e);
	a = arena_create();
	if (!a) {
		cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
		return cli_fail("user", &e);
	}
	if ((!strcmp(sub, "add") || !strcmp(sub, "passwd")) && !password) {
		password = read_password(a);
		if (!password) {
			arena_free(a);
			return cli_usage("user", "no --password and nothing on stdin");
		}
	}
	rc = store_open(cli_db_path(db), &s, &e);
	if (rc)
		goto fail;
	if (!strcmp(sub, "add")) {
		int64_t id;
		f.password = password;
		rc = accounts_create(s, &f, &id, &e);
		if (rc) {
			rename_where(&e);
			goto fail;
		}
		printf("user %lld: %s (%s)\n", (long long)id, username, role);
	} else if (!strcmp(sub, "passwd")) {
		acct_user u;
		rc = accounts_find(s, username, &u, &e);
		if (rc == 0) {
			memset(&f, 0, sizeof f);
			f.role = -1;
			f.disabled = -1;
			f.password = password;
			rc = accounts_update(s, u.id, &f, &e);
		}
		if (rc) {
			rename_where(&e);
			goto fail;
		}
		printf("password of %s changed; its sessions are closed\n", username);
	} else if (!strcmp(sub, "seed-demo")) {
		int created = 0;
		rc = accounts_seed_demo(s, &created, &e);
		if (rc)
			goto fail;
		printf("%d demo account%s created\n", created, created == 1 ? "" : "s");
	} else if (demo) {
		rc = accounts_print_demo(s, stdout, &e);
		if (rc)
			goto fail;
	} else {
		acct_user *v = NULL;
		size_t n = 0, k;
		rc = accounts_list(s, a, &v, &n, &e);
		if (rc)
			goto fail;
		printf("%-6s %-20s %-11s %-14s %-8s %s\n", "id", "username", "role", "acts for", "disabled", "name");
		for (k = 0; k < n; k++) {
			char link[40] = "-";
			if (v[k].enterprise_id)
				snprintf(link, sizeof link, "enterprise %lld", (long long)v[k].enterprise_id);
			else if (v[k].platform_id)
				snprintf(link, sizeof link, "platform %lld", (long long)v[k].platform_id);
			else if (v[k].broker_id)
				snprintf(link, sizeof link, "broker %lld", (long long)v[k].broker_id);
			printf("%-6lld %-20s %-11s %-14s %-8s %s\n", (long long)v[k].id, v[k].username,
			       viewer_role_name(v[k].role), link, v[k].disabled ? "yes" : "no", v[k].display_name);
		}
	}
	goto done;
fail:
	status = cli_fail("user", &e);
done:
	store_close(s);
	arena_free(a);
	return status;
}

CLI_COMMAND(cmd_user, "user", "manage login accounts: add, list, passwd, seed-demo", user_main)

/*
 * cmd_demo — `chainfuse demo --db PATH [--seed N] [--force]`: fills a database with the
 * synthetic Wenzhou dataset (service/demo.c over model/demo_gen.c), whose aggregates equal
 * the paper's figures (data/demo/profile.json). Same seed, same data.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/accounts.h"
#include "service/demo.h"

static const char demo_usage[] =
	"usage: chainfuse demo [--db PATH] [--seed N] [--force]\n"
	"\n"
	"Generates the synthetic Wenzhou demo dataset (合成数据) into the database: 79,437 industrial\n"
	"enterprises with the paper's aggregates (表1, §一.1), the \"5+5\" chains and segments, 49\n"
	"innovation platforms, brokers, achievements, demands, instruments, teams, shareholders and\n"
	"supply relations; technology contracts (四技) with brokers' awards under the policy version in\n"
	"force on the sign date, a fraud case and the fulfilment ledger; the yearly ladder, platform\n"
	"and indicator tables for 2018-2021. Every registry and yearly row is marked synthetic\n"
	"(contracts: registration numbers start with SYN). The targets are in data/demo/profile.json.\n"
	"\n"
	"  --db PATH   database (default $CHAINFUSE_DB, else var/chainfuse.db)\n"
	"  --seed N    random seed, a non-negative integer (default 1); the same seed gives the same data\n"
	"  --force     replace a database that already holds rows (its file is deleted first)\n";

typedef struct progress {
	cli_progress *bar;
	int64_t planned; /* the generator's estimate, fixed when the bar starts */
} progress;

static void on_progress(void *ctx, int64_t done, int64_t total)
{
	progress *p = ctx;
	if (!p->bar) {
		p->bar = cli_progress_start("demo", total);
		p->planned = total;
	}
	cli_progress_update(p->bar, done < p->planned ? done : p->planned);
}

static int remove_db(const char *path, cf_err *e)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	char p[4096];
	size_t i;
	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		if ((size_t)snprintf(p, sizeof p, "%s%s", path, sfx[i]) >= sizeof p)
			return cf_err_set(e, CF_ETOOBIG, path, "path too long");
		if (unlink(p) != 0 && errno != ENOENT)
			return cf_err_set(e, CF_EIO, p, "cannot remove: %s", strerror(errno));
	}
	return 0;
}

static int cmd_demo(int argc, char **argv)
{
	const char *db = NULL, *seed_s = NULL, *path;
	int force = 0, i, r, rc;
	int64_t seed = 1, rows = 0;
	int accounts = 0;
	store *s = NULL;
	progress prog = {NULL, 0};
	demo_stats st;
	demo_extra_stats xs;
	cf_err e;

	cf_err_clear(&e);
	if (cli_help(argc, argv, demo_usage))
		return 0;
	for (i = 1; i < argc; i++) {
		if ((r = cli_opt(&i, argc, argv, "--db", &db)) || (r = cli_opt(&i, argc, argv, "--seed", &seed_s))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (cli_flag(i, argv, "--force")) {
			force = 1;
			continue;
		}
		return cli_usage("demo", "unknown argument \"%s\"", argv[i]);
	}
	if (seed_s && (cli_parse_i64(seed_s, &seed) < 0 || seed < 0))
		return cli_usage("demo", "--seed expects a non-negative integer, got \"%s\"", seed_s);
	path = cli_db_path(db);

	if ((rc = store_open(path, &s, &e)) < 0)
		return cli_fail("demo", &e);
	if ((rc = demo_count_rows(s, &rows, &e)) < 0)
		goto fail;
	if (rows > 0) {
		if (!force) {
			rc = cf_err_set(&e, CF_ECONFLICT, path,
					"database already holds %lld rows; use --force to replace it", (long long)rows);
			goto fail;
		}
		if (!strncmp(path, "postgres", 8)) {
			rc = cf_err_set(&e, CF_EINVAL, path, "--force replaces SQLite files only");
			goto fail;
		}
		store_close(s);
		s = NULL;
		if ((rc = remove_db(path, &e)) < 0 || (rc = store_open(path, &s, &e)) < 0)
			goto fail;
	}
	rc = demo_load_all(s, (uint64_t)seed, on_progress, &prog, &st, &xs, &e);
	cli_progress_end(prog.bar);
	prog.bar = NULL;
	if (rc < 0)
		goto fail;
	/* one login per role on these rows (data/auth/demo_accounts.json; `user list --demo`) */
	if ((rc = accounts_seed_demo(s, &accounts, &e)) < 0)
		goto fail;
	store_close(s);
	printf("demo: seed %lld, %lld synthetic rows generated into %s\n", (long long)seed, (long long)st.total, path);
	for (i = 0; i < (int)cf_nentities && i < 16; i++)
		printf("  %-12s %8lld\n", cf_entities[i]->plural, (long long)st.rows[i]);
	printf("  contracts    %8lld (approved %lld, paid %lld, related-party overrides %lld, fraud %lld)\n",
	       (long long)xs.contracts, (long long)xs.approved, (long long)xs.paid, (long long)xs.flagged, (long long)xs.fraud);
	printf("  awards       %8lld\n  ledger       %8lld entries\n", (long long)xs.awards, (long long)xs.ledger_entries);
	printf("  enterprise_years %4lld\n  platform_years   %4lld\n  indicator_series %4lld\n", (long long)xs.enterprise_years,
	       (long long)xs.platform_years, (long long)xs.series_points);
	printf("demo: %d demo accounts (chainfuse user list --demo --db %s)\n", accounts, path);
	return 0;
fail:
	cli_progress_end(prog.bar);
	store_close(s);
	return cli_fail("demo", &e);
}

CLI_COMMAND(cli_cmd_demo, "demo", "generate the synthetic Wenzhou demo dataset (paper's aggregates)", cmd_demo)

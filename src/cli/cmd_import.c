/*
 * cmd_import — `chainfuse import <entity> FILE [--partial] [--db PATH]`: a CSV file into the
 * registry through service/import.c, every bad cell reported as FILE:ROW:COLUMN: reason.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/import.h"
#include "service/registry.h"

static const char import_usage[] =
	"usage: chainfuse import ENTITY FILE [--partial] [--db PATH]\n"
	"\n"
	"Imports the CSV file FILE (UTF-8 with or without BOM, or GBK/GB18030) into ENTITY\n"
	"(industry, chain, segment, enterprise, shareholder, platform, broker, achievement, demand,\n"
	"instrument, team, supply; singular or plural). The header row names the columns by field\n"
	"name or Chinese label; an optional column synthetic marks generated rows.\n"
	"Every bad cell is reported as FILE:ROW:COLUMN: reason. By default nothing is written when\n"
	"any row is bad (exit 1); with --partial the good rows are written and the bad ones reported\n"
	"(exit 1 if any were bad). `import industries FILE` also reads the GB/T 4754-2017 flat file\n"
	"(level,code,name,parent_code,section,description) and updates codes already loaded.\n";

typedef struct import_bar {
	cli_progress *p;
} import_bar;

static void import_progress(void *ctx, size_t done, size_t total)
{
	import_bar *b = ctx;
	if (!b->p)
		b->p = cli_progress_start("checking rows", (int64_t)total);
	cli_progress_update(b->p, (int64_t)done);
}

static int cmd_import(int argc, char **argv)
{
	const char *db = NULL, *ename = NULL, *file = NULL, *v;
	const cf_entity *ent;
	int partial = 0, i, r, status;
	store *s = NULL;
	arena *a = NULL;
	import_report rep;
	import_bar bar = {NULL};
	cf_err e;
	size_t k;

	cf_err_clear(&e);
	if (cli_help(argc, argv, import_usage))
		return 0;
	for (i = 1; i < argc; i++) {
		if ((r = cli_opt(&i, argc, argv, "--db", &v)) != 0) {
			if (r < 0)
				return 2;
			db = v;
			continue;
		}
		if (cli_flag(i, argv, "--partial")) {
			partial = 1;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("import", "unknown option %s", argv[i]);
		if (!ename)
			ename = argv[i];
		else if (!file)
			file = argv[i];
		else
			return cli_usage("import", "unexpected argument %s", argv[i]);
	}
	if (!ename || !file)
		return cli_usage("import", "expected ENTITY and FILE");
	if (!(ent = schema_entity(ename)))
		return cli_usage("import", "unknown entity \"%s\"", ename);
	if (!(a = arena_create())) {
		cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
		return cli_fail("import", &e);
	}
	if (store_open(cli_db_path(db), &s, &e) || registry_open(s, &e)) {
		status = cli_fail("import", &e);
		goto done;
	}
	r = import_csv(s, &cf_viewer_bureau, ent, file, partial, a, import_progress, &bar, &rep, &e);
	cli_progress_end(bar.p);
	for (k = 0; k < rep.nproblems; k++)
		fprintf(stderr, "chainfuse import: %s: %s\n", rep.problems[k].where, rep.problems[k].msg);
	if (r) {
		status = rep.nproblems && r == CF_EINVAL ? 1 : cli_fail("import", &e);
		goto done;
	}
	if (rep.rejected && !partial) {
		fprintf(stderr, "chainfuse import: %s: nothing imported: %zu of %zu rows rejected\n", file, rep.rejected,
			rep.rows);
		status = 1;
		goto done;
	}
	printf("imported %zu rows, rejected %zu\n", rep.imported, rep.rejected);
	if (rep.updated)
		printf("(%zu of them updated rows already present)\n", rep.updated);
	status = rep.rejected ? 1 : 0;
done:
	store_close(s);
	arena_free(a);
	return status;
}

CLI_COMMAND(cli_cmd_import, "import", "import a CSV file into the registry (all or nothing, or --partial)", cmd_import)

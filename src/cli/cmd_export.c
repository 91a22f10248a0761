/*
 * cmd_export — `chainfuse export <entity> --format csv|xlsx [-o FILE] [--db PATH]`: registry
 * rows out through service/export.c, in the text forms the import reads.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/export.h"
#include "service/registry.h"

static const char export_usage[] =
	"usage: chainfuse export ENTITY [--format csv|xlsx] [-o FILE] [--db PATH]\n"
	"\n"
	"Writes every row of ENTITY (industry, chain, segment, enterprise, ...) as CSV (the default;\n"
	"to stdout without -o) or XLSX (needs -o). CSV has one header row of field names and a last\n"
	"column synthetic (1 = generated demo row); cells use the forms `chainfuse import` reads, so\n"
	"an exported file imports back unchanged. XLSX has the Chinese labels as its header row, a\n"
	"column 合成数据 (synthetic), and a sheet \"fields\" mapping labels to field names.\n";

static int cmd_export(int argc, char **argv)
{
	const char *db = NULL, *ename = NULL, *fmt = "csv", *outp = NULL, *v;
	const cf_entity *ent;
	store *s = NULL;
	FILE *f = NULL;
	size_t n = 0;
	int i, r, status = 0;
	cf_err e;

	cf_err_clear(&e);
	if (cli_help(argc, argv, export_usage))
		return 0;
	for (i = 1; i < argc; i++) {
		if ((r = cli_opt(&i, argc, argv, "--db", &v)) != 0) {
			if (r < 0)
				return 2;
			db = v;
		} else if ((r = cli_opt(&i, argc, argv, "--format", &v)) != 0) {
			if (r < 0)
				return 2;
			fmt = v;
		} else if ((r = cli_opt(&i, argc, argv, "-o", &v)) != 0) {
			if (r < 0)
				return 2;
			outp = v;
		} else if ((r = cli_opt(&i, argc, argv, "--output", &v)) != 0) {
			if (r < 0)
				return 2;
			outp = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("export", "unknown option %s", argv[i]);
		} else if (!ename) {
			ename = argv[i];
		} else {
			return cli_usage("export", "unexpected argument %s", argv[i]);
		}
	}
	if (!ename)
		return cli_usage("export", "expected ENTITY");
	if (!(ent = schema_entity(ename)))
		return cli_usage("export", "unknown entity \"%s\"", ename);
	if (strcmp(fmt, "csv") && strcmp(fmt, "xlsx"))
		return cli_usage("export", "--format is csv or xlsx, not \"%s\"", fmt);
	if (!strcmp(fmt, "xlsx") && !outp)
		return cli_usage("export", "--format xlsx needs -o FILE");
	if (store_open(cli_db_path(db), &s, &e) || registry_open(s, &e)) {
		status = cli_fail("export", &e);
		goto done;
	}
	if (!strcmp(fmt, "xlsx")) {
		if (export_xlsx(s, &cf_viewer_bureau, ent, outp, &n, &e))
			status = cli_fail("export", &e);
		else
			fprintf(stderr, "exported %zu rows to %s\n", n, outp);
		goto done;
	}
	if (outp && !(f = fopen(outp, "wb"))) {
		cf_err_set(&e, CF_EIO, outp, "cannot create the file");
		status = cli_fail("export", &e);
		goto done;
	}
	if (export_csv(s, &cf_viewer_bureau, ent, f ? f : stdout, &n, &e))
		status = cli_fail("export", &e);
	else if (outp)
		fprintf(stderr, "exported %zu rows to %s\n", n, outp);
	if (f && fclose(f) && !status) {
		cf_err_set(&e, CF_EIO, outp, "write failed");
		status = cli_fail("export", &e);
	}
done:
	store_close(s);
	return status;
}

CLI_COMMAND(cli_cmd_export, "export", "export registry rows as CSV or XLSX", cmd_export)

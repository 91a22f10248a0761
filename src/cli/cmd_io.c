/*
 * cmd_io — `chainfuse io linkages --table FILE [--json]`: Leontief analysis of a national
 * input–output table: Rasmussen backward/forward linkages, key sectors, and the "5+5"
 * industries (data/chain/industries_5p5.json) mapped onto the table's sectors.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/path.h"
#include "chain/io_table.h"
#include "cli/cli.h"

static const char *USAGE = "usage: chainfuse io linkages --table FILE [--json] [--leontief]\n"
			   "  Reads an NBS input-output table CSV (42-sector non-competitive or 149/153-sector),\n"
			   "  computes A = Z/x, L = (I-A)^-1 (LAPACK), Rasmussen backward/forward linkage\n"
			   "  indices and key sectors (both > 1); 42-sector tables also get the 5+5 industries.\n"
			   "  --leontief adds the full inverse L to the JSON (implies --json).\n";

/* The "5+5" industries whose sectors all exist in this table, with output-weighted indices. */
static json_t *industries(const io_table *t, const io_result *r)
{
	char path[4096];
	json_t *root, *arr, *outv = json_array();
	size_t k;
	json_t *ind;

	if (path_data("chain/industries_5p5.json", path, sizeof path) < 0)
		return outv;
	if (!(root = json_load_file(path, 0, NULL)))
		return outv;
	arr = json_object_get(root, "industries");
	json_array_foreach(arr, k, ind)
	{
		json_t *secs = json_object_get(ind, "sectors"), *s, *codes = json_array();
		size_t q;
		double w = 0, bl = 0, fl = 0;
		int ok = 1;
		json_array_foreach(secs, q, s)
		{
			int hit = -1;
			for (int i = 0; i < t->n; i++)
				if (json_is_string(s) && !strcmp(t->code[i], json_string_value(s)))
					hit = i;
			if (hit < 0) {
				ok = 0;
				break;
			}
			json_array_append_new(codes, json_string(t->code[hit]));
			w += t->x[hit];
			bl += t->x[hit] * r->bl[hit];
			fl += t->x[hit] * r->fl[hit];
		}
		if (!ok || w <= 0) {
			json_decref(codes);
			continue;
		}
		json_array_append_new(outv, json_pack("{s:O?,s:O?,s:o,s:f,s:f}", "name", json_object_get(ind, "name"),
						      "name_en", json_object_get(ind, "name_en"), "sectors", codes,
						      "backward", bl / w, "forward", fl / w));
	}
	json_decref(root);
	return outv;
}

static int linkages(int argc, char **argv)
{
	const char *table = NULL;
	int json = 0, full = 0, rc;
	io_table t;
	io_result r;
	cf_err e;

	for (int i = 2; i < argc; i++) {
		if ((rc = cli_opt(&i, argc, argv, "--table", &table)) < 0)
			return 2;
		if (rc)
			continue;
		if (cli_flag(i, argv, "--json"))
			json = 1;
		else if (cli_flag(i, argv, "--leontief"))
			full = json = 1;
		else
			return cli_usage("io", "unknown option %s", argv[i]);
	}
	if (!table)
		return cli_usage("io", "--table FILE is required");
	cf_err_clear(&e);
	if (io_table_load(table, &t, &e) < 0) {
		if (e.code == CF_EIO) /* an unreadable input file is the caller's to fix: exit 1 */
			e.code = CF_EINVAL;
		return cli_fail("io", &e);
	}
	if (io_analyze(&t, &r, &e) < 0) {
		io_table_free(&t);
		return cli_fail("io", &e);
	}
	if (json) {
		json_t *o = json_object(), *secs = json_array(), *keys = json_array();
		for (int i = 0; i < t.n; i++) {
			json_array_append_new(secs, json_pack("{s:s,s:s,s:s,s:f,s:f,s:f,s:b}", "code", t.code[i], "name",
							      t.name_zh[i], "name_en", t.name_en[i], "output", t.x[i],
							      "backward", r.bl[i], "forward", r.fl[i], "key", r.key[i]));
			if (r.key[i])
				json_array_append_new(keys, json_string(t.code[i]));
		}
		json_object_set_new(o, "sectors_n", json_integer(t.n));
		json_object_set_new(o, "noncompetitive", json_boolean(t.noncompetitive));
		json_object_set_new(o, "identity_max_error", json_real(r.residual));
		json_object_set_new(o, "sectors", secs);
		json_object_set_new(o, "key_sectors", keys);
		json_object_set_new(o, "industries", industries(&t, &r));
		if (full) {
			json_t *rows = json_array();
			for (int i = 0; i < t.n; i++) {
				json_t *row = json_array();
				for (int j = 0; j < t.n; j++)
					json_array_append_new(row, json_real(r.l[(size_t)i * (size_t)t.n + (size_t)j]));
				json_array_append_new(rows, row);
			}
			json_object_set_new(o, "leontief", rows);
		}
		json_dumpf(o, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
		putchar('\n');
		json_decref(o);
	} else {
		printf("%d sectors; max |(I-A)L - I| = %.3g\n", t.n, r.residual);
		printf("%-5s %-9s %-9s %-3s %s\n", "code", "backward", "forward", "key", "sector");
		for (int i = 0; i < t.n; i++)
			printf("%-5s %-9.4f %-9.4f %-3s %s\n", t.code[i], r.bl[i], r.fl[i], r.key[i] ? "*" : "",
			       t.name_zh[i]);
	}
	io_result_free(&r);
	io_table_free(&t);
	return 0;
}

static int cmd_io(int argc, char **argv)
{
	if (cli_help(argc, argv, USAGE))
		return 0;
	if (argc < 2)
		return cli_usage("io", "missing subcommand (linkages)");
	if (!strcmp(argv[1], "linkages"))
		return linkages(argc, argv);
	return cli_usage("io", "unknown subcommand %s", argv[1]);
}

CLI_COMMAND(cmd_io_reg, "io", "input-output tables: Leontief inverse, linkages, key sectors", cmd_io)

/*
 * cmd_chain — `chainfuse chain ...`: firm-level chain-break analysis.
 *   analyze --supply FILE.csv [--json] [--stats] [--top N] [--stop ID,...] [--cut-foreign INPUT]
 *   cascade --supply FILE.csv --node ID [--json]
 * Both work on a standalone CSV (supplier,customer,input,grade,region,value), no database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/money.h"
#include "chain/chain.h"
#include "cli/cli.h"
#include "service/chain_svc.h"
#include "store/store.h"
#include <jansson.h>

static const char *USAGE =
	"usage: chainfuse chain analyze --supply FILE.csv [--json] [--stats] [--top N]\n"
	"                               [--stop ID[,ID...]] [--cut-foreign INPUT]\n"
	"       chainfuse chain cascade --supply FILE.csv --node ID [--json]\n"
	"       chainfuse chain risk --industry NAME [--json] [--db PATH]\n"
	"       chainfuse chain cascade --node ID [--json] [--db PATH]   (enterprise id or outside supplier name)\n"
	"       chainfuse chain gaps [--industry NAME] [--json] [--db PATH]\n"
	"       chainfuse chain list --industry NAME [--json] [--db PATH]\n"
	"       chainfuse chain scenario [--county 瑞安市] [--supplier ID|NAME] [--cut-foreign INPUT]\n"
	"                                [--json] [--db PATH]\n"
	"       chainfuse chain edit --industry NAME --list break|choke --key KEY\n"
	"                            --action add|annotate|dismiss|reopen [--title T] [--note N] [--db PATH]\n"
	"  FILE.csv columns: supplier,customer,input,grade,region,value (grade high|standard|low,\n"
	"  region local|domestic|foreign, value in yuan). A firm needs all its inputs and gets an\n"
	"  input from any of its sources. analyze prints every firm's cascade (the firms that stop\n"
	"  when it stops), the choke points ranked by stopped downstream output value, and the\n"
	"  substitutability of every (customer, input): absolute / downgrade / equal.\n"
	"  --stop and --cut-foreign add a scenario: stop these firms / cut all foreign sources of\n"
	"  an input, and list what stops. --stats prints timings and peak memory to stderr;\n"
	"  --repeat N (with --stats, for benchmarks) reports the fastest of N analyses.\n"
	"  risk recomputes the chain's 断链断供风险点清单 (break) and 卡脖子清单 (choke) lists from\n"
	"  the supplies in the database (bureau edits survive) and shows spillover of leading\n"
	"  firms; gaps is the two-chain coverage map.\n";

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void jstr(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			putc('\\', f), putc(ch, f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			putc(ch, f);
	}
	putc('"', f);
}

/* Scenario: stop the listed firms and/or cut foreign sources of one input. */
static int scenario(const chain_graph *g, const char *stop_list, const char *cut_input, uint8_t *base, FILE *f,
		    int json)
{
	uint8_t *stop = calloc((size_t)g->n + 1, 1), *cut = calloc((size_t)g->n_edges + 1, 1);
	uint8_t *alive = malloc((size_t)g->n + 1);
	int rc = 0, first = 1;
	int64_t lost = 0, cnt = 0, ncut = 0;

	if (!stop || !cut || !alive) {
		rc = -1;
		goto out;
	}
	if (stop_list) {
		char *dup = strdup(stop_list), *save = NULL;
		for (char *t = dup ? strtok_r(dup, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
			int32_t v = chain_find(g, t);
			if (v < 0) {
				fprintf(stderr, "chainfuse chain: --stop: no firm %s\n", t);
				free(dup);
				rc = 1;
				goto out;
			}
			stop[v] = 1;
		}
		free(dup);
	}
	if (cut_input)
		for (int64_t ed = 0; ed < g->n_edges; ed++)
			if (g->src_region[ed] == CHAIN_FOREIGN && !strcmp(g->input_name[g->slot_input[g->edge_slot[ed]]], cut_input))
				cut[ed] = 1, ncut++;
	if (chain_simulate(g, stop, cut, alive, NULL) < 0) {
		rc = -1;
		goto out;
	}
	if (json) {
		fprintf(f, ",\"scenario\":{\"cut_edges\":%lld,\"stopped\":[", (long long)ncut);
		for (int32_t v = 0; v < g->n; v++)
			if (base[v] && !alive[v]) {
				if (!first)
					putc(',', f);
				first = 0;
				jstr(f, g->id[v]);
				lost += g->value[v];
				cnt++;
			}
		fprintf(f, "],\"stopped_n\":%lld,\"stopped_value_fen\":%lld}", (long long)cnt, (long long)lost);
	} else {
		printf("scenario: %lld foreign source edges cut; stopped:", (long long)ncut);
		for (int32_t v = 0; v < g->n; v++)
			if (base[v] && !alive[v]) {
				printf(" %s", g->id[v]);
				lost += g->value[v];
				cnt++;
			}
		char m[MONEY_FMT_MAX];
		printf("\n%lld firms stop, output %s yuan\n", (long long)cnt, money_format(lost, m));
	}
out:
	free(stop);
	free(cut);
	free(alive);
	return rc;
}

static int analyze(int argc, char **argv, int single)
{
	const char *supply = NULL, *top_s = NULL, *rep_s = NULL, *stop_list = NULL, *cut_input = NULL, *node = NULL;
	int json = 0, stats = 0, rc;
	int64_t top = 20, repeat = 1;
	chain_graph *g = NULL;
	chain_cascades c;
	chain_slot_risk *risk = NULL;
	cf_err e;
	double t0, t1, t2, c1, c2;
	const char *cmd = "chain";

	for (int i = 2; i < argc; i++) {
		if ((rc = cli_opt(&i, argc, argv, "--supply", &supply)) || (rc = cli_opt(&i, argc, argv, "--top", &top_s)) ||
		    (rc = cli_opt(&i, argc, argv, "--repeat", &rep_s)) ||
		    (rc = cli_opt(&i, argc, argv, "--stop", &stop_list)) ||
		    (rc = cli_opt(&i, argc, argv, "--cut-foreign", &cut_input)) ||
		    (rc = cli_opt(&i, argc, argv, "--node", &node))) {
			if (rc < 0)
				return 2;
			continue;
		}
		if (cli_flag(i, argv, "--json"))
			json = 1;
		else if (cli_flag(i, argv, "--stats"))
			stats = 1;
		else
			return cli_usage(cmd, "unknown option %s", argv[i]);
	}
	if (!supply)
		return cli_usage(cmd, "--supply FILE.csv is required");
	if (single && !node)
		return cli_usage(cmd, "--node ID is required");
	if (rep_s && (cli_parse_i64(rep_s, &repeat) < 0 || repeat < 1 || repeat > 100))
		return cli_usage(cmd, "--repeat must be 1..100");
	if (top_s && (cli_parse_i64(top_s, &top) < 0 || top < 0))
		return cli_usage(cmd, "--top must be a non-negative integer");
	cf_err_clear(&e);
	t0 = now_ms();
	if (chain_load_csv(supply, &g, &e) < 0) {
		if (e.code == CF_EIO) /* an unreadable input file is the caller's to fix: exit 1 */
			e.code = CF_EINVAL;
		return cli_fail(cmd, &e);
	}
	t1 = now_ms();
	c1 = cpu_ms();
	if (chain_cascades_compute(g, &c, &e) < 0) {
		chain_graph_free(g);
		return cli_fail(cmd, &e);
	}
	if (!(risk = malloc(((size_t)g->n_slots + 1) * sizeof *risk))) {
		chain_cascades_free(&c);
		chain_graph_free(g);
		cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
		return cli_fail(cmd, &e);
	}
	chain_substitutability(g, risk);
	t2 = now_ms();
	c2 = cpu_ms();
	/* --repeat N (benchmarks): redo the analysis and keep the fastest run's times. */
	for (int64_t k = 1; k < repeat; k++) {
		chain_cascades again;
		double w0 = now_ms(), p0 = cpu_ms();
		if (chain_cascades_compute(g, &again, &e) < 0)
			break;
		chain_substitutability(g, risk);
		if (cpu_ms() - p0 < c2 - c1) {
			c2 = cpu_ms();
			c1 = p0;
			t2 = now_ms();
			t1 = w0;
		}
		chain_cascades_free(&again);
	}
	if (stats) {
		struct rusage ru;
		int64_t abs_n = 0;
		getrusage(RUSAGE_SELF, &ru);
		for (int32_t s = 0; s < g->n_slots; s++)
			abs_n += risk[s].cls == CHAIN_SUBST_ABSOLUTE;
		fprintf(stderr,
			"firms %d edges %lld slots %d grounded-cascade-pairs %lld passes %d absolute-slots %lld\n"
			"load_ms %.1f analysis_ms %.1f analysis_cpu_ms %.1f peak_rss_kb %ld\n",
			g->n, (long long)g->n_edges, g->n_slots, (long long)c.cas_off[g->n], c.passes, (long long)abs_n,
			t1 - t0, t2 - t1, c2 - c1, ru.ru_maxrss);
	}
	rc = 0;
	if (single) {
		int32_t v = chain_find(g, node);
		if (v < 0) {
			cf_err_set(&e, CF_ENOTFOUND, node, "no firm with this id in %s", supply);
			rc = cli_fail(cmd, &e);
			goto done;
		}
		if (json) {
			printf("{\"id\":");
			jstr(stdout, g->id[v]);
			printf(",\"grounded\":%s,\"stopped_value_fen\":%lld,\"final_products\":%d,\"cascade\":[",
			       c.grounded[v] ? "true" : "false", (long long)c.stopped_value[v], c.final_n[v]);
			for (int64_t i = c.cas_off[v]; i < c.cas_off[v + 1]; i++) {
				if (i > c.cas_off[v])
					putchar(',');
				jstr(stdout, g->id[c.cas[i]]);
			}
			printf("]}\n");
		} else {
			char m[MONEY_FMT_MAX];
			printf("%s: %lld firms stop (%d final products), output %s yuan\n", g->id[v],
			       (long long)(c.cas_off[v + 1] - c.cas_off[v]), c.final_n[v], money_format(c.stopped_value[v], m));
			for (int64_t i = c.cas_off[v]; i < c.cas_off[v + 1]; i++)
				printf("  %s\n", g->id[c.cas[i]]);
		}
		goto done;
	}
	if (json) {
		FILE *f = stdout;
		fprintf(f, "{\"firms\":%d,\"edges\":%lld,\"inputs_n\":%d,\"passes\":%d,\"nodes\":[", g->n, (long long)g->n_edges,
			g->n_slots, c.passes);
		for (int32_t v = 0; v < g->n; v++) {
			if (v)
				putc(',', f);
			fputs("{\"id\":", f);
			jstr(f, g->id[v]);
			fprintf(f, ",\"grounded\":%s,\"value_fen\":%lld,\"stopped_value_fen\":%lld,\"final_products\":%d,\"cascade\":[",
				c.grounded[v] ? "true" : "false", (long long)g->value[v], (long long)c.stopped_value[v], c.final_n[v]);
			for (int64_t i = c.cas_off[v]; i < c.cas_off[v + 1]; i++) {
				if (i > c.cas_off[v])
					putc(',', f);
				jstr(f, g->id[c.cas[i]]);
			}
			fputs("]}", f);
		}
		fputs("],\"choke_points\":[", f);
		for (int64_t r = 0; r < top && r < g->n; r++) {
			int32_t v = c.rank[r];
			if (r)
				putc(',', f);
			fputs("{\"id\":", f);
			jstr(f, g->id[v]);
			fprintf(f, ",\"downstream_value_fen\":%lld,\"cascade_n\":%lld,\"final_products\":%d}",
				(long long)(c.stopped_value[v] - (c.grounded[v] ? g->value[v] : 0)),
				(long long)(c.cas_off[v + 1] - c.cas_off[v]), c.final_n[v]);
		}
		fputs("],\"inputs\":[", f);
		for (int32_t s = 0; s < g->n_slots; s++) {
			if (s)
				putc(',', f);
			fputs("{\"customer\":", f);
			jstr(f, g->id[g->slot_firm[s]]);
			fputs(",\"input\":", f);
			jstr(f, g->input_name[g->slot_input[s]]);
			fprintf(f, ",\"sources\":%d,\"class\":\"%s\",\"class_zh\":\"%s\",\"domestic_class\":\"%s\",\"main_supplier\":",
				g->src_off[s + 1] - g->src_off[s], chain_subst_name(risk[s].cls), chain_subst_name_zh(risk[s].cls),
				chain_subst_name(risk[s].domestic_cls));
			jstr(f, g->id[risk[s].main_src]);
			fprintf(f, ",\"foreign_main\":%s}", risk[s].foreign_main ? "true" : "false");
		}
		putc(']', f);
		if ((stop_list || cut_input) && (rc = scenario(g, stop_list, cut_input, c.grounded, f, 1)) != 0)
			goto done;
		fputs("}\n", f);
	} else {
		char m[MONEY_FMT_MAX];
		int64_t cnt[3] = {0, 0, 0};
		for (int32_t s = 0; s < g->n_slots; s++)
			cnt[risk[s].cls]++;
		printf("%d firms, %lld supply edges, %d (customer, input) pairs: %lld absolute, %lld downgrade, %lld equal\n",
		       g->n, (long long)g->n_edges, g->n_slots, (long long)cnt[0], (long long)cnt[1], (long long)cnt[2]);
		printf("choke points (downstream output stopped):\n");
		for (int64_t r = 0; r < top && r < g->n; r++) {
			int32_t v = c.rank[r];
			printf("  %3lld. %-20s %6lld firms %5d final  %s yuan\n", (long long)r + 1, g->id[v],
			       (long long)(c.cas_off[v + 1] - c.cas_off[v]), c.final_n[v],
			       money_format(c.stopped_value[v] - (c.grounded[v] ? g->value[v] : 0), m));
		}
		for (int32_t s = 0; s < g->n_slots; s++)
			if (risk[s].cls == CHAIN_SUBST_ABSOLUTE)
				printf("  %s %s <- %s%s: %s\n", g->id[g->slot_firm[s]], g->input_name[g->slot_input[s]],
				       g->id[risk[s].main_src], risk[s].foreign_main ? " (foreign)" : "", chain_subst_name_zh(risk[s].cls));
		if ((stop_list || cut_input) && (rc = scenario(g, stop_list, cut_input, c.grounded, stdout, 0)) != 0)
			goto done;
	}
done:
	if (rc < 0) {
		cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
		rc = cli_fail(cmd, &e);
	}
	free(risk);
	chain_cascades_free(&c);
	chain_graph_free(g);
	return rc;
}

/* Database subcommands: risk, cascade (without --supply), gaps, list, edit. */
static int db_cmd(int argc, char **argv)
{
	const char *sub = argv[1], *db = NULL, *industry = NULL, *node = NULL, *list = NULL, *key = NULL, *action = NULL,
		   *title = NULL, *note = NULL, *county = NULL, *supplier = NULL, *cut_foreign = NULL;
	int json = 0, rc;
	store *st = NULL;
	json_t *o = NULL;
	cf_err e;

	for (int i = 2; i < argc; i++) {
		if ((rc = cli_opt(&i, argc, argv, "--db", &db)) || (rc = cli_opt(&i, argc, argv, "--industry", &industry)) ||
		    (rc = cli_opt(&i, argc, argv, "--node", &node)) || (rc = cli_opt(&i, argc, argv, "--list", &list)) ||
		    (rc = cli_opt(&i, argc, argv, "--key", &key)) || (rc = cli_opt(&i, argc, argv, "--action", &action)) ||
		    (rc = cli_opt(&i, argc, argv, "--title", &title)) || (rc = cli_opt(&i, argc, argv, "--note", &note)) ||
		    (rc = cli_opt(&i, argc, argv, "--county", &county)) || (rc = cli_opt(&i, argc, argv, "--supplier", &supplier)) ||
		    (rc = cli_opt(&i, argc, argv, "--cut-foreign", &cut_foreign))) {
			if (rc < 0)
				return 2;
			continue;
		}
		if (cli_flag(i, argv, "--json"))
			json = 1;
		else
			return cli_usage("chain", "unknown option %s", argv[i]);
	}
	if ((!strcmp(sub, "risk") || !strcmp(sub, "list") || !strcmp(sub, "edit")) && !industry)
		return cli_usage("chain", "--industry NAME is required");
	if (!strcmp(sub, "cascade") && !node)
		return cli_usage("chain", "--node ID is required");
	if (!strcmp(sub, "edit") && (!list || !key || !action))
		return cli_usage("chain", "edit needs --list, --key and --action");
	cf_err_clear(&e);
	if (store_open(cli_db_path(db), &st, &e) < 0)
		return cli_fail("chain", &e);
	if (!strcmp(sub, "risk"))
		rc = chain_svc_risk(st, industry, &o, &e);
	else if (!strcmp(sub, "cascade"))
		rc = chain_svc_cascade(st, node, &o, &e);
	else if (!strcmp(sub, "gaps"))
		rc = chain_svc_gaps(st, industry, &o, &e);
	else if (!strcmp(sub, "list"))
		rc = chain_svc_lists(st, industry, &o, &e);
	else if (!strcmp(sub, "scenario"))
		rc = chain_svc_scenario(st, county, supplier, cut_foreign, &o, &e);
	else
		rc = chain_svc_edit(st, industry, list, key, action, title, note, &o, &e);
	store_close(st);
	if (rc < 0)
		return cli_fail("chain", &e);
	if (json) {
		json_dumpf(o, stdout, JSON_INDENT(1));
		putchar('\n');
	} else if (!strcmp(sub, "risk") || !strcmp(sub, "list")) {
		const char *names[2] = {"break_list", "choke_list"}, *heads[2] = {"断链断供风险点清单", "卡脖子清单"};
		char m[MONEY_FMT_MAX];
		if (!strcmp(sub, "risk"))
			printf("%s: %lld firms; inputs absolute %lld, downgrade %lld, equal %lld\n", industry,
			       (long long)json_integer_value(json_object_get(o, "firms")),
			       (long long)json_integer_value(json_object_get(json_object_get(o, "inputs"), "absolute")),
			       (long long)json_integer_value(json_object_get(json_object_get(o, "inputs"), "downgrade")),
			       (long long)json_integer_value(json_object_get(json_object_get(o, "inputs"), "equal")));
		for (int l = 0; l < 2; l++) {
			json_t *arr = json_object_get(o, names[l]), *x;
			size_t i;
			printf("%s (%zu)\n", heads[l], json_array_size(arr));
			json_array_foreach(arr, i, x)
			{
				const char *nt = json_string_value(json_object_get(x, "note"));
				printf("  [%s%s] %s  %s 元  key=%s%s%s\n", json_string_value(json_object_get(x, "status")),
				       json_is_true(json_object_get(x, "present")) ? "" : ",stale",
				       json_string_value(json_object_get(x, "title")),
				       money_format(json_integer_value(json_object_get(x, "score_fen")), m),
				       json_string_value(json_object_get(x, "key")), nt ? "  备注: " : "", nt ? nt : "");
			}
		}
	} else if (!strcmp(sub, "gaps")) {
		json_t *arr = json_object_get(o, "gaps"), *x;
		size_t i;
		char m[MONEY_FMT_MAX];
		printf("%-10s %-16s %6s %14s %9s %s\n", "chain", "segment", "points", "risk(yuan)", "coverage", "gap");
		json_array_foreach(arr, i, x)
		printf("%-10s %-16s %6lld %14s %9.1f %.1f\n", json_string_value(json_object_get(x, "chain")),
		       json_string_value(json_object_get(x, "segment")),
		       (long long)json_integer_value(json_object_get(x, "break_points")),
		       money_format(json_integer_value(json_object_get(x, "risk_value_fen")), m),
		       json_real_value(json_object_get(x, "coverage")), json_real_value(json_object_get(x, "gap")));
	} else if (!strcmp(sub, "scenario")) {
		json_t *arr = json_object_get(o, "stopped"), *x;
		size_t i;
		char m[MONEY_FMT_MAX];
		printf("%zu firms stop, output %s yuan\n", json_array_size(arr),
		       money_format(json_integer_value(json_object_get(o, "stopped_value_fen")), m));
		json_array_foreach(arr, i, x)
		printf("  %s\n", json_string_value(json_object_get(x, "name")));
	} else if (!strcmp(sub, "cascade")) {
		json_t *arr = json_object_get(o, "cascade"), *x;
		size_t i;
		char m[MONEY_FMT_MAX];
		printf("%s: %zu firms stop, output %s yuan\n", json_string_value(json_object_get(o, "name")), json_array_size(arr),
		       money_format(json_integer_value(json_object_get(o, "stopped_value_fen")), m));
		json_array_foreach(arr, i, x)
		printf("  %s\n", json_string_value(json_object_get(x, "name")));
	} else {
		printf("%s %s: %s\n", json_string_value(json_object_get(o, "key")), json_string_value(json_object_get(o, "status")),
		       json_string_value(json_object_get(o, "title")));
	}
	json_decref(o);
	return 0;
}

static int has_supply(int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		if (!strncmp(argv[i], "--supply", 8))
			return 1;
	return 0;
}

static int cmd_chain(int argc, char **argv)
{
	if (cli_help(argc, argv, USAGE))
		return 0;
	if (argc < 2)
		return cli_usage("chain", "missing subcommand (analyze, cascade)");
	if (!strcmp(argv[1], "analyze"))
		return analyze(argc, argv, 0);
	if (!strcmp(argv[1], "cascade") && has_supply(argc, argv))
		return analyze(argc, argv, 1);
	if (!strcmp(argv[1], "cascade") || !strcmp(argv[1], "risk") || !strcmp(argv[1], "gaps") ||
	    !strcmp(argv[1], "list") || !strcmp(argv[1], "edit") || !strcmp(argv[1], "scenario"))
		return db_cmd(argc, argv);
	return cli_usage("chain", "unknown subcommand %s", argv[1]);
}

CLI_COMMAND(cmd_chain_reg, "chain", "firm supply chains: cascades, choke points, substitutability", cmd_chain)

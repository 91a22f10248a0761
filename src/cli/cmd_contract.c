/*
 * cmd_contract — `chainfuse contract add|list|show|check|approve|pay|fraud`: technology
 * contracts (四技) and their broker awards, through service/contracts.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/money.h"
#include "base/path.h"
#include "cli/cli.h"
#include "policy/policy.h"
#include "service/contracts.h"
#include "store/store.h"

static const char usage[] =
	"usage: chainfuse contract add --db PATH (--file FILE.json|- | --reg-no NO --type 技术开发|技术转让|技术咨询|技术服务\n"
	"                              --title T --buyer USCC --seller USCC --amount YUAN --sign-date D\n"
	"                              --brokers ID:SHARE_BP,...) [--date D]\n"
	"       chainfuse contract list --db PATH [--json]\n"
	"       chainfuse contract show ID --db PATH\n"
	"       chainfuse contract check ID --db PATH\n"
	"       chainfuse contract approve ID --db PATH [--override REASON] [--officer NAME] [--date D]\n"
	"       chainfuse contract pay ID --db PATH [--date D]\n"
	"       chainfuse contract fraud ID --db PATH --parties buyer,seller,broker:ID,... --reason R [--officer NAME] [--date D]\n\n"
	"  add      registers a contract; brokers' shares are basis points summing to 10000.\n"
	"  check    related-party flags, each with its evidence path (policy in force on the sign date).\n"
	"  approve  computes and commits the award (ledger commitments); a flagged contract needs\n"
	"           --override with the bureau's reason, which is recorded.\n"
	"  pay      pays the committed awards (ledger payments).\n"
	"  fraud    claws every award back and lists the responsible parties on the serious dishonesty\n"
	"           list for the policy's ban length.\n"
	"  --date   the day the action takes effect (default: today, China time).\n";

typedef struct opts {
	const char *db, *json, *reg_no, *type, *title, *buyer, *seller, *amount, *sign, *brokers, *override, *officer,
		*date, *parties, *reason;
	int as_json;
	int64_t id;
	int has_id;
} opts;

static int parse(int argc, char **argv, opts *o)
{
	int i, m;
	memset(o, 0, sizeof *o);
	for (i = 1; i < argc; i++) {
		if ((m = cli_opt(&i, argc, argv, "--db", &o->db)) || (m = cli_opt(&i, argc, argv, "--file", &o->json)) ||
		    (m = cli_opt(&i, argc, argv, "--reg-no", &o->reg_no)) || (m = cli_opt(&i, argc, argv, "--type", &o->type)) ||
		    (m = cli_opt(&i, argc, argv, "--title", &o->title)) || (m = cli_opt(&i, argc, argv, "--buyer", &o->buyer)) ||
		    (m = cli_opt(&i, argc, argv, "--seller", &o->seller)) || (m = cli_opt(&i, argc, argv, "--amount", &o->amount)) ||
		    (m = cli_opt(&i, argc, argv, "--sign-date", &o->sign)) || (m = cli_opt(&i, argc, argv, "--brokers", &o->brokers)) ||
		    (m = cli_opt(&i, argc, argv, "--override", &o->override)) ||
		    (m = cli_opt(&i, argc, argv, "--officer", &o->officer)) || (m = cli_opt(&i, argc, argv, "--date", &o->date)) ||
		    (m = cli_opt(&i, argc, argv, "--parties", &o->parties)) || (m = cli_opt(&i, argc, argv, "--reason", &o->reason))) {
			if (m < 0)
				return 2;
		} else if (!strcmp(argv[i], "--json"))
			o->as_json = 1;
		else if (argv[i][0] != '-' && !o->has_id) {
			if (cli_parse_i64(argv[i], &o->id) != 0 || o->id <= 0)
				return cli_usage("contract", "contract id must be a positive integer, not \"%s\"", argv[i]);
			o->has_id = 1;
		} else
			return cli_usage("contract", "unknown option %s", argv[i]);
	}
	return 0;
}

static int print(json_t *o)
{
	return cli_print_json(o, JSON_PRESERVE_ORDER);
}

/* The brokers option "3:6000,5:4000" as the JSON list contracts_add reads. */
static int brokers_json(const char *s, json_t *out, cf_err *e)
{
	const char *p = s;
	size_t n = 0;
	while (*p) {
		const char *comma = strchr(p, ','), *colon = strchr(p, ':');
		char a[32], b[32];
		int64_t id, bp;
		size_t la, lb;
		if (!comma)
			comma = p + strlen(p);
		if (!colon || colon > comma)
			return cf_err_set(e, CF_EINVAL, "--brokers", "item %zu must read ID:SHARE_BP", n + 1);
		la = (size_t)(colon - p);
		lb = (size_t)(comma - colon - 1);
		if (la == 0 || la >= sizeof a || lb == 0 || lb >= sizeof b)
			return cf_err_set(e, CF_EINVAL, "--brokers", "item %zu must read ID:SHARE_BP", n + 1);
		memcpy(a, p, la);
		a[la] = '\0';
		memcpy(b, colon + 1, lb);
		b[lb] = '\0';
		if (cli_parse_i64(a, &id) != 0 || cli_parse_i64(b, &bp) != 0)
			return cf_err_set(e, CF_EINVAL, "--brokers", "item %zu: ID and SHARE_BP must be integers", n + 1);
		json_array_append_new(out, json_pack("{s:I, s:I}", "broker_id", (json_int_t)id, "share_bp", (json_int_t)bp));
		n++;
		p = *comma ? comma + 1 : comma;
	}
	return 0;
}

static int today_of(const opts *o, int32_t *day, cf_err *e)
{
	*day = date_today();
	if (o->date && date_parse(o->date, strlen(o->date), day, e) != 0) {
		snprintf(e->where, sizeof e->where, "--date");
		return CF_EINVAL;
	}
	return 0;
}

static int cmd_add(store *s, const opts *o, int32_t today, cf_err *e)
{
	json_t *in = NULL;
	int64_t id = 0;
	int rc;
	if (o->json) {
		json_error_t je;
		in = !strcmp(o->json, "-") ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)
					   : json_load_file(o->json, JSON_REJECT_DUPLICATES, &je);
		if (!in) {
			char where[300];
			snprintf(where, sizeof where, "%s:%d:%d", o->json, je.line, je.column);
			return cf_err_set(e, CF_EINVAL, where, "%s", je.text);
		}
	} else {
		json_t *b = json_array();
		in = json_object();
		if (o->reg_no)
			json_object_set_new(in, "reg_no", json_string(o->reg_no));
		if (o->type)
			json_object_set_new(in, "type", json_string(o->type));
		if (o->title)
			json_object_set_new(in, "title", json_string(o->title));
		if (o->buyer)
			json_object_set_new(in, "buyer_uscc", json_string(o->buyer));
		if (o->seller)
			json_object_set_new(in, "seller_uscc", json_string(o->seller));
		if (o->amount)
			json_object_set_new(in, "amount", json_string(o->amount));
		if (o->sign)
			json_object_set_new(in, "sign_date", json_string(o->sign));
		json_object_set_new(in, "brokers", b);
		if (o->brokers && (rc = brokers_json(o->brokers, b, e))) {
			json_decref(in);
			return rc;
		}
	}
	rc = contracts_add(s, in, today, &id, e);
	json_decref(in);
	if (rc == 0)
		print(json_pack("{s:I}", "id", (json_int_t)id));
	return rc;
}

static int cmd_list(store *s, const opts *o, cf_err *e)
{
	json_t *a = NULL;
	size_t i;
	int rc = contracts_list(s, &a, e);
	if (rc)
		return rc;
	if (o->as_json)
		return print(a);
	for (i = 0; i < json_array_size(a); i++) {
		json_t *c = json_array_get(a, i);
		char y[MONEY_FMT_MAX];
		printf("%6lld  %-20s %-8s %-10s %14s yuan  %s\n", (long long)json_integer_value(json_object_get(c, "id")),
		       json_string_value(json_object_get(c, "reg_no")), json_string_value(json_object_get(c, "type")),
		       json_string_value(json_object_get(c, "status")),
		       money_format_grouped(json_integer_value(json_object_get(c, "amount_fen")), y),
		       json_string_value(json_object_get(c, "sign_date")));
	}
	json_decref(a);
	return 0;
}

/* "buyer,seller,broker:3" split in place into ps (at most max). */
static size_t split_list(char *s, const char **ps, size_t max)
{
	size_t n = 0;
	char *save = NULL, *t;
	for (t = strtok_r(s, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
		ps[n++] = t;
	return n;
}

static int cmd_contract(int argc, char **argv)
{
	const char *sub;
	opts o;
	store *s = NULL;
	policy_set *ps = NULL;
	json_t *out = NULL;
	cf_err e;
	int32_t today;
	int rc;

	if (argc < 2 || cli_help(argc, argv, usage)) {
		if (argc < 2) {
			fputs(usage, stderr);
			return 2;
		}
		return 0;
	}
	sub = argv[1];
	if ((rc = parse(argc - 1, argv + 1, &o)))
		return rc;
	cf_err_clear(&e);
	if (today_of(&o, &today, &e))
		return cli_fail("contract", &e);
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "check") &&
	    strcmp(sub, "approve") && strcmp(sub, "pay") && strcmp(sub, "fraud"))
		return cli_usage("contract", "unknown subcommand \"%s\"", sub);
	if (strcmp(sub, "add") && strcmp(sub, "list") && !o.has_id)
		return cli_usage("contract", "%s needs a contract ID", sub);
	if (!strcmp(sub, "fraud") && (!o.parties || !o.reason))
		return cli_usage("contract", "fraud needs --parties and --reason");
	if (store_open(cli_db_path(o.db), &s, &e))
		return cli_fail("contract", &e);
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "pay") &&
	    (rc = policy_set_load_default(&ps, &e)))
		goto done;
	if (!strcmp(sub, "add"))
		rc = cmd_add(s, &o, today, &e);
	else if (!strcmp(sub, "list"))
		rc = cmd_list(s, &o, &e);
	else {
		if (!strcmp(sub, "show"))
			rc = contracts_get(s, o.id, &out, &e);
		else if (!strcmp(sub, "check"))
			rc = contracts_check(s, ps, o.id, &out, &e);
		else if (!strcmp(sub, "approve"))
			rc = contracts_approve(s, ps, o.id, o.officer, o.override, today, &out, &e);
		else if (!strcmp(sub, "pay"))
			rc = contracts_pay(s, o.id, today, &out, &e);
		else {
			char list[1024];
			const char *parties[64];
			size_t n;
			snprintf(list, sizeof list, "%s", o.parties);
			n = split_list(list, parties, 64);
			rc = contracts_fraud(s, ps, o.id, parties, n, o.reason, o.officer, today, &out, &e);
		}
		if (rc == 0)
			rc = print(out);
	}
done:
	policy_set_free(ps);
	store_close(s);
	return rc < 0 ? cli_fail("contract", &e) : rc;
}

CLI_COMMAND(cli_contract, "contract", "technology contracts: register, related-party check, approve, pay, fraud", cmd_contract)

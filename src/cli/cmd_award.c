/*
 * cmd_award — `chainfuse award calc|policies`: broker awards under the versioned policies.
 *
 * `calc` needs no database: it loads data/policies, picks the version (by --policy, else the
 * one in force on --date, else today) and prints the award of one amount, tier by tier, and
 * its split among brokers when --brokers is given.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "cli/cli.h"
#include "policy/award.h"
#include "policy/policy.h"
#include "service/whatif.h"
#include "store/store.h"

static const char usage[] =
	"usage: chainfuse award calc --amount YUAN [--policy ID] [--date YYYY-MM-DD] [--type 技术开发|技术转让|技术咨询|技术服务]\n"
	"                            [--brokers ID:SHARE_BP,ID:SHARE_BP,...] [--json]\n"
	"       chainfuse award policies [--json]\n"
	"       chainfuse award whatif --db PATH --policies A,B[,...] [--from D] [--to D] [--json]\n\n"
	"  calc      the award of one contract amount under a policy version: each tier exactly,\n"
	"            the total rounded half-up to the fen once, the split by largest remainder.\n"
	"            --policy picks a version by id; otherwise the version in force on --date\n"
	"            (default: today, China time) is used.\n"
	"  policies  the policy versions shipped under data/policies.\n"
	"  whatif    the recorded contracts (signed --from .. --to, fraud excluded) under each version:\n"
	"            total awards, per-broker distribution, and the contracts whose award changes.\n";

#define MAX_BROKERS 64

typedef struct brokers_arg {
	char id[MAX_BROKERS][64];
	award_broker b[MAX_BROKERS];
	size_t n;
} brokers_arg;

/* "b1:5000,b2:3000" → ids and shares; the position of a bad item goes into e. */
static int parse_brokers(const char *s, brokers_arg *out, cf_err *e)
{
	const char *p = s;
	memset(out, 0, sizeof *out);
	while (*p) {
		const char *colon = strchr(p, ':'), *comma;
		char *end;
		long long v;
		size_t idn;
		if (out->n == MAX_BROKERS)
			return cf_err_set(e, CF_EINVAL, "--brokers", "at most %d brokers", MAX_BROKERS);
		comma = strchr(p, ',');
		if (!comma)
			comma = p + strlen(p);
		if (!colon || colon > comma || colon == p)
			return cf_err_set(e, CF_EINVAL, "--brokers", "item %zu must read ID:SHARE_BP", out->n + 1);
		idn = (size_t)(colon - p);
		if (idn >= sizeof out->id[0])
			return cf_err_set(e, CF_EINVAL, "--brokers", "item %zu: broker id too long", out->n + 1);
		memcpy(out->id[out->n], p, idn);
		errno = 0;
		v = strtoll(colon + 1, &end, 10);
		if (errno || end == colon + 1 || end != comma || v < 0 || v > 10000)
			return cf_err_set(e, CF_EINVAL, "--brokers",
					  "item %zu: share must be whole basis points 0..10000", out->n + 1);
		out->b[out->n++].share_bp = v;
		p = *comma ? comma + 1 : comma;
	}
	if (out->n == 0)
		return cf_err_set(e, CF_EINVAL, "--brokers", "no brokers given");
	return 0;
}

static json_t *policy_json(const policy *p)
{
	char d[11];
	json_t *o = json_object(), *tiers = json_array();
	size_t i;
	json_object_set_new(o, "id", json_string(p->id));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "name_en", json_string(p->name_en));
	json_object_set_new(o, "in_force", json_boolean(p->in_force));
	json_object_set_new(o, "effective_from", json_string(date_format(p->from, d)));
	json_object_set_new(o, "effective_to", p->to == POLICY_OPEN_DATE ? json_null() : json_string(date_format(p->to, d)));
	for (i = 0; i < p->ntiers; i++) {
		json_t *t = json_object();
		json_object_set_new(t, "upto_fen", p->tiers[i].upto_fen == POLICY_OPEN_FEN ? json_null() : json_integer(p->tiers[i].upto_fen));
		json_object_set_new(t, "rate_bp", json_integer(p->tiers[i].rate_bp));
		json_array_append_new(tiers, t);
	}
	json_object_set_new(o, "tiers", tiers);
	json_object_set_new(o, "cap_per_contract_fen", p->cap_contract_fen < 0 ? json_null() : json_integer(p->cap_contract_fen));
	json_object_set_new(o, "cap_per_broker_year_fen", p->cap_broker_year_fen < 0 ? json_null() : json_integer(p->cap_broker_year_fen));
	json_object_set_new(o, "split", json_string(p->split == POLICY_SPLIT_EQUAL ? "equal" : "shares"));
	json_object_set_new(o, "ban_years", json_integer(p->ban_years));
	return o;
}

static int print_json(json_t *o)
{
	return cli_print_json(o, JSON_PRESERVE_ORDER);
}

static int cmd_policies(int argc, char **argv)
{
	policy_set *ps = NULL;
	cf_err e;
	int json = 0, i;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (cli_flag(i, argv, "--json"))
			json = 1;
		else
			return cli_usage("award", "unknown option %s", argv[i]);
	}
	if (policy_set_load_default(&ps, &e) != 0)
		return cli_fail("award", &e);
	if (json) {
		json_t *a = json_array();
		for (k = 0; k < ps->n; k++)
			json_array_append_new(a, policy_json(&ps->v[k]));
		policy_set_free(ps);
		return print_json(a);
	}
	for (k = 0; k < ps->n; k++) {
		char f[11], t[11];
		printf("%-14s %s  %s .. %s  %s\n", ps->v[k].id, ps->v[k].in_force ? "in force " : "reference", date_format(ps->v[k].from, f),
		       ps->v[k].to == POLICY_OPEN_DATE ? "open" : date_format(ps->v[k].to, t), ps->v[k].name);
	}
	policy_set_free(ps);
	return 0;
}

static int cmd_calc(int argc, char **argv)
{
	const char *amount = NULL, *pid = NULL, *date = NULL, *type = NULL, *brokers = NULL;
	policy_set *ps = NULL;
	const policy *p;
	brokers_arg ba;
	award_part parts[MAX_BROKERS];
	award_calc r;
	cf_err e;
	int64_t fen;
	int32_t day;
	int json = 0, i, rc = 0, m;
	char y[MONEY_FMT_MAX], d[11];

	for (i = 1; i < argc; i++) {
		if ((m = cli_opt(&i, argc, argv, "--amount", &amount)) || (m = cli_opt(&i, argc, argv, "--policy", &pid)) ||
		    (m = cli_opt(&i, argc, argv, "--date", &date)) || (m = cli_opt(&i, argc, argv, "--type", &type)) ||
		    (m = cli_opt(&i, argc, argv, "--brokers", &brokers))) {
			if (m < 0)
				return 2;
		} else if (cli_flag(i, argv, "--json"))
			json = 1;
		else
			return cli_usage("award", "unknown option %s", argv[i]);
	}
	if (!amount)
		return cli_usage("award", "calc needs --amount YUAN");
	cf_err_clear(&e);
	if (money_parse(amount, strlen(amount), &fen, &e) != 0) {
		snprintf(e.where, sizeof e.where, "--amount");
		return cli_fail("award", &e);
	}
	day = date_today();
	if (date && date_parse(date, strlen(date), &day, &e) != 0) {
		snprintf(e.where, sizeof e.where, "--date");
		return cli_fail("award", &e);
	}
	if (type) {
		int ok = 0;
		for (m = 0; m < 4; m++)
			ok |= !strcmp(type, policy_contract_types[m]);
		if (!ok) {
			cf_err_set(&e, CF_EINVAL, "--type", "must be one of 技术开发, 技术转让, 技术咨询, 技术服务");
			return cli_fail("award", &e);
		}
	}
	if (brokers && parse_brokers(brokers, &ba, &e) != 0)
		return cli_fail("award", &e);
	if (policy_set_load_default(&ps, &e) != 0)
		return cli_fail("award", &e);
	p = pid ? policy_set_find(ps, pid) : policy_set_at(ps, day);
	if (!p) {
		if (pid)
			cf_err_set(&e, CF_ENOTFOUND, "--policy", "no policy version \"%s\" (see chainfuse award policies)", pid);
		else
			cf_err_set(&e, CF_ENOTFOUND, "--date", "no policy version in force on %s", date_format(day, d));
		rc = cli_fail("award", &e);
		goto done;
	}
	if (award_compute(p, fen, type, &r, &e) != 0 ||
	    (brokers && award_distribute(p, r.award_fen, ba.b, ba.n, parts, &e) != 0)) {
		rc = cli_fail("award", &e);
		goto done;
	}
	if (json) {
		json_t *o = json_object(), *tl = json_array();
		size_t k;
		json_object_set_new(o, "award_fen", json_integer(r.award_fen));
		json_object_set_new(o, "award", json_string(money_format(r.award_fen, y)));
		json_object_set_new(o, "amount_fen", json_integer(r.amount_fen));
		json_object_set_new(o, "policy", json_string(p->id));
		json_object_set_new(o, "covered", json_boolean(r.covered));
		json_object_set_new(o, "exact_e4", json_integer(r.exact_e4));
		json_object_set_new(o, "uncapped_fen", json_integer(r.uncapped_fen));
		json_object_set_new(o, "capped", json_boolean(r.capped));
		for (k = 0; k < r.ntiers; k++) {
			json_t *t = json_object();
			json_object_set_new(t, "from_fen", json_integer(r.tiers[k].from_fen));
			json_object_set_new(t, "upto_fen", json_integer(r.tiers[k].upto_fen));
			json_object_set_new(t, "rate_bp", json_integer(r.tiers[k].rate_bp));
			json_object_set_new(t, "part_fen", json_integer(r.tiers[k].part_fen));
			json_object_set_new(t, "exact_e4", json_integer(r.tiers[k].exact_e4));
			json_array_append_new(tl, t);
		}
		json_object_set_new(o, "tiers", tl);
		if (brokers) {
			json_t *sl = json_array();
			static const char *const why[] = {"granted", "barred", "year_cap"};
			for (k = 0; k < ba.n; k++) {
				json_t *t = json_object();
				json_object_set_new(t, "broker", json_string(ba.id[k]));
				json_object_set_new(t, "share_bp", json_integer(ba.b[k].share_bp));
				json_object_set_new(t, "award_fen", json_integer(parts[k].split_fen));
				json_object_set_new(t, "grant_fen", json_integer(parts[k].grant_fen));
				json_object_set_new(t, "status", json_string(why[parts[k].reason]));
				json_array_append_new(sl, t);
			}
			json_object_set_new(o, "split", sl);
		}
		rc = print_json(o);
		goto done;
	}
	printf("policy %s (%s)\n", p->id, p->name);
	printf("amount %s yuan\n", money_format_grouped(r.amount_fen, y));
	if (!r.covered)
		printf("contract type %s earns no award under this policy\n", type);
	for (m = 0; m < (int)r.ntiers; m++) {
		char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX];
		printf("  %s .. %s yuan at %d.%02d%%\n", money_format_grouped(r.tiers[m].from_fen, a),
		       money_format_grouped(r.tiers[m].upto_fen, b), r.tiers[m].rate_bp / 100, r.tiers[m].rate_bp % 100);
	}
	printf("award %s yuan%s\n", money_format_grouped(r.award_fen, y), r.capped ? " (capped per contract)" : "");
	if (brokers)
		for (m = 0; m < (int)ba.n; m++)
			printf("  %-20s %6lld bp  %s yuan\n", ba.id[m], (long long)ba.b[m].share_bp,
			       money_format_grouped(parts[m].split_fen, y));
done:
	policy_set_free(ps);
	return rc;
}

static int cmd_whatif(int argc, char **argv)
{
	const char *db = NULL, *pols = NULL, *from = NULL, *to = NULL;
	const char *ids[16];
	char list[512], *save = NULL, *t;
	size_t n = 0, k;
	int32_t f = INT32_MIN, u = INT32_MAX;
	policy_set *ps = NULL;
	store *s = NULL;
	json_t *out = NULL;
	cf_err e;
	int i, m, json = 0, rc;

	for (i = 1; i < argc; i++) {
		if ((m = cli_opt(&i, argc, argv, "--db", &db)) || (m = cli_opt(&i, argc, argv, "--policies", &pols)) ||
		    (m = cli_opt(&i, argc, argv, "--from", &from)) || (m = cli_opt(&i, argc, argv, "--to", &to))) {
			if (m < 0)
				return 2;
		} else if (cli_flag(i, argv, "--json"))
			json = 1;
		else
			return cli_usage("award", "unknown option %s", argv[i]);
	}
	if (!pols)
		return cli_usage("award", "whatif needs --policies A,B");
	cf_err_clear(&e);
	if (from && date_parse(from, strlen(from), &f, &e)) {
		snprintf(e.where, sizeof e.where, "--from");
		return cli_fail("award", &e);
	}
	if (to && date_parse(to, strlen(to), &u, &e)) {
		snprintf(e.where, sizeof e.where, "--to");
		return cli_fail("award", &e);
	}
	snprintf(list, sizeof list, "%s", pols);
	for (t = strtok_r(list, ",", &save); t && n < 16; t = strtok_r(NULL, ",", &save))
		ids[n++] = t;
	if ((rc = policy_set_load_default(&ps, &e)) || (rc = store_open(cli_db_path(db), &s, &e)) ||
	    (rc = whatif_run(s, ps, ids, n, f, u, &out, &e))) {
		policy_set_free(ps);
		store_close(s);
		return cli_fail("award", &e);
	}
	policy_set_free(ps);
	store_close(s);
	if (json)
		return print_json(out);
	printf("%lld contracts\n", (long long)json_integer_value(json_object_get(out, "contracts")));
	for (k = 0; k < json_array_size(json_object_get(out, "policies")); k++) {
		json_t *p = json_array_get(json_object_get(out, "policies"), k);
		char y[MONEY_FMT_MAX];
		printf("%-14s total %s yuan to %zu brokers\n", json_string_value(json_object_get(p, "id")),
		       money_format_grouped(json_integer_value(json_object_get(p, "total_fen")), y),
		       json_array_size(json_object_get(p, "brokers")));
	}
	printf("%zu contracts change their award\n", json_array_size(json_object_get(out, "changed")));
	json_decref(out);
	return 0;
}

static int cmd_award(int argc, char **argv)
{
	if (argc < 2 || (argv[1][0] == '-' && cli_help(argc, argv, usage)))
		return argc < 2 ? (fputs(usage, stderr), 2) : 0;
	if (cli_help(argc, argv, usage))
		return 0;
	if (!strcmp(argv[1], "calc"))
		return cmd_calc(argc - 1, argv + 1);
	if (!strcmp(argv[1], "whatif"))
		return cmd_whatif(argc - 1, argv + 1);
	if (!strcmp(argv[1], "policies"))
		return cmd_policies(argc - 1, argv + 1);
	return cli_usage("award", "unknown subcommand \"%s\"", argv[1]);
}

CLI_COMMAND(cli_award, "award", "broker awards under versioned policies (calc, policies, whatif)", cmd_award)

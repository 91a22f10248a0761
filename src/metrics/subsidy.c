/* subsidy — micro-firm subsidy calculator over policy data; see subsidy.h. */
#include "metrics/subsidy.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/money.h"

static int get_bp(json_t *o, const char *sec, const char *k, int32_t *v, cf_err *e)
{
	json_t *x = json_object_get(json_object_get(o, sec), k);
	char where[128];
	snprintf(where, sizeof where, "$.%s.%s", sec, k);
	if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 1000000)
		return cf_err_set(e, CF_EINVAL, where, "must be an integer number of basis points in [0, 1000000]");
	*v = (int32_t)json_integer_value(x);
	return 0;
}

static int get_money(json_t *o, const char *sec, const char *k, int64_t *v, cf_err *e)
{
	json_t *x = json_object_get(json_object_get(o, sec), k);
	const char *s = json_string_value(x);
	char where[128];
	cf_err inner;
	snprintf(where, sizeof where, "$.%s.%s", sec, k);
	if (!s)
		return cf_err_set(e, CF_EINVAL, where, "must be an amount of yuan as a string (\"1234.50\")");
	if (money_parse(s, strlen(s), v, &inner) < 0)
		return cf_err_set(e, CF_EINVAL, where, "%s", inner.msg);
	if (*v < 0)
		return cf_err_set(e, CF_EINVAL, where, "must not be negative");
	return 0;
}

int metrics_subsidy_policy_parse(const char *json, size_t len, const char *name, metrics_subsidy_policy *out, cf_err *e)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je), *req, *x;
	metrics_subsidy_policy p;
	size_t i;
	int rc;

	memset(&p, 0, sizeof p);
	if (!root) {
		char where[320];
		snprintf(where, sizeof where, "%s:%d:%d", name, je.line, je.column);
		return cf_err_set(e, CF_EINVAL, where, "%s", je.text);
	}
	if (!json_is_string(json_object_get(root, "version"))) {
		rc = cf_err_set(e, CF_EINVAL, "$.version", "%s: the policy needs a version string", name);
		goto done;
	}
	snprintf(p.version, sizeof p.version, "%s", json_string_value(json_object_get(root, "version")));
	if ((rc = get_money(root, "eligibility", "max_annual_output", &p.max_output_fen, e)) < 0 ||
	    (rc = get_bp(root, "rd_super_deduction", "standard_rate_bp", &p.rd_standard_bp, e)) < 0 ||
	    (rc = get_bp(root, "rd_super_deduction", "raised_rate_bp", &p.rd_raised_bp, e)) < 0 ||
	    (rc = get_bp(root, "rd_super_deduction", "tax_rate_bp", &p.tax_bp, e)) < 0 ||
	    (rc = get_bp(root, "contract_subsidy", "rate_bp", &p.contract_bp, e)) < 0 ||
	    (rc = get_money(root, "contract_subsidy", "cap_per_contract", &p.contract_cap_each_fen, e)) < 0 ||
	    (rc = get_money(root, "contract_subsidy", "cap_per_year", &p.contract_cap_year_fen, e)) < 0 ||
	    (rc = get_bp(root, "equipment_subsidy", "rate_bp", &p.equipment_bp, e)) < 0 ||
	    (rc = get_money(root, "equipment_subsidy", "min_purchase", &p.equipment_min_fen, e)) < 0 ||
	    (rc = get_money(root, "equipment_subsidy", "cap", &p.equipment_cap_fen, e)) < 0)
		goto done;
	if (p.rd_raised_bp < p.rd_standard_bp) {
		rc = cf_err_set(e, CF_EINVAL, "$.rd_super_deduction.raised_rate_bp", "the raised rate is below the standard rate");
		goto done;
	}
	req = json_object_get(json_object_get(root, "eligibility"), "requires_any");
	if (!json_is_array(req)) {
		rc = cf_err_set(e, CF_EINVAL, "$.eligibility.requires_any", "must be an array");
		goto done;
	}
	json_array_foreach(req, i, x) {
		const char *s = json_string_value(x);
		if (s && !strcmp(s, "key_industry"))
			p.need_key = 1;
		else if (s && !strcmp(s, "break_point"))
			p.need_break = 1;
		else {
			char where[64];
			snprintf(where, sizeof where, "$.eligibility.requires_any[%zu]", i);
			rc = cf_err_set(e, CF_EINVAL, where, "must be \"key_industry\" or \"break_point\"");
			goto done;
		}
	}
	*out = p;
	rc = 0;
done:
	json_decref(root);
	return rc;
}

int metrics_subsidy_compute(const metrics_subsidy_policy *p, const metrics_subsidy_firm *f, metrics_subsidy_result *out, cf_err *e)
{
	metrics_subsidy_result r;
	int64_t sum = 0;
	size_t i;

	memset(&r, 0, sizeof r);
	if (f->annual_output_fen < 0 || f->rd_expense_fen < 0 || f->equipment_fen < 0)
		return cf_err_set(e, CF_EINVAL, NULL, "amounts must not be negative");
	for (i = 0; i < f->ncontracts; i++)
		if (f->contracts_fen[i] < 0)
			return cf_err_set(e, CF_EINVAL, NULL, "contract %zu: amount must not be negative", i + 1);
	if (f->annual_output_fen >= p->max_output_fen) {
		char a[MONEY_FMT_MAX];
		snprintf(r.reason, sizeof r.reason, "annual output is not below the micro-firm ceiling of %s yuan",
			 money_format_grouped(p->max_output_fen, a));
	} else if (!((p->need_key && f->key_industry) || (p->need_break && f->break_point))) {
		snprintf(r.reason, sizeof r.reason, "neither in a key industry nor in a chain-break segment");
	} else {
		r.eligible = 1;
		/* §四.1: raise the R&D super-deduction; the bonus is the part above the standard rate */
		r.extra_deduction_fen = money_muldiv_round(f->rd_expense_fen, p->rd_raised_bp - p->rd_standard_bp, 10000);
		r.tax_saving_fen = money_muldiv_round(r.extra_deduction_fen, p->tax_bp, 10000);
		for (i = 0; i < f->ncontracts; i++) {
			int64_t s = money_muldiv_round(f->contracts_fen[i], p->contract_bp, 10000);
			sum += s < p->contract_cap_each_fen ? s : p->contract_cap_each_fen;
		}
		r.contract_subsidy_fen = sum < p->contract_cap_year_fen ? sum : p->contract_cap_year_fen;
		if (f->equipment_fen >= p->equipment_min_fen) {
			int64_t s = money_muldiv_round(f->equipment_fen, p->equipment_bp, 10000);
			r.equipment_subsidy_fen = s < p->equipment_cap_fen ? s : p->equipment_cap_fen;
		}
		r.total_fen = r.tax_saving_fen + r.contract_subsidy_fen + r.equipment_subsidy_fen;
	}
	*out = r;
	return 0;
}

/*
 * entities — the field tables of every registry entity (SPEC C1); see schema.h.
 *
 * Order matters twice: fields appear in this order in CSV exports and JSON, and entities
 * are listed so that a row refers only to entities listed before it (import order).
 */
#include "model/schema.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *const cf_counties[] = {"鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市", "龙港市",
				   "永嘉县", "平阳县", "苍南县", "文成县", "泰顺县", NULL};
const char *const cf_visibility_vals[] = {"public", "brokers", "confidential", NULL};

static const char *const level_vals[] = {"section", "division", "group", "class", NULL};
static const char *const chain_kind_vals[] = {"pillar", "emerging", NULL};
static const char *const stage_pos_vals[] = {"upstream", "midstream", "downstream", NULL};
static const char *const rd_centre_vals[] = {"none", "city", "province", NULL};
static const char *const holder_kind_vals[] = {"person", "entity", NULL};
static const char *const positioning_vals[] = {"基础研究", "技术创新", "产业服务", "成果转化", NULL};
static const char *const dev_stage_vals[] = {"筹建期", "建设期", "运行期", "成熟期", NULL};
static const char *const chain_stage_vals[] = {"基础研究", "应用研究", "试验与发展", "试制改进", NULL};
static const char *const deal_mode_vals[] = {"转让", "许可", "作价入股", "合作开发", NULL};
static const char *const ach_vis_vals[] = {"public", "brokers", NULL};
static const char *const broker_level_vals[] = {"初级", "中级", "高级", NULL};
static const char *const broker_status_vals[] = {"active", "suspended", "revoked", NULL};
static const char *const region_vals[] = {"local", "domestic", "foreign", NULL};
static const char *const grade_vals[] = {"high", "standard", "low", NULL};

/* GB/T 4754-2017 codes: section letter, or 2/3/4 digits with the section implied. */
static const cf_field industry_fields[] = {
	{"code", "代码", FT_TEXT, F_REQUIRED | F_UNIQUE | F_FILTER | F_SORT | F_SEARCH, NULL, NULL, 0, 0, 5},
	{"name", "类别名称", FT_TEXT, F_REQUIRED | F_SEARCH | F_SORT, NULL, NULL, 0, 0, 100},
	{"level", "层级", FT_ENUM, F_REQUIRED | F_FILTER, level_vals, NULL, 0, 0, 0},
	{"parent", "上级代码", FT_TEXT, F_FILTER, NULL, NULL, 0, 0, 5},
	{"section", "门类", FT_TEXT, F_REQUIRED | F_FILTER, NULL, NULL, 0, 0, 1},
	{"description", "说明", FT_TEXT, 0, NULL, NULL, 0, 0, 4000},
};

/* The "5+5" industries of Wenzhou (§四.2). */
static const cf_field chain_fields[] = {
	{"name", "产业", FT_TEXT, F_REQUIRED | F_UNIQUE | F_FILTER | F_SORT | F_SEARCH, NULL, NULL, 0, 0, 40},
	{"name_en", "英文名", FT_TEXT, 0, NULL, NULL, 0, 0, 80},
	{"kind", "类型", FT_ENUM, F_REQUIRED | F_FILTER, chain_kind_vals, NULL, 0, 0, 0},
	{"industry_codes", "行业代码", FT_TEXT, 0, NULL, NULL, 0, 0, 400},
	{"description", "说明", FT_TEXT, 0, NULL, NULL, 0, 0, 2000},
};

static const cf_field segment_fields[] = {
	{"chain_id", "产业", FT_REF, F_REQUIRED | F_FILTER, NULL, "chain", 0, 0, 0},
	{"name", "环节", FT_TEXT, F_REQUIRED | F_SEARCH | F_SORT, NULL, NULL, 0, 0, 60},
	{"position", "位置", FT_ENUM, F_REQUIRED | F_FILTER, stage_pos_vals, NULL, 0, 0, 0},
	{"seq", "顺序", FT_INT, F_SORT, NULL, NULL, 0, 1000, 0},
	{"products", "产品", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 1000},
	{"industry_code", "行业代码", FT_INDUSTRY, F_FILTER, NULL, NULL, 0, 0, 0},
};

static const cf_field enterprise_fields[] = {
	{"uscc", "统一社会信用代码", FT_USCC, F_REQUIRED | F_UNIQUE | F_FILTER | F_SEARCH, NULL, NULL, 0, 0, 0},
	{"name", "企业名称", FT_TEXT, F_REQUIRED | F_SEARCH | F_SORT, NULL, NULL, 0, 0, 100},
	{"county", "县(市、区)", FT_COUNTY, F_REQUIRED | F_FILTER | F_SORT, NULL, NULL, 0, 0, 0},
	{"industry_code", "行业代码", FT_INDUSTRY, F_REQUIRED | F_FILTER | F_SORT, NULL, NULL, 0, 0, 0},
	{"chain_id", "5+5产业", FT_REF, F_FILTER, NULL, "chain", 0, 0, 0},
	{"segment_id", "产业链环节", FT_REF, F_FILTER, NULL, "segment", 0, 0, 0},
	{"legal_rep", "法定代表人", FT_TEXT, 0, NULL, NULL, 0, 0, 40},
	{"revenue", "营业收入(元)", FT_MONEY, F_SORT, NULL, NULL, 0, 0, 0},
	{"output_value", "工业总产值(元)", FT_MONEY, F_SORT, NULL, NULL, 0, 0, 0},
	{"value_added", "工业增加值(元)", FT_MONEY, F_SORT, NULL, NULL, 0, 0, 0},
	{"rd_expense", "研发费用(元)", FT_MONEY, F_SORT, NULL, NULL, 0, 0, 0},
	{"employees", "从业人员", FT_INT, F_SORT, NULL, NULL, 0, 10000000, 0},
	{"founded", "成立日期", FT_DATE, F_SORT, NULL, NULL, 0, 0, 0},
	{"above_scale", "规上企业", FT_BOOL, F_FILTER, NULL, NULL, 0, 0, 0},
	{"micro", "小微企业", FT_BOOL, F_FILTER, NULL, NULL, 0, 0, 0},
	{"tech_sme", "省科技型中小企业", FT_BOOL, F_FILTER, NULL, NULL, 0, 0, 0},
	{"high_tech", "国家高新技术企业", FT_BOOL, F_FILTER, NULL, NULL, 0, 0, 0},
	{"little_giant", "专精特新小巨人", FT_BOOL, F_FILTER, NULL, NULL, 0, 0, 0},
	{"rd_centre", "研发中心级别", FT_ENUM, F_FILTER, rd_centre_vals, NULL, 0, 0, 0},
	{"leading", "龙头企业", FT_BOOL, F_FILTER, NULL, NULL, 0, 0, 0},
};

static const cf_field shareholder_fields[] = {
	{"enterprise_id", "企业", FT_REF, F_REQUIRED | F_FILTER, NULL, "enterprise", 0, 0, 0},
	{"holder_kind", "股东类型", FT_ENUM, F_REQUIRED | F_FILTER, holder_kind_vals, NULL, 0, 0, 0},
	{"holder_name", "股东名称", FT_TEXT, F_REQUIRED | F_SEARCH | F_FILTER, NULL, NULL, 0, 0, 100},
	{"holder_uscc", "股东信用代码", FT_USCC, F_FILTER, NULL, NULL, 0, 0, 0},
	{"share", "持股比例(%)", FT_PERCENT, F_REQUIRED | F_SORT, NULL, NULL, 0, 0, 0},
};

static const cf_field platform_fields[] = {
	{"name", "平台名称", FT_TEXT, F_REQUIRED | F_UNIQUE | F_SEARCH | F_SORT, NULL, NULL, 0, 0, 100},
	{"co_builder", "共建单位", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 200},
	{"positioning", "功能定位", FT_ENUM, F_REQUIRED | F_FILTER, positioning_vals, NULL, 0, 0, 0},
	{"stage", "发展阶段", FT_ENUM, F_REQUIRED | F_FILTER, dev_stage_vals, NULL, 0, 0, 0},
	{"support", "年度财政支持(元)", FT_MONEY, F_SORT, NULL, NULL, 0, 0, 0},
	{"industries", "服务产业", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 200},
	{"industry_code", "主要行业代码", FT_INDUSTRY, F_FILTER, NULL, NULL, 0, 0, 0},
	{"county", "县(市、区)", FT_COUNTY, F_REQUIRED | F_FILTER, NULL, NULL, 0, 0, 0},
	{"market_based", "市场化运营", FT_BOOL, F_FILTER, NULL, NULL, 0, 0, 0},
	{"high_level", "高能级平台", FT_BOOL, F_FILTER, NULL, NULL, 0, 0, 0},
	{"rd_level", "研发中心级别", FT_ENUM, F_FILTER, rd_centre_vals, NULL, 0, 0, 0},
};

static const cf_field achievement_fields[] = {
	{"title", "成果名称", FT_TEXT, F_REQUIRED | F_SEARCH | F_SORT, NULL, NULL, 0, 0, 200},
	{"abstract", "成果简介", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 4000},
	{"keywords", "关键词", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 200},
	{"platform_id", "所属平台", FT_REF, F_FILTER, NULL, "platform", 0, 0, 0},
	{"owner_name", "成果持有人", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 100},
	{"patents", "专利号", FT_TEXT, 0, NULL, NULL, 0, 0, 400},
	{"ipc", "IPC分类号", FT_TEXT, F_FILTER, NULL, NULL, 0, 0, 200},
	{"industry_code", "行业代码", FT_INDUSTRY, F_FILTER, NULL, NULL, 0, 0, 0},
	{"chain_stage", "创新链阶段", FT_ENUM, F_FILTER, chain_stage_vals, NULL, 0, 0, 0},
	{"trl", "技术成熟度(TRL)", FT_INT, F_FILTER | F_SORT, NULL, NULL, 1, 9, 0},
	{"deal_mode", "交易方式", FT_ENUM, F_FILTER, deal_mode_vals, NULL, 0, 0, 0},
	{"price", "意向价格(元)", FT_MONEY, F_SORT, NULL, NULL, 0, 0, 0},
	{"county", "县(市、区)", FT_COUNTY, F_FILTER, NULL, NULL, 0, 0, 0},
	{"visibility", "公开范围", FT_ENUM, F_REQUIRED | F_FILTER, ach_vis_vals, NULL, 0, 0, 0},
};

static const cf_field demand_fields[] = {
	{"enterprise_id", "需求企业", FT_REF, F_REQUIRED | F_FILTER, NULL, "enterprise", 0, 0, 0},
	{"title", "需求名称", FT_TEXT, F_REQUIRED | F_SEARCH | F_SORT, NULL, NULL, 0, 0, 200},
	{"description", "需求描述", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 4000},
	{"budget", "预算(元)", FT_MONEY, F_SORT, NULL, NULL, 0, 0, 0},
	{"deadline", "截止日期", FT_DATE, F_SORT, NULL, NULL, 0, 0, 0},
	{"industry_code", "行业代码", FT_INDUSTRY, F_FILTER, NULL, NULL, 0, 0, 0},
	{"chain_id", "5+5产业", FT_REF, F_FILTER, NULL, "chain", 0, 0, 0},
	{"segment_id", "产业链环节", FT_REF, F_FILTER, NULL, "segment", 0, 0, 0},
	{"product", "产品", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 100},
	{"break_point", "关联断链/卡脖子条目", FT_TEXT, 0, NULL, NULL, 0, 0, 200},
	{"visibility", "公开范围", FT_ENUM, F_REQUIRED | F_FILTER, cf_visibility_vals, NULL, 0, 0, 0},
	{"brokers", "指定经纪人", FT_IDLIST, 0, NULL, "broker", 0, 0, 0},
};

static const cf_field instrument_fields[] = {
	{"name", "仪器名称", FT_TEXT, F_REQUIRED | F_SEARCH | F_SORT, NULL, NULL, 0, 0, 200},
	{"model", "型号", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 100},
	{"platform_id", "所属平台", FT_REF, F_FILTER, NULL, "platform", 0, 0, 0},
	{"category", "类别", FT_TEXT, F_FILTER, NULL, NULL, 0, 0, 60},
	{"description", "功能说明", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 2000},
	{"fee_per_hour", "共享收费(元/小时)", FT_MONEY, F_SORT, NULL, NULL, 0, 0, 0},
	{"county", "县(市、区)", FT_COUNTY, F_FILTER, NULL, NULL, 0, 0, 0},
	{"shareable", "可共享", FT_BOOL, F_FILTER, NULL, NULL, 0, 0, 0},
};

static const cf_field team_fields[] = {
	{"name", "团队名称", FT_TEXT, F_REQUIRED | F_SEARCH | F_SORT, NULL, NULL, 0, 0, 200},
	{"leader", "带头人", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 40},
	{"platform_id", "依托平台", FT_REF, F_FILTER, NULL, "platform", 0, 0, 0},
	{"field", "研究方向", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 400},
	{"industry_code", "行业代码", FT_INDUSTRY, F_FILTER, NULL, NULL, 0, 0, 0},
	{"members", "成员数", FT_INT, F_SORT, NULL, NULL, 1, 10000, 0},
	{"county", "县(市、区)", FT_COUNTY, F_FILTER, NULL, NULL, 0, 0, 0},
};

static const cf_field broker_fields[] = {
	{"name", "姓名", FT_TEXT, F_REQUIRED | F_SEARCH | F_SORT, NULL, NULL, 0, 0, 40},
	{"certificate", "证书编号", FT_TEXT, F_UNIQUE | F_FILTER, NULL, NULL, 0, 0, 40},
	{"level", "认证等级", FT_ENUM, F_REQUIRED | F_FILTER, broker_level_vals, NULL, 0, 0, 0},
	{"training_hours", "培训学时", FT_INT, F_SORT, NULL, NULL, 0, 100000, 0},
	{"employer_uscc", "工作单位信用代码", FT_USCC, F_FILTER, NULL, NULL, 0, 0, 0},
	{"employer_name", "工作单位", FT_TEXT, F_SEARCH, NULL, NULL, 0, 0, 100},
	{"county", "县(市、区)", FT_COUNTY, F_FILTER, NULL, NULL, 0, 0, 0},
	{"status", "状态", FT_ENUM, F_REQUIRED | F_FILTER, broker_status_vals, NULL, 0, 0, 0},
};

/* supplier → customer for one input; an outside supplier has no supplier_id, only a name. */
static const cf_field supply_fields[] = {
	{"supplier_id", "供应商", FT_REF, F_FILTER, NULL, "enterprise", 0, 0, 0},
	{"supplier_name", "供应商名称", FT_TEXT, F_REQUIRED | F_SEARCH, NULL, NULL, 0, 0, 100},
	{"customer_id", "采购企业", FT_REF, F_REQUIRED | F_FILTER, NULL, "enterprise", 0, 0, 0},
	{"input", "投入品", FT_TEXT, F_REQUIRED | F_FILTER | F_SEARCH, NULL, NULL, 0, 0, 100},
	{"share", "占需求比例(%)", FT_PERCENT, 0, NULL, NULL, 0, 0, 0},
	{"region", "来源地", FT_ENUM, F_REQUIRED | F_FILTER, region_vals, NULL, 0, 0, 0},
	{"grade", "技术等级", FT_ENUM, F_REQUIRED | F_FILTER, grade_vals, NULL, 0, 0, 0},
	{"value", "年采购额(元)", FT_MONEY, F_SORT, NULL, NULL, 0, 0, 0},
};

#define ENTITY(nm, pl, zh, f, vis, own) {nm, pl, pl, zh, f, N(f), vis, own}

static const cf_entity e_industry = ENTITY("industry", "industries", "国民经济行业分类", industry_fields, NULL, NULL);
static const cf_entity e_chain = ENTITY("chain", "chains", "5+5产业", chain_fields, NULL, NULL);
static const cf_entity e_segment = ENTITY("segment", "segments", "产业链环节", segment_fields, NULL, NULL);
static const cf_entity e_enterprise = ENTITY("enterprise", "enterprises", "企业", enterprise_fields, NULL, NULL);
static const cf_entity e_shareholder = ENTITY("shareholder", "shareholders", "股东", shareholder_fields, NULL, "enterprise_id");
static const cf_entity e_platform = ENTITY("platform", "platforms", "创新平台", platform_fields, NULL, NULL);
static const cf_entity e_broker = ENTITY("broker", "brokers", "技术经纪人", broker_fields, NULL, NULL);
static const cf_entity e_achievement = ENTITY("achievement", "achievements", "科技成果", achievement_fields, "visibility", "platform_id");
static const cf_entity e_demand = ENTITY("demand", "demands", "技术需求", demand_fields, "visibility", "enterprise_id");
static const cf_entity e_instrument = ENTITY("instrument", "instruments", "高端仪器设备", instrument_fields, NULL, "platform_id");
static const cf_entity e_team = ENTITY("team", "teams", "人才团队", team_fields, NULL, "platform_id");
static const cf_entity e_supply = ENTITY("supply", "supplies", "供应关系", supply_fields, NULL, "customer_id");

const cf_entity *const cf_entities[] = {&e_industry, &e_chain, &e_segment, &e_enterprise, &e_shareholder,
					 &e_platform, &e_broker, &e_achievement, &e_demand, &e_instrument,
					 &e_team, &e_supply};
const size_t cf_nentities = N(cf_entities);

const cf_entity *schema_entity(const char *name)
{
	size_t i;
	for (i = 0; i < cf_nentities; i++)
		if (!strcmp(cf_entities[i]->name, name) || !strcmp(cf_entities[i]->plural, name))
			return cf_entities[i];
	return NULL;
}

int schema_field(const cf_entity *ent, const char *name)
{
	size_t i;
	for (i = 0; i < ent->nfields; i++)
		if (!strcmp(ent->fields[i].name, name))
			return (int)i;
	return -1;
}

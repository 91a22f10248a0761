/*
 * industry — GB/T 4754-2017 code shapes and the built-in sections and divisions (see
 * industry.h). Names are the standard's 2017 wording.
 */
#include "model/industry.h"

#include <string.h>

#define SEC(c, nm) {c, nm, c, NULL}
#define DIV(c, nm, s) {c, nm, s, s}

static const industry_row industry_rows[] = {
	SEC("A", "农、林、牧、渔业"),
	SEC("B", "采矿业"),
	SEC("C", "制造业"),
	SEC("D", "电力、热力、燃气及水生产和供应业"),
	SEC("E", "建筑业"),
	SEC("F", "批发和零售业"),
	SEC("G", "交通运输、仓储和邮政业"),
	SEC("H", "住宿和餐饮业"),
	SEC("I", "信息传输、软件和信息技术服务业"),
	SEC("J", "金融业"),
	SEC("K", "房地产业"),
	SEC("L", "租赁和商务服务业"),
	SEC("M", "科学研究和技术服务业"),
	SEC("N", "水利、环境和公共设施管理业"),
	SEC("O", "居民服务、修理和其他服务业"),
	SEC("P", "教育"),
	SEC("Q", "卫生和社会工作"),
	SEC("R", "文化、体育和娱乐业"),
	SEC("S", "公共管理、社会保障和社会组织"),
	SEC("T", "国际组织"),
	DIV("01", "农业", "A"),
	DIV("02", "林业", "A"),
	DIV("03", "畜牧业", "A"),
	DIV("04", "渔业", "A"),
	DIV("05", "农、林、牧、渔专业及辅助性活动", "A"),
	DIV("06", "煤炭开采和洗选业", "B"),
	DIV("07", "石油和天然气开采业", "B"),
	DIV("08", "黑色金属矿采选业", "B"),
	DIV("09", "有色金属矿采选业", "B"),
	DIV("10", "非金属矿采选业", "B"),
	DIV("11", "开采专业及辅助性活动", "B"),
	DIV("12", "其他采矿业", "B"),
	DIV("13", "农副食品加工业", "C"),
	DIV("14", "食品制造业", "C"),
	DIV("15", "酒、饮料和精制茶制造业", "C"),
	DIV("16", "烟草制品业", "C"),
	DIV("17", "纺织业", "C"),
	DIV("18", "纺织服装、服饰业", "C"),
	DIV("19", "皮革、毛皮、羽毛及其制品和制鞋业", "C"),
	DIV("20", "木材加工和木、竹、藤、棕、草制品业", "C"),
	DIV("21", "家具制造业", "C"),
	DIV("22", "造纸和纸制品业", "C"),
	DIV("23", "印刷和记录媒介复制业", "C"),
	DIV("24", "文教、工美、体育和娱乐用品制造业", "C"),
	DIV("25", "石油、煤炭及其他燃料加工业", "C"),
	DIV("26", "化学原料和化学制品制造业", "C"),
	DIV("27", "医药制造业", "C"),
	DIV("28", "化学纤维制造业", "C"),
	DIV("29", "橡胶和塑料制品业", "C"),
	DIV("30", "非金属矿物制品业", "C"),
	DIV("31", "黑色金属冶炼和压延加工业", "C"),
	DIV("32", "有色金属冶炼和压延加工业", "C"),
	DIV("33", "金属制品业", "C"),
	DIV("34", "通用设备制造业", "C"),
	DIV("35", "专用设备制造业", "C"),
	DIV("36", "汽车制造业", "C"),
	DIV("37", "铁路、船舶、航空航天和其他运输设备制造业", "C"),
	DIV("38", "电气机械和器材制造业", "C"),
	DIV("39", "计算机、通信和其他电子设备制造业", "C"),
	DIV("40", "仪器仪表制造业", "C"),
	DIV("41", "其他制造业", "C"),
	DIV("42", "废弃资源综合利用业", "C"),
	DIV("43", "金属制品、机械和设备修理业", "C"),
	DIV("44", "电力、热力生产和供应业", "D"),
	DIV("45", "燃气生产和供应业", "D"),
	DIV("46", "水的生产和供应业", "D"),
	DIV("47", "房屋建筑业", "E"),
	DIV("48", "土木工程建筑业", "E"),
	DIV("49", "建筑安装业", "E"),
	DIV("50", "建筑装饰、装修和其他建筑业", "E"),
	DIV("51", "批发业", "F"),
	DIV("52", "零售业", "F"),
	DIV("53", "铁路运输业", "G"),
	DIV("54", "道路运输业", "G"),
	DIV("55", "水上运输业", "G"),
	DIV("56", "航空运输业", "G"),
	DIV("57", "管道运输业", "G"),
	DIV("58", "多式联运和运输代理业", "G"),
	DIV("59", "装卸搬运和仓储业", "G"),
	DIV("60", "邮政业", "G"),
	DIV("61", "住宿业", "H"),
	DIV("62", "餐饮业", "H"),
	DIV("63", "电信、广播电视和卫星传输服务", "I"),
	DIV("64", "互联网和相关服务", "I"),
	DIV("65", "软件和信息技术服务业", "I"),
	DIV("66", "货币金融服务", "J"),
	DIV("67", "资本市场服务", "J"),
	DIV("68", "保险业", "J"),
	DIV("69", "其他金融业", "J"),
	DIV("70", "房地产业", "K"),
	DIV("71", "租赁业", "L"),
	DIV("72", "商务服务业", "L"),
	DIV("73", "研究和试验发展", "M"),
	DIV("74", "专业技术服务业", "M"),
	DIV("75", "科技推广和应用服务业", "M"),
	DIV("76", "水利管理业", "N"),
	DIV("77", "生态保护和环境治理业", "N"),
	DIV("78", "公共设施管理业", "N"),
	DIV("79", "土地管理业", "N"),
	DIV("80", "居民服务业", "O"),
	DIV("81", "机动车、电子产品和日用产品修理业", "O"),
	DIV("82", "其他服务业", "O"),
	DIV("83", "教育", "P"),
	DIV("84", "卫生", "Q"),
	DIV("85", "社会工作", "Q"),
	DIV("86", "新闻和出版业", "R"),
	DIV("87", "广播、电视、电影和录音制作业", "R"),
	DIV("88", "文化艺术业", "R"),
	DIV("89", "体育", "R"),
	DIV("90", "娱乐业", "R"),
	DIV("91", "中国共产党机关", "S"),
	DIV("92", "国家机构", "S"),
	DIV("93", "人民政协、民主党派", "S"),
	DIV("94", "社会保障", "S"),
	DIV("95", "群众团体、社会团体和其他成员组织", "S"),
	DIV("96", "基层群众自治组织及其他组织", "S"),
	DIV("97", "国际组织", "T"),
};

#define INDUSTRY_NROWS (sizeof industry_rows / sizeof industry_rows[0])
#define INDUSTRY_NSECTIONS 20

const industry_row *industry_builtin(size_t *n)
{
	*n = INDUSTRY_NROWS;
	return industry_rows;
}

const industry_row *industry_builtin_find(const char *code, size_t n)
{
	size_t i;
	if (n == 1 && code[0] >= 'A' && code[0] <= 'T')
		return &industry_rows[code[0] - 'A'];
	if (n == 2 && code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9') {
		int d = (code[0] - '0') * 10 + (code[1] - '0');
		/* divisions run 01..97 without gaps, right after the 20 sections */
		if (d >= 1 && d <= 97)
			return &industry_rows[INDUSTRY_NSECTIONS + (size_t)d - 1];
	}
	for (i = 0; i < INDUSTRY_NROWS; i++)
		if (strlen(industry_rows[i].code) == n && !memcmp(industry_rows[i].code, code, n))
			return &industry_rows[i];
	return NULL;
}

int industry_shape(const char *code, size_t n, industry_level *level, cf_err *e)
{
	size_t i;
	if (n == 1) {
		if (code[0] < 'A' || code[0] > 'T')
			return cf_err_set(e, CF_EINVAL, NULL, "industry section must be a letter A-T, not \"%.*s\"",
					  (int)n, code);
		*level = IND_SECTION;
		return 0;
	}
	if (n < 2 || n > 4)
		return cf_err_set(e, CF_EINVAL, NULL,
				  "industry code must be a section letter or 2, 3 or 4 digits (GB/T 4754-2017), not "
				  "\"%.*s\"",
				  (int)(n > 40 ? 40 : n), code);
	for (i = 0; i < n; i++)
		if (code[i] < '0' || code[i] > '9')
			return cf_err_set(e, CF_EINVAL, NULL,
					  "industry code must be 2, 3 or 4 digits (GB/T 4754-2017), found '%c' at "
					  "character %zu",
					  code[i], i + 1);
	if (!industry_builtin_find(code, 2))
		return cf_err_set(e, CF_EINVAL, NULL, "industry code %.*s: division %.2s does not exist (01-97)",
				  (int)n, code, code);
	*level = (industry_level)n;
	return 0;
}

char industry_section_of(const char *code, size_t n)
{
	industry_level l;
	const industry_row *r;
	if (industry_shape(code, n, &l, NULL))
		return 0;
	if (l == IND_SECTION)
		return code[0];
	r = industry_builtin_find(code, 2);
	return r ? r->section[0] : 0;
}

const char *industry_level_name(industry_level l)
{
	static const char *const names[] = {NULL, "section", "division", "group", "class"};
	return l >= IND_SECTION && l <= IND_CLASS ? names[l] : NULL;
}

const char *industry_level_zh(industry_level l)
{
	static const char *const names[] = {NULL, "门类", "大类", "中类", "小类"};
	return l >= IND_SECTION && l <= IND_CLASS ? names[l] : NULL;
}

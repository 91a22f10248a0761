/*
 * uscc — GB 32100-2015 unified social credit code checks (see uscc.h).
 *
 * Besides the check character, the three leading parts are checked for the shape the
 * standard gives them: the registration authority code (position 1) is one of the
 * departments the standard lists, the entity type code (position 2) one of the types that
 * department registers, and positions 3-8 six digits of a province-level division of
 * GB/T 2260 (or 100000 for offices at national level).
 */
#include "model/uscc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* GB 32100-2015 Table 1: registration authority and the entity types it registers. */
static const struct {
	char dept;
	const char *types;
} uscc_depts[] = {
	{'1', "1239"},  /* 机构编制: 机关, 事业单位, 中央编办直管群众团体, 其他 */
	{'2', "19"},    /* 外交: 外国常驻新闻机构, 其他 */
	{'3', "123459"}, /* 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他 */
	{'4', "19"},    /* 文化: 外国在华文化中心, 其他 */
	{'5', "1239"},  /* 民政: 社会团体, 民办非企业单位, 基金会, 其他 */
	{'6', "129"},   /* 旅游: 外国旅游部门常驻代表机构, 港澳台旅游部门常驻代表机构, 其他 */
	{'7', "129"},   /* 宗教: 宗教活动场所, 宗教院校, 其他 */
	{'8', "19"},    /* 工会: 基层工会, 其他 */
	{'9', "123"},   /* 工商: 企业, 个体工商户, 农民专业合作社 */
	{'A', "19"},    /* 中央军委改革和编制办公室: 军队事业单位, 其他 */
	{'N', "1239"},  /* 农业: 组级, 村级, 乡镇级集体经济组织, 其他 */
	{'Y', "1"},     /* 其他 */
};

/* GB/T 2260 province-level codes (first two digits of the division code). */
static const char *const uscc_provinces[] = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32",
					     "33", "34", "35", "36", "37", "41", "42", "43", "44", "45",
					     "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
					     "65", "71", "81", "82", NULL};

static int uscc_value(char c)
{
	const char *p;
	if (!c)
		return -1;
	p = strchr(uscc_chars, c);
	return p ? (int)(p - uscc_chars) : -1;
}

char uscc_check_char(const char *code17)
{
	int sum = 0, i, v, c;
	for (i = 0; i < 17; i++) {
		v = uscc_value(code17[i]);
		if (v < 0)
			return 0;
		sum += v * uscc_weights[i];
	}
	c = 31 - sum % 31;
	if (c == 31)
		c = 0;
	return uscc_chars[c];
}

static int uscc_bad(uscc_result *res, int pos, char found, char expected, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int uscc_bad(uscc_result *res, int pos, char found, char expected, const char *fmt, ...)
{
	va_list ap;
	if (res) {
		res->pos = pos;
		res->found = found;
		res->expected = expected;
		va_start(ap, fmt);
		vsnprintf(res->msg, sizeof res->msg, fmt, ap);
		va_end(ap);
	}
	return CF_EINVAL;
}

static void uscc_show(char c, char out[8])
{
	if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
		snprintf(out, 8, "'%c'", c);
	else
		snprintf(out, 8, "0x%02X", (unsigned char)c);
}

int uscc_check(const char *code, size_t len, uscc_result *res)
{
	size_t i, d;
	int j;
	char exp, shown[8];
	const char *types = NULL;

	if (len != USCC_LEN)
		return uscc_bad(res, 0, 0, 0, "a unified social credit code has 18 characters, this one has %zu bytes",
				len);
	for (i = 0; i < USCC_LEN; i++) {
		if (uscc_value(code[i]) < 0) {
			uscc_show(code[i], shown);
			return uscc_bad(res, (int)i + 1, code[i], 0,
					"position %zu: %s is not one of 0-9 and ABCDEFGHJKLMNPQRTUWXY", i + 1, shown);
		}
	}
	for (d = 0; d < sizeof uscc_depts / sizeof uscc_depts[0]; d++)
		if (uscc_depts[d].dept == code[0])
			types = uscc_depts[d].types;
	if (!types)
		return uscc_bad(res, 1, code[0], 0,
				"position 1: registration authority code '%c' is not one of 1-9, A, N, Y", code[0]);
	if (!strchr(types, code[1]))
		return uscc_bad(res, 2, code[1], 0,
				"position 2: entity type code '%c' is not one of \"%s\" for authority '%c'", code[1],
				types, code[0]);
	for (i = 2; i < 8; i++)
		if (code[i] < '0' || code[i] > '9')
			return uscc_bad(res, (int)i + 1, code[i], 0,
					"position %zu: the administrative division code (positions 3-8) has digits only, "
					"found '%c'",
					i + 1, code[i]);
	if (!(code[2] == '1' && code[3] == '0' && !memcmp(code + 4, "0000", 4))) {
		for (j = 0; uscc_provinces[j]; j++)
			if (!memcmp(code + 2, uscc_provinces[j], 2))
				break;
		if (!uscc_provinces[j])
			return uscc_bad(res, 3, code[2], 0,
					"position 3: administrative division code %.6s does not start with a "
					"province code of GB/T 2260",
					code + 2);
	}
	exp = uscc_check_char(code);
	if (exp != code[17])
		return uscc_bad(res, 18, code[17], exp, "position 18: check character is '%c', expected '%c'", code[17],
				exp);
	if (res) {
		res->pos = 0;
		res->found = res->expected = 0;
		snprintf(res->msg, sizeof res->msg, "valid");
	}
	return 0;
}

int uscc_make(const char *code17, char out[USCC_LEN + 1])
{
	char c = uscc_check_char(code17);
	if (!c)
		return CF_EINVAL;
	memcpy(out, code17, 17);
	out[17] = c;
	out[18] = 0;
	return 0;
}

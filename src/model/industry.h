/*
 * industry — GB/T 4754-2017 国民经济行业分类 codes: their shape and the built-in top levels.
 *
 * The four levels are 门类 section (one letter A-T), 大类 division (2 digits), 中类 group
 * (3 digits) and 小类 class (4 digits); a group or class starts with its division's digits,
 * and every division belongs to one section. The repository carries the 20 sections and
 * 97 divisions as a table here; the full table (473 groups, ~1,380 classes) is loaded into
 * the database with `chainfuse import industries FILE`.
 */
#ifndef CF_MODEL_INDUSTRY_H
#define CF_MODEL_INDUSTRY_H

#include <stddef.h>

#include "base/err.h"

typedef enum industry_level {
	IND_SECTION = 1, /* 门类 */
	IND_DIVISION,    /* 大类 */
	IND_GROUP,       /* 中类 */
	IND_CLASS        /* 小类 */
} industry_level;

/* One built-in row: the code, its name in the standard, its section letter (as a string)
 * and its parent code (NULL for a section). */
typedef struct industry_row {
	const char *code;
	const char *name;
	const char *section;
	const char *parent;
} industry_row;

/* The built-in rows: 20 sections then 97 divisions, in code order. Static storage. */
const industry_row *industry_builtin(size_t *n);
/* The built-in row of a section letter or 2-digit division, or NULL. */
const industry_row *industry_builtin_find(const char *code, size_t n);

/* Checks the shape of code[0..n): a letter A-T, or 2, 3 or 4 digits whose first two are a
 * division of the standard (01-97, with the gaps the standard leaves none). Sets *level.
 * CF_EINVAL with a message on a bad shape. */
int industry_shape(const char *code, size_t n, industry_level *level, cf_err *e);
/* The section letter a code belongs to ('C' for "3811"), or 0 when the shape is bad. */
char industry_section_of(const char *code, size_t n);
/* The English level names used in the database ("section", "division", "group", "class"),
 * and the standard's Chinese names (门类, 大类, 中类, 小类); NULL when out of range. */
const char *industry_level_name(industry_level l);
const char *industry_level_zh(industry_level l);

#endif

/*
 * schema — the registry's entities, declared as data.
 *
 * Each entity of SPEC C1 is one table of fields here (entities.c). The store builds its
 * SQL from it, the API validates JSON against it, CSV import and export name their
 * columns from it, and the demo generator fills it. Adding a field is one line in
 * entities.c plus a numbered migration in store/migrations/.
 *
 * Values travel as cf_value; a record is the entity plus one cf_value per field, in the
 * order of the field table. Money is int64 fen, dates are days since 1970-01-01, percents
 * are basis points (12.5% = 1250), booleans are 0/1, references are row ids.
 */
#ifndef CF_MODEL_SCHEMA_H
#define CF_MODEL_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

typedef enum field_type {
	FT_TEXT,     /* UTF-8 text of at most max_len code points (0: 200) */
	FT_INT,      /* int64; min/max bound it */
	FT_MONEY,    /* int64 fen; JSON and CSV carry yuan text "1234.56" (or a JSON integer of yuan) */
	FT_DATE,     /* int32 days; "YYYY-MM-DD" */
	FT_BOOL,     /* 0/1; JSON true/false; CSV 1/0, true/false, 是/否 */
	FT_ENUM,     /* one of enum_vals, stored as that text */
	FT_PERCENT,  /* basis points 0..10000; JSON number or text "12.5" meaning 12.5% */
	FT_USCC,     /* unified social credit code, GB 32100-2015 */
	FT_INDUSTRY, /* GB/T 4754-2017 code present in the loaded industry table */
	FT_COUNTY,   /* one of Wenzhou's twelve counties */
	FT_REF,      /* id of a row of entity ref */
	FT_IDLIST    /* ids of rows of entity ref, stored as text "3,5,9" */
} field_type;

enum {
	F_REQUIRED = 1 << 0, /* must be present and non-empty on create */
	F_UNIQUE = 1 << 1,   /* no two rows share it */
	F_FILTER = 1 << 2,   /* list accepts ?field=value */
	F_SORT = 1 << 3,     /* list accepts ?sort=field / -field */
	F_SEARCH = 1 << 4,   /* list's ?q= searches it (substring) */
	F_READONLY = 1 << 5  /* set by the system, never by the client */
};

typedef struct cf_field {
	const char *name;             /* snake_case, the JSON key, the CSV header, the column */
	const char *zh;               /* Chinese label for UI and exports */
	field_type type;
	unsigned flags;
	const char *const *enum_vals; /* FT_ENUM: NULL-terminated */
	const char *ref;              /* FT_REF/FT_IDLIST: the entity's name */
	int64_t min, max;             /* FT_INT bounds when min < max */
	int max_len;                  /* FT_TEXT: code points; 0 means 200 */
} cf_field;

typedef struct cf_entity {
	const char *name;   /* singular, as in the CLI: "enterprise" */
	const char *plural; /* as in URLs: "enterprises" */
	const char *table;  /* SQL table */
	const char *zh;     /* 企业 */
	const cf_field *fields;
	size_t nfields;
	const char *visibility; /* name of the visibility field, or NULL when all rows are public */
	const char *owner;      /* name of the FT_REF field naming the owning enterprise/platform, or NULL */
} cf_entity;

typedef struct cf_value {
	int present; /* 0: absent (NULL in the store) */
	int64_t i;   /* FT_INT, FT_MONEY, FT_DATE, FT_BOOL, FT_PERCENT, FT_REF */
	const char *s; /* FT_TEXT, FT_ENUM, FT_USCC, FT_INDUSTRY, FT_COUNTY, FT_IDLIST: UTF-8, NUL-terminated */
	size_t n;      /* length of s in bytes */
} cf_value;

typedef struct cf_record {
	const cf_entity *ent;
	int64_t id;         /* 0 before insert */
	int synthetic;      /* 1 for generated demo rows: shown as 合成数据 / synthetic */
	cf_value *v;        /* ent->nfields values, in field order */
} cf_record;

/* The entities, in dependency order (a row may refer only to entities before it). */
extern const cf_entity *const cf_entities[];
extern const size_t cf_nentities;

/* Looks up an entity by singular or plural name; NULL when unknown. */
const cf_entity *schema_entity(const char *name);
/* Index of a field by name, or -1. */
int schema_field(const cf_entity *ent, const char *name);

/* The "5+5" and enum value lists, shared with validators and the demo. */
extern const char *const cf_counties[];          /* Wenzhou's 12 counties, NULL-terminated */
extern const char *const cf_visibility_vals[];   /* public, brokers, confidential */

#endif

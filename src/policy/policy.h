/*
 * policy — versioned policy rules (data/policies/NAME.json) loaded into plain structs.
 *
 * A policy version says how a broker award is computed (tiers of a segmented cumulative rule
 * in basis points, optional caps, how it is split among brokers), what happens on fraud
 * (clawback, length of the dishonesty listing) and the thresholds of the related-party check.
 * Numbers live in the data files, never in code; the loader rejects a bad file with the JSON
 * path of the offending value. A policy_set holds every version and answers "which version
 * was in force on this date" so an award is always recomputed under the rule of its sign date.
 */
#ifndef CF_POLICY_POLICY_H
#define CF_POLICY_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Amounts above this many fen (one trillion yuan) are refused: it keeps every exact product
 * amount × rate_bp inside int64. */
#define POLICY_MAX_AMOUNT_FEN INT64_C(100000000000000)
/* An open upper bound (last tier, or no effective_to). */
#define POLICY_OPEN_FEN INT64_MAX
#define POLICY_OPEN_DATE INT32_MAX

#define POLICY_ID_MAX 64
#define POLICY_MAX_TIERS 32
#define POLICY_MAX_TYPES 4

/* One segment of a segmented cumulative rule: the part of the amount between the previous
 * tier's bound and upto_fen earns rate_bp basis points (1 bp = 0.01%). */
typedef struct policy_tier {
	int64_t upto_fen; /* POLICY_OPEN_FEN for the last, open tier */
	int32_t rate_bp;  /* 0..10000 */
} policy_tier;

enum policy_split {
	POLICY_SPLIT_SHARES = 0, /* by the brokers' recorded shares (basis points) */
	POLICY_SPLIT_EQUAL = 1   /* equal parts, whatever the shares */
};

typedef struct policy {
	char id[POLICY_ID_MAX];
	char name[256];    /* Chinese name */
	char name_en[256]; /* English name */
	int in_force;      /* 1: part of the bureau's sequence of versions; 0: reference (what-if only) */
	int32_t from, to;  /* effective dates, both inclusive; to = POLICY_OPEN_DATE when open */
	policy_tier tiers[POLICY_MAX_TIERS];
	size_t ntiers;
	/* contract types (四技) that earn an award; ntypes 0 means all four */
	char types[POLICY_MAX_TYPES][16];
	size_t ntypes;
	int64_t cap_contract_fen;    /* -1: no cap */
	int64_t cap_broker_year_fen; /* -1: no cap */
	int split;                   /* enum policy_split */
	int ban_years;               /* length of a dishonesty listing */
	int payment_due_days;        /* a commitment is overdue this many days after approval */
	int32_t rp_min_share_bp;     /* a holding link counts from this share on */
	int rp_max_depth;            /* longest holding chain searched */
	int32_t rp_broker_min_share_bp; /* a broker's holding counts from this share on */
} policy;

/* Every loaded version, sorted by id. */
typedef struct policy_set {
	policy *v;
	size_t n;
} policy_set;

/* The four contract types of 四技, in SPEC order; static storage. */
extern const char *const policy_contract_types[4];

/* Parses one policy version from JSON text (file names the source in error locations).
 * On error returns CF_EINVAL with where = "FILE: $.json.path" (or "FILE:LINE:COLUMN" for a
 * syntax error) and leaves *out untouched. */
int policy_parse(const char *text, size_t n, const char *file, policy *out, cf_err *e);

/* Creates an empty set. Returns NULL when out of memory. Free with policy_set_free(). */
policy_set *policy_set_create(void);
/* Adds a copy of p. CF_ECONFLICT when the id is taken or when p is in force on a date where
 * another in-force version already is (the message names both). */
int policy_set_add(policy_set *s, const policy *p, cf_err *e);
/* Loads every *.json file of dir (in name order) into a new set owned by the caller. Any
 * bad file fails the whole load with that file's error. An empty folder is CF_ENOTFOUND. */
int policy_set_load_dir(const char *dir, policy_set **out, cf_err *e);
/* Loads the shipped versions from data/policies (see base/path.h). */
int policy_set_load_default(policy_set **out, cf_err *e);
/* The version with this id, or NULL. Owned by s. */
const policy *policy_set_find(const policy_set *s, const char *id);
/* The in-force version whose dates cover day, or NULL. Owned by s. */
const policy *policy_set_at(const policy_set *s, int32_t day);
/* Frees the set; s may be NULL. */
void policy_set_free(policy_set *s);

/* 1 when contract type t (a 四技 name) earns an award under p. */
int policy_covers_type(const policy *p, const char *t);

#endif

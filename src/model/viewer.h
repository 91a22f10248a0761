/*
 * viewer — who is asking: a role and the rows that role owns.
 *
 * Every read of a row with visibility goes through a viewer, so that the store can filter
 * in SQL: counts, pages and cursors then never reveal a row the viewer may not see.
 */
#ifndef CF_MODEL_VIEWER_H
#define CF_MODEL_VIEWER_H

#include <stdint.h>

typedef enum cf_role {
	ROLE_PUBLIC = 0, /* anonymous */
	ROLE_BUREAU,     /* 科技局/经信局: sees everything */
	ROLE_ENTERPRISE,
	ROLE_PLATFORM,
	ROLE_BROKER,
	ROLE_EXPERT,
	ROLE_FUND,
	ROLE_COUNT
} cf_role;

typedef struct cf_viewer {
	cf_role role;
	int64_t user_id;       /* 0: none (CLI runs as the bureau with user 0) */
	int64_t enterprise_id; /* ROLE_ENTERPRISE: the firm it acts for */
	int64_t platform_id;   /* ROLE_PLATFORM */
	int64_t broker_id;     /* ROLE_BROKER */
} cf_viewer;

/* The role's name as used in the API and the users table ("bureau", ...); NULL if out of range. */
const char *viewer_role_name(cf_role r);
/* The role for a name, or -1. */
int viewer_role_parse(const char *name);

/* The viewer the CLI acts as: the bureau, which may see and change everything. */
extern const cf_viewer cf_viewer_bureau;
/* An anonymous member of the public. */
extern const cf_viewer cf_viewer_public;

#endif

/*
 * accounts — users, passwords, login sessions and the login rate limit, over the store's
 * users / sessions / login_failures tables (migrations 002 and 060).
 *
 * Passwords are kept only as libsodium crypto_pwhash_str strings (argon2id, interactive
 * limits). A session token is 32 random bytes handed to the client once (hex, in the
 * cf_session cookie); the store keeps only its BLAKE2b hash. The policy numbers (password
 * length, session lifetime, rate-limit window and counts) come from data/auth/config.json.
 */
#ifndef CF_SERVICE_ACCOUNTS_H
#define CF_SERVICE_ACCOUNTS_H

#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/viewer.h"
#include "store/store.h"

#define ACCT_TOKEN_HEX 65 /* 64 hex digits + NUL */

typedef struct acct_config {
	int password_min_length;
	int session_hours;
	int login_window_minutes;
	int login_failures_per_account;
	int login_failures_per_address;
} acct_config;

typedef struct acct_user {
	int64_t id;
	char username[65];
	cf_role role;
	char display_name[301];
	int64_t enterprise_id, platform_id, broker_id; /* 0: none */
	int disabled;
	char created_at[32];
} acct_user;

/* What a create or an update sets. For an update, the *_set flags say which fields change. */
typedef struct acct_fields {
	const char *username;     /* create only */
	const char *password;     /* create: required; update: resets the password when set */
	int role;                 /* cf_role; -1 keeps (update) */
	const char *display_name; /* NULL keeps (update); "" clears */
	int links_set;            /* update: 1 when the three links below replace the stored ones */
	int64_t enterprise_id, platform_id, broker_id;
	int disabled;             /* -1 keeps (update) */
} acct_fields;

typedef struct acct_login {
	acct_user user;
	char token[ACCT_TOKEN_HEX]; /* the cookie value; shown once, never stored */
	char csrf[ACCT_TOKEN_HEX];
	int max_age;                /* seconds the session lives */
	int retry_after;            /* seconds, when the login was refused by the rate limit */
} acct_login;

/* Reads data/auth/config.json (once per process; later calls return the cached copy).
 * CF_EIO / CF_EINVAL with the file and JSON path when it is missing or wrong. */
int accounts_config(acct_config *out, cf_err *e);

/* Checks a password against the policy (length in code points from config). CF_EINVAL with
 * where = field. */
int accounts_password_ok(const char *password, const char *field, cf_err *e);

/* Creates a user. Checks the username (1-64 of A-Z a-z 0-9 . _ - @), the role name, that an
 * enterprise/platform/broker user is linked to exactly its one existing row (and other roles to
 * none) and the password policy. *id gets the new row id. CF_EINVAL (where = the field),
 * CF_ECONFLICT when the username is taken. */
int accounts_create(store *s, const acct_fields *f, int64_t *id, cf_err *e);
/* Applies f to user id (see acct_fields). A password reset ends the user's sessions, as does
 * disabling. CF_ENOTFOUND, CF_EINVAL as for create. */
int accounts_update(store *s, int64_t id, const acct_fields *f, cf_err *e);
/* Deletes user id and its sessions. CF_ENOTFOUND. */
int accounts_delete(store *s, int64_t id, cf_err *e);
/* Reads user id into *u. CF_ENOTFOUND. */
int accounts_get(store *s, int64_t id, acct_user *u, cf_err *e);
/* Reads the user called username into *u. CF_ENOTFOUND. */
int accounts_find(store *s, const char *username, acct_user *u, cf_err *e);
/* Every user, by id; the array lives in a. */
int accounts_list(store *s, arena *a, acct_user **out, size_t *n, cf_err *e);

/* Logs in: checks the rate limit for username and address, then the password (an unknown
 * user costs the same hashing work as a wrong password), and on success opens a session.
 * CF_EAUTH "wrong username or password" for unknown, disabled or wrong (one message for all);
 * CF_ETOOBIG when rate-limited, with out->retry_after set. */
int accounts_login(store *s, const char *username, const char *password, const char *address,
		   acct_login *out, cf_err *e);
/* Resolves a session token (hex from the cookie) to its live user, filling *u, csrf (the
 * session's CSRF token) and *session_id. CF_EAUTH when unknown, expired or the user is disabled. */
int accounts_session(store *s, const char *token, acct_user *u, char csrf[ACCT_TOKEN_HEX], int64_t *session_id,
		     cf_err *e);
/* Ends the session with this token (no error when there is none). */
int accounts_logout(store *s, const char *token, cf_err *e);
/* Changes user id's password after checking old_password; ends the user's other sessions
 * (keep_session, when > 0, survives). CF_EAUTH on a wrong old password, CF_EINVAL on policy. */
int accounts_change_password(store *s, int64_t id, const char *old_password, const char *new_password,
			     int64_t keep_session, cf_err *e);

/* The viewer a user acts as. */
void accounts_viewer(const acct_user *u, cf_viewer *v);

/* Creates the demo accounts of data/auth/demo_accounts.json (one per role, known passwords),
 * linked to rows of the demo data: an enterprise that owns a confidential demand naming a
 * broker, that broker, a platform. Accounts that exist already are left as they are.
 * *created counts the new ones. CF_ENOTFOUND when the database has no such rows (run
 * `chainfuse demo` first). */
int accounts_seed_demo(store *s, int *created, cf_err *e);
/* Prints the demo accounts (username, role, password, linked row) as a table to f. */
int accounts_print_demo(store *s, FILE *f, cf_err *e);

#endif

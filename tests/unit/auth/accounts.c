/*
 * Tests of service/accounts.c (users, argon2id passwords, hashed session tokens, the login
 * rate limit) and of the authorization table's decisions (api/authz.c), on a fresh database
 * file per test. Policy numbers are read from data/auth/config.json, as the code does.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "service/accounts.h"

static char dir[64], dbpath[128];
static store *S;
static acct_config C;

static void setup(void)
{
	cf_err e = {0};
	snprintf(dir, sizeof dir, "/tmp/cf-auth-XXXXXX");
	cr_assert(mkdtemp(dir) != NULL);
	snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	cr_assert_eq(store_open(dbpath, &S, &e), 0, "open: %s", e.msg);
	cr_assert_eq(accounts_config(&C, &e), 0, "config: %s: %s", e.where, e.msg);
}

static void teardown(void)
{
	char p[160];
	store_close(S);
	S = NULL;
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
	rmdir(dir);
}

static int64_t add(const char *name, cf_role role, const char *pw)
{
	acct_fields f;
	int64_t id = 0;
	cf_err e = {0};
	memset(&f, 0, sizeof f);
	f.username = name;
	f.role = role;
	f.password = pw;
	cr_assert_eq(accounts_create(S, &f, &id, &e), 0, "create %s: %s: %s", name, e.where, e.msg);
	return id;
}

static int cb(void *ctx, int nc, const char *const *c, const char *const *names)
{
	(void)names;
	*(int64_t *)ctx = nc > 0 && c[0] ? atoll(c[0]) : 0;
	return 1;
}

/* Runs a one-integer query (with at most one parameter). */
static int count(const char *sql_count, const char *param)
{
	int64_t n = -1;
	cf_err e = {0};
	const char *p[1] = {param};
	cr_assert_geq(store_sql(S, sql_count, p, param ? 1 : 0, cb, &n, &e), 0, "%s", e.msg);
	return (int)n;
}

TestSuite(auth_accounts, .init = setup, .fini = teardown);

Test(auth_accounts, create_validates)
{
	acct_fields f;
	int64_t id;
	cf_err e = {0};
	acct_user u;

	memset(&f, 0, sizeof f);
	f.username = "bad name";
	f.role = ROLE_EXPERT;
	f.password = "long-enough-pw";
	cr_assert_eq(accounts_create(S, &f, &id, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "username");
	f.username = "anon";
	f.role = ROLE_PUBLIC;
	cr_assert_eq(accounts_create(S, &f, &id, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "role");
	f.role = ROLE_ENTERPRISE;
	cr_assert_eq(accounts_create(S, &f, &id, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "enterprise_id");
	f.role = ROLE_EXPERT;
	f.broker_id = 3;
	cr_assert_eq(accounts_create(S, &f, &id, &e), CF_EINVAL);
	cr_assert_str_eq(e.msg, "a expert user cannot be linked to brokers");
	f.broker_id = 0;
	f.password = "short";
	cr_assert_eq(accounts_create(S, &f, &id, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "password");
	f.password = "long-enough-pw";
	cr_assert_eq(accounts_create(S, &f, &id, &e), 0, "%s", e.msg);
	cr_assert_eq(id, 1);
	cr_assert_eq(accounts_create(S, &f, &id, &e), CF_ECONFLICT);
	cr_assert_eq(accounts_find(S, "anon", &u, &e), 0);
	cr_assert_eq(u.role, ROLE_EXPERT);
	/* only the argon2id string is stored */
	cr_assert_eq(count("SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$%'", NULL), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM users WHERE password_hash = ?", "long-enough-pw"), 0);
}

Test(auth_accounts, login_session_logout)
{
	acct_login L;
	acct_user u;
	char csrf[ACCT_TOKEN_HEX];
	int64_t sid = 0;
	cf_err e = {0};
	int64_t id = add("officer", ROLE_BUREAU, "officer-password");

	cr_assert_eq(accounts_login(S, "officer", "officer-password", "10.0.0.1", &L, &e), 0, "%s", e.msg);
	cr_assert_eq(strlen(L.token), 64);
	cr_assert_eq(strspn(L.token, "0123456789abcdef"), 64);
	cr_assert_eq(L.user.id, id);
	cr_assert_eq(L.max_age, C.session_hours * 3600);
	cr_assert_eq(accounts_session(S, L.token, &u, csrf, &sid, &e), 0, "%s", e.msg);
	cr_assert_eq(u.id, id);
	cr_assert_str_eq(csrf, L.csrf);
	cr_assert_gt(sid, 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", L.token), 0);
	L.token[0] = L.token[0] == 'a' ? 'b' : 'a';
	cr_assert_eq(accounts_session(S, L.token, &u, csrf, &sid, &e), CF_EAUTH);
	L.token[0] = L.token[0] == 'a' ? 'b' : 'a';
	cr_assert_eq(accounts_logout(S, L.token, &e), 0);
	cr_assert_eq(accounts_session(S, L.token, &u, csrf, &sid, &e), CF_EAUTH);
	cr_assert_eq(accounts_session(S, "not-hex", &u, csrf, &sid, &e), CF_EAUTH);
}

Test(auth_accounts, bad_credentials_one_message)
{
	acct_login L;
	cf_err e1 = {0}, e2 = {0};
	add("officer", ROLE_BUREAU, "officer-password");
	cr_assert_eq(accounts_login(S, "officer", "wrong-password", "10.0.0.1", &L, &e1), CF_EAUTH);
	cr_assert_eq(accounts_login(S, "nobody", "wrong-password", "10.0.0.1", &L, &e2), CF_EAUTH);
	cr_assert_str_eq(e1.msg, e2.msg);
	cr_assert_str_eq(e1.msg, "wrong username or password");
	cr_assert_eq(count("SELECT COUNT(*) FROM login_failures WHERE address = ?", "10.0.0.1"), 2);
}

Test(auth_accounts, rate_limit_per_account_then_success_clears)
{
	acct_login L;
	cf_err e = {0};
	int i;
	add("officer", ROLE_BUREAU, "officer-password");
	for (i = 0; i < C.login_failures_per_account; i++)
		cr_assert_eq(accounts_login(S, "officer", "wrong-password", "10.0.0.2", &L, &e), CF_EAUTH);
	cr_assert_eq(accounts_login(S, "officer", "officer-password", "10.0.0.3", &L, &e), CF_ETOOBIG);
	cr_assert(L.retry_after > 0 && L.retry_after <= C.login_window_minutes * 60, "retry %d", L.retry_after);
	/* once the failures are out of the window, the login works and forgets them */
	cr_assert_geq(store_sql(S, "UPDATE login_failures SET at_epoch = at_epoch - 100000", NULL, 0, NULL, NULL, &e), 0);
	cr_assert_eq(accounts_login(S, "officer", "officer-password", "10.0.0.3", &L, &e), 0, "%s", e.msg);
	cr_assert_eq(count("SELECT COUNT(*) FROM login_failures WHERE username = ?", "officer"), 0);
}

Test(auth_accounts, rate_limit_per_address)
{
	acct_login L;
	cf_err e = {0};
	int i;
	add("officer", ROLE_BUREAU, "officer-password");
	for (i = 0; i < C.login_failures_per_address; i++) {
		char name[32];
		snprintf(name, sizeof name, "guess%d", i);
		cr_assert_eq(accounts_login(S, name, "x-wrong-pass", "10.9.9.9", &L, &e), CF_EAUTH);
	}
	cr_assert_eq(accounts_login(S, "officer", "officer-password", "10.9.9.9", &L, &e), CF_ETOOBIG);
	cr_assert_eq(accounts_login(S, "officer", "officer-password", "10.9.9.8", &L, &e), 0, "%s", e.msg);
}

Test(auth_accounts, password_change_and_disable_end_sessions)
{
	acct_login a, b;
	acct_user u;
	acct_fields f;
	char csrf[ACCT_TOKEN_HEX];
	int64_t sid;
	cf_err e = {0};
	int64_t id = add("officer", ROLE_BUREAU, "officer-password");

	cr_assert_eq(accounts_login(S, "officer", "officer-password", "", &a, &e), 0);
	cr_assert_eq(accounts_login(S, "officer", "officer-password", "", &b, &e), 0);
	cr_assert_eq(accounts_session(S, a.token, &u, csrf, &sid, &e), 0);
	cr_assert_eq(accounts_change_password(S, id, "wrong", "new-password-1", sid, &e), CF_EAUTH);
	cr_assert_eq(accounts_change_password(S, id, "officer-password", "new-password-1", sid, &e), 0, "%s", e.msg);
	cr_assert_eq(accounts_session(S, a.token, &u, csrf, &sid, &e), 0);
	cr_assert_eq(accounts_session(S, b.token, &u, csrf, &sid, &e), CF_EAUTH);
	cr_assert_eq(accounts_login(S, "officer", "officer-password", "", &b, &e), CF_EAUTH);
	memset(&f, 0, sizeof f);
	f.role = -1;
	f.disabled = 1;
	cr_assert_eq(accounts_update(S, id, &f, &e), 0, "%s", e.msg);
	cr_assert_eq(accounts_session(S, a.token, &u, csrf, &sid, &e), CF_EAUTH);
	cr_assert_eq(accounts_login(S, "officer", "new-password-1", "", &b, &e), CF_EAUTH);
}

TestSuite(auth_authz);

Test(auth_authz, decisions_from_the_table)
{
	cf_err e = {0};
	const char *summary = NULL;
	cr_assert_eq(authz_load(&e), 0, "%s: %s", e.where, e.msg);
	cr_assert_eq(authz_decide("GET", "/api/v1/users", ROLE_BUREAU, &summary), AUTHZ_ALLOW);
	cr_assert(summary != NULL);
	cr_assert_eq(authz_decide("GET", "/api/v1/users", ROLE_ENTERPRISE, NULL), AUTHZ_DENY);
	cr_assert_eq(authz_decide("GET", "/api/v1/users", ROLE_PUBLIC, NULL), AUTHZ_DENY);
	cr_assert_eq(authz_decide("PATCH", "/api/v1/demands/{id}", ROLE_ENTERPRISE, NULL), AUTHZ_OWNER);
	cr_assert_eq(authz_decide("PATCH", "/api/v1/demands/{id}", ROLE_PLATFORM, NULL), AUTHZ_DENY);
	cr_assert_eq(authz_decide("GET", "/api/v1/demands", ROLE_PUBLIC, NULL), AUTHZ_ALLOW);
	cr_assert_eq(authz_decide("POST", "/api/v1/auth/login", ROLE_PUBLIC, NULL), AUTHZ_ALLOW);
	cr_assert_eq(authz_decide("GET", "/api/v1/auth/me", ROLE_PUBLIC, NULL), AUTHZ_DENY);
	cr_assert_eq(authz_decide("GET", "/api/v1/auth/me", ROLE_FUND, NULL), AUTHZ_ALLOW);
	/* unknown routes and roles are denied */
	cr_assert_eq(authz_decide("GET", "/api/v1/nowhere", ROLE_BUREAU, &summary), AUTHZ_DENY);
	cr_assert(summary == NULL);
	cr_assert_eq(authz_decide("GET", "/api/v1/demands", (cf_role)99, NULL), AUTHZ_DENY);
}

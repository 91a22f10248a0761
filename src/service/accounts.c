/*
 * accounts — users, passwords (argon2id), sessions (hashed tokens) and the login rate limit;
 * see accounts.h. All SQL is portable and goes through store_sql().
 */
#include "service/accounts.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/num.h"
#include "base/path.h"
#include "base/utf8.h"

/* ---- process-wide state: libsodium, the config, the dummy hash ------------------------ */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc;
static cf_err init_err;
static acct_config config;
static char dummy_hash[crypto_pwhash_STRBYTES];

/* Reads data file rel as a JSON object. */
static int load_json(const char *rel, json_t **out, cf_err *e)
{
	char path[1024];
	buf b;
	json_error_t je;
	int rc;

	if (path_data(rel, path, sizeof path) != 0)
		return cf_err_set(e, CF_ETOOBIG, rel, "data path too long");
	buf_init(&b, 1u << 20);
	rc = path_read_file(path, &b, e);
	if (rc != 0) {
		buf_free(&b);
		return rc;
	}
	*out = json_loadb(buf_cstr(&b), b.len, JSON_REJECT_DUPLICATES, &je);
	buf_free(&b);
	if (!*out || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return cf_err_set(e, CF_EINVAL, path, "%d:%d: %s", je.line, je.column,
				  je.text[0] ? je.text : "the file must hold a JSON object");
	}
	return 0;
}

static int config_int(json_t *o, const char *file, const char *key, int lo, int hi, int *out, cf_err *e)
{
	json_t *v = json_object_get(o, key);
	char where[128];
	snprintf(where, sizeof where, "%s:$.%s", file, key);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return cf_err_set(e, CF_EINVAL, where, "must be an integer from %d to %d", lo, hi);
	*out = (int)json_integer_value(v);
	return 0;
}

static void init_once(void)
{
	json_t *o = NULL;
	const char *f = "auth/config.json";
	cf_err_clear(&init_err);
	if (sodium_init() < 0) {
		init_rc = cf_err_set(&init_err, CF_EINTERNAL, NULL, "libsodium cannot be initialised");
		return;
	}
	init_rc = load_json(f, &o, &init_err);
	if (init_rc)
		return;
	if ((init_rc = config_int(o, f, "password_min_length", 8, 128, &config.password_min_length, &init_err)) ||
	    (init_rc = config_int(o, f, "session_hours", 1, 24 * 90, &config.session_hours, &init_err)) ||
	    (init_rc = config_int(o, f, "login_window_minutes", 1, 24 * 60, &config.login_window_minutes, &init_err)) ||
	    (init_rc = config_int(o, f, "login_failures_per_account", 1, 1000, &config.login_failures_per_account,
				  &init_err)) ||
	    (init_rc = config_int(o, f, "login_failures_per_address", 1, 100000, &config.login_failures_per_address,
				  &init_err))) {
		json_decref(o);
		return;
	}
	json_decref(o);
	/* An unknown user is checked against this, so it costs what a wrong password costs. */
	if (crypto_pwhash_str(dummy_hash, "chainfuse: no such user", 23, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		init_rc = cf_err_set(&init_err, CF_ENOMEM, NULL, "cannot hash a password (out of memory)");
}

static int init(cf_err *e)
{
	pthread_once(&once, init_once);
	if (init_rc && e)
		*e = init_err;
	return init_rc;
}

int accounts_config(acct_config *out, cf_err *e)
{
	int rc = init(e);
	if (rc == 0)
		*out = config;
	return rc;
}

/* ---- small helpers --------------------------------------------------------------------- */

static void hex_random(char out[ACCT_TOKEN_HEX])
{
	unsigned char b[32];
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, ACCT_TOKEN_HEX, b, sizeof b);
	sodium_memzero(b, sizeof b);
}

/* The stored form of a session token: hex of its 32-byte BLAKE2b hash. */
static void token_hash(const char *token, char out[ACCT_TOKEN_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, ACCT_TOKEN_HEX, h, sizeof h);
}

static void utc_text(time_t t, char out[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

static int64_t to_i64(const char *s)
{
	int64_t v;
	return num_parse_i64(s, &v) ? 0 : v;
}

static void copy_text(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

static int hash_password(const char *pw, char out[crypto_pwhash_STRBYTES], cf_err *e)
{
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return cf_err_set(e, CF_ENOMEM, NULL, "cannot hash the password (out of memory)");
	return 0;
}

#define USER_COLS "u.id, u.username, u.role, u.display_name, u.enterprise_id, u.platform_id, u.broker_id, u.disabled, u.created_at"
#define USER_NCOLS 9

static void user_from(acct_user *u, const char *const *c)
{
	int r;
	memset(u, 0, sizeof *u);
	u->id = to_i64(c[0]);
	copy_text(u->username, sizeof u->username, c[1]);
	r = c[2] ? viewer_role_parse(c[2]) : -1;
	u->role = r < 0 ? ROLE_PUBLIC : (cf_role)r;
	copy_text(u->display_name, sizeof u->display_name, c[3]);
	u->enterprise_id = to_i64(c[4]);
	u->platform_id = to_i64(c[5]);
	u->broker_id = to_i64(c[6]);
	u->disabled = to_i64(c[7]) != 0;
	copy_text(u->created_at, sizeof u->created_at, c[8]);
}

/* Row callback: one user into ctx (an acct_user), stops after the first. */
static int one_user(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	(void)names;
	if (ncols < USER_NCOLS)
		return CF_EINTERNAL;
	user_from(ctx, cols);
	return 1;
}

/* Runs sql expecting one user row; CF_ENOTFOUND when none. */
static int fetch_user(store *s, const char *sql, const char *const *p, size_t np, acct_user *u, cf_err *e)
{
	acct_user tmp;
	int rc;
	memset(&tmp, 0, sizeof tmp);
	rc = store_sql(s, sql, p, np, one_user, &tmp, e);
	if (rc < 0)
		return rc;
	if (rc == 0 || tmp.id <= 0)
		return cf_err_set(e, CF_ENOTFOUND, NULL, "no such user");
	*u = tmp;
	return 0;
}

/* Row callback: the first column as an int64 into ctx. */
static int one_int(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	(void)names;
	*(int64_t *)ctx = ncols > 0 ? to_i64(cols[0]) : 0;
	return 1;
}

static int query_int(store *s, const char *sql, const char *const *p, size_t np, int64_t *out, cf_err *e)
{
	int64_t v = 0;
	int rc = store_sql(s, sql, p, np, one_int, &v, e);
	if (rc < 0)
		return rc;
	*out = v;
	return 0;
}

static int exec(store *s, const char *sql, const char *const *p, size_t np, cf_err *e)
{
	int rc = store_sql(s, sql, p, np, NULL, NULL, e);
	return rc < 0 ? rc : 0;
}

/* ---- validation ------------------------------------------------------------------------ */

int accounts_password_ok(const char *password, const char *field, cf_err *e)
{
	int rc = init(e);
	size_t n;
	if (rc)
		return rc;
	if (!password)
		return cf_err_set(e, CF_EINVAL, field, "a password is required");
	n = strlen(password);
	if (!utf8_valid(password, n, NULL))
		return cf_err_set(e, CF_EINVAL, field, "the password is not valid UTF-8");
	if (utf8_count(password, n) < (size_t)config.password_min_length)
		return cf_err_set(e, CF_EINVAL, field, "the password must have at least %d characters",
				  config.password_min_length);
	if (n > 1024)
		return cf_err_set(e, CF_EINVAL, field, "the password is longer than 1024 bytes");
	return 0;
}

static int username_ok(const char *u, cf_err *e)
{
	size_t i, n = u ? strlen(u) : 0;
	if (n == 0 || n > 64)
		return cf_err_set(e, CF_EINVAL, "username", "a username has 1 to 64 characters");
	for (i = 0; i < n; i++) {
		char c = u[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-' || c == '@'))
			return cf_err_set(e, CF_EINVAL, "username",
					  "a username uses only letters, digits and . _ - @ (bad character at %zu)", i + 1);
	}
	return 0;
}

static int row_exists(store *s, const char *table, int64_t id, cf_err *e)
{
	char sql[96], ids[24];
	const char *p[1] = {ids};
	int64_t n = 0;
	int rc;
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE id = ?", table);
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	rc = query_int(s, sql, p, 1, &n, e);
	return rc ? rc : (n > 0);
}

/* An enterprise/platform/broker user is linked to one existing row of its kind; others to none. */
static int links_ok(store *s, cf_role role, int64_t ent, int64_t plat, int64_t brok, cf_err *e)
{
	struct {
		cf_role role;
		const char *field, *table;
		int64_t id;
	} l[3] = {{ROLE_ENTERPRISE, "enterprise_id", "enterprises", ent},
		  {ROLE_PLATFORM, "platform_id", "platforms", plat},
		  {ROLE_BROKER, "broker_id", "brokers", brok}};
	int i, rc;
	for (i = 0; i < 3; i++) {
		if (role == l[i].role) {
			if (l[i].id <= 0)
				return cf_err_set(e, CF_EINVAL, l[i].field, "a %s user must be linked to its %s",
						  viewer_role_name(role), l[i].field);
			rc = row_exists(s, l[i].table, l[i].id, e);
			if (rc < 0)
				return rc;
			if (!rc)
				return cf_err_set(e, CF_EINVAL, l[i].field, "no %s row with id %lld", l[i].table,
						  (long long)l[i].id);
		} else if (l[i].id > 0) {
			return cf_err_set(e, CF_EINVAL, l[i].field, "a %s user cannot be linked to %s",
					  viewer_role_name(role), l[i].table);
		}
	}
	return 0;
}

static const char *id_or_null(arena *a, int64_t id)
{
	return id > 0 ? arena_printf(a, "%lld", (long long)id) : NULL;
}

/* ---- users ----------------------------------------------------------------------------- */

int accounts_create(store *s, const acct_fields *f, int64_t *id, cf_err *e)
{
	char hash[crypto_pwhash_STRBYTES];
	arena *a = NULL;
	acct_user u;
	int rc;

	if ((rc = init(e)) != 0)
		return rc;
	if ((rc = username_ok(f->username, e)) != 0)
		return rc;
	if (f->role < 0 || f->role >= ROLE_COUNT || f->role == ROLE_PUBLIC)
		return cf_err_set(e, CF_EINVAL, "role",
				  "role must be one of bureau, enterprise, platform, broker, expert, fund");
	if (f->display_name && strlen(f->display_name) > 300)
		return cf_err_set(e, CF_EINVAL, "display_name", "at most 300 bytes");
	if ((rc = accounts_password_ok(f->password, "password", e)) != 0)
		return rc;
	if ((rc = links_ok(s, (cf_role)f->role, f->enterprise_id, f->platform_id, f->broker_id, e)) != 0)
		return rc;
	if (accounts_find(s, f->username, &u, NULL) == 0)
		return cf_err_set(e, CF_ECONFLICT, "username", "the username \"%s\" is taken", f->username);
	if ((rc = hash_password(f->password, hash, e)) != 0)
		return rc;
	a = arena_create();
	if (!a)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	{
		const char *p[7] = {f->username,
				    hash,
				    viewer_role_name((cf_role)f->role),
				    f->display_name && *f->display_name ? f->display_name : NULL,
				    id_or_null(a, f->enterprise_id),
				    id_or_null(a, f->platform_id),
				    id_or_null(a, f->broker_id)};
		rc = exec(s,
			  "INSERT INTO users (username, password_hash, role, display_name, enterprise_id, platform_id, "
			  "broker_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
			  p, 7, e);
	}
	sodium_memzero(hash, sizeof hash);
	if (rc == CF_ECONFLICT)
		rc = cf_err_set(e, CF_ECONFLICT, "username", "the username \"%s\" is taken", f->username);
	if (rc)
		goto fail;
	rc = accounts_find(s, f->username, &u, e);
	if (rc)
		goto fail;
	*id = u.id;
fail:
	arena_free(a);
	return rc;
}

static int end_sessions(store *s, int64_t user, int64_t keep, cf_err *e)
{
	char us[24], ks[24];
	const char *p[2] = {us, ks};
	snprintf(us, sizeof us, "%lld", (long long)user);
	snprintf(ks, sizeof ks, "%lld", (long long)keep);
	return exec(s, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", p, 2, e);
}

static int set_password(store *s, int64_t id, const char *pw, int64_t keep, cf_err *e)
{
	char hash[crypto_pwhash_STRBYTES], ids[24];
	const char *p[2] = {hash, ids};
	int rc;
	if ((rc = hash_password(pw, hash, e)) != 0)
		return rc;
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	rc = exec(s, "UPDATE users SET password_hash = ? WHERE id = ?", p, 2, e);
	sodium_memzero(hash, sizeof hash);
	if (rc == 0)
		rc = end_sessions(s, id, keep, e);
	return rc;
}

int accounts_update(store *s, int64_t id, const acct_fields *f, cf_err *e)
{
	acct_user u;
	arena *a = NULL;
	cf_role role;
	int64_t en, pl, br;
	int rc;

	if ((rc = init(e)) != 0)
		return rc;
	if ((rc = accounts_get(s, id, &u, e)) != 0)
		return rc;
	role = u.role;
	if (f->role >= 0) {
		if (f->role >= ROLE_COUNT || f->role == ROLE_PUBLIC)
			return cf_err_set(e, CF_EINVAL, "role",
					  "role must be one of bureau, enterprise, platform, broker, expert, fund");
		role = (cf_role)f->role;
	}
	en = f->links_set ? f->enterprise_id : u.enterprise_id;
	pl = f->links_set ? f->platform_id : u.platform_id;
	br = f->links_set ? f->broker_id : u.broker_id;
	if (f->display_name && strlen(f->display_name) > 300)
		return cf_err_set(e, CF_EINVAL, "display_name", "at most 300 bytes");
	if (f->password && (rc = accounts_password_ok(f->password, "password", e)) != 0)
		return rc;
	if ((rc = links_ok(s, role, en, pl, br, e)) != 0)
		return rc;
	a = arena_create();
	if (!a)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if ((rc = store_begin(s, e)) != 0)
		goto fail;
	{
		const char *dn = f->display_name ? (*f->display_name ? f->display_name : NULL)
						 : (u.display_name[0] ? u.display_name : NULL);
		int dis = f->disabled >= 0 ? (f->disabled != 0) : u.disabled;
		const char *p[7] = {viewer_role_name(role),
				    dn,
				    id_or_null(a, en),
				    id_or_null(a, pl),
				    id_or_null(a, br),
				    dis ? "1" : "0",
				    arena_printf(a, "%lld", (long long)id)};
		rc = exec(s,
			  "UPDATE users SET role = ?, display_name = ?, enterprise_id = ?, platform_id = ?, broker_id = ?, "
			  "disabled = ? WHERE id = ?",
			  p, 7, e);
		if (rc == 0 && (dis || role != u.role))
			rc = end_sessions(s, id, 0, e);
	}
	if (rc == 0 && f->password)
		rc = set_password(s, id, f->password, 0, e);
	if (rc == 0)
		rc = store_commit(s, e);
	else
		store_rollback(s);
fail:
	arena_free(a);
	return rc;
}

int accounts_delete(store *s, int64_t id, cf_err *e)
{
	acct_user u;
	char ids[24];
	const char *p[1] = {ids};
	int rc;
	if ((rc = accounts_get(s, id, &u, e)) != 0)
		return rc;
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if ((rc = store_begin(s, e)) != 0)
		return rc;
	rc = exec(s, "DELETE FROM sessions WHERE user_id = ?", p, 1, e);
	if (rc == 0)
		rc = exec(s, "DELETE FROM users WHERE id = ?", p, 1, e);
	if (rc == 0)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}

int accounts_get(store *s, int64_t id, acct_user *u, cf_err *e)
{
	char ids[24];
	const char *p[1] = {ids};
	int rc;
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	rc = fetch_user(s, "SELECT " USER_COLS " FROM users u WHERE u.id = ?", p, 1, u, e);
	if (rc == CF_ENOTFOUND)
		cf_err_set(e, CF_ENOTFOUND, NULL, "no user with id %lld", (long long)id);
	return rc;
}

int accounts_find(store *s, const char *username, acct_user *u, cf_err *e)
{
	const char *p[1] = {username};
	int rc = fetch_user(s, "SELECT " USER_COLS " FROM users u WHERE u.username = ?", p, 1, u, e);
	if (rc == CF_ENOTFOUND)
		cf_err_set(e, CF_ENOTFOUND, "username", "no user called \"%s\"", username);
	return rc;
}

typedef struct list_ctx {
	arena *a;
	acct_user *v;
	size_t n, cap;
} list_ctx;

static int list_row(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	list_ctx *l = ctx;
	(void)names;
	if (ncols < USER_NCOLS)
		return CF_EINTERNAL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		acct_user *v = arena_alloc(l->a, cap * sizeof *v);
		if (!v)
			return CF_ENOMEM;
		if (l->n)
			memcpy(v, l->v, l->n * sizeof *v);
		l->v = v;
		l->cap = cap;
	}
	user_from(&l->v[l->n++], cols);
	return 0;
}

int accounts_list(store *s, arena *a, acct_user **out, size_t *n, cf_err *e)
{
	list_ctx l = {a, NULL, 0, 0};
	int rc = store_sql(s, "SELECT " USER_COLS " FROM users u ORDER BY u.id", NULL, 0, list_row, &l, e);
	if (rc == CF_ENOMEM)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory");
	if (rc)
		return rc;
	*out = l.v;
	*n = l.n;
	return 0;
}

/* ---- logins ---------------------------------------------------------------------------- */

typedef struct hash_ctx {
	acct_user u;
	char hash[crypto_pwhash_STRBYTES];
	int found;
} hash_ctx;

static int hash_row(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	hash_ctx *h = ctx;
	(void)names;
	if (ncols < USER_NCOLS + 1)
		return CF_EINTERNAL;
	user_from(&h->u, cols);
	copy_text(h->hash, sizeof h->hash, cols[USER_NCOLS]);
	h->found = 1;
	return 1;
}

/* Seconds until the oldest counted failure leaves the window, when count >= limit; else 0. */
static int limited(store *s, const char *col, const char *value, int limit, time_t now, cf_err *e, int *retry)
{
	char since[24], sql[160];
	const char *p[2] = {value, since};
	int64_t n = 0, oldest = 0;
	int rc;
	int window = config.login_window_minutes * 60;

	snprintf(since, sizeof since, "%lld", (long long)(now - window));
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM login_failures WHERE %s = ? AND at_epoch > ?", col);
	if ((rc = query_int(s, sql, p, 2, &n, e)) != 0)
		return rc;
	if (n < limit)
		return 0;
	/* The failure whose expiry brings the count back under the limit. */
	{
		char off[24];
		const char *p3[3] = {value, since, off};
		snprintf(off, sizeof off, "%lld", (long long)(n - limit));
		snprintf(sql, sizeof sql,
			 "SELECT at_epoch FROM login_failures WHERE %s = ? AND at_epoch > ? ORDER BY at_epoch LIMIT 1 OFFSET ?",
			 col);
		if ((rc = query_int(s, sql, p3, 3, &oldest, e)) != 0)
			return rc;
	}
	{
		int wait = (int)(oldest + window - now);
		if (wait < 1)
			wait = 1;
		if (wait > *retry)
			*retry = wait;
	}
	return 1;
}

int accounts_login(store *s, const char *username, const char *password, const char *address,
		   acct_login *out, cf_err *e)
{
	time_t now = time(NULL);
	hash_ctx h;
	const char *p1[1] = {username};
	char nows[24], exp[32], th[ACCT_TOKEN_HEX], uid[24];
	int rc, ok, retry = 0, lim;

	char uname[65];

	if ((rc = init(e)) != 0)
		return rc;
	memset(out, 0, sizeof *out);
	if (!address)
		address = "";
	/* Failures are recorded under at most 64 bytes of the name (no user has a longer one). */
	snprintf(uname, sizeof uname, "%s", username);
	lim = limited(s, "username", uname, config.login_failures_per_account, now, e, &retry);
	if (lim >= 0) {
		int lim2 = limited(s, "address", address, config.login_failures_per_address, now, e, &retry);
		lim = lim2 < 0 ? lim2 : (lim || lim2);
	}
	if (lim < 0)
		return lim;
	if (lim) {
		out->retry_after = retry;
		return cf_err_set(e, CF_ETOOBIG, NULL, "too many failed logins; try again in %d seconds", retry);
	}
	memset(&h, 0, sizeof h);
	rc = store_sql(s, "SELECT " USER_COLS ", u.password_hash FROM users u WHERE u.username = ?", p1, 1, hash_row, &h,
		       e);
	if (rc < 0)
		return rc;
	/* Same work whether the user exists or not. */
	ok = crypto_pwhash_str_verify(h.found ? h.hash : dummy_hash, password, strlen(password)) == 0;
	ok = ok && h.found && !h.u.disabled;
	sodium_memzero(h.hash, sizeof h.hash);
	snprintf(nows, sizeof nows, "%lld", (long long)now);
	if (!ok) {
		const char *p[3] = {uname, address, nows};
		rc = exec(s, "INSERT INTO login_failures (username, address, at_epoch) VALUES (?, ?, ?)", p, 3, e);
		if (rc)
			return rc;
		return cf_err_set(e, CF_EAUTH, NULL, "wrong username or password");
	}
	/* Success: forget this account's failures, every failure past the window and expired
	 * sessions; open a session. */
	{
		char cut[24];
		const char *p[2] = {uname, cut};
		snprintf(cut, sizeof cut, "%lld", (long long)(now - (time_t)config.login_window_minutes * 60));
		if ((rc = exec(s, "DELETE FROM login_failures WHERE username = ? OR at_epoch <= ?", p, 2, e)) != 0)
			return rc;
	}
	{
		char old[32];
		const char *p[1] = {old};
		utc_text(now, old);
		if ((rc = exec(s, "DELETE FROM sessions WHERE expires_at <= ?", p, 1, e)) != 0)
			return rc;
	}
	hex_random(out->token);
	hex_random(out->csrf);
	token_hash(out->token, th);
	out->max_age = config.session_hours * 3600;
	utc_text(now + out->max_age, exp);
	snprintf(uid, sizeof uid, "%lld", (long long)h.u.id);
	{
		const char *p[4] = {th, uid, exp, out->csrf};
		rc = exec(s, "INSERT INTO sessions (token_hash, user_id, expires_at, csrf_token) VALUES (?, ?, ?, ?)", p,
			  4, e);
	}
	if (rc) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	out->user = h.u;
	return 0;
}

typedef struct sess_ctx {
	acct_user u;
	int64_t sid;
	char csrf[ACCT_TOKEN_HEX];
	int found;
} sess_ctx;

static int sess_row(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	sess_ctx *c = ctx;
	(void)names;
	if (ncols < USER_NCOLS + 2)
		return CF_EINTERNAL;
	user_from(&c->u, cols);
	c->sid = to_i64(cols[USER_NCOLS]);
	copy_text(c->csrf, sizeof c->csrf, cols[USER_NCOLS + 1]);
	c->found = 1;
	return 1;
}

int accounts_session(store *s, const char *token, acct_user *u, char csrf[ACCT_TOKEN_HEX], int64_t *session_id,
		     cf_err *e)
{
	char th[ACCT_TOKEN_HEX], now[32];
	const char *p[2] = {th, now};
	sess_ctx c;
	size_t i, n = token ? strlen(token) : 0;
	int rc;

	if ((rc = init(e)) != 0)
		return rc;
	if (n != 64)
		return cf_err_set(e, CF_EAUTH, NULL, "not logged in");
	for (i = 0; i < n; i++)
		if (!((token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f')))
			return cf_err_set(e, CF_EAUTH, NULL, "not logged in");
	token_hash(token, th);
	utc_text(time(NULL), now);
	memset(&c, 0, sizeof c);
	rc = store_sql(s,
		       "SELECT " USER_COLS ", s.id, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id "
		       "WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
		       p, 2, sess_row, &c, e);
	if (rc < 0)
		return rc;
	if (!c.found)
		return cf_err_set(e, CF_EAUTH, NULL, "not logged in (no such session, or it has expired)");
	*u = c.u;
	memcpy(csrf, c.csrf, ACCT_TOKEN_HEX);
	*session_id = c.sid;
	return 0;
}

int accounts_logout(store *s, const char *token, cf_err *e)
{
	char th[ACCT_TOKEN_HEX];
	const char *p[1] = {th};
	if (!token)
		return 0;
	token_hash(token, th);
	return exec(s, "DELETE FROM sessions WHERE token_hash = ?", p, 1, e);
}

int accounts_change_password(store *s, int64_t id, const char *old_password, const char *new_password,
			     int64_t keep_session, cf_err *e)
{
	hash_ctx h;
	char ids[24];
	const char *p[1] = {ids};
	int rc, ok;

	if ((rc = init(e)) != 0)
		return rc;
	if (!old_password)
		return cf_err_set(e, CF_EINVAL, "old_password", "the old password is required");
	if ((rc = accounts_password_ok(new_password, "new_password", e)) != 0)
		return rc;
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	memset(&h, 0, sizeof h);
	rc = store_sql(s, "SELECT " USER_COLS ", u.password_hash FROM users u WHERE u.id = ?", p, 1, hash_row, &h, e);
	if (rc < 0)
		return rc;
	if (!h.found)
		return cf_err_set(e, CF_ENOTFOUND, NULL, "no user with id %lld", (long long)id);
	ok = crypto_pwhash_str_verify(h.hash, old_password, strlen(old_password)) == 0;
	sodium_memzero(h.hash, sizeof h.hash);
	if (!ok)
		return cf_err_set(e, CF_EAUTH, "old_password", "the old password is wrong");
	if (!strcmp(old_password, new_password))
		return cf_err_set(e, CF_EINVAL, "new_password", "the new password must differ from the old one");
	if ((rc = store_begin(s, e)) != 0)
		return rc;
	rc = set_password(s, id, new_password, keep_session, e);
	if (rc == 0)
		return store_commit(s, e);
	store_rollback(s);
	return rc;
}

void accounts_viewer(const acct_user *u, cf_viewer *v)
{
	memset(v, 0, sizeof *v);
	v->role = u->role;
	v->user_id = u->id;
	v->enterprise_id = u->role == ROLE_ENTERPRISE ? u->enterprise_id : 0;
	v->platform_id = u->role == ROLE_PLATFORM ? u->platform_id : 0;
	v->broker_id = u->role == ROLE_BROKER ? u->broker_id : 0;
}

/* ---- demo accounts --------------------------------------------------------------------- */

typedef struct demo_links {
	int64_t enterprise, other_enterprise, platform, broker;
} demo_links;

static int first_id_of_list(void *ctx, int ncols, const char *const *cols, const char *const *names)
{
	int64_t *v = ctx;
	(void)names;
	if (ncols >= 2 && cols[0] && cols[1]) {
		char *end;
		long long b;
		errno = 0;
		b = strtoll(cols[1], &end, 10);
		if (!errno && end != cols[1] && b > 0) {
			v[0] = to_i64(cols[0]);
			v[1] = (int64_t)b;
			return 1;
		}
	}
	return 0;
}

static int find_links(store *s, demo_links *l, cf_err *e)
{
	int64_t eb[2] = {0, 0};
	char ids[24];
	const char *p[1] = {ids};
	int rc;

	memset(l, 0, sizeof *l);
	rc = store_sql(s,
		       "SELECT enterprise_id, brokers FROM demands WHERE visibility = 'confidential' AND brokers IS NOT "
		       "NULL AND brokers <> '' ORDER BY id",
		       NULL, 0, first_id_of_list, eb, e);
	if (rc < 0)
		return rc;
	if (!eb[0])
		return cf_err_set(e, CF_ENOTFOUND, NULL,
				  "the database has no confidential demand naming a broker; run `chainfuse demo` first");
	l->enterprise = eb[0];
	l->broker = eb[1];
	snprintf(ids, sizeof ids, "%lld", (long long)l->enterprise);
	if ((rc = query_int(s, "SELECT id FROM enterprises WHERE id <> ? AND id IN (SELECT enterprise_id FROM demands) ORDER BY id",
			    p, 1, &l->other_enterprise, e)) != 0)
		return rc;
	if (!l->other_enterprise &&
	    (rc = query_int(s, "SELECT id FROM enterprises WHERE id <> ? ORDER BY id", p, 1, &l->other_enterprise, e)) != 0)
		return rc;
	if ((rc = query_int(s, "SELECT platform_id FROM achievements WHERE platform_id IS NOT NULL ORDER BY id", NULL, 0,
			    &l->platform, e)) != 0)
		return rc;
	if (!l->platform && (rc = query_int(s, "SELECT id FROM platforms ORDER BY id", NULL, 0, &l->platform, e)) != 0)
		return rc;
	if (!l->platform)
		return cf_err_set(e, CF_ENOTFOUND, NULL, "the database has no platform; run `chainfuse demo` first");
	if (!l->other_enterprise)
		return cf_err_set(e, CF_ENOTFOUND, NULL, "the database has only one enterprise; run `chainfuse demo` first");
	return 0;
}

/* The row id a demo account's "link" names. */
static int64_t link_id(const demo_links *l, const char *link)
{
	if (!link)
		return 0;
	if (!strcmp(link, "enterprise_with_confidential_demand"))
		return l->enterprise;
	if (!strcmp(link, "other_enterprise"))
		return l->other_enterprise;
	if (!strcmp(link, "platform_with_achievements"))
		return l->platform;
	if (!strcmp(link, "broker_named_by_confidential_demand"))
		return l->broker;
	return -1;
}

static int demo_file(json_t **accounts, json_t **root, cf_err *e)
{
	int rc = load_json("auth/demo_accounts.json", root, e);
	if (rc)
		return rc;
	*accounts = json_object_get(*root, "accounts");
	if (!json_is_array(*accounts)) {
		json_decref(*root);
		*root = NULL;
		return cf_err_set(e, CF_EINVAL, "auth/demo_accounts.json:$.accounts", "must be an array");
	}
	return 0;
}

int accounts_seed_demo(store *s, int *created, cf_err *e)
{
	json_t *root = NULL, *accs, *a;
	demo_links l;
	size_t i;
	int rc;

	*created = 0;
	if ((rc = init(e)) != 0)
		return rc;
	if ((rc = find_links(s, &l, e)) != 0)
		return rc;
	if ((rc = demo_file(&accs, &root, e)) != 0)
		return rc;
	json_array_foreach(accs, i, a)
	{
		acct_fields f;
		acct_user u;
		const char *link = json_string_value(json_object_get(a, "link"));
		int64_t id, lid;
		char where[80];

		memset(&f, 0, sizeof f);
		f.username = json_string_value(json_object_get(a, "username"));
		f.password = json_string_value(json_object_get(a, "password"));
		f.display_name = json_string_value(json_object_get(a, "display_name"));
		f.role = viewer_role_parse(json_string_value(json_object_get(a, "role")) ? json_string_value(json_object_get(a, "role")) : "");
		snprintf(where, sizeof where, "auth/demo_accounts.json:$.accounts[%zu]", i);
		lid = link_id(&l, link);
		if (!f.username || !f.password || f.role <= 0 || lid < 0) {
			rc = cf_err_set(e, CF_EINVAL, where, "needs username, password, a role and a known link");
			goto fail;
		}
		if (accounts_find(s, f.username, &u, NULL) == 0)
			continue;
		if (f.role == ROLE_ENTERPRISE)
			f.enterprise_id = lid;
		else if (f.role == ROLE_PLATFORM)
			f.platform_id = lid;
		else if (f.role == ROLE_BROKER)
			f.broker_id = lid;
		rc = accounts_create(s, &f, &id, e);
		if (rc) {
			char msg[512];
			snprintf(msg, sizeof msg, "%s", e->msg);
			cf_err_set(e, rc, where, "%s", msg);
			goto fail;
		}
		(*created)++;
	}
	rc = 0;
fail:
	json_decref(root);
	return rc;
}

int accounts_print_demo(store *s, FILE *f, cf_err *e)
{
	json_t *root = NULL, *accs, *a;
	size_t i;
	int rc;

	if ((rc = demo_file(&accs, &root, e)) != 0)
		return rc;
	fprintf(f, "演示账号 / demo accounts (log in at /):\n");
	fprintf(f, "  %-14s %-11s %-22s %s\n", "username", "role", "password", "acts for");
	json_array_foreach(accs, i, a)
	{
		const char *un = json_string_value(json_object_get(a, "username"));
		acct_user u;
		char link[64] = "-";
		if (!un)
			continue;
		if (accounts_find(s, un, &u, NULL) != 0) {
			fprintf(f, "  %-14s (not created: run `chainfuse user seed-demo`)\n", un);
			continue;
		}
		if (u.enterprise_id)
			snprintf(link, sizeof link, "enterprise %lld", (long long)u.enterprise_id);
		else if (u.platform_id)
			snprintf(link, sizeof link, "platform %lld", (long long)u.platform_id);
		else if (u.broker_id)
			snprintf(link, sizeof link, "broker %lld", (long long)u.broker_id);
		fprintf(f, "  %-14s %-11s %-22s %s\n", u.username, viewer_role_name(u.role),
			json_string_value(json_object_get(a, "password")) ? json_string_value(json_object_get(a, "password"))
									 : "?",
			link);
	}
	json_decref(root);
	return 0;
}

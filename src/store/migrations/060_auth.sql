-- 060_auth — what logins need beyond 002_accounts (auth room).
--
-- A session also carries its CSRF token (not a credential by itself: it is only accepted
-- together with the session cookie, and the browser UI must be able to read it back through
-- /api/v1/auth/me). Failed logins are recorded per account name and client address so that
-- the rate limit survives restarts and holds across worker threads; times are Unix seconds.

ALTER TABLE sessions ADD COLUMN csrf_token TEXT;

CREATE TABLE login_failures (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL,
	address TEXT NOT NULL,
	at_epoch BIGINT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at_epoch);
CREATE INDEX login_failures_address ON login_failures (address, at_epoch);

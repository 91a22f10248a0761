-- 002_accounts — users and their login sessions (for the login issue).
--
-- A user acts in one role (the names of model/viewer.c); enterprise, platform and broker
-- users are linked to the row they act for. Passwords are stored only as a libsodium
-- crypto_pwhash string; sessions only as a hash of the token, never the token itself.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('public', 'bureau', 'enterprise', 'platform', 'broker', 'expert', 'fund')),
	display_name TEXT,
	enterprise_id BIGINT REFERENCES enterprises (id),
	platform_id BIGINT REFERENCES platforms (id),
	broker_id BIGINT REFERENCES brokers (id),
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);
CREATE INDEX users_enterprise_id ON users (enterprise_id);
CREATE INDEX users_platform_id ON users (platform_id);
CREATE INDEX users_broker_id ON users (broker_id);

CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at TEXT NOT NULL,
	last_seen TEXT
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

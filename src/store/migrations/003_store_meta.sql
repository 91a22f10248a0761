-- 003_store_meta — the store's own settings: one row per key.
--
-- cursor_key: the random key (hex) that signs list cursors, so a cursor handed out by one
-- server process is accepted by every other one on the same database and a tampered
-- cursor is refused. Written by the store on first open.

CREATE TABLE store_meta (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

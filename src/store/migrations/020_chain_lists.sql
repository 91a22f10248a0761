-- 020_chain_lists — the chain-break list (断链断供风险点清单) and the choke-point technology
-- list (卡脖子清单) of each "5+5" chain, as computed by the chain analysis and edited by
-- the bureau. A recomputation rewrites only the computed columns (title, score, detail,
-- present, computed_at); origin, status and note belong to the bureau and survive it.
--
-- entry_key: the stable identity of an entry within (list, chain): "E<customer id>/<input>"
-- for a break point, the input name for a choke point, free text for a bureau entry.
-- score: output value at stake (fen). present: 1 when the latest computation found it.

CREATE TABLE chain_list_entries (
	id INTEGER PRIMARY KEY,
	list TEXT NOT NULL CHECK (list IN ('break', 'choke')),
	chain_id BIGINT NOT NULL REFERENCES chains (id),
	entry_key TEXT NOT NULL,
	title TEXT NOT NULL,
	enterprise_id BIGINT REFERENCES enterprises (id),
	input TEXT,
	score BIGINT NOT NULL DEFAULT 0,
	detail TEXT,
	origin TEXT NOT NULL CHECK (origin IN ('computed', 'bureau')),
	present INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed')),
	note TEXT,
	computed_at TEXT,
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE (list, chain_id, entry_key)
);
CREATE INDEX chain_list_entries_chain ON chain_list_entries (chain_id, list);

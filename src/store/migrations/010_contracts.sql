-- 010_contracts — technology contracts (四技), broker awards, bureau decisions, the serious
-- dishonesty list (严重失信名单) and the policy fulfilment ledger (兑付台账). Owned by the
-- policy room; service/contracts.c and service/ledger.c are the only writers.
--
-- Money is BIGINT fen, dates INTEGER days since 1970-01-01, shares INTEGER basis points.
-- Parties are enterprises by USCC (not by row id: the award must stay reproducible even if a
-- registry row is edited); brokers by id. ledger_entries is append-only: rows are never
-- updated or deleted by the program, and `chainfuse ledger verify` detects when they are.

CREATE TABLE contracts (
	id INTEGER PRIMARY KEY,
	reg_no TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL CHECK (type IN ('技术开发', '技术转让', '技术咨询', '技术服务')),
	title TEXT NOT NULL,
	buyer_uscc TEXT NOT NULL,
	seller_uscc TEXT NOT NULL,
	amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
	sign_date INTEGER NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('registered', 'approved', 'paid', 'fraud')),
	policy_id TEXT,
	award_fen BIGINT,
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX contracts_sign_date ON contracts (sign_date);
CREATE INDEX contracts_status ON contracts (status);

CREATE TABLE contract_brokers (
	contract_id BIGINT NOT NULL REFERENCES contracts (id),
	broker_id BIGINT NOT NULL REFERENCES brokers (id),
	seq INTEGER NOT NULL,
	share_bp INTEGER NOT NULL CHECK (share_bp BETWEEN 0 AND 10000),
	PRIMARY KEY (contract_id, broker_id)
);
CREATE INDEX contract_brokers_broker ON contract_brokers (broker_id);

CREATE TABLE awards (
	id INTEGER PRIMARY KEY,
	contract_id BIGINT NOT NULL REFERENCES contracts (id),
	broker_id BIGINT NOT NULL REFERENCES brokers (id),
	policy_id TEXT NOT NULL,
	year INTEGER NOT NULL,
	split_fen BIGINT NOT NULL CHECK (split_fen >= 0),
	grant_fen BIGINT NOT NULL CHECK (grant_fen >= 0),
	status TEXT NOT NULL CHECK (status IN ('committed', 'withheld', 'paid', 'clawed_back')),
	reason TEXT NOT NULL,
	commitment_seq BIGINT,
	UNIQUE (contract_id, broker_id)
);
CREATE INDEX awards_broker_year ON awards (broker_id, year);

CREATE TABLE decisions (
	id INTEGER PRIMARY KEY,
	contract_id BIGINT NOT NULL REFERENCES contracts (id),
	kind TEXT NOT NULL CHECK (kind IN ('override', 'fraud')),
	reason TEXT NOT NULL,
	officer TEXT NOT NULL,
	flags TEXT NOT NULL,
	decided_on INTEGER NOT NULL,
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX decisions_contract ON decisions (contract_id);

CREATE TABLE dishonesty_list (
	id INTEGER PRIMARY KEY,
	party TEXT NOT NULL,
	party_kind TEXT NOT NULL CHECK (party_kind IN ('enterprise', 'broker')),
	reason TEXT NOT NULL,
	decision_id BIGINT REFERENCES decisions (id),
	policy_id TEXT NOT NULL,
	start_date INTEGER NOT NULL,
	end_date INTEGER NOT NULL CHECK (end_date >= start_date)
);
CREATE INDEX dishonesty_list_party ON dishonesty_list (party, end_date);

CREATE TABLE ledger_entries (
	seq BIGINT PRIMARY KEY,
	kind TEXT NOT NULL,
	policy_id TEXT NOT NULL,
	subject TEXT NOT NULL,
	party TEXT NOT NULL,
	amount_fen BIGINT NOT NULL,
	day INTEGER NOT NULL,
	due INTEGER,
	ref_seq BIGINT NOT NULL,
	memo TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);

-- 030_analytics (metrics room): yearly facts the analytics need and the registry's current
-- state cannot give: each enterprise's ladder status and amounts per year, each platform's
-- assessment indicators per year, and imported indicator series (U1./U2. names).

CREATE TABLE enterprise_years (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
	above_scale INTEGER NOT NULL DEFAULT 0 CHECK (above_scale IN (0, 1)),
	tech_sme INTEGER NOT NULL DEFAULT 0 CHECK (tech_sme IN (0, 1)),
	high_tech INTEGER NOT NULL DEFAULT 0 CHECK (high_tech IN (0, 1)),
	little_giant INTEGER NOT NULL DEFAULT 0 CHECK (little_giant IN (0, 1)),
	leading INTEGER NOT NULL DEFAULT 0 CHECK (leading IN (0, 1)),
	output_value BIGINT,
	value_added BIGINT,
	rd_expense BIGINT,
	UNIQUE (enterprise_id, year)
);
CREATE INDEX enterprise_years_year ON enterprise_years (year);

CREATE TABLE platform_years (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	platform_id BIGINT NOT NULL REFERENCES platforms (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
	local_contracts BIGINT NOT NULL DEFAULT 0 CHECK (local_contracts >= 0),
	spinoffs INTEGER NOT NULL DEFAULT 0 CHECK (spinoffs >= 0),
	patents_transferred INTEGER NOT NULL DEFAULT 0 CHECK (patents_transferred >= 0),
	own_revenue_share INTEGER NOT NULL DEFAULT 0 CHECK (own_revenue_share BETWEEN 0 AND 10000),
	cross_county INTEGER NOT NULL DEFAULT 0 CHECK (cross_county >= 0),
	UNIQUE (platform_id, year)
);
CREATE INDEX platform_years_year ON platform_years (year);

CREATE TABLE indicator_series (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	name TEXT NOT NULL,
	year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
	value DOUBLE PRECISION NOT NULL,
	source TEXT,
	UNIQUE (name, year)
);

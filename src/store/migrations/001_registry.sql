-- 001_registry — one table per registry entity (src/model/entities.c), column for column.
--
-- Columns: id, synthetic (1 for generated demo rows), the entity's fields in field-table
-- order, created_at, updated_at. Money, integers and references are BIGINT; dates (days
-- since 1970-01-01), booleans (0/1) and percents (basis points) INTEGER; everything else
-- TEXT (id lists as "3,5,9"). NOT NULL marks F_REQUIRED, UNIQUE marks F_UNIQUE, references
-- have no cascade: deleting a referenced row fails. Indexes cover references and the
-- filter/sort fields (booleans excepted). Portable SQL: the PostgreSQL backend rewrites
-- "INTEGER PRIMARY KEY" into an identity column. tests/unit/store/sqlite.c keeps this file
-- in step with the schema.

-- industry (国民经济行业分类)
CREATE TABLE industries (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('section', 'division', 'group', 'class')),
	parent TEXT,
	section TEXT NOT NULL,
	description TEXT,
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX industries_name ON industries (name);
CREATE INDEX industries_level ON industries (level);
CREATE INDEX industries_parent ON industries (parent);
CREATE INDEX industries_section ON industries (section);

-- chain (5+5产业)
CREATE TABLE chains (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	name TEXT NOT NULL UNIQUE,
	name_en TEXT,
	kind TEXT NOT NULL CHECK (kind IN ('pillar', 'emerging')),
	industry_codes TEXT,
	description TEXT,
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX chains_kind ON chains (kind);

-- segment (产业链环节)
CREATE TABLE segments (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	chain_id BIGINT NOT NULL REFERENCES chains (id),
	name TEXT NOT NULL,
	position TEXT NOT NULL CHECK (position IN ('upstream', 'midstream', 'downstream')),
	seq BIGINT CHECK (seq BETWEEN 0 AND 1000),
	products TEXT,
	industry_code TEXT,
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX segments_chain_id ON segments (chain_id);
CREATE INDEX segments_name ON segments (name);
CREATE INDEX segments_position ON segments (position);
CREATE INDEX segments_seq ON segments (seq);
CREATE INDEX segments_industry_code ON segments (industry_code);

-- enterprise (企业)
CREATE TABLE enterprises (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	uscc TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	county TEXT NOT NULL CHECK (county IN ('鹿城区', '龙湾区', '瓯海区', '洞头区', '瑞安市', '乐清市', '龙港市', '永嘉县', '平阳县', '苍南县', '文成县', '泰顺县')),
	industry_code TEXT NOT NULL,
	chain_id BIGINT REFERENCES chains (id),
	segment_id BIGINT REFERENCES segments (id),
	legal_rep TEXT,
	revenue BIGINT,
	output_value BIGINT,
	value_added BIGINT,
	rd_expense BIGINT,
	employees BIGINT CHECK (employees BETWEEN 0 AND 10000000),
	founded INTEGER,
	above_scale INTEGER CHECK (above_scale IN (0, 1)),
	micro INTEGER CHECK (micro IN (0, 1)),
	tech_sme INTEGER CHECK (tech_sme IN (0, 1)),
	high_tech INTEGER CHECK (high_tech IN (0, 1)),
	little_giant INTEGER CHECK (little_giant IN (0, 1)),
	rd_centre TEXT CHECK (rd_centre IN ('none', 'city', 'province')),
	leading INTEGER CHECK (leading IN (0, 1)),
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enterprises_name ON enterprises (name);
CREATE INDEX enterprises_county ON enterprises (county);
CREATE INDEX enterprises_industry_code ON enterprises (industry_code);
CREATE INDEX enterprises_chain_id ON enterprises (chain_id);
CREATE INDEX enterprises_segment_id ON enterprises (segment_id);
CREATE INDEX enterprises_revenue ON enterprises (revenue);
CREATE INDEX enterprises_output_value ON enterprises (output_value);
CREATE INDEX enterprises_value_added ON enterprises (value_added);
CREATE INDEX enterprises_rd_expense ON enterprises (rd_expense);
CREATE INDEX enterprises_employees ON enterprises (employees);
CREATE INDEX enterprises_founded ON enterprises (founded);
CREATE INDEX enterprises_rd_centre ON enterprises (rd_centre);

-- shareholder (股东)
CREATE TABLE shareholders (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	holder_kind TEXT NOT NULL CHECK (holder_kind IN ('person', 'entity')),
	holder_name TEXT NOT NULL,
	holder_uscc TEXT,
	share INTEGER NOT NULL CHECK (share BETWEEN 0 AND 10000),
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX shareholders_enterprise_id ON shareholders (enterprise_id);
CREATE INDEX shareholders_holder_kind ON shareholders (holder_kind);
CREATE INDEX shareholders_holder_name ON shareholders (holder_name);
CREATE INDEX shareholders_holder_uscc ON shareholders (holder_uscc);
CREATE INDEX shareholders_share ON shareholders (share);

-- platform (创新平台)
CREATE TABLE platforms (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	name TEXT NOT NULL UNIQUE,
	co_builder TEXT,
	positioning TEXT NOT NULL CHECK (positioning IN ('基础研究', '技术创新', '产业服务', '成果转化')),
	stage TEXT NOT NULL CHECK (stage IN ('筹建期', '建设期', '运行期', '成熟期')),
	support BIGINT,
	industries TEXT,
	industry_code TEXT,
	county TEXT NOT NULL CHECK (county IN ('鹿城区', '龙湾区', '瓯海区', '洞头区', '瑞安市', '乐清市', '龙港市', '永嘉县', '平阳县', '苍南县', '文成县', '泰顺县')),
	market_based INTEGER CHECK (market_based IN (0, 1)),
	high_level INTEGER CHECK (high_level IN (0, 1)),
	rd_level TEXT CHECK (rd_level IN ('none', 'city', 'province')),
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX platforms_positioning ON platforms (positioning);
CREATE INDEX platforms_stage ON platforms (stage);
CREATE INDEX platforms_support ON platforms (support);
CREATE INDEX platforms_industry_code ON platforms (industry_code);
CREATE INDEX platforms_county ON platforms (county);
CREATE INDEX platforms_rd_level ON platforms (rd_level);

-- broker (技术经纪人)
CREATE TABLE brokers (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	name TEXT NOT NULL,
	certificate TEXT UNIQUE,
	level TEXT NOT NULL CHECK (level IN ('初级', '中级', '高级')),
	training_hours BIGINT CHECK (training_hours BETWEEN 0 AND 100000),
	employer_uscc TEXT,
	employer_name TEXT,
	county TEXT CHECK (county IN ('鹿城区', '龙湾区', '瓯海区', '洞头区', '瑞安市', '乐清市', '龙港市', '永嘉县', '平阳县', '苍南县', '文成县', '泰顺县')),
	status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX brokers_name ON brokers (name);
CREATE INDEX brokers_level ON brokers (level);
CREATE INDEX brokers_training_hours ON brokers (training_hours);
CREATE INDEX brokers_employer_uscc ON brokers (employer_uscc);
CREATE INDEX brokers_county ON brokers (county);
CREATE INDEX brokers_status ON brokers (status);

-- achievement (科技成果)
CREATE TABLE achievements (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	title TEXT NOT NULL,
	abstract TEXT,
	keywords TEXT,
	platform_id BIGINT REFERENCES platforms (id),
	owner_name TEXT,
	patents TEXT,
	ipc TEXT,
	industry_code TEXT,
	chain_stage TEXT CHECK (chain_stage IN ('基础研究', '应用研究', '试验与发展', '试制改进')),
	trl BIGINT CHECK (trl BETWEEN 1 AND 9),
	deal_mode TEXT CHECK (deal_mode IN ('转让', '许可', '作价入股', '合作开发')),
	price BIGINT,
	county TEXT CHECK (county IN ('鹿城区', '龙湾区', '瓯海区', '洞头区', '瑞安市', '乐清市', '龙港市', '永嘉县', '平阳县', '苍南县', '文成县', '泰顺县')),
	visibility TEXT NOT NULL CHECK (visibility IN ('public', 'brokers')),
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX achievements_title ON achievements (title);
CREATE INDEX achievements_platform_id ON achievements (platform_id);
CREATE INDEX achievements_ipc ON achievements (ipc);
CREATE INDEX achievements_industry_code ON achievements (industry_code);
CREATE INDEX achievements_chain_stage ON achievements (chain_stage);
CREATE INDEX achievements_trl ON achievements (trl);
CREATE INDEX achievements_deal_mode ON achievements (deal_mode);
CREATE INDEX achievements_price ON achievements (price);
CREATE INDEX achievements_county ON achievements (county);
CREATE INDEX achievements_visibility ON achievements (visibility);

-- demand (技术需求)
CREATE TABLE demands (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	title TEXT NOT NULL,
	description TEXT,
	budget BIGINT,
	deadline INTEGER,
	industry_code TEXT,
	chain_id BIGINT REFERENCES chains (id),
	segment_id BIGINT REFERENCES segments (id),
	product TEXT,
	break_point TEXT,
	visibility TEXT NOT NULL CHECK (visibility IN ('public', 'brokers', 'confidential')),
	brokers TEXT,
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX demands_enterprise_id ON demands (enterprise_id);
CREATE INDEX demands_title ON demands (title);
CREATE INDEX demands_budget ON demands (budget);
CREATE INDEX demands_deadline ON demands (deadline);
CREATE INDEX demands_industry_code ON demands (industry_code);
CREATE INDEX demands_chain_id ON demands (chain_id);
CREATE INDEX demands_segment_id ON demands (segment_id);
CREATE INDEX demands_visibility ON demands (visibility);

-- instrument (高端仪器设备)
CREATE TABLE instruments (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	name TEXT NOT NULL,
	model TEXT,
	platform_id BIGINT REFERENCES platforms (id),
	category TEXT,
	description TEXT,
	fee_per_hour BIGINT,
	county TEXT CHECK (county IN ('鹿城区', '龙湾区', '瓯海区', '洞头区', '瑞安市', '乐清市', '龙港市', '永嘉县', '平阳县', '苍南县', '文成县', '泰顺县')),
	shareable INTEGER CHECK (shareable IN (0, 1)),
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX instruments_name ON instruments (name);
CREATE INDEX instruments_platform_id ON instruments (platform_id);
CREATE INDEX instruments_category ON instruments (category);
CREATE INDEX instruments_fee_per_hour ON instruments (fee_per_hour);
CREATE INDEX instruments_county ON instruments (county);

-- team (人才团队)
CREATE TABLE teams (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	name TEXT NOT NULL,
	leader TEXT,
	platform_id BIGINT REFERENCES platforms (id),
	field TEXT,
	industry_code TEXT,
	members BIGINT CHECK (members BETWEEN 1 AND 10000),
	county TEXT CHECK (county IN ('鹿城区', '龙湾区', '瓯海区', '洞头区', '瑞安市', '乐清市', '龙港市', '永嘉县', '平阳县', '苍南县', '文成县', '泰顺县')),
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX teams_name ON teams (name);
CREATE INDEX teams_platform_id ON teams (platform_id);
CREATE INDEX teams_industry_code ON teams (industry_code);
CREATE INDEX teams_members ON teams (members);
CREATE INDEX teams_county ON teams (county);

-- supply (供应关系)
CREATE TABLE supplies (
	id INTEGER PRIMARY KEY,
	synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
	supplier_id BIGINT REFERENCES enterprises (id),
	supplier_name TEXT NOT NULL,
	customer_id BIGINT NOT NULL REFERENCES enterprises (id),
	input TEXT NOT NULL,
	share INTEGER CHECK (share BETWEEN 0 AND 10000),
	region TEXT NOT NULL CHECK (region IN ('local', 'domestic', 'foreign')),
	grade TEXT NOT NULL CHECK (grade IN ('high', 'standard', 'low')),
	value BIGINT,
	created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX supplies_supplier_id ON supplies (supplier_id);
CREATE INDEX supplies_customer_id ON supplies (customer_id);
CREATE INDEX supplies_input ON supplies (input);
CREATE INDEX supplies_region ON supplies (region);
CREATE INDEX supplies_grade ON supplies (grade);
CREATE INDEX supplies_value ON supplies (value);


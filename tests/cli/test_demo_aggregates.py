"""`chainfuse demo`: the generated Wenzhou dataset must carry the paper's figures exactly
(Xia 2021: 表1 for 2018, §一.1 for 2021.9, §二.3 for the value-added shares), be
deterministic per seed, be marked synthetic everywhere, and be internally consistent.
The expected numbers below are the paper's, written here independently of data/demo/profile.json."""
import csv
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import ROOT, run_cf

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
COUNTIES = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市", "龙港市",
            "永嘉县", "平阳县", "苍南县", "文成县", "泰顺县"]
PILLARS = {"电气", "鞋业", "服装", "汽摩配", "泵阀"}
EMERGING = {"数字经济", "智能装备", "生命健康", "新能源网联汽车", "新材料"}
TABLES = ["industries", "chains", "segments", "enterprises", "shareholders", "platforms", "brokers",
          "achievements", "demands", "instruments", "teams", "supplies"]
WAN_FEN = 10000 * 100            # 1 万元 in fen
MICRO_LIMIT_FEN = 20_000_000 * 100  # §二.1: 小微 = output below 20,000,000 yuan


def uscc_ok(code):
    if code is None or len(code) != 18 or any(c not in USCC_CHARS for c in code):
        return False
    s = sum(USCC_CHARS.index(c) * w for c, w in zip(code[:17], USCC_W))
    return USCC_CHARS[(31 - s % 31) % 31] == code[17]


def round1(x):
    """Rounds half up to one decimal, as the paper's tables do."""
    return int(x * 10 + 0.5) / 10


def dump(db):
    """Every entity table's rows without the store's timestamps, as text."""
    con = sqlite3.connect(db)
    out = []
    for t in TABLES:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] not in ("created_at", "updated_at")]
        out.append(f"## {t}")
        for row in con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY id"):
            out.append("|".join("" if v is None else str(v) for v in row))
    con.close()
    return "\n".join(out)


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    """Seed 1 into a.db; seed 2 into b.db, dumped, then seed 1 again over it with --force."""
    d = tmp_path_factory.mktemp("demo")
    a, b = d / "a.db", d / "b.db"
    p = run_cf("demo", "--db", a, "--seed", 1)
    assert p.returncode == 0, p.stderr
    p2 = run_cf("demo", "--db", b, "--seed", 2)
    assert p2.returncode == 0, p2.stderr
    dump_b2 = dump(b)
    refused = run_cf("demo", "--db", b, "--seed", 1)
    dump_b2_after = dump(b)
    forced = run_cf("demo", "--db", b, "--seed", 1, "--force")
    assert forced.returncode == 0, forced.stderr
    return {"a": a, "b": b, "out": p.stdout, "err": p.stderr, "dump_b2": dump_b2, "refused": refused,
            "dump_b2_after": dump_b2_after}


@pytest.fixture(scope="module")
def db(gen):
    con = sqlite3.connect(gen["a"])
    yield con
    con.close()


def one(con, sql, *args):
    return con.execute(sql, args).fetchone()[0]


# ---- 表1: 2018年末温州工业企业 ----

def test_enterprise_count_is_table1(db):
    assert one(db, "SELECT count(*) FROM enterprises") == 79437


def test_enterprises_are_industrial_sections_b_c_d(db):
    rows = db.execute("SELECT i.section, count(*) FROM enterprises e JOIN industries i ON i.code = e.industry_code "
                      "GROUP BY i.section").fetchall()
    secs = dict(rows)
    assert set(secs) == {"B", "C", "D"}
    assert sum(secs.values()) == 79437  # every code resolves to a row of the industry table
    assert one(db, "SELECT count(*) FROM enterprises e JOIN industries i ON i.code = e.industry_code "
                   "WHERE i.level = 'class'") == 79437


def test_above_scale_count_is_table1(db):
    assert one(db, "SELECT count(*) FROM enterprises WHERE above_scale = 1") == 4618


def test_micro_share_is_table1(db):
    micro = one(db, "SELECT count(*) FROM enterprises WHERE micro = 1")
    assert round1(micro * 100 / 79437) == 94.2


def test_value_added_total_is_exactly_1921_yi(db):
    # 1 921 亿元 = 192,100,000,000.00 yuan, summed exactly in fen
    assert one(db, "SELECT sum(value_added) FROM enterprises") == 192_100_000_000 * 100


def test_average_value_added(db):
    # 表1 prints 241.9 万元/家 from an unrounded total; with exactly 1 921 亿元 it is 241.83.
    avg_wan = one(db, "SELECT sum(value_added) FROM enterprises") / 79437 / WAN_FEN
    assert round(avg_wan, 2) == 241.83


# ---- §一.1 (2021.9) ----

def test_tech_sme_and_high_tech_counts(db):
    assert one(db, "SELECT count(*) FROM enterprises WHERE tech_sme = 1") == 12494
    assert one(db, "SELECT count(*) FROM enterprises WHERE high_tech = 1") == 2404


def test_little_giants(db):
    assert one(db, "SELECT count(*) FROM enterprises WHERE little_giant = 1") == 52


def test_rd_centres(db):
    assert one(db, "SELECT count(*) FROM enterprises WHERE rd_centre = 'province'") == 484
    assert one(db, "SELECT count(*) FROM enterprises WHERE rd_centre = 'city'") == 1556
    assert one(db, "SELECT count(*) FROM enterprises WHERE rd_centre NOT IN ('none', 'city', 'province')") == 0


def test_platforms_49_with_the_papers_names(db):
    assert one(db, "SELECT count(*) FROM platforms WHERE high_level = 1") == 49
    assert one(db, "SELECT count(*) FROM platforms") == 49
    names = {r[0] for r in db.execute("SELECT name FROM platforms")}
    for real in ("中国科学院大学温州研究院", "浙江大学温州研究院", "瓯江实验室", "中国眼谷"):
        assert real in names
    generated = [n for n in names if n not in ("中国科学院大学温州研究院", "浙江大学温州研究院", "瓯江实验室", "中国眼谷")]
    assert len(generated) == 45 and all(n.endswith("（合成）") for n in generated)


# ---- §二.3: value added of the pillar and emerging industries within 规上 ----

def test_pillar_and_emerging_value_added_shares(db):
    tot = one(db, "SELECT sum(value_added) FROM enterprises WHERE above_scale = 1")
    by = dict(db.execute("SELECT c.kind, sum(e.value_added) FROM enterprises e JOIN chains c ON c.id = e.chain_id "
                         "WHERE e.above_scale = 1 GROUP BY c.kind").fetchall())
    assert round1(by["pillar"] * 100 / tot) == 46.0
    assert round1(by["emerging"] * 100 / tot) == 26.4


# ---- the "5+5" chains ----

def test_five_plus_five_chains_and_segments(db):
    kinds = dict(db.execute("SELECT name, kind FROM chains").fetchall())
    assert {k for k, v in kinds.items() if v == "pillar"} == PILLARS
    assert {k for k, v in kinds.items() if v == "emerging"} == EMERGING
    for (cid,) in db.execute("SELECT id FROM chains"):
        pos = {r[0] for r in db.execute("SELECT position FROM segments WHERE chain_id = ?", (cid,))}
        assert {"upstream", "downstream"} <= pos
    # every segment's class code is in the industry table, as a 4-digit class
    assert one(db, "SELECT count(*) FROM segments s LEFT JOIN industries i ON i.code = s.industry_code "
                   "WHERE i.id IS NULL OR i.level <> 'class' OR length(s.industry_code) <> 4") == 0
    # a firm's segment belongs to its chain and carries its class
    assert one(db, "SELECT count(*) FROM enterprises e JOIN segments s ON s.id = e.segment_id "
                   "WHERE s.chain_id <> e.chain_id OR s.industry_code <> e.industry_code") == 0


def test_industry_classes_match_the_standard(db, shared_data):
    f = shared_data / "gbt4754-2017" / "gbt4754_2017_flat.csv"
    if not f.exists():
        pytest.skip(f"{f} not found")
    std = {r["code"]: r for r in csv.DictReader(open(f, encoding="utf-8"))}
    rows = db.execute("SELECT code, name, parent, section FROM industries WHERE level IN ('class', 'group')").fetchall()
    assert len(rows) >= 100
    for code, name, parent, section in rows:
        assert code in std, code
        assert (std[code]["name"], std[code]["parent_code"], std[code]["section"]) == (name, parent, section)


def test_counties_are_wenzhous_twelve(db):
    used = {r[0] for r in db.execute("SELECT DISTINCT county FROM enterprises")}
    assert used == set(COUNTIES)
    # 乐清 (electrical) is the largest by firm count, the mountain counties the smallest
    counts = dict(db.execute("SELECT county, count(*) FROM enterprises GROUP BY county").fetchall())
    assert max(counts, key=counts.get) in ("乐清市", "瑞安市")
    assert counts["文成县"] < counts["瑞安市"] / 5


# ---- consistency of flags and money ----

def test_flags_consistent(db):
    assert one(db, "SELECT count(*) FROM enterprises WHERE above_scale = 1 AND micro = 1") == 0
    assert one(db, "SELECT count(*) FROM enterprises WHERE micro = 1 AND output_value >= ?", MICRO_LIMIT_FEN) == 0
    assert one(db, "SELECT count(*) FROM enterprises WHERE micro = 0 AND output_value < ?", MICRO_LIMIT_FEN) == 0
    assert one(db, "SELECT count(*) FROM enterprises WHERE above_scale = 1 AND revenue < ?", MICRO_LIMIT_FEN) == 0
    assert one(db, "SELECT count(*) FROM enterprises WHERE above_scale = 0 AND revenue >= ?", MICRO_LIMIT_FEN) == 0
    assert one(db, "SELECT count(*) FROM enterprises WHERE little_giant = 1 AND "
                   "(high_tech = 0 OR above_scale = 0)") == 0
    both = one(db, "SELECT count(*) FROM enterprises WHERE high_tech = 1 AND tech_sme = 1")
    assert both / 2404 >= 0.85  # a high-tech firm is mostly also a tech SME
    assert one(db, "SELECT count(*) FROM enterprises WHERE leading = 1 AND above_scale = 0") == 0
    assert one(db, "SELECT count(*) FROM enterprises WHERE value_added <= 0 OR value_added > output_value "
                   "OR rd_expense < 0 OR rd_expense > revenue OR employees < 1") == 0


def test_every_row_is_synthetic(db):
    for t in TABLES:
        n = one(db, f"SELECT count(*) FROM {t}")
        assert n > 0, t
        if t == "industries":
            # the standard's built-in sections and divisions are reference data, not generated;
            # the class rows the demo adds are marked synthetic
            assert one(db, "SELECT count(*) FROM industries WHERE level IN ('class', 'group') AND synthetic <> 1") == 0
            # a tree: every parent is a row
            assert one(db, "SELECT count(*) FROM industries i LEFT JOIN industries p ON p.code = i.parent "
                           "WHERE i.parent IS NOT NULL AND i.parent <> '' AND p.id IS NULL") == 0
            assert one(db, "SELECT count(*) FROM industries WHERE synthetic = 0 AND level NOT IN "
                           "('section', 'division')") == 0
            assert one(db, "SELECT count(*) FROM industries WHERE level = 'section'") == 20
            continue
        assert one(db, f"SELECT count(*) FROM {t} WHERE synthetic <> 1") == 0, t


def test_usccs_valid_and_unique(db):
    codes = [r[0] for r in db.execute("SELECT uscc FROM enterprises")]
    assert len(codes) == len(set(codes)) == 79437
    assert all(uscc_ok(c) for c in codes)
    # the division code of the USCC is the firm's county's
    for (c,) in db.execute("SELECT substr(uscc, 3, 6) FROM enterprises GROUP BY 1"):
        assert c.startswith("3303")
    others = [r[0] for r in db.execute("SELECT holder_uscc FROM shareholders WHERE holder_uscc IS NOT NULL "
                                       "UNION SELECT employer_uscc FROM brokers WHERE employer_uscc IS NOT NULL")]
    assert others and all(uscc_ok(c) for c in others)


def test_uscc_check_agrees_with_the_cli(db, cf):
    code = one(db, "SELECT uscc FROM enterprises ORDER BY id LIMIT 1")
    p = cf("uscc", "check", code)
    assert p.returncode == 0 and p.stdout.strip() == "valid"


# ---- shareholders and related parties ----

def test_shareholders_sum_to_100_percent(db):
    bad = one(db, "SELECT count(*) FROM (SELECT enterprise_id, sum(share) s FROM shareholders "
                  "GROUP BY enterprise_id HAVING s <> 10000)")
    assert bad == 0
    assert one(db, "SELECT count(DISTINCT enterprise_id) FROM shareholders") == 79437
    assert one(db, "SELECT count(*) FROM enterprises WHERE legal_rep IS NULL OR legal_rep = ''") == 0


def test_related_party_structures_exist(db):
    # a firm holding shares in another (directly), found through the USCC
    direct = one(db, "SELECT count(*) FROM shareholders s JOIN enterprises h ON h.uscc = s.holder_uscc "
                     "WHERE s.holder_kind = 'entity' AND h.id <> s.enterprise_id")
    assert direct >= 8
    # a chain of holdings A -> C -> B
    chained = one(db, "SELECT count(*) FROM shareholders s1 JOIN enterprises c ON c.uscc = s1.holder_uscc "
                      "JOIN shareholders s2 ON s2.enterprise_id = c.id AND s2.holder_kind = 'entity'")
    assert chained >= 1
    # brokers working for an enterprise
    assert one(db, "SELECT count(*) FROM brokers b JOIN enterprises e ON e.uscc = b.employer_uscc") > 0


# ---- supply relations ----

def test_supply_relations(db):
    # multi-input customers
    assert one(db, "SELECT count(*) FROM (SELECT customer_id FROM supplies GROUP BY customer_id "
                   "HAVING count(DISTINCT input) >= 2)") >= 500
    # shares of the sources of one input add up to 100%
    assert one(db, "SELECT count(*) FROM (SELECT customer_id, input, sum(share) s FROM supplies "
                   "GROUP BY customer_id, input HAVING s <> 10000)") == 0
    # single-source inputs exist, some of them from abroad (absolute risk points)
    single = one(db, "SELECT count(*) FROM (SELECT customer_id, input FROM supplies GROUP BY customer_id, input "
                     "HAVING count(*) = 1)")
    assert single >= 100
    foreign_single = one(db, "SELECT count(*) FROM (SELECT customer_id, input, max(region) r FROM supplies "
                             "GROUP BY customer_id, input HAVING count(*) = 1 AND r = 'foreign')")
    assert foreign_single >= 10
    regions = {r[0] for r in db.execute("SELECT DISTINCT region FROM supplies")}
    assert regions == {"local", "domestic", "foreign"}
    # local sources are registry firms; outside sources only have names
    assert one(db, "SELECT count(*) FROM supplies WHERE region = 'local' AND supplier_id IS NULL") == 0
    assert one(db, "SELECT count(*) FROM supplies WHERE region <> 'local' AND supplier_id IS NOT NULL") == 0


# ---- achievements, demands, brokers ----

def test_achievements_and_demands(db):
    assert one(db, "SELECT count(*) FROM achievements") >= 3000
    assert one(db, "SELECT count(*) FROM demands") >= 2500
    vis = dict(db.execute("SELECT visibility, count(*) FROM demands GROUP BY 1").fetchall())
    assert set(vis) == {"public", "brokers", "confidential"}
    assert set(dict(db.execute("SELECT visibility, count(*) FROM achievements GROUP BY 1").fetchall())) == \
        {"public", "brokers"}
    # confidential demands name brokers that exist; others name none
    broker_ids = {r[0] for r in db.execute("SELECT id FROM brokers")}
    for (lst,) in db.execute("SELECT brokers FROM demands WHERE visibility = 'confidential'"):
        ids = [int(x) for x in lst.split(",")]
        assert ids and set(ids) <= broker_ids and ids == sorted(set(ids))
    assert one(db, "SELECT count(*) FROM demands WHERE visibility <> 'confidential' AND brokers IS NOT NULL") == 0
    # Chinese technical text composed from the chain's terms
    t = one(db, "SELECT abstract FROM achievements ORDER BY id LIMIT 1")
    assert "技术成熟度TRL" in t and len(t) > 60
    assert one(db, "SELECT count(*) FROM achievements WHERE trl NOT BETWEEN 1 AND 9") == 0
    assert one(db, "SELECT count(*) FROM achievements WHERE "
                   "(trl <= 3 AND chain_stage <> '基础研究') OR (trl >= 8 AND chain_stage <> '试制改进')") == 0
    assert one(db, "SELECT count(DISTINCT title) FROM achievements") > 2000


def test_brokers_instruments_teams(db):
    levels = {r[0] for r in db.execute("SELECT DISTINCT level FROM brokers")}
    assert levels == {"初级", "中级", "高级"}
    assert one(db, "SELECT count(DISTINCT certificate) FROM brokers") == one(db, "SELECT count(*) FROM brokers")
    assert one(db, "SELECT count(*) FROM instruments i LEFT JOIN platforms p ON p.id = i.platform_id "
                   "WHERE p.id IS NULL") == 0
    assert one(db, "SELECT count(*) FROM teams") > 0


# ---- determinism, refusal, --force ----

def test_same_seed_same_data_different_seed_different(gen):
    a = dump(gen["a"])
    b = dump(gen["b"])  # seed 2 replaced by seed 1 with --force
    assert a == b
    assert gen["dump_b2"] != a
    assert len(gen["dump_b2"]) > 1000000


def test_refuses_non_empty_database_without_force(gen):
    p = gen["refused"]
    assert p.returncode == 1
    assert "--force" in p.stderr and p.stderr.startswith("chainfuse demo: ")
    assert gen["dump_b2_after"] == gen["dump_b2"]  # nothing touched


def test_summary_output_and_quiet_in_pipes(gen):
    lines = gen["out"].splitlines()
    assert lines[0].startswith("demo: seed 1, ")
    assert any(l.split() == ["enterprises", "79437"] for l in lines)
    assert any(l.split() == ["platforms", "49"] for l in lines)
    assert gen["err"] == ""  # no progress bar when stderr is not a terminal


def test_help_and_usage(cf, tmp_path):
    p = cf("demo", "--help")
    assert p.returncode == 0 and "--seed" in p.stdout and "--force" in p.stdout
    p = cf("demo", "--db", tmp_path / "x.db", "--seed", "abc")
    assert p.returncode == 2
    p = cf("demo", "--bogus")
    assert p.returncode == 2


def test_profile_holds_the_papers_figures():
    prof = json.loads((ROOT / "data" / "demo" / "profile.json").read_text(encoding="utf-8"))
    t = prof["targets"]
    assert t["enterprises"]["value"] == 79437 and "表1" in t["enterprises"]["source"]
    assert t["above_scale"]["value"] == 4618
    assert t["value_added_yuan"]["value"] == "192100000000.00"
    assert t["platforms"]["value"] == 49
    assert all("source" in v for v in t.values())

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
EXTRA = {"contracts": "id", "contract_brokers": "contract_id, seq", "awards": "id", "decisions": "id",
         "dishonesty_list": "id", "ledger_entries": "seq", "enterprise_years": "id", "platform_years": "id",
         "indicator_series": "id"}
KINDS = {"技术开发", "技术转让", "技术咨询", "技术服务"}
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
    for t in TABLES + list(EXTRA):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] not in ("created_at", "updated_at")]
        out.append(f"## {t}")
        for row in con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY {EXTRA.get(t, 'id')}"):
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


# ---- technology contracts (四技), awards, the ledger (policy room's tables) ----

def day(s):
    import datetime
    return (datetime.date.fromisoformat(s) - datetime.date(1970, 1, 1)).days


def iso(d):
    import datetime
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=d)).isoformat()


def test_contracts_all_four_kinds_and_statuses(db):
    assert one(db, "SELECT count(*) FROM contracts") == 360
    kinds = dict(db.execute("SELECT type, count(*) FROM contracts GROUP BY type").fetchall())
    assert set(kinds) == KINDS and min(kinds.values()) >= 10
    st = dict(db.execute("SELECT status, count(*) FROM contracts GROUP BY status").fetchall())
    assert set(st) == {"registered", "approved", "paid", "fraud"} and st["fraud"] == 1
    assert st["approved"] >= 20 and st["paid"] >= 50
    assert one(db, "SELECT count(*) FROM contracts WHERE reg_no NOT LIKE 'SYN%'") == 0
    assert one(db, "SELECT min(sign_date) FROM contracts") >= day("2019-01-01")
    assert one(db, "SELECT max(sign_date) FROM contracts") <= day("2021-12-31")
    # no award policy was in force before 2020-01-01 (nbsz-2020): 2019 contracts stay registered
    assert one(db, "SELECT count(*) FROM contracts WHERE sign_date < ?", day("2020-01-01")) > 50
    assert one(db, "SELECT count(*) FROM contracts WHERE sign_date < ? AND (status <> 'registered' OR award_fen IS NOT NULL)",
               day("2020-01-01")) == 0
    # every contract has 1-3 brokers whose shares sum to 100%
    assert one(db, "SELECT count(*) FROM (SELECT contract_id, sum(share_bp) s, count(*) n FROM contract_brokers "
                   "GROUP BY contract_id) WHERE s <> 10000 OR n > 3") == 0
    assert one(db, "SELECT count(DISTINCT contract_id) FROM contract_brokers") == 360
    # most firm-platform contracts are below 30万元 (§二.1), a few are large
    assert one(db, "SELECT count(*) FROM contracts WHERE amount_fen < 300000 * 100") > 180
    assert one(db, "SELECT count(*) FROM contracts WHERE amount_fen > 1000000 * 100") > 5


def test_awards_equal_the_engines_calc_for_each_contract(db, cf):
    rows = db.execute("SELECT id, type, amount_fen, sign_date, policy_id, award_fen FROM contracts "
                      "WHERE award_fen IS NOT NULL ORDER BY id").fetchall()
    assert len(rows) == one(db, "SELECT count(*) FROM contracts WHERE status <> 'registered'")
    for cid, typ, amount, sign, pol, award in rows:
        brokers = db.execute("SELECT broker_id, share_bp FROM contract_brokers WHERE contract_id = ? ORDER BY seq",
                             (cid,)).fetchall()
        p = cf("award", "calc", "--amount", f"{amount // 100}.{amount % 100:02d}", "--date", iso(sign), "--type", typ,
               "--brokers", ",".join(f"{b}:{s}" for b, s in brokers), "--json")
        assert p.returncode == 0, p.stderr
        calc = json.loads(p.stdout)
        assert calc["policy"] == pol == "nbsz-2020"
        assert calc["award_fen"] == award, cid
        got = db.execute("SELECT broker_id, split_fen, grant_fen, status FROM awards WHERE contract_id = ? ORDER BY broker_id",
                         (cid,)).fetchall()
        want = sorted((int(x["broker"]), x["award_fen"], x["grant_fen"]) for x in calc["split"])
        assert [g[:3] for g in got] == want, cid
        assert sum(g[1] for g in got) == award


def test_ledger_verifies_and_matches_the_awards(db, gen, cf):
    p = cf("ledger", "verify", "--db", gen["a"])
    assert p.returncode == 0, p.stderr
    n = one(db, "SELECT count(*) FROM ledger_entries")
    assert f"{n} entries" in p.stdout
    # one commitment per granted award, one payment per paid award, one clawback per clawed-back one
    assert one(db, "SELECT count(*) FROM ledger_entries WHERE kind = 'commitment'") == \
        one(db, "SELECT count(*) FROM awards WHERE grant_fen > 0")
    assert one(db, "SELECT count(*) FROM awards a JOIN ledger_entries l ON l.seq = a.commitment_seq "
                   "WHERE l.amount_fen <> a.grant_fen OR l.party <> 'broker:' || a.broker_id") == 0
    assert one(db, "SELECT count(*) FROM ledger_entries WHERE kind = 'payment'") == \
        one(db, "SELECT count(*) FROM awards a JOIN contracts c ON c.id = a.contract_id WHERE a.status = 'paid' "
                "OR (c.status = 'fraud' AND a.grant_fen > 0)")
    assert one(db, "SELECT count(*) FROM ledger_entries WHERE kind = 'override'") == 6
    assert n == one(db, "SELECT count(*) FROM ledger_entries WHERE kind IN ('commitment', 'payment', 'clawback', 'override')")


def test_flagged_contracts_agree_with_the_services_check(db, gen, cf):
    dec = db.execute("SELECT contract_id, flags FROM decisions WHERE kind = 'override' ORDER BY contract_id").fetchall()
    assert len(dec) == 6
    kinds = set()
    for cid, flags in dec:
        p = cf("contract", "check", cid, "--db", gen["a"])
        assert p.returncode == 0, p.stderr
        live = json.loads(p.stdout)
        assert live["related"] is True
        assert [(f["kind"], f["path"]) for f in live["flags"]] == [(f["kind"], f["path"]) for f in json.loads(flags)]
        kinds |= {f["kind"] for f in live["flags"]}
    assert {"broker_employed"} < kinds and kinds & {"seller_holds_buyer", "buyer_holds_seller"}
    # approved contracts without an override are clean under the same check
    for (cid,) in db.execute("SELECT id FROM contracts WHERE status IN ('approved', 'paid') AND id NOT IN "
                             "(SELECT contract_id FROM decisions) ORDER BY id LIMIT 4").fetchall():
        p = cf("contract", "check", cid, "--db", gen["a"])
        assert p.returncode == 0 and json.loads(p.stdout)["flags"] == []


def test_fraud_case_clawback_and_dishonesty_list(db):
    cid, seller = db.execute("SELECT id, seller_uscc FROM contracts WHERE status = 'fraud'").fetchone()
    assert one(db, "SELECT count(*) FROM decisions WHERE contract_id = ? AND kind = 'override'", cid) == 1
    assert one(db, "SELECT count(*) FROM awards WHERE contract_id = ? AND grant_fen > 0 AND status <> 'clawed_back'", cid) == 0
    granted = one(db, "SELECT sum(grant_fen) FROM awards WHERE contract_id = ?", cid)
    assert granted > 0
    assert one(db, "SELECT sum(amount_fen) FROM ledger_entries WHERE kind = 'clawback' AND subject = ?",
               f"contract:{cid}") == granted
    listed = db.execute("SELECT party, party_kind, start_date, end_date, policy_id FROM dishonesty_list ORDER BY id").fetchall()
    assert len(listed) == 2
    assert listed[0][:2] == (seller, "enterprise") and listed[1][1] == "broker"
    assert listed[1][0] == "broker:%d" % one(db, "SELECT broker_id FROM contract_brokers WHERE contract_id = ? AND seq = 0", cid)
    for _, _, start, end, pol in listed:
        # five years (ban_years of nbsz-2020): until the day before the fifth anniversary
        s0 = iso(start)
        assert pol == "nbsz-2020" and iso(end + 1) == f"{int(s0[:4]) + 5}{s0[4:]}"
    # found out after every other approval and payment
    assert listed[0][2] > one(db, "SELECT max(day) FROM ledger_entries WHERE kind <> 'clawback'")


# ---- the yearly tables (metrics room's 030_analytics) ----

RUNG_SQL = ("CASE WHEN leading = 1 THEN 5 WHEN little_giant = 1 THEN 4 WHEN high_tech = 1 THEN 3 "
            "WHEN tech_sme = 1 THEN 2 WHEN above_scale = 1 THEN 1 ELSE 0 END")


def test_enterprise_years_end_at_the_registrys_flags(db):
    per_year = db.execute("SELECT year, count(*), sum(above_scale), sum(tech_sme), sum(high_tech), sum(little_giant), "
                          "sum(leading), min(synthetic) FROM enterprise_years GROUP BY year ORDER BY year").fetchall()
    assert [r[0] for r in per_year] == [2018, 2019, 2020, 2021]
    assert all(r[1] == 79437 and r[2] == 4618 and r[7] == 1 for r in per_year)
    last = per_year[-1]
    assert last[3:7] == (12494, 2404, 52, 60)  # §一.1 2021.9; leading: the registry's
    # the counts grow toward 2021 (图1: 2652 / 831 in 2015)
    for k in range(3, 7):
        assert [r[k] for r in per_year] == sorted(r[k] for r in per_year)
    assert 2652 < per_year[0][3] < 12494 and 831 < per_year[0][4] < 2404
    # 2021 flags are each firm's registry flags
    assert one(db, "SELECT count(*) FROM enterprise_years y JOIN enterprises e ON e.id = y.enterprise_id WHERE y.year = 2021 AND "
                   "(y.above_scale <> e.above_scale OR y.tech_sme <> e.tech_sme OR y.high_tech <> e.high_tech OR "
                   "y.little_giant <> e.little_giant OR y.leading <> e.leading)") == 0
    # 2018 amounts are the registry's (表1: 1 921 亿元)
    assert one(db, "SELECT sum(value_added) FROM enterprise_years WHERE year = 2018") == 192100000000 * 100
    assert one(db, "SELECT count(*) FROM enterprise_years y JOIN enterprises e ON e.id = y.enterprise_id "
                   "WHERE y.year = 2018 AND y.value_added <> e.value_added") == 0


def test_rd_intensity_of_above_scale_industry(db):
    got = {y: round(100 * rd / out, 2) for y, rd, out in db.execute(
        "SELECT year, sum(rd_expense), sum(output_value) FROM enterprise_years WHERE above_scale = 1 GROUP BY year")}
    assert got[2021] == 3.11  # §一.1: 3.11% (2021.6)
    assert got[2018] < got[2019] < got[2020] < got[2021] and got[2018] > 1.63  # 1.63% in 2015


def test_platform_years_and_series(db):
    assert one(db, "SELECT count(DISTINCT platform_id) FROM platform_years WHERE year = 2021") == 49
    assert one(db, "SELECT count(*) FROM platform_years WHERE synthetic <> 1") == 0
    assert one(db, "SELECT count(*) FROM indicator_series WHERE synthetic <> 1") == 0
    s = dict(((n, y), v) for n, y, v in db.execute("SELECT name, year, value FROM indicator_series"))
    assert s[("U2.rd_intensity_pct", 2015)] == 1.63 and s[("U2.rd_intensity_pct", 2021)] == 3.11
    assert s[("U2.rd_centre_province", 2015)] == 229 and s[("U2.rd_centre_province", 2021)] == 484
    assert s[("U2.rd_centre_city", 2015)] == 465 and s[("U2.rd_centre_city", 2021)] == 1556
    assert s[("U1.pillar_va_share_pct(-)", 2020)] == 46.0


@pytest.fixture(scope="module")
def demo_srv(gen):
    from conftest import Server
    s = Server(gen["a"])
    yield s
    assert s.stop() == 0


def test_ladder_endpoint_flows_end_at_the_registry(demo_srv, db):
    want = dict(db.execute(f"SELECT {RUNG_SQL}, count(*) FROM enterprises GROUP BY 1").fetchall())
    for year in (2019, 2020, 2021):
        st, _, body = demo_srv.request("GET", f"/api/v1/analytics/ladder?year={year}")
        assert st == 200 and body["synthetic"] is True
        assert body["up"] > 0 and body["down"] > 0
        links = {(l["from"], l["to"]): l["firms"] for l in body["links"]}
        assert links.get((0, 1), 0) > 0 and links.get((0, 2), 0) > 0 and links.get((2, 3), 0) > 0
        assert sum(n["count"] for n in body["nodes"]) == 79437
        if year == 2021:
            assert {n["rung"]: n["count"] for n in body["nodes"] if n["count"]} == want
    st, _, body = demo_srv.request("GET", "/api/v1/analytics/ladder?year=2021")
    links = {(l["from"], l["to"]): l["firms"] for l in body["links"]}
    assert links.get((3, 4), 0) > 0  # 高新 → 小巨人 in the year most were selected


def test_platform_assessment_ranks_all_49(demo_srv):
    st, _, body = demo_srv.request("GET", "/api/v1/analytics/platforms?year=2021")
    assert st == 200
    assert len(body["platforms"]) == 49
    assert all(p["rank"] >= 1 and p["rank"] <= p["group_size"] for p in body["platforms"])
    assert len({p["id"] for p in body["platforms"]}) == 49


def test_coupling_over_the_demo_years(demo_srv):
    st, _, body = demo_srv.request("GET", "/api/v1/analytics/coupling")
    assert st == 200 and body["synthetic"] is True
    assert [y["year"] for y in body["years"]] == [2018, 2019, 2020, 2021]
    names = {i["name"] for i in body["indicators"]}
    assert {"U2.rd_intensity_pct", "U2.rd_centre_province", "U2.rd_centre_city"} <= names
    d = [y["D"] for y in body["years"]]
    assert d == sorted(d) and d[-1] > d[0]


def test_report_on_the_demo_is_not_empty(gen, cf, tmp_path):
    out = tmp_path / "r.html"
    p = cf("report", "--year", 2021, "--format", "html", "-o", out, "--db", gen["a"])
    assert p.returncode == 0, p.stderr
    html = out.read_text(encoding="utf-8")
    assert "产业链—创新链耦合协调度" in html and "2021 年各指标障碍度" in html
    assert "企业梯度培育" in html and "高能级创新平台分类评估" in html
    assert "指标表中无 2021 年数据" not in html

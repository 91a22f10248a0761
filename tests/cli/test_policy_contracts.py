"""Contracts end to end through the CLI on a real SQLite file: registration, related-party
check and override, award, payment, fraud (clawback + dishonesty list), what-if, and the
ledger's tamper evidence (rows edited with real SQL behind the program's back)."""
import json
import sqlite3

import pytest

A, B, C = "91330300MA285A000N", "91330300MA285B000X", "91330300MA285C0005"


def j(p):
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.fixture
def db(cf, tmp_path):
    """A database with three enterprises and three brokers; broker 3 works for A."""
    path = tmp_path / "c.db"
    assert cf("ledger", "verify", "--db", path).returncode == 0  # creates and migrates
    con = sqlite3.connect(path)
    for u, n, rep in [(A, "甲科技", "张三"), (B, "乙制造", "李四"), (C, "丙投资", "王五")]:
        con.execute("INSERT INTO enterprises (uscc, name, county, industry_code, legal_rep) VALUES (?, ?, '鹿城区', 'C39', ?)",
                    (u, n, rep))
    con.execute("INSERT INTO brokers (name, level, status) VALUES ('赵经纪', '高级', 'active')")
    con.execute("INSERT INTO brokers (name, level, status) VALUES ('钱经纪', '中级', 'active')")
    con.execute("INSERT INTO brokers (name, level, status, employer_uscc) VALUES ('孙经纪', '初级', 'active', ?)", (A,))
    con.commit()
    con.close()
    return path


def add(cf, db, reg, buyer, seller, amount, brokers, sign="2024-03-01", typ="技术开发", today="2024-03-02"):
    return cf("contract", "add", "--db", db, "--reg-no", reg, "--type", typ, "--title", "智能传感器联合开发",
              "--buyer", buyer, "--seller", seller, "--amount", amount, "--sign-date", sign, "--brokers", brokers,
              "--date", today)


def approved_and_paid(cf, db):
    """Contract 1 (A buys from C, 2,500,000 yuan, brokers 1 and 2) approved and paid: ledger entries 1-4."""
    assert j(add(cf, db, "R-001", A, C, "2,500,000.00", "1:5000,2:5000"))["id"] == 1
    j(cf("contract", "approve", "1", "--db", db, "--date", "2024-04-01"))
    j(cf("contract", "pay", "1", "--db", db, "--date", "2024-05-01"))


def test_award_split_three_brokers_and_overdue(cf, db):
    assert j(add(cf, db, "R-001", B, C, "123456.78", "1:5000,2:3000,3:2000"))["id"] == 1
    d = j(cf("contract", "approve", "1", "--db", db, "--date", "2024-04-01"))
    assert d["policy"] == "nbsz-2020" and d["award_fen"] == 185185 and d["override"] is False
    assert [(a["broker_id"], a["grant_fen"]) for a in d["awards"]] == [(1, 92593), (2, 55555), (3, 37037)]
    over = j(cf("ledger", "overdue", "--db", db, "--date", "2024-07-01", "--json"))
    assert [(o["seq"], o["outstanding_fen"], o["days_late"]) for o in over] == [(1, 92593, 1), (2, 55555, 1), (3, 37037, 1)]
    assert j(cf("ledger", "overdue", "--db", db, "--date", "2024-06-30", "--json")) == []
    j(cf("contract", "pay", "1", "--db", db, "--date", "2024-07-05"))
    assert j(cf("ledger", "overdue", "--db", db, "--date", "2024-08-01", "--json")) == []


def test_flagged_contract_needs_override_which_is_recorded(cf, db):
    j(add(cf, db, "R-002", A, B, "1000000", "1:5000,3:5000"))
    chk = j(cf("contract", "check", "1", "--db", db))
    assert chk["related"] is True
    assert [(f["kind"], f["path"]) for f in chk["flags"]] == [("broker_employed", f"broker:3 -works for-> {A}")]
    p = cf("contract", "approve", "1", "--db", db, "--date", "2024-04-01")
    assert p.returncode == 1
    assert "approval needs a bureau override with a reason" in p.stderr
    assert j(cf("ledger", "verify", "--db", db, "--json"))["entries"] == 0  # nothing written
    d = j(cf("contract", "approve", "1", "--db", db, "--date", "2024-04-01", "--override", "雇佣关系已于2023年终止",
             "--officer", "审核员甲"))
    assert d["override"] is True and d["award_fen"] == 1500000
    show = j(cf("contract", "show", "1", "--db", db))
    assert show["status"] == "approved"
    assert [(x["kind"], x["reason"], x["officer"]) for x in show["decisions"]] == [("override", "雇佣关系已于2023年终止", "审核员甲")]
    entries = j(cf("ledger", "list", "--db", db, "--json"))
    assert [(e["kind"], e["party"], e["amount_fen"], e["memo"]) for e in entries] == [
        ("override", "审核员甲", 0, "雇佣关系已于2023年终止"),
        ("commitment", "broker:1", 750000, ""),
        ("commitment", "broker:3", 750000, ""),
    ]


def test_related_party_common_shareholder_from_registry(cf, db):
    con = sqlite3.connect(db)
    ida = con.execute("SELECT id FROM enterprises WHERE uscc = ?", (A,)).fetchone()[0]
    idc = con.execute("SELECT id FROM enterprises WHERE uscc = ?", (C,)).fetchone()[0]
    con.execute("INSERT INTO shareholders (enterprise_id, holder_kind, holder_name, share) VALUES (?, 'person', '周股东', 3000)", (ida,))
    con.execute("INSERT INTO shareholders (enterprise_id, holder_kind, holder_name, share) VALUES (?, 'person', '周股东', 2000)", (idc,))
    # broker 赵经纪 (id 1) holds 1% of C under his own name
    con.execute("INSERT INTO shareholders (enterprise_id, holder_kind, holder_name, share) VALUES (?, 'person', '赵经纪', 100)", (idc,))
    con.commit()
    con.close()
    j(add(cf, db, "R-003", A, C, "500000", "1:10000"))
    flags = j(cf("contract", "check", "1", "--db", db))["flags"]
    assert [(f["kind"], f["path"]) for f in flags] == [
        ("common_holder", f"person:周股东 -holds 30.00%-> {A}; person:周股东 -holds 20.00%-> {C}"),
        ("broker_holds", f"broker:1 -holds 1.00%-> {C}"),
    ]


def test_related_party_three_hop_chain_from_registry(cf, db):
    """A holds 60% of D, D holds 55% of E, E holds 51% of C: A holds C in three hops."""
    D, E = "91330300MA285D000C", "91330300MA285E000K"
    con = sqlite3.connect(db)
    for u, n in [(D, "丁控股"), (E, "戊实业")]:
        con.execute("INSERT INTO enterprises (uscc, name, county, industry_code) VALUES (?, ?, '龙湾区', 'C39')", (u, n))
    eid = {u: con.execute("SELECT id FROM enterprises WHERE uscc = ?", (u,)).fetchone()[0] for u in (C, D, E)}
    for holder, held, share in [(A, D, 6000), (D, E, 5500), (E, C, 5100)]:
        con.execute("INSERT INTO shareholders (enterprise_id, holder_kind, holder_name, holder_uscc, share) "
                    "VALUES (?, 'entity', ?, ?, ?)", (eid[held], "股东" + holder[-4:], holder, share))
    con.commit()
    con.close()
    j(add(cf, db, "R-3H", A, C, "800000", "1:10000"))
    flags = j(cf("contract", "check", "1", "--db", db))["flags"]
    assert [(f["kind"], f["path"]) for f in flags] == [
        ("buyer_holds_seller", f"{A} -holds 60.00%-> {D} -holds 55.00%-> {E} -holds 51.00%-> {C}")]
    assert [s["share_bp"] for s in flags[0]["steps"]] == [6000, 5500, 5100]
    # the other direction: the seller A holds the buyer E through D
    j(add(cf, db, "R-3H-2", E, A, "800000", "1:10000"))
    flags = j(cf("contract", "check", "2", "--db", db))["flags"]
    assert [f["kind"] for f in flags] == ["seller_holds_buyer"]


def test_fraud_claws_back_lists_and_bars(cf, db):
    approved_and_paid(cf, db)
    d = j(cf("contract", "fraud", "1", "--db", db, "--parties", "seller,broker:2", "--reason", "虚假申报",
             "--date", "2024-06-01"))
    assert d["clawed_back_fen"] == 3000000 and d["clawbacks"] == 2
    assert [(x["party"], x["end_date"]) for x in d["listed"]] == [(C, "2029-05-31"), ("broker:2", "2029-05-31")]
    kinds = [(e["kind"], e["amount_fen"], e["ref_seq"]) for e in j(cf("ledger", "list", "--db", db, "--json"))]
    assert kinds == [("commitment", 1500000, 0), ("commitment", 1500000, 0), ("payment", 1500000, 1),
                     ("payment", 1500000, 2), ("clawback", 1500000, 1), ("clawback", 1500000, 2)]
    # the seller may not apply for policy support until the listing ends, then it may
    p = add(cf, db, "R-009", A, C, "1000", "1:10000", today="2024-07-01")
    assert p.returncode == 1 and "严重失信名单" in p.stderr and "2029-05-31" in p.stderr
    assert cf("blacklist", "check", C, "--db", db, "--date", "2029-05-31").returncode == 1
    assert cf("blacklist", "check", C, "--db", db, "--date", "2029-06-01").returncode == 0
    assert j(add(cf, db, "R-011", A, C, "1000", "1:10000", today="2029-06-01"))["id"] == 2
    assert [x["party"] for x in j(cf("blacklist", "list", "--db", db, "--date", "2029-06-01", "--json"))] == []
    # a listed broker's part is withheld, not handed to the others
    j(add(cf, db, "R-010", A, B, "1000000", "1:5000,2:5000"))
    d = j(cf("contract", "approve", "3", "--db", db, "--date", "2024-07-01"))
    assert [(a["broker_id"], a["grant_fen"], a["reason"]) for a in d["awards"]] == [(1, 750000, "granted"), (2, 0, "barred")]
    assert j(cf("ledger", "verify", "--db", db, "--json"))["entries"] == 7


def test_award_reproducible_under_sign_date_policy(cf, db):
    approved_and_paid(cf, db)
    show = j(cf("contract", "show", "1", "--db", db))
    calc = j(cf("award", "calc", "--amount", "2500000", "--date", "2024-03-01", "--json"))
    assert show["award_fen"] == calc["award_fen"] == 3000000
    assert show["policy"] == calc["policy"] == "nbsz-2020"


def test_whatif_two_versions(cf, db):
    j(add(cf, db, "W-1", A, C, "2,000,000", "1:6000,2:4000", typ="技术转让"))
    j(add(cf, db, "W-2", B, C, "100,000", "2:10000", typ="技术服务"))
    d = j(cf("award", "whatif", "--db", db, "--policies", "nbsz-2020,us-tlo-15", "--json"))
    pol = {p["id"]: p for p in d["policies"]}
    # default: 25,000 and 1,500 yuan; US model: 15% of the licensing contract only
    assert pol["nbsz-2020"]["total_fen"] == 2500000 + 150000
    assert pol["us-tlo-15"]["total_fen"] == 30000000
    assert pol["nbsz-2020"]["brokers"] == [{"broker_id": 1, "award_fen": 1500000}, {"broker_id": 2, "award_fen": 1150000}]
    assert pol["us-tlo-15"]["brokers"] == [{"broker_id": 1, "award_fen": 18000000}, {"broker_id": 2, "award_fen": 12000000}]
    assert [(c["reg_no"], c["award_fen"]) for c in d["changed"]] == [
        ("W-1", {"nbsz-2020": 2500000, "us-tlo-15": 30000000}), ("W-2", {"nbsz-2020": 150000, "us-tlo-15": 0})]
    d = j(cf("award", "whatif", "--db", db, "--policies", "nbsz-2020", "--from", "2025-01-01", "--json"))
    assert d["contracts"] == 0


def test_contract_add_errors(cf, db):
    p = add(cf, db, "E-1", A, B, "100", "1:5000,2:4000")
    assert p.returncode == 1 and "$.brokers" in p.stderr and "10000" in p.stderr
    p = add(cf, db, "E-1", A, "91330300MA285C0003", "100", "1:10000")
    assert p.returncode == 1 and "$.seller_uscc: not a valid unified social credit code: position 18" in p.stderr
    p = add(cf, db, "E-1", A, A, "100", "1:10000")
    assert p.returncode == 1 and "$.seller_uscc" in p.stderr
    p = add(cf, db, "E-1", A, B, "100", "9:10000")
    assert p.returncode == 1 and "$.brokers[0].broker_id" in p.stderr
    p = add(cf, db, "E-1", A, B, "100", "1:10000", typ="技术合作")
    assert p.returncode == 1 and "$.type" in p.stderr
    j(add(cf, db, "E-1", A, B, "100", "1:10000"))
    p = add(cf, db, "E-1", A, B, "100", "1:10000")
    assert p.returncode == 1 and "$.reg_no" in p.stderr
    assert cf("contract", "approve", "--db", db).returncode == 2
    assert cf("contract", "approve", "99", "--db", db).returncode == 1


# ---- tamper evidence: edit the SQLite file directly, verify must fail at the first bad entry

def tamper(db, sql, *args):
    con = sqlite3.connect(db)
    con.execute(sql, args)
    con.commit()
    con.close()


@pytest.mark.parametrize("sql,args,first_bad", [
    ("UPDATE ledger_entries SET amount_fen = amount_fen + 1 WHERE seq = 3", (), 3),
    ("UPDATE ledger_entries SET party = 'broker:9' WHERE seq = 2", (), 2),
    ("UPDATE ledger_entries SET policy_id = 'us-tlo-15' WHERE seq = 1", (), 1),
    ("UPDATE ledger_entries SET memo = 'x' WHERE seq = 4", (), 4),
    ("DELETE FROM ledger_entries WHERE seq = 2", (), 3),
    ("UPDATE ledger_entries SET hash = '00' || substr(hash, 3) WHERE seq = 1", (), 1),
])
def test_tampered_ledger_fails_verify(cf, db, sql, args, first_bad):
    approved_and_paid(cf, db)
    assert cf("ledger", "verify", "--db", db).returncode == 0
    tamper(db, sql, *args)
    p = cf("ledger", "verify", "--db", db)
    assert p.returncode == 1
    assert p.stderr.startswith(f"chainfuse ledger: entry {first_bad}: "), p.stderr


def test_inserted_row_fails_verify(cf, db):
    approved_and_paid(cf, db)
    con = sqlite3.connect(db)
    # a forged payment appended with a plausible previous hash but no valid own hash
    head = con.execute("SELECT hash FROM ledger_entries WHERE seq = 4").fetchone()[0]
    con.execute("INSERT INTO ledger_entries (seq, kind, policy_id, subject, party, amount_fen, day, due, ref_seq, memo, "
                "prev_hash, hash) VALUES (5, 'payment', 'nbsz-2020', 'contract:1', 'broker:1', 1500000, 19900, NULL, 1, '', ?, ?)",
                (head, "ab" * 32))
    con.commit()
    con.close()
    p = cf("ledger", "verify", "--db", db)
    assert p.returncode == 1 and p.stderr.startswith("chainfuse ledger: entry 5: hash mismatch"), p.stderr


def test_shifted_insert_and_truncation(cf, db):
    approved_and_paid(cf, db)
    head = j(cf("ledger", "verify", "--db", db, "--json"))["head"]
    # renumber to make room and insert a row in the middle: the old entry 2 no longer links
    tamper(db, "UPDATE ledger_entries SET seq = seq + 10 WHERE seq >= 2")
    tamper(db, "UPDATE ledger_entries SET seq = seq - 9 WHERE seq >= 12")
    tamper(db, "INSERT INTO ledger_entries SELECT 2, kind, policy_id, subject, party, amount_fen, day, due, ref_seq, memo, "
               "prev_hash, hash FROM ledger_entries WHERE seq = 1")
    p = cf("ledger", "verify", "--db", db)
    assert p.returncode == 1 and p.stderr.startswith("chainfuse ledger: entry 2: "), p.stderr
    # cut off the tail: the chain still holds, the recorded head does not
    tamper(db, "DELETE FROM ledger_entries WHERE seq >= 2")
    assert cf("ledger", "verify", "--db", db).returncode == 0
    p = cf("ledger", "verify", "--db", db, "--expect-head", head)
    assert p.returncode == 1 and "chain end" in p.stderr


def test_whatif_caps_from_a_policy_file(cf, db, tmp_path):
    """A version with a per-contract cap of 12,000 yuan and a per-broker-year cap of 20,000 yuan,
    loaded from its own data folder: the caps apply in sign-date order."""
    root = __import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "policies"
    data = tmp_path / "data"
    (data / "policies").mkdir(parents=True)
    for f in root.glob("*.json"):
        (data / "policies" / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    capped = json.loads((root / "nbsz-2020.json").read_text(encoding="utf-8"))
    capped.update(id="capped-test", in_force=False, name="测试：封顶")
    capped["award"]["cap_per_contract_fen"] = 1200000
    capped["award"]["cap_per_broker_year_fen"] = 2000000
    (data / "policies" / "capped-test.json").write_text(json.dumps(capped, ensure_ascii=False), encoding="utf-8")
    env = {"CHAINFUSE_DATA": str(data)}
    # three contracts of 1,000,000 yuan (15,000 each, capped to 12,000), broker 1 alone, in 2024
    for i, sign in enumerate(["2024-01-10", "2024-02-10", "2024-03-10"]):
        j(add(cf, db, f"K-{i}", A, C, "1000000", "1:10000", sign=sign))
    # and one in 2025: a new year, a new cap
    j(add(cf, db, "K-9", A, C, "1000000", "1:10000", sign="2025-01-10"))
    d = j(cf("award", "whatif", "--db", db, "--policies", "nbsz-2020,capped-test", "--json", env=env))
    pol = {p["id"]: p for p in d["policies"]}
    assert pol["nbsz-2020"]["total_fen"] == 4 * 1500000
    # 2024: 12,000 + 8,000 (year cap reached) + 0; 2025: 12,000
    assert pol["capped-test"]["total_fen"] == 1200000 + 800000 + 0 + 1200000
    assert [c["award_fen"]["capped-test"] for c in d["changed"]] == [1200000, 800000, 0, 1200000]

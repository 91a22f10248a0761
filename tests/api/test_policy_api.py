"""REST for contracts, awards, decisions, blacklist and ledger on a real server; eight
concurrent clients registering and approving contracts lose nothing and the ledger verifies."""
import json
import sqlite3
import threading

import pytest

from conftest import run_cf

A, B, C = "91330300MA285A000N", "91330300MA285B000X", "91330300MA285C0005"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "api.db"
    assert run_cf("ledger", "verify", "--db", path).returncode == 0
    con = sqlite3.connect(path)
    for u, n in [(A, "甲科技"), (B, "乙制造"), (C, "丙投资")]:
        con.execute("INSERT INTO enterprises (uscc, name, county, industry_code) VALUES (?, ?, '瓯海区', 'C39')", (u, n))
    for name in ("赵经纪", "钱经纪", "孙经纪"):
        con.execute("INSERT INTO brokers (name, level, status) VALUES (?, '高级', 'active')", (name,))
    con.execute("UPDATE brokers SET employer_uscc = ? WHERE id = 3", (B,))
    con.commit()
    con.close()
    return path


def contract(reg, amount="123456.78", brokers=((1, 5000), (2, 3000), (3, 2000)), buyer=A, seller=C):
    return {"reg_no": reg, "type": "技术转让", "title": "专利许可", "buyer_uscc": buyer, "seller_uscc": seller,
            "amount": amount, "sign_date": "2024-03-01",
            "brokers": [{"broker_id": b, "share_bp": s} for b, s in brokers]}


def test_contract_lifecycle_over_http(server_factory, db):
    srv = server_factory(db)
    st, h, body = srv.request("POST", "/api/v1/contracts", contract("H-1"))
    assert st == 201 and body == {"id": 1} and h["Location"] == "/api/v1/contracts/1"
    st, _, chk = srv.request("GET", "/api/v1/contracts/1/check")
    assert st == 200 and chk["flags"] == []
    st, _, ap = srv.request("POST", "/api/v1/contracts/1/approve", {"date": "2024-04-01", "officer": "审核员"})
    assert st == 200 and ap["award_fen"] == 185185
    assert [a["grant_fen"] for a in ap["awards"]] == [92593, 55555, 37037]
    st, _, od = srv.request("GET", "/api/v1/ledger/overdue?date=2024-07-01")
    assert st == 200 and [o["outstanding_fen"] for o in od["items"]] == [92593, 55555, 37037]
    st, _, pay = srv.request("POST", "/api/v1/contracts/1/pay", {"date": "2024-05-01"})
    assert st == 200 and pay["paid_fen"] == 185185
    st, _, fr = srv.request("POST", "/api/v1/contracts/1/fraud",
                            {"parties": ["buyer", "broker:1"], "reason": "关联交易未申报", "date": "2024-06-01"})
    assert st == 200 and fr["clawed_back_fen"] == 185185
    st, _, bl = srv.request("GET", "/api/v1/blacklist?date=2025-01-01")
    assert [(x["party"], x["end_date"]) for x in bl["items"]] == [(A, "2029-05-31"), ("broker:1", "2029-05-31")]
    st, _, dec = srv.request("GET", "/api/v1/decisions")
    assert [(d["kind"], d["reason"]) for d in dec["items"]] == [("fraud", "关联交易未申报")]
    st, _, led = srv.request("GET", "/api/v1/ledger?subject=contract:1")
    assert [e["kind"] for e in led["items"]] == ["commitment"] * 3 + ["payment"] * 3 + ["clawback"] * 3
    st, _, v = srv.request("GET", "/api/v1/ledger/verify")
    assert st == 200 and v["ok"] is True and v["entries"] == 9
    # the listed buyer cannot apply again
    st, _, p = srv.request("POST", "/api/v1/contracts", contract("H-2"))
    assert st == 403


def test_flagged_contract_over_http(server_factory, db):
    srv = server_factory(db)
    srv.request("POST", "/api/v1/contracts", contract("F-1", seller=B))
    st, _, chk = srv.request("GET", "/api/v1/contracts/1/check")
    assert [f["path"] for f in chk["flags"]] == [f"broker:3 -works for-> {B}"]
    st, _, p = srv.request("POST", "/api/v1/contracts/1/approve", {"date": "2024-04-01"})
    assert st == 409 and "override" in p["detail"]
    st, _, ap = srv.request("POST", "/api/v1/contracts/1/approve",
                            {"date": "2024-04-01", "override_reason": "经核实非关联", "officer": "处长"})
    assert st == 200 and ap["override"] is True
    st, _, dec = srv.request("GET", "/api/v1/decisions")
    assert [(d["kind"], d["reason"], d["officer"], d["flags"][0]["kind"]) for d in dec["items"]] == [
        ("override", "经核实非关联", "处长", "broker_employed")]


def test_bad_requests(server_factory, db):
    srv = server_factory(db)
    st, _, p = srv.request("POST", "/api/v1/contracts", contract("X", brokers=((1, 5000),)))
    assert st == 422 and p["errors"][0]["path"] == "$.brokers"
    st, _, p = srv.request("GET", "/api/v1/contracts/77")
    assert st == 404
    st, _, p = srv.request("GET", "/api/v1/awards/calc?amount=2500000&date=2024-01-01")
    assert st == 200 and p["award_fen"] == 3000000
    st, _, p = srv.request("GET", "/api/v1/awards/calc?amount=1.234")
    assert st == 400
    st, _, p = srv.request("POST", "/api/v1/awards/whatif", {"policies": ["nope"]})
    assert st == 422 and p["errors"][0]["path"] == "$.policies"
    st, _, p = srv.request("GET", "/api/v1/policies")
    assert {x["id"] for x in p["items"]} == {"nbsz-2020", "us-tlo-15"}


def test_eight_concurrent_clients_lose_nothing(server_factory, db):
    srv = server_factory(db)
    per = 6
    errors = []

    def client(k):
        for i in range(per):
            reg = f"C{k}-{i}"
            st, _, body = srv.request("POST", "/api/v1/contracts", contract(reg, amount=f"{1000 + 100 * k + i}.00",
                                                                             brokers=((1, 6000), (2, 4000))))
            if st != 201:
                errors.append((reg, st, body))
                continue
            st, _, ap = srv.request("POST", f"/api/v1/contracts/{body['id']}/approve", {"date": "2024-04-01"})
            if st != 200:
                errors.append((reg, st, ap))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    st, _, lst = srv.request("GET", "/api/v1/contracts")
    assert len(lst["items"]) == 8 * per
    assert {c["reg_no"] for c in lst["items"]} == {f"C{k}-{i}" for k in range(8) for i in range(per)}
    assert all(c["status"] == "approved" for c in lst["items"])
    # 1.5% of each amount, rounded once; two commitments per contract
    expected = sum((100 * (1000 + 100 * k + i) * 150 + 5000) // 10000 for k in range(8) for i in range(per))
    assert sum(c["award_fen"] for c in lst["items"]) == expected
    st, _, v = srv.request("GET", "/api/v1/ledger/verify")
    assert v["ok"] is True and v["entries"] == 2 * 8 * per
    p = run_cf("ledger", "verify", "--db", db)
    assert p.returncode == 0, p.stderr

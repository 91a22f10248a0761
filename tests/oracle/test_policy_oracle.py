"""Oracles for the policy room: Python's decimal module for the award rule (half-up once over
the exact tier sum), and hashlib re-deriving the ledger's hash chain from the SQLite rows
with the encoding written in docs/awards.md."""
import datetime
import hashlib
import json
import random
import sqlite3
from decimal import ROUND_HALF_UP, Decimal

from conftest import run_cf

A, C = "91330300MA285A000N", "91330300MA285C0005"


def oracle_award(fen):
    """§四.4: 1.5% up to 1,000,000 yuan, 1% above, rounded half-up to the fen once."""
    yuan = Decimal(fen) / 100
    first = min(yuan, Decimal(1000000))
    exact = first * Decimal("0.015") + max(yuan - Decimal(1000000), Decimal(0)) * Decimal("0.01")
    return int((exact * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_award_matches_decimal_oracle(cf):
    rng = random.Random(20240301)
    amounts = [1, 33, 34, 99, 100, 99999999, 100000000, 100000001, 100000049, 100000050]
    amounts += [rng.randrange(0, 10**11) for _ in range(40)] + [rng.randrange(99990000, 100010000) for _ in range(20)]
    for fen in amounts:
        yuan = f"{fen // 100}.{fen % 100:02d}"
        d = json.loads(cf("award", "calc", "--amount", yuan, "--date", "2024-01-01", "--json", check=True).stdout)
        assert d["award_fen"] == oracle_award(fen), yuan


def text(name, s):
    b = s.encode("utf-8")
    return f"{name}={len(b)}:".encode() + b + b"\n"


def day(n):
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=n)).isoformat()


def encode(row):
    seq, kind, policy, subject, party, amount, d, due, ref, memo = row
    return (b"chainfuse-ledger-v1\n" + f"seq={seq}\n".encode() + text("kind", kind) + text("policy", policy)
            + text("subject", subject) + text("party", party) + f"amount_fen={amount}\n".encode()
            + f"day={day(d)}\n".encode() + f"due={day(due) if due is not None else '-'}\n".encode()
            + f"ref={ref}\n".encode() + text("memo", memo))


def test_ledger_chain_matches_hashlib(cf, tmp_path):
    db = tmp_path / "o.db"
    cf("ledger", "verify", "--db", db, check=True)
    con = sqlite3.connect(db)
    for u, n in [(A, "甲"), (C, "丙")]:
        con.execute("INSERT INTO enterprises (uscc, name, county, industry_code) VALUES (?, ?, '鹿城区', 'C39')", (u, n))
    for n in ("赵", "钱"):
        con.execute("INSERT INTO brokers (name, level, status) VALUES (?, '高级', 'active')", (n,))
    con.commit()
    for i in range(3):
        cf("contract", "add", "--db", db, "--reg-no", f"O-{i}", "--type", "技术服务", "--title", "检测服务",
           "--buyer", A, "--seller", C, "--amount", f"{(i + 1) * 333333}.33", "--sign-date", "2024-02-02",
           "--brokers", "1:7000,2:3000", "--date", "2024-02-03", check=True)
        cf("contract", "approve", str(i + 1), "--db", db, "--date", "2024-03-01", check=True)
    cf("contract", "pay", "1", "--db", db, "--date", "2024-03-05", check=True)
    cf("contract", "fraud", "2", "--db", db, "--parties", "seller", "--reason", "虚假申报：合同金额虚高", "--date",
       "2024-04-01", check=True)
    rows = con.execute("SELECT seq, kind, policy_id, subject, party, amount_fen, day, due, ref_seq, memo, prev_hash, hash "
                       "FROM ledger_entries ORDER BY seq").fetchall()
    con.close()
    assert len(rows) == 6 + 2 + 2
    prev = bytes(32)
    for r in rows:
        assert bytes.fromhex(r[10]) == prev
        h = hashlib.sha256(prev + encode(r[:10])).digest()
        assert h.hex() == r[11], f"entry {r[0]}"
        prev = h

"""CLI tests of the bulk import path (importperf room): an import large enough to drop and
rebuild the table's plain indexes (service/import.c IMPORT_BULK_MIN_ROWS) writes every row,
leaves the schema (sqlite_master) exactly as it found it, and stays all or nothing: one bad
row at the end of 20,000 writes nothing; with --partial the good rows are written and the
indexes rebuilt."""
import csv
import io
import subprocess

from conftest import run_cf

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
COUNTIES = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市", "龙港市", "永嘉县", "平阳县", "苍南县", "文成县", "泰顺县"]
N = 20000


def uscc(serial):
    """A valid unified social credit code (GB 32100-2015 check character computed here)."""
    body = "91330300" + "MA" + f"{serial:07d}"
    c = 31 - sum(CHARS.index(ch) * w for ch, w in zip(body, WEIGHTS)) % 31
    return body + CHARS[0 if c == 31 else c]


def sql(db, q):
    return subprocess.run(["sqlite3", str(db), q], capture_output=True, text=True, check=True).stdout


def schema(db):
    return sql(db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")


def write_csv(path, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["uscc", "name", "county", "industry_code", "revenue", "employees", "founded", "rd_centre"])
    for r in rows:
        w.writerow(r)
    path.write_text(out.getvalue(), encoding="utf-8")


def good_rows(n, start=1):
    return [[uscc(i), f"温州测试企业{i}号", COUNTIES[i % 12], "3823" if i % 2 else "1951", f"{i * 1000}.{i % 100:02d}",
             str(i % 500), f"20{i % 24:02d}-0{1 + i % 9}-1{i % 10}", ["none", "city", "province"][i % 3]]
            for i in range(start, start + n)]


def fresh(tmp_path):
    db = tmp_path / "t.db"
    f = tmp_path / "one.csv"
    write_csv(f, good_rows(1, start=N + 100))  # creates the database with one enterprise
    run_cf("import", "enterprise", f, "--db", db, check=True)
    return db


def test_bulk_import_writes_all_and_keeps_indexes(tmp_path):
    db = fresh(tmp_path)
    before = schema(db)
    assert "CREATE INDEX enterprises_county ON enterprises (county)" in before
    f = tmp_path / "big.csv"
    write_csv(f, good_rows(N))
    p = run_cf("import", "enterprise", f, "--db", db)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == f"imported {N} rows, rejected 0"
    assert schema(db) == before
    assert sql(db, "PRAGMA integrity_check").strip() == "ok"
    assert sql(db, "SELECT count(*) FROM enterprises").strip() == str(N + 1)
    # the rebuilt indexes answer queries: the planner uses one and finds the rows
    assert "INDEX enterprises_county (county=?)" in sql(db, "EXPLAIN QUERY PLAN SELECT id FROM enterprises WHERE county = '龙湾区'")
    assert sql(db, "SELECT count(*) FROM enterprises INDEXED BY enterprises_county WHERE county = '龙湾区'").strip() == \
        str(sum(1 for i in range(1, N + 1) if i % 12 == 1) + ((N + 100) % 12 == 1))
    assert sql(db, f"SELECT name FROM enterprises WHERE uscc = '{uscc(12345)}'").strip() == "温州测试企业12345号"


def test_bulk_import_bad_last_row_writes_nothing(tmp_path):
    db = fresh(tmp_path)
    before_schema = schema(db)
    before = subprocess.run(["sqlite3", str(db), ".dump"], capture_output=True, text=True, check=True).stdout
    f = tmp_path / "big.csv"
    rows = good_rows(N)
    rows.append([uscc(N + 1), "坏企业", "杭州市", "3823", "", "", "", ""])  # row N + 2: bad county
    write_csv(f, rows)
    p = run_cf("import", "enterprise", f, "--db", db)
    assert p.returncode == 1
    assert f"{f}:{N + 2}:county: " in p.stderr
    assert f"nothing imported: 1 of {N + 1} rows rejected" in p.stderr
    assert schema(db) == before_schema
    assert subprocess.run(["sqlite3", str(db), ".dump"], capture_output=True, text=True, check=True).stdout == before


def test_bulk_import_partial_rebuilds_indexes(tmp_path):
    db = fresh(tmp_path)
    before = schema(db)
    f = tmp_path / "big.csv"
    rows = good_rows(N)
    rows.append([uscc(N + 100), "重复", "鹿城区", "3823", "", "", "", ""])  # uscc already in the table
    write_csv(f, rows)
    p = run_cf("import", "enterprise", f, "--partial", "--db", db)
    assert p.returncode == 1
    assert p.stdout.strip() == f"imported {N} rows, rejected 1"
    assert f"{f}:{N + 2}:uscc: " in p.stderr and "already taken" in p.stderr
    assert schema(db) == before
    assert sql(db, "PRAGMA integrity_check").strip() == "ok"
    assert sql(db, "SELECT count(*) FROM enterprises").strip() == str(N + 1)

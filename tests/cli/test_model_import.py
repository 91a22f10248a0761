"""CLI tests of the registry's CSV import and export (model room): USCC vectors, round trips
for every entity, GBK input, every bad row reported as FILE:ROW:COLUMN with the database left
unchanged, --partial, and the GB/T 4754-2017 industry table from ../shared/data."""
import csv
import io
import subprocess

import pytest

from conftest import run_cf

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_char(code17):
    """GB 32100-2015 check character, written here independently of the C code."""
    c = 31 - sum(CHARS.index(ch) * w for ch, w in zip(code17, WEIGHTS)) % 31
    return CHARS[0 if c == 31 else c]


def uscc(serial):
    body = "91330300" + "MA2A" + f"{serial:05d}"
    return body + check_char(body)


def csv_text(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    return out.getvalue()


def dump(db):
    return subprocess.run(["sqlite3", str(db), ".dump"], capture_output=True, text=True, check=True).stdout


# ---------------------------------------------------------------- USCC


def test_uscc_vectors(shared_data):
    path = shared_data / "uscc" / "uscc_test_vectors.csv"
    if not path.exists():
        pytest.skip(f"{path} not found: skipping the USCC vector test")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) >= 20
    for r in rows:
        code = r["uscc"]
        p = run_cf("uscc", "check", code)
        if r["expected_check_valid"] == "true":
            assert p.returncode == 0, (code, p.stderr)
            assert p.stdout.strip() == "valid"
        else:
            assert p.returncode == 1, code
            want = f"position 18: check character is '{code[17]}', expected '{check_char(code[:17])}'"
            assert want in p.stderr, (code, p.stderr)


def test_uscc_own_cases(cf):
    good = uscc(1)
    assert cf("uscc", "check", good).returncode == 0
    p = cf("uscc", "make", good[:17])
    assert p.returncode == 0 and p.stdout.strip() == good
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    p = cf("uscc", "check", bad_check)
    assert p.returncode == 1
    assert f"position 18: check character is '{bad_check[17]}', expected '{good[17]}'" in p.stderr
    p = cf("uscc", "check", good[:8] + "I" + good[9:])
    assert p.returncode == 1 and "position 9:" in p.stderr
    p = cf("uscc", "check", good[:10])
    assert p.returncode == 1 and "18 characters" in p.stderr
    p = cf("uscc", "check", "B" + good[1:])
    assert p.returncode == 1 and "position 1:" in p.stderr
    assert cf("uscc").returncode == 2
    assert cf("uscc", "--help").returncode == 0


# ---------------------------------------------------------------- round trips

ENT = [uscc(i) for i in range(1, 4)]

# Every entity, in import order, with cells in the canonical text the export writes.
DATA = [
    ("chain", ["name", "name_en", "kind", "industry_codes", "description"], [
        ["电气", "Electrical", "pillar", "38", "温州 \"电气之都\"，乐清柳市"],
        ["数字经济", "Digital economy", "emerging", "39,65", "line one\nline two"],
    ]),
    ("segment", ["chain_id", "name", "position", "seq", "products", "industry_code"], [
        ["1", "低压电器元件", "upstream", "1", "触头, 银合金", "3823"],
        ["1", "成套设备", "downstream", "3", "开关柜", "382"],
    ]),
    ("enterprise", ["uscc", "name", "county", "industry_code", "chain_id", "segment_id", "legal_rep", "revenue",
                    "output_value", "value_added", "rd_expense", "employees", "founded", "above_scale", "micro",
                    "tech_sme", "high_tech", "little_giant", "rd_centre", "leading"], [
        [ENT[0], "温州甲电气有限公司", "乐清市", "3823", "1", "1", "张三", "123456789.01", "200000000.00",
         "30000000.50", "5000000.00", "520", "2003-04-05", "1", "0", "1", "1", "0", "province", "1"],
        [ENT[1], "瓯海乙鞋业", "瓯海区", "1951", "", "", "", "8000000.00", "", "", "", "12", "", "0", "1",
         "", "", "", "none", "0"],
        [ENT[2], "龙湾丙科技", "龙湾区", "6513", "2", "", "李四", "0.00", "", "", "", "", "2021-06-30", "", "",
         "", "", "", "", ""],
    ]),
    ("shareholder", ["enterprise_id", "holder_kind", "holder_name", "holder_uscc", "share"], [
        ["1", "person", "张三", "", "60"],
        ["1", "entity", "龙湾丙科技", ENT[2], "12.5"],
        ["2", "person", "王五", "", "100"],
    ]),
    ("platform", ["name", "co_builder", "positioning", "stage", "support", "industries", "industry_code", "county",
                  "market_based", "high_level", "rd_level"], [
        ["浙江大学温州研究院", "浙江大学", "技术创新", "运行期", "50000000.00", "电气,新材料", "73", "瓯海区",
         "0", "1", "province"],
        ["瓯江实验室", "", "基础研究", "建设期", "", "生命健康", "", "鹿城区", "", "1", ""],
    ]),
    ("broker", ["name", "certificate", "level", "training_hours", "employer_uscc", "employer_name", "county",
                "status"], [
        ["赵六", "JJR-2021-001", "高级", "120", ENT[2], "龙湾丙科技", "龙湾区", "active"],
        ["钱七", "", "初级", "", "", "", "", "suspended"],
    ]),
    ("achievement", ["title", "abstract", "keywords", "platform_id", "owner_name", "patents", "ipc", "industry_code",
                     "chain_stage", "trl", "deal_mode", "price", "county", "visibility"], [
        ["高分断小型断路器灭弧技术", "一种灭弧室结构", "断路器;灭弧", "1", "浙大温研院", "ZL202110000001.2",
         "H01H 9/30", "3823", "试验与发展", "6", "许可", "1500000.00", "瓯海区", "public"],
        ["眼科 OCT 图像算法", "", "", "2", "", "", "", "", "应用研究", "3", "", "", "", "brokers"],
    ]),
    ("demand", ["enterprise_id", "title", "description", "budget", "deadline", "industry_code", "chain_id",
                "segment_id", "product", "break_point", "visibility", "brokers"], [
        ["1", "银合金触头替代材料", "降低银含量", "3000000.00", "2026-12-31", "3823", "1", "1", "触头", "银合金",
         "confidential", "1,2"],
        ["2", "鞋底减震材料", "", "", "", "", "", "", "", "", "public", ""],
    ]),
    ("instrument", ["name", "model", "platform_id", "category", "description", "fee_per_hour", "county",
                    "shareable"], [
        ["扫描电子显微镜", "SU8010", "1", "电子光学", "分辨率 1 nm", "800.00", "瓯海区", "1"],
    ]),
    ("team", ["name", "leader", "platform_id", "field", "industry_code", "members", "county"], [
        ["智能电器团队", "孙八", "1", "电弧物理", "3823", "15", "瓯海区"],
    ]),
    ("supply", ["supplier_id", "supplier_name", "customer_id", "input", "share", "region", "grade", "value"], [
        ["3", "龙湾丙科技", "1", "控制芯片", "30", "local", "standard", "2000000.00"],
        ["", "某外地银材厂", "1", "银合金", "70.25", "domestic", "high", "12000000.00"],
    ]),
]


def test_round_trip_every_entity(tmp_path, cf):
    db = tmp_path / "rt.db"
    for name, header, rows in DATA:
        text = csv_text(header + ["synthetic"], [r + [str(i % 2)] for i, r in enumerate(rows)])
        f = tmp_path / f"{name}.csv"
        f.write_bytes(text.encode("utf-8"))
        p = cf("import", name, f, "--db", db)
        assert p.returncode == 0, (name, p.stderr)
        assert p.stdout.strip() == f"imported {len(rows)} rows, rejected 0"
        o = tmp_path / f"{name}.out.csv"
        out = cf("export", name, "--format", "csv", "-o", o, "--db", db)
        assert out.returncode == 0, out.stderr
        assert o.read_bytes() == text.encode("utf-8"), name
        # stdout carries the same text (subprocess reads CRLF as LF)
        assert cf("export", name, "--db", db).stdout == text.replace("\r\n", "\n"), name


def test_round_trip_industry(tmp_path, cf):
    db1, db2 = tmp_path / "i1.db", tmp_path / "i2.db"
    f = tmp_path / "ind.csv"
    f.write_text(csv_text(["code", "name", "level", "parent", "section", "description", "synthetic"], [
        ["382", "输配电及控制设备制造", "group", "38", "C", "", "0"],
        ["3823", "配电开关控制设备制造", "class", "382", "C", "指 \"开关\", 控制设备", "0"],
    ]), encoding="utf-8")
    assert cf("import", "industries", f, "--db", db1).returncode == 0
    e1 = cf("export", "industry", "--db", db1).stdout
    rows = list(csv.reader(io.StringIO(e1)))
    assert len(rows) == 1 + 117 + 2  # header, built-in sections+divisions, the two imported
    assert ["3823", "配电开关控制设备制造", "class", "382", "C", "指 \"开关\", 控制设备", "0"] in rows
    g = tmp_path / "e1.csv"
    g.write_text(e1, encoding="utf-8")
    p = cf("import", "industries", g, "--db", db2)
    assert p.returncode == 0, p.stderr
    assert cf("export", "industry", "--db", db2).stdout == e1


def test_gbk_file_with_chinese_headers(tmp_path, cf):
    db = tmp_path / "gbk.db"
    f = tmp_path / "gbk.csv"
    header = ["统一社会信用代码", "企业名称", "县(市、区)", "行业代码", "营业收入(元)", "规上企业"]
    f.write_bytes(csv_text(header, [[ENT[0], "温州瓯江泵阀有限公司", "永嘉县", "3441", "25000000", "是"]])
                  .encode("gbk"))
    with pytest.raises(UnicodeDecodeError):
        f.read_bytes().decode("utf-8")
    p = cf("import", "enterprise", f, "--db", db)
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(io.StringIO(cf("export", "enterprise", "--db", db).stdout)))
    assert len(rows) == 1
    r = rows[0]
    assert (r["uscc"], r["name"], r["county"], r["industry_code"], r["revenue"], r["above_scale"],
            r["synthetic"]) == (ENT[0], "温州瓯江泵阀有限公司", "永嘉县", "3441", "25000000.00", "1", "0")


def test_utf8_bom(tmp_path, cf):
    db = tmp_path / "bom.db"
    f = tmp_path / "bom.csv"
    f.write_bytes(b"\xef\xbb\xbf" + csv_text(["name", "kind"], [["鞋业", "pillar"]]).encode("utf-8"))
    assert cf("import", "chains", f, "--db", db).returncode == 0
    assert "鞋业,,pillar,,,0" in cf("export", "chain", "--db", db).stdout


# ---------------------------------------------------------------- bad rows


def seeded(tmp_path, cf):
    db = tmp_path / "bad.db"
    f = tmp_path / "seed.csv"
    f.write_text(csv_text(["name", "kind"], [["电气", "pillar"]]), encoding="utf-8")
    assert cf("import", "chain", f, "--db", db).returncode == 0
    f = tmp_path / "seed2.csv"
    f.write_text(csv_text(["uscc", "name", "county", "industry_code"], [[ENT[0], "甲", "鹿城区", "3823"]]),
                 encoding="utf-8")
    assert cf("import", "enterprise", f, "--db", db).returncode == 0
    return db


BAD_HEADER = ["uscc", "name", "county", "industry_code", "revenue", "founded", "chain_id", "above_scale"]
BAD_ROWS = [
    [ENT[1], "好企业", "瑞安市", "3823", "100.00", "2020-01-01", "1", "1"],            # row 2: fine
    [ENT[1][:17] + "0" if ENT[1][17] != "0" else ENT[1][:17] + "1", "坏1", "鹿城区", "3823", "", "", "", ""],  # 3
    [ENT[2], "坏2", "杭州市", "9999", "1.234", "2023-02-29", "7", "maybe"],           # row 4: six bad cells
    [ENT[0], "坏3", "龙湾区", "3823", "", "", "", ""],                                # row 5: uscc taken in db
    [ENT[1], "", "龙湾区", "3823", "", "", "", ""],                                   # row 6: dup + name missing
]


def test_every_bad_row_reported_and_db_unchanged(tmp_path, cf):
    db = seeded(tmp_path, cf)
    before = dump(db)
    f = tmp_path / "bad.csv"
    f.write_text(csv_text(BAD_HEADER, BAD_ROWS), encoding="utf-8")
    p = cf("import", "enterprise", f, "--db", db)
    assert p.returncode == 1
    err = p.stderr
    for where in ["3:uscc", "4:county", "4:industry_code", "4:revenue", "4:founded", "4:chain_id",
                  "4:above_scale", "5:uscc", "6:uscc", "6:name"]:
        assert f"{f}:{where}: " in err, (where, err)
    assert f"{f}:2:" not in err
    assert "expected '" in err and "two decimals" in err and "already taken" in err
    assert "already in row 2" in err
    assert "nothing imported: 4 of 5 rows rejected" in err
    assert dump(db) == before


def test_partial_writes_good_rows(tmp_path, cf):
    db = seeded(tmp_path, cf)
    f = tmp_path / "bad.csv"
    f.write_text(csv_text(BAD_HEADER, BAD_ROWS), encoding="utf-8")
    p = cf("import", "enterprise", f, "--partial", "--db", db)
    assert p.returncode == 1
    assert p.stdout.strip() == "imported 1 rows, rejected 4"
    assert f"{f}:4:county: " in p.stderr
    names = [r["name"] for r in csv.DictReader(io.StringIO(cf("export", "enterprise", "--db", db).stdout))]
    assert names == ["甲", "好企业"]
    # all good: exit 0
    g = tmp_path / "good.csv"
    g.write_text(csv_text(["name", "kind"], [["泵阀", "pillar"]]), encoding="utf-8")
    p = cf("import", "chain", g, "--partial", "--db", db)
    assert p.returncode == 0 and p.stdout.strip() == "imported 1 rows, rejected 0"


def test_header_problems(tmp_path, cf):
    db = tmp_path / "h.db"
    f = tmp_path / "h.csv"
    f.write_text(csv_text(["name", "colour", "name_en", "name_en"], [["x", "red", "a", "b"]]), encoding="utf-8")
    p = cf("import", "chain", f, "--db", db)
    assert p.returncode == 1
    assert f"{f}:1:colour: unknown column" in p.stderr
    assert f"{f}:1:name_en: column name_en appears twice" in p.stderr
    assert f"{f}:1: missing required column kind" in p.stderr
    assert cf("export", "chain", "--db", db).stdout == "name,name_en,kind,industry_codes,description,synthetic\n"


def test_enterprise_ref_by_uscc(tmp_path, cf):
    db = seeded(tmp_path, cf)
    f = tmp_path / "d.csv"
    f.write_text(csv_text(["enterprise_id", "title", "visibility"], [[ENT[0], "需求", "public"],
                                                                     [ENT[2], "无主", "public"]]),
                 encoding="utf-8")
    p = cf("import", "demand", f, "--db", db)
    assert p.returncode == 1
    assert f"{f}:3:enterprise_id: no enterprise with unified social credit code {ENT[2]}" in p.stderr
    p = cf("import", "demand", f, "--partial", "--db", db)
    rows = list(csv.DictReader(io.StringIO(cf("export", "demand", "--db", db).stdout)))
    assert [(r["enterprise_id"], r["title"]) for r in rows] == [("1", "需求")]


def test_industry_code_rules(tmp_path, cf):
    """Only sections+divisions loaded: a 3/4-digit code is accepted when its division exists.
    Once the full table is loaded, the code itself must exist."""
    db = tmp_path / "ind.db"
    f = tmp_path / "e.csv"
    f.write_text(csv_text(["uscc", "name", "county", "industry_code"], [[ENT[0], "甲", "鹿城区", "3899"]]),
                 encoding="utf-8")
    assert cf("import", "enterprise", f, "--db", db).returncode == 0
    g = tmp_path / "ind.csv"
    g.write_text(csv_text(["level", "code", "name", "parent_code", "section", "description"], [
        ["中类", "382", "输配电及控制设备制造", "38", "C", ""],
        ["小类", "3823", "配电开关控制设备制造", "382", "C", ""],
    ]), encoding="utf-8")
    assert cf("import", "industries", g, "--db", db).returncode == 0
    h = tmp_path / "e2.csv"
    h.write_text(csv_text(["uscc", "name", "county", "industry_code"], [[ENT[1], "乙", "鹿城区", "3899"],
                                                                        [ENT[2], "丙", "鹿城区", "3823"]]),
                 encoding="utf-8")
    p = cf("import", "enterprise", h, "--db", db)
    assert p.returncode == 1
    assert f"{h}:2:industry_code: industry code 3899 is not in the loaded GB/T 4754-2017 table" in p.stderr
    assert f"{h}:3:" not in p.stderr


def test_industry_file_checks(tmp_path, cf):
    db = tmp_path / "ic.db"
    g = tmp_path / "ind.csv"
    g.write_text(csv_text(["level", "code", "name", "parent_code", "section", "description"], [
        ["小类", "382", "错层级", "38", "C", ""],
        ["中类", "383", "错门类", "38", "D", ""],
        ["小类", "3841", "无上级", "384", "C", ""],
    ]), encoding="utf-8")
    p = cf("import", "industries", g, "--db", db)
    assert p.returncode == 1
    assert f"{g}:2:level: code 382 is a group" in p.stderr
    assert f"{g}:3:section: code 383 belongs to section C" in p.stderr
    assert f"{g}:4:parent_code: 384 is neither earlier in the file nor in the table" in p.stderr


def test_industries_from_shared_file(tmp_path, cf, shared_data):
    path = shared_data / "gbt4754-2017" / "gbt4754_2017_flat.csv"
    if not path.exists():
        pytest.skip(f"{path} not found: skipping the GB/T 4754-2017 import test")
    want = list(csv.DictReader(path.open(encoding="utf-8")))
    db = tmp_path / "gbt.db"
    p = cf("import", "industries", path, "--db", db)
    assert p.returncode == 0, p.stderr[:2000]
    assert p.stdout.splitlines()[0] == f"imported {len(want)} rows, rejected 0"
    got = list(csv.DictReader(io.StringIO(cf("export", "industry", "--db", db).stdout)))
    assert len(got) == len(want)
    level = {"门类": "section", "大类": "division", "中类": "group", "小类": "class"}
    assert sorted((r["code"], r["name"], r["level"], r["parent"], r["section"]) for r in got) == \
        sorted((r["code"], r["name"], level[r["level"]], r["parent_code"], r["section"]) for r in want)


def test_xlsx_export(tmp_path, cf):
    openpyxl = pytest.importorskip("openpyxl")
    db = seeded(tmp_path, cf)
    x = tmp_path / "e.xlsx"
    p = cf("export", "enterprise", "--format", "xlsx", "-o", x, "--db", db)
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(x)
    ws = wb["企业"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("统一社会信用代码", "企业名称", "县(市、区)")
    assert rows[0][-1] == "合成数据"
    assert rows[1][:4] == (ENT[0], "甲", "鹿城区", "3823")
    assert rows[1][-1] == "0"
    fields = list(wb["fields"].iter_rows(values_only=True))
    assert fields[1][:3] == ("A", "统一社会信用代码", "uscc")
    assert cf("export", "enterprise", "--format", "xlsx", "--db", db).returncode == 2

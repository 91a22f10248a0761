"""Oracle: the XLSX report read back with openpyxl; the coupling sheet recomputed
independently in Python (entropy weights per subsystem, U1/U2, C, T, D)."""
import math

import openpyxl
import pytest

IND = """year,U1.firms,U1.value_added,U1.micro_share(-),U2.rd_expense,U2.contracts,U2.platforms
2017,100,1500,95,10,20,5
2018,120,1921,94,14,25,12
2019,130,2000,93,18,40,25
2020,140,2100,92,22,60,40
2021,150,2300,91,30,80,49
"""

LADDER = """enterprise,year,above_scale,tech_sme,high_tech,little_giant,leading
1,2020,0,0,0,0,0
1,2021,0,1,0,0,0
2,2020,0,1,0,0,0
2,2021,0,1,1,0,0
3,2020,0,0,0,0,0
3,2021,0,0,0,0,0
4,2021,1,0,0,0,0
"""


def entropy(cols, negative, eps=0.002):
    """Reference entropy weights (mathmodels form) and min-max scores, written from the formulas."""
    n = len(cols[0])
    ys, ds = [], []
    for c, neg in zip(cols, negative):
        lo, hi = min(c), max(c)
        y = [((hi - v) if neg else (v - lo)) / (hi - lo) for v in c]
        z = [eps + (1 - eps) * v for v in y]
        p = [v / sum(z) for v in z]
        e = -sum(q * math.log(q) for q in p) / math.log(n)
        ys.append(y)
        ds.append(1 - e)
    w = [d / sum(ds) for d in ds]
    return w, ys


def reference(text):
    lines = text.strip().split("\n")
    head = lines[0].split(",")[1:]
    rows = [[float(x) for x in l.split(",")[1:]] for l in lines[1:]]
    years = [int(l.split(",")[0]) for l in lines[1:]]
    out = {}
    u = []
    for sub in ("U1.", "U2."):
        idx = [i for i, h in enumerate(head) if h.startswith(sub)]
        w, ys = entropy([[r[i] for r in rows] for i in idx], [head[i].endswith("(-)") for i in idx])
        u.append([sum(w[k] * ys[k][t] for k in range(len(idx))) for t in range(len(rows))])
    for t, y in enumerate(years):
        u1, u2 = u[0][t], u[1][t]
        c = 2 * math.sqrt(u1 * u2) / (u1 + u2) if u1 + u2 > 0 else 0.0
        tt = 0.5 * u1 + 0.5 * u2
        out[y] = (u1, u2, c, tt, math.sqrt(c * tt))
    return out


@pytest.fixture
def workbook(cf, tmp_path):
    (tmp_path / "ind.csv").write_text(IND)
    (tmp_path / "lad.csv").write_text(LADDER)
    out = tmp_path / "r.xlsx"
    cf("report", "--year", "2021", "--format", "xlsx", "-o", out, "--indicators", tmp_path / "ind.csv",
       "--ladder", tmp_path / "lad.csv", check=True)
    return openpyxl.load_workbook(out)


def test_sheets_and_chinese_headers(workbook):
    assert workbook.sheetnames == ["概览", "表1 三地对比", "图表序列", "论文数据", "派生指标", "耦合协调", "指标权重", "企业梯度"]
    ws = workbook["表1 三地对比"]
    assert [c.value for c in ws[1]][:4] == ["地区", "工业企业数/家", "规上工业企业数/家", "工业增加值/亿元"]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["温州", "杭州", "宁波"]
    assert ws.cell(2, 2).value == 79437 and ws.cell(2, 2).number_format == "#,##0"
    # recomputed, not copied: 1921e4/79437, 4160e4/50147, 4954e4/88574
    assert ws.cell(2, 7).value == pytest.approx(19210000 / 79437, rel=1e-12)
    assert [round(ws.cell(r, 7).value, 1) for r in (2, 3, 4)] == [241.8, 829.6, 559.3]
    assert ws.cell(2, 6).value == 241.9  # as the paper prints it
    assert ws.cell(2, 7).number_format == "#,##0.0"


def test_coupling_sheet_matches_reference(workbook):
    ref = reference(IND)
    ws = workbook["耦合协调"]
    assert [c.value for c in ws[1]] == ["年度", "产业链 U1", "创新链 U2", "耦合度 C", "协调度 T", "耦合协调度 D", "等级", "协调类型"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [2017, 2018, 2019, 2020, 2021]
    for r in rows:
        for got, want in zip(r[1:6], ref[r[0]]):
            assert got == pytest.approx(want, abs=1e-9)
        assert r[7] == ["极度失调", "严重失调", "中度失调", "轻度失调", "濒临失调", "勉强协调", "初级协调", "中级协调",
                        "良好协调", "优质协调"][min(9, int(r[5] * 10 + 1e-9))]
    assert ws.cell(2, 6).number_format == "0.000"


def test_weights_and_ladder_sheets(workbook):
    ws = workbook["指标权重"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["U1.firms", "U1.value_added", "U1.micro_share(-)", "U2.rd_expense", "U2.contracts", "U2.platforms"]
    assert rows[2][2] == "负向" and rows[0][2] == "正向"
    assert sum(r[3] for r in rows[:3]) == pytest.approx(1.0, abs=1e-12)
    # 2021 is best on every indicator: no obstacles
    assert all(r[4] == 0 for r in rows)
    lad = list(workbook["企业梯度"].iter_rows(min_row=2, values_only=True))
    assert sorted(lad) == sorted([("小微企业", "科技型中小企业", 1), ("科技型中小企业", "高新技术企业", 1), ("小微企业", "小微企业", 1)])


def test_facts_sheet_has_every_fact_with_section(workbook, cf):
    import json
    facts = [f for f in json.loads(cf("figures", "--json", check=True).stdout) if f["kind"] == "fact"]
    ws = workbook["论文数据"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(facts)
    assert {r[0]: r[5] for r in rows}["rd_gdp_ratio"] == 2.2
    assert all(r[1] for r in rows)


def test_report_from_registry(cf, server_factory, tmp_path):
    """--db: the ladder, platform and layout-gap sheets come from the registry tables."""
    import sqlite3
    db = tmp_path / "rep.db"
    server_factory(db)  # creates the database with every migration applied
    con = sqlite3.connect(str(db), timeout=10)
    c = con.cursor()
    c.execute("INSERT INTO chains (id, name, kind, industry_codes) VALUES (1, '电气', 'pillar', 'C38'), (2, '鞋业', 'pillar', 'C19')")
    c.execute("INSERT INTO enterprises (id, uscc, name, county, industry_code, chain_id, value_added) VALUES "
              "(1, '91330300000000001A', 'A', '鹿城区', 'C38', 1, 300), (2, '91330300000000002A', 'B', '鹿城区', 'C19', 2, 100)")
    c.execute("INSERT INTO enterprise_years (enterprise_id, year, tech_sme, high_tech, synthetic, rd_expense, value_added) VALUES "
              "(1, 2020, 0, 0, 1, 100, 1000), (1, 2021, 1, 0, 1, 300, 1500), (2, 2020, 1, 0, 1, 50, 700), (2, 2021, 1, 1, 1, 80, 900)")
    c.execute("INSERT INTO platforms (id, name, positioning, stage, county, industry_code) VALUES (1, '甲平台', '技术创新', '运行期', '鹿城区', 'C38')")
    c.execute("INSERT INTO platform_years (platform_id, year, local_contracts) VALUES (1, 2021, 500)")
    con.commit()
    con.close()
    out = tmp_path / "db.xlsx"
    cf("report", "--year", "2021", "--format", "xlsx", "-o", out, "--db", db, check=True)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["概览", "表1 三地对比", "图表序列", "论文数据", "派生指标", "耦合协调", "指标权重", "平台评估", "布局缺口", "企业梯度"]
    assert wb["概览"]["B5"].value == "演示数据(合成), 非真实统计"
    assert [r for r in wb["平台评估"].iter_rows(min_row=2, values_only=True)] == [
        ("甲平台", "技术创新", "运行期", "重点扶持", "分类考核", 1, 1, 1)]
    gap = list(wb["布局缺口"].iter_rows(min_row=2, values_only=True))
    assert [(g[0], g[1], g[2], g[6]) for g in gap] == [("鞋业", 1, 0, "否"), ("电气", 3, 1, "否")]
    lad = sorted(wb["企业梯度"].iter_rows(min_row=2, values_only=True))
    assert lad == sorted([("小微企业", "科技型中小企业", 1), ("科技型中小企业", "高新技术企业", 1)])
    coup = list(wb["耦合协调"].iter_rows(min_row=2, values_only=True))
    # two years: every varying indicator is min in 2020 and max in 2021
    assert [r[0] for r in coup] == [2020, 2021]
    assert coup[0][1:6] == (0, 0, 0, 0, 0) and coup[1][1:6] == (1, 1, 1, 1, 1)
    w = {r[0]: r[3] for r in wb["指标权重"].iter_rows(min_row=2, values_only=True)}
    assert w["U1.enterprises"] == 0 and w["U1.value_added"] == 1  # constant column: weight 0
    p = cf("report", "--year", "2021", "--format", "xlsx", "-o", out, "--db", tmp_path / "absent.db")
    assert p.returncode != 0 and "no database here" in p.stderr

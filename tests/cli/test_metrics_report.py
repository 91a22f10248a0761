"""`chainfuse report --format html` and `chainfuse figures`."""
import json
import re


def test_html_report_self_contained_with_charts(cf, tmp_path):
    ind = tmp_path / "ind.csv"
    ind.write_text("year,U1.a,U2.b\n2020,1,2\n2021,2,1\n")
    lad = tmp_path / "lad.csv"
    lad.write_text("enterprise,year,high_tech\n1,2020,0\n1,2021,1\n")
    out = tmp_path / "r.html"
    cf("report", "--year", "2021", "--format", "html", "-o", out, "--indicators", ind, "--ladder", lad, "--synthetic", check=True)
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "两链融合分析报告 2021" in html
    assert "演示数据(合成)" in html
    assert html.count("<svg") == 4  # table 1 bars, series bars, D line, ladder sankey
    assert "小微企业 → 高新技术企业: 1" in html
    assert "<td class=n>241.8</td><td>一致</td>" in html
    assert not re.search(r"(src|href)=\"https?:", html)  # nothing fetched at run time
    # 2020: U1 = 0, U2 = 1 -> C = 0, D = 0
    assert "<tr><td>2020</td><td class=n>0.000</td><td class=n>1.000</td><td class=n>0.000</td>" in html


def test_report_usage_and_input_errors(cf, tmp_path):
    assert cf("report", "--format", "html", "-o", tmp_path / "x").returncode == 2
    assert cf("report", "--year", "2021", "--format", "pdf", "-o", tmp_path / "x").returncode == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("year,X.a,U2.b\n2020,1,2\n2021,2,1\n")
    p = cf("report", "--year", "2021", "--format", "html", "-o", tmp_path / "x.html", "--indicators", bad)
    assert p.returncode == 1
    assert "must start with U1. (industry chain) or U2. (innovation chain)" in p.stderr
    assert not (tmp_path / "x.html").exists()


def test_figures_check_and_json(cf):
    p = cf("figures", "--check")
    assert p.returncode == 0
    assert "table1.avg_value_added.温州\t241.8\t万元/家\tpublished 241.9\tconsistent" in p.stdout
    d = {x["id"]: x for x in json.loads(cf("figures", "--derived", "--json", check=True).stdout)}
    assert d["table1.avg_value_added.杭州"]["rounded"] == 829.6
    assert d["table1.avg_value_added.宁波"]["rounded"] == 559.3
    assert abs(d["subfund_avg"]["value"] - 34.6 / 19) < 1e-9
    facts = json.loads(cf("figures", "--json", check=True).stdout)
    ids = {f["id"]: f for f in facts}
    for k, v in [("hightech_export_share_wenzhou", 3.2), ("hightech_export_share_hangzhou", 17.6),
                 ("pillar_va_share", 46.0), ("emerging_va_share", 26.4), ("wage_rise_shoemaker", 43.1),
                 ("platforms", 49), ("little_giant_total", 52), ("subfund_total", 34.6), ("ip_financing_amount", 1.9)]:
        assert ids[k]["value"] == v and ids[k]["section"]

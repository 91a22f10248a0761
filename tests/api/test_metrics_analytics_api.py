"""REST behind the analytics dashboards, against a real server on a loopback port."""
import math
import sqlite3

import pytest


@pytest.fixture
def srv(server_factory, tmp_path):
    return server_factory(tmp_path / "an.db")


def seed(db):
    """Registry rows written straight into the database the server created (migrations applied)."""
    con = sqlite3.connect(str(db), timeout=10)
    c = con.cursor()
    c.execute("INSERT INTO chains (id, name, kind, industry_codes) VALUES (1, '电气', 'pillar', 'C38'), (2, '鞋业', 'pillar', 'C19'), (3, '生命健康', 'emerging', 'C27')")
    ents = [(1, '91330300000000001A', 'A', 1, 400000000), (2, '91330300000000002A', 'B', 2, 300000000),
            (3, '91330300000000003A', 'C', 3, 100000000)]
    for i, uscc, name, chain, va in ents:
        c.execute("INSERT INTO enterprises (id, uscc, name, county, industry_code, chain_id, value_added) VALUES (?,?,?,?,?,?,?)",
                  (i, uscc, name, '鹿城区', 'C38', chain, va))
    # ladder: 1 micro -> tech_sme, 2 tech_sme -> high_tech, 3 stays micro
    years = [(1, 2020, 0, 0, 0), (1, 2021, 0, 1, 0), (2, 2020, 0, 1, 0), (2, 2021, 0, 1, 1), (3, 2020, 0, 0, 0), (3, 2021, 0, 0, 0)]
    for e, y, a, t, h in years:
        c.execute("INSERT INTO enterprise_years (enterprise_id, year, above_scale, tech_sme, high_tech, synthetic, rd_expense, value_added) "
                  "VALUES (?,?,?,?,?,1,?,?)", (e, y, a, t, h, 100000 * (y - 2019) * e, 1000000 * (y - 2018)))
    c.execute("INSERT INTO platforms (id, name, positioning, stage, support, county, industry_code, market_based) VALUES "
              "(1, 'P1', '技术创新', '运行期', 500, '鹿城区', 'C27', 0), (2, 'P2', '技术创新', '运行期', 500, '鹿城区', 'C27', 0), "
              "(3, 'P3', '产业服务', '成熟期', 100, '瓯海区', 'C38', 1)")
    for p, contracts, spin, pat in [(1, 1000000, 1, 2), (2, 3000000, 3, 5), (3, 200000, 0, 0)]:
        c.execute("INSERT INTO platform_years (platform_id, year, local_contracts, spinoffs, patents_transferred, own_revenue_share, cross_county) "
                  "VALUES (?, 2021, ?, ?, ?, 2000, 1)", (p, contracts, spin, pat))
    con.commit()
    con.close()


def test_figures(srv):
    st, _, body = srv.request("GET", "/api/v1/analytics/figures")
    assert st == 200
    d = {x["id"]: x for x in body["derived"]}
    assert round(d["table1.avg_value_added.温州"]["value"], 1) == 241.8
    assert d["table1.avg_value_added.温州"]["published"] == 241.9 and d["table1.avg_value_added.温州"]["consistent"]
    assert {f["id"]: f["value"] for f in body["facts"]}["rd_gdp_ratio"] == 2.2
    assert len(body["series"]) == 11


def test_coupling_post(srv):
    st, _, body = srv.request("POST", "/api/v1/analytics/coupling",
                              {"rows": [{"id": "2011", "U": [0.101, 0.280]}], "alpha": 0.5, "beta": 0.5})
    assert st == 200
    r = body["rows"][0]
    assert abs(r["C"] - 2 * math.sqrt(0.101 * 0.280) / 0.381) < 1e-12
    assert r["grade_zh"] == "濒临失调"
    st, _, body = srv.request("POST", "/api/v1/analytics/coupling", {"rows": [{"id": "x", "U": [0.1, 1.5]}]})
    assert st == 422
    assert body["errors"] == [{"path": "$.rows[0].U", "detail": "U2 = 1.5 is outside [0, 1]"}]


def test_entropy_post(srv):
    st, _, body = srv.request("POST", "/api/v1/analytics/entropy", {
        "indicators": ["x1", "x2"], "negative": ["x2"],
        "rows": [{"id": 1, "values": [3, 10]}, {"id": 2, "values": [5, 20]}, {"id": 3, "values": [2, 15]}, {"id": 4, "values": [7, 25]}]})
    assert st == 200
    w = [i["weight"] for i in body["indicators"]]
    assert abs(w[0] - 0.5452618) < 5e-8 and abs(w[1] - 0.4547382) < 5e-8
    st, _, body = srv.request("POST", "/api/v1/analytics/entropy", {"indicators": ["a"], "negative": ["b"], "rows": [{"values": [1]}, {"values": [2]}]})
    assert st == 422 and body["errors"][0]["path"] == "$.negative[0]"


def test_subsidy_calculator(srv):
    st, _, body = srv.request("POST", "/api/v1/analytics/subsidy", {
        "annual_output": "15000000.00", "key_industry": True, "rd_expense": "800000.00",
        "contracts": ["300000.00", "1000000.00"], "equipment": "500000.00"})
    assert st == 200
    assert body == {"policy_version": "2026.1", "eligible": True, "extra_deduction": "160000.00", "tax_saving": "8000.00",
                    "contract_subsidy": "80000.00", "equipment_subsidy": "50000.00", "total": "138000.00"}
    st, _, body = srv.request("POST", "/api/v1/analytics/subsidy", {"annual_output": "1.234"})
    assert st == 422 and body["errors"][0]["path"] == "$.annual_output"


def test_registry_analytics(srv, tmp_path):
    st, _, _ = srv.request("GET", "/api/v1/analytics/ladder?year=2021")
    assert st == 200  # empty registry: no flows, no error
    seed(tmp_path / "an.db")
    st, _, body = srv.request("GET", "/api/v1/analytics/ladder?year=2021")
    assert st == 200
    assert body["up"] == 2 and body["stay"] == 1 and body["down"] == 0 and body["synthetic"] is True
    assert sorted((l["from"], l["to"], l["firms"]) for l in body["links"]) == [(0, 0, 1), (0, 2, 1), (2, 3, 1)]
    st, _, body = srv.request("GET", "/api/v1/analytics/platforms?year=2021")
    assert st == 200
    p = {x["name"]: x for x in body["platforms"]}
    assert p["P2"]["rank"] == 1 and p["P1"]["rank"] == 2 and p["P1"]["group_size"] == 2
    assert p["P3"]["track"] == "market" and p["P1"]["track"] == "class"
    st, _, body = srv.request("GET", "/api/v1/analytics/layout-gap")
    assert st == 200
    ch = body["chains"]
    # value added 4 : 3 : 1 (of 8); platforms 1 (电气), 0 (鞋业), 2 (生命健康) of 3
    assert [c["chain"] for c in ch] == ["鞋业", "电气", "生命健康"]
    # 鞋业: 3/8 of the base, no platform; 电气: 1/2 of the base but 1/3 of support >= 0.5 * 1/2
    assert [c["flagged"] for c in ch] == [True, False, False]
    assert abs(ch[1]["gap"] - (0.5 - 1 / 3)) < 1e-12
    st, _, body = srv.request("GET", "/api/v1/analytics/layout-gap?ratio=0.7")
    assert [c["flagged"] for c in body["chains"]] == [True, True, False]
    st, _, body = srv.request("GET", "/api/v1/analytics/coupling")
    assert st == 200
    assert [y["year"] for y in body["years"]] == [2020, 2021]
    assert body["years"][0]["D"] == 0 and body["years"][1]["grade_zh"] == "优质协调"
    # an imported series joins the indicator table when it covers every year
    st, _, body = srv.request("POST", "/api/v1/analytics/series", {"series": [
        {"name": "U2.rd_gdp", "year": 2020, "value": 2.2, "source": "§二.1"}, {"name": "U2.rd_gdp", "year": 2021, "value": 2.4},
        {"name": "U1.partial", "year": 2021, "value": 1}]})
    assert st == 200 and body == {"imported": 3}
    st, _, body = srv.request("GET", "/api/v1/analytics/coupling")
    names = [i["name"] for i in body["indicators"]]
    assert "U2.rd_gdp" in names and "U1.partial" not in names
    assert body["years"][0]["values"]["U2.rd_gdp"] == 2.2
    st, _, body = srv.request("POST", "/api/v1/analytics/series", {"series": [{"name": "U2.x", "year": 2021, "value": 1},
                                                                           {"name": "bad", "year": 2021, "value": 1}]})
    assert st == 422 and body["errors"][0]["path"] == "$.series[1]"
    con = sqlite3.connect(str(tmp_path / "an.db"))
    assert con.execute("SELECT COUNT(*) FROM indicator_series WHERE name = 'U2.x'").fetchone() == (0,)  # nothing written
    con.close()
    st, _, body = srv.request("GET", "/api/v1/analytics/ladder")
    assert st == 400
    st, _, body = srv.request("GET", "/api/v1/analytics/coupling?alpha=0.7&beta=0.7")
    assert st == 400

"""REST matchmaking over real HTTP: GET by demand, POST with text and filters, explanations
that add up, live changes seen by the very next query, and errors. Rows are created through
the registry API itself."""
import pytest

from cf_rows import post, uscc  # tests/cf_rows.py


@pytest.fixture
def srv(server_factory, tmp_path):
    s = server_factory(tmp_path / "match.db")
    s.dbpath = tmp_path / "match.db"
    ent = post(srv_ := s, "enterprises", {"uscc": uscc("91330300MA2A00000"), "name": "温州某阀门有限公司",
                                          "county": "龙湾区", "industry_code": "34", "micro": True})
    pf = post(srv_, "platforms", {"name": "瓯江实验室", "positioning": "基础研究", "stage": "建设期", "county": "龙湾区"})
    s.ids = {"ent": ent["id"], "pf": pf["id"]}
    s.ids["a1"] = post(s, "achievements", {"title": "阀门密封件寿命提升技术", "abstract": "高分子密封材料，耐磨损，DN50 阀门",
                                           "platform_id": pf["id"], "visibility": "public", "trl": 7,
                                           "price": "50000", "county": "龙湾区", "industry_code": "34"})["id"]
    s.ids["a2"] = post(s, "achievements", {"title": "水稻病虫害智能识别", "abstract": "深度学习图像识别",
                                           "platform_id": pf["id"], "visibility": "public", "trl": 5})["id"]
    s.ids["d1"] = post(s, "demands", {"enterprise_id": ent["id"], "title": "DN50阀门密封件寿命不足",
                                      "description": "密封件磨损快，需要耐磨损的密封材料", "visibility": "public",
                                      "budget": "80000"})["id"]
    return s


def sums_up(h):
    return abs(sum(t["score"] for t in h["terms"]) + sum(h["signals"].values()) - h["score"]) < 1e-6


def test_get_by_demand_ranks_and_explains(srv):
    st, _, b = srv.request("GET", f"/api/v1/match?demand={srv.ids['d1']}&kind=achievement&k=20")
    assert st == 200, b
    assert b["kind"] == "achievement"
    assert [h["id"] for h in b["hits"]] == [srv.ids["a1"]]
    h = b["hits"][0]
    assert sums_up(h)
    # same county, affordable, a micro firm gets a TRL-7 technology: those signals count
    assert h["signals"]["locality"] > 0 and h["signals"]["budget"] > 0 and h["signals"]["trl_fit"] > 0
    assert "total" not in b


def test_post_text_with_filters(srv):
    st, _, b = srv.request("POST", "/api/v1/match", {"text": "图像识别 病虫害", "kind": "achievement", "k": 5,
                                                      "filters": {"county": "龙湾区", "budget": 1000}})
    assert st == 200, b
    assert [h["id"] for h in b["hits"]] == [srv.ids["a2"]]
    assert all(sums_up(h) for h in b["hits"])


def test_changes_reach_the_next_query(srv):
    q = {"text": "激光焊接机器人", "kind": "achievement"}
    assert srv.request("POST", "/api/v1/match", q)[2]["hits"] == []
    a3 = post(srv, "achievements", {"title": "激光焊接机器人视觉引导", "platform_id": srv.ids["pf"],
                                    "visibility": "public"})["id"]
    assert [h["id"] for h in srv.request("POST", "/api/v1/match", q)[2]["hits"]] == [a3]
    st, _, _ = srv.request("DELETE", f"/api/v1/achievements/{a3}")
    assert st == 204
    assert srv.request("POST", "/api/v1/match", q)[2]["hits"] == []


def test_errors(srv):
    assert srv.request("GET", "/api/v1/match?demand=999999")[0] == 404
    assert srv.request("GET", "/api/v1/match?demand=x")[0] == 400
    assert srv.request("GET", f"/api/v1/match?demand={srv.ids['d1']}&kind=spaceship")[0] == 400
    assert srv.request("GET", f"/api/v1/match?demand={srv.ids['d1']}&k=0")[0] == 400
    assert srv.request("GET", f"/api/v1/match?demand={srv.ids['d1']}&bogus=1")[0] == 400
    st, _, b = srv.request("POST", "/api/v1/match", {"kind": "achievement"})
    assert st == 422 and b["errors"][0]["path"] == "$.text"
    st, _, b = srv.request("POST", "/api/v1/match", {"text": "x", "filters": {"county": "杭州"}})
    assert st == 422 and b["errors"][0]["path"] == "$.filters.county"


def test_cli_demand_from_database(cf, srv):
    import json
    p = cf("match", "--db", srv.dbpath, "--demand", srv.ids["d1"], "--json", check=True)
    hits = json.loads(p.stdout)["hits"]
    assert [h["id"] for h in hits] == [srv.ids["a1"]]
    assert sums_up(hits[0])
    p = cf("match", "--db", srv.dbpath, "--text", "病虫害", check=True)
    assert [l.split("\t")[2] for l in p.stdout.splitlines()] == [str(srv.ids["a2"])]
    r = cf("match", "--db", srv.dbpath, "--demand", "999999")
    assert r.returncode == 1
    assert r.stderr.strip() == "chainfuse match: no demand 999999"


def test_index_is_built_once_and_kept_live(srv):
    """The server builds its match index on the first match request and then keeps it in step
    with every registry write: create, change (PATCH) and delete reach the very next query, and
    the log shows a single build."""
    q1 = {"text": "超声波探伤仪器", "kind": "achievement"}
    q2 = {"text": "石墨烯散热涂层", "kind": "achievement"}
    assert srv.request("POST", "/api/v1/match", q1)[2]["hits"] == []
    a = post(srv, "achievements", {"title": "超声波探伤仪器国产化", "platform_id": srv.ids["pf"],
                                   "visibility": "public"})["id"]
    assert [h["id"] for h in srv.request("POST", "/api/v1/match", q1)[2]["hits"]] == [a]
    st, _, b = srv.request("PATCH", f"/api/v1/achievements/{a}", {"title": "石墨烯散热涂层"})
    assert st == 200, b
    assert srv.request("POST", "/api/v1/match", q1)[2]["hits"] == []
    assert [h["id"] for h in srv.request("POST", "/api/v1/match", q2)[2]["hits"]] == [a]
    # a demand made after the build is matched by id, both ways
    d = post(srv, "demands", {"enterprise_id": srv.ids["ent"], "title": "石墨烯散热涂层应用",
                              "visibility": "public"})["id"]
    st, _, b = srv.request("GET", f"/api/v1/match?demand={d}&kind=achievement")
    assert st == 200 and [h["id"] for h in b["hits"]] == [a]
    st, _, b = srv.request("GET", f"/api/v1/match?achievement={a}&kind=demand")
    assert st == 200 and [h["id"] for h in b["hits"]] == [d]
    assert srv.request("DELETE", f"/api/v1/demands/{d}")[0] == 204
    assert srv.request("GET", f"/api/v1/match?achievement={a}&kind=demand")[2]["hits"] == []
    assert srv.request("DELETE", f"/api/v1/achievements/{a}")[0] == 204
    assert srv.request("POST", "/api/v1/match", q2)[2]["hits"] == []
    with open(srv.log.name, encoding="utf-8") as f:
        builds = [line for line in f if "match index built" in line]
    assert len(builds) == 1, builds

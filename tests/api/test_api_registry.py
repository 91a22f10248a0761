"""The generic registry REST API over real HTTP: CRUD for every entity, list filters, sorting
and cursor paging, and the schema endpoint. Rows are created here through the API itself."""
import sqlite3
from urllib.parse import quote

import pytest

from cf_rows import post, uscc  # tests/cf_rows.py


@pytest.fixture
def srv(server_factory, tmp_path):
    s = server_factory(tmp_path / "reg.db")
    s.db = tmp_path / "reg.db"
    return s


def make_all(srv):
    """One valid row of every entity, in dependency order; returns {plural: row}."""
    rows = {}
    rows["industries"] = post(srv, "industries", {"code": "3811", "name": "测试小类", "level": "class",
                                                  "parent": "381", "section": "C"})
    rows["chains"] = post(srv, "chains", {"name": "泵阀", "name_en": "Pumps and valves", "kind": "pillar"})
    ch = rows["chains"]["id"]
    rows["segments"] = post(srv, "segments", {"chain_id": ch, "name": "阀体铸造", "position": "upstream",
                                              "seq": 1, "industry_code": "34"})
    rows["enterprises"] = post(srv, "enterprises", {
        "uscc": uscc("91330300MA2A00000"), "name": "温州某阀门有限公司", "county": "龙湾区",
        "industry_code": "34", "chain_id": ch, "revenue": "123456789.01", "rd_expense": 250000,
        "employees": 310, "founded": "2008-02-29", "above_scale": True, "micro": False, "rd_centre": "city"})
    ent = rows["enterprises"]["id"]
    rows["shareholders"] = post(srv, "shareholders", {"enterprise_id": ent, "holder_kind": "person",
                                                      "holder_name": "张三", "share": 12.5})
    rows["platforms"] = post(srv, "platforms", {"name": "瓯江实验室", "positioning": "基础研究", "stage": "建设期",
                                                "county": "瓯海区", "support": "1000000.00", "market_based": False})
    pf = rows["platforms"]["id"]
    rows["brokers"] = post(srv, "brokers", {"name": "李四", "level": "中级", "status": "active",
                                            "certificate": "WZ-2021-001", "training_hours": 48})
    rows["achievements"] = post(srv, "achievements", {"title": "高温合金阀体铸造工艺", "platform_id": pf,
                                                      "visibility": "public", "trl": 6, "price": "12345.67",
                                                      "chain_stage": "试验与发展", "deal_mode": "许可"})
    rows["demands"] = post(srv, "demands", {"enterprise_id": ent, "title": "阀门密封件寿命提升",
                                            "visibility": "brokers", "budget": "1234.56",
                                            "deadline": "2026-12-31", "brokers": [rows["brokers"]["id"]]})
    rows["instruments"] = post(srv, "instruments", {"name": "扫描电子显微镜", "platform_id": pf,
                                                    "fee_per_hour": 300, "shareable": True})
    rows["teams"] = post(srv, "teams", {"name": "精密铸造团队", "platform_id": pf, "members": 5})
    rows["supplies"] = post(srv, "supplies", {"supplier_name": "外地芯片供应商", "customer_id": ent,
                                              "input": "芯片", "region": "foreign", "grade": "high",
                                              "share": "40", "value": "100000"})
    return rows


def test_create_renders_each_type_exactly(srv):
    rows = make_all(srv)
    e = rows["enterprises"]
    assert e["revenue"] == "123456789.01"      # money: yuan text, exact
    assert e["rd_expense"] == "250000.00"      # an integer of yuan is accepted
    assert e["founded"] == "2008-02-29"
    assert e["above_scale"] is True and e["micro"] is False
    assert e["employees"] == 310
    assert e["chain_id"] == rows["chains"]["id"]
    assert e["segment_id"] is None and e["legal_rep"] is None
    assert e["synthetic"] is False
    assert rows["shareholders"]["share"] == 12.5
    assert rows["supplies"]["share"] == 40
    assert rows["instruments"]["fee_per_hour"] == "300.00"
    assert rows["demands"]["brokers"] == [rows["brokers"]["id"]]
    assert rows["demands"]["budget"] == "1234.56" and rows["demands"]["deadline"] == "2026-12-31"


ENTITY_EDITS = {
    # plural: (a PATCH body, the field and value a PUT changes, a filter that matches the row)
    "industries": ({"description": "说明"}, ("name", "测试小类二"), "level=class"),
    "chains": ({"description": "温州传统支柱产业"}, ("kind", "emerging"), "kind=pillar"),
    "segments": ({"products": "阀体"}, ("position", "midstream"), "position=upstream"),
    "enterprises": ({"legal_rep": "王五"}, ("county", "乐清市"), "county=龙湾区"),
    "shareholders": ({"holder_uscc": uscc("91330300MA2C00001")}, ("share", "33.3"), "holder_kind=person"),
    "platforms": ({"support": "2000000"}, ("stage", "运行期"), "stage=建设期"),
    "brokers": ({"training_hours": 60}, ("level", "高级"), "level=中级"),
    "achievements": ({"keywords": "铸造"}, ("trl", 7), "trl=6"),
    "demands": ({"product": "密封件"}, ("visibility", "public"), "visibility=brokers"),
    "instruments": ({"category": "电镜"}, ("shareable", False), "shareable=true"),
    "teams": ({"leader": "赵六"}, ("members", 9), "platform_id={pf}"),
    "supplies": ({"value": "250000.50"}, ("grade", "standard"), "region=foreign"),
}


def test_crud_every_entity(srv):
    rows = make_all(srv)
    st, _, schema = srv.request("GET", "/api/v1/entities")
    assert st == 200
    assert sorted(e["plural"] for e in schema["entities"]) == sorted(ENTITY_EDITS)
    pf = rows["platforms"]["id"]
    for plural, (patch, (pfield, pval), flt) in ENTITY_EDITS.items():
        row = rows[plural]
        url = f"/api/v1/{plural}/{row['id']}"
        st, _, got = srv.request("GET", url)
        assert st == 200 and got == row, plural

        # list with a filter that matches the row
        st, _, page = srv.request("GET", f"/api/v1/{plural}?{quote(flt.format(pf=pf), safe='=&')}&limit=1000")
        assert st == 200, (plural, page)
        assert row["id"] in [r["id"] for r in page["items"]], plural
        assert page["total"] == len(page["items"])

        # PATCH changes only the named field
        st, _, after = srv.request("PATCH", url, patch)
        assert st == 200, (plural, after)
        expect = dict(row)
        for k, v in patch.items():
            expect[k] = after[k]
        assert after == expect, plural
        # PUT replaces everything: fields not given become null
        full = {k: v for k, v in after.items() if k not in ("id", "synthetic")}
        full[pfield] = pval
        for k in patch:
            del full[k]
        st, _, put = srv.request("PUT", url, full)
        assert st == 200, (plural, put)
        assert put[pfield] == (33.3 if pval == "33.3" else pval)
        for k in patch:
            assert put[k] is None, (plural, k)
        st, _, again = srv.request("GET", url)
        assert again == put

    # delete in reverse dependency order; each row is gone afterwards
    for plural in reversed(list(ENTITY_EDITS)):
        url = f"/api/v1/{plural}/{rows[plural]['id']}"
        st, h, b = srv.request("DELETE", url)
        assert st == 204, (plural, b)
        st, h, b = srv.request("GET", url)
        assert st == 404 and h["Content-Type"] == "application/problem+json"
        assert b["detail"] == f"no {plural_to_name(schema, plural)} with id {rows[plural]['id']}"


def plural_to_name(schema, plural):
    return next(e["name"] for e in schema["entities"] if e["plural"] == plural)


def test_patch_values_exact(srv):
    rows = make_all(srv)
    url = f"/api/v1/enterprises/{rows['enterprises']['id']}"
    st, _, b = srv.request("PATCH", url, {"revenue": "0.1", "value_added": 7, "founded": None})
    assert st == 200
    assert b["revenue"] == "0.10" and b["value_added"] == "7.00" and b["founded"] is None
    con = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True)
    try:
        (fen,) = con.execute("SELECT revenue FROM enterprises WHERE id = ?", (b["id"],)).fetchone()
    finally:
        con.close()
    assert fen == 10   # stored as integer fen


def test_list_cursor_walks_every_row_once(srv):
    names = [f"经纪人{i:02d}" for i in range(23)]
    ids = {}
    for i, n in enumerate(names):
        b = post(srv, "brokers", {"name": n, "level": ["初级", "中级", "高级"][i % 3], "status": "active",
                                  "training_hours": (i * 7) % 23})
        ids[n] = b["id"]
    for sort, key, rev in (("name", "name", False), ("-training_hours", "training_hours", True),
                           (None, "id", False)):
        seen, cursor, pages = [], None, 0
        while True:
            q = "limit=5" + (f"&sort={sort}" if sort else "") + (f"&cursor={cursor}" if cursor else "")
            st, _, page = srv.request("GET", "/api/v1/brokers?" + q)
            assert st == 200, page
            assert page["total"] == 23
            assert len(page["items"]) == (5 if pages < 4 else 3)
            seen += page["items"]
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert pages == 5
        assert sorted(r["id"] for r in seen) == sorted(ids.values())   # each exactly once
        vals = [r[key] for r in seen]
        assert vals == sorted(vals, reverse=rev)
    # filters and q
    st, _, page = srv.request("GET", "/api/v1/brokers?level=%E4%B8%AD%E7%BA%A7&limit=100")
    assert page["total"] == 8 and all(r["level"] == "中级" for r in page["items"])
    st, _, page = srv.request("GET", "/api/v1/brokers?q=%E7%BB%8F%E7%BA%AA%E4%BA%BA1&sort=name")
    assert [r["name"] for r in page["items"]] == [f"经纪人1{i}" for i in range(10)]


def test_list_bad_parameters_are_400(srv):
    st, h, b = srv.request("GET", "/api/v1/chains?bogus=1&kind=pillar&other=")
    assert st == 400 and h["Content-Type"] == "application/problem+json"
    assert b["detail"] == "unknown query parameters: bogus, other"
    assert [e["path"] for e in b["errors"]] == ["bogus", "other"]
    st, _, b = srv.request("GET", "/api/v1/chains?sort=description")
    assert st == 400 and b["errors"][0]["path"] == "sort"
    st, _, b = srv.request("GET", "/api/v1/chains?limit=0")
    assert st == 400 and b["errors"][0]["path"] == "limit"
    st, _, b = srv.request("GET", "/api/v1/chains?limit=1001")
    assert st == 400 and b["errors"][0]["path"] == "limit"
    st, _, b = srv.request("GET", "/api/v1/chains?kind=nonsense")
    assert st == 400 and b["errors"][0]["path"] == "kind"
    st, _, b = srv.request("GET", "/api/v1/chains?cursor=garbage")
    assert st == 400
    # name is not a filter of brokers' list
    st, _, b = srv.request("GET", "/api/v1/brokers?name=x")
    assert st == 400 and b["errors"][0]["path"] == "name"


def test_entities_schema(srv):
    st, h, b = srv.request("GET", "/api/v1/entities")
    assert st == 200 and h["Content-Type"] == "application/json"
    ent = next(e for e in b["entities"] if e["name"] == "enterprise")
    assert ent["zh"] == "企业" and ent["url"] == "/api/v1/enterprises"
    f = {x["name"]: x for x in ent["fields"]}
    assert f["uscc"]["type"] == "uscc" and f["uscc"]["required"] and f["uscc"]["unique"]
    assert f["county"]["enum"][0] == "鹿城区" and len(f["county"]["enum"]) == 12
    assert f["revenue"]["type"] == "money" and f["revenue"]["zh"] == "营业收入(元)"
    assert f["rd_centre"]["enum"] == ["none", "city", "province"]
    assert f["employees"]["min"] == 0 and f["employees"]["max"] == 10000000

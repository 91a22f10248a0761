"""Secrets stay secret (issue 7, SPEC "Roles"): a confidential demand is known only to its
enterprise, the bureau and the brokers it names. Every other viewer — anonymous, another
enterprise, a platform, another broker, an expert, a fund manager — learns nothing: not in
lists, totals, filters, search (q), cursor pages, exports (CSV and XLSX), nor by id (404 exactly as for an id that
does not exist, for reads and for writes)."""
import csv
import io
import json
import re
from urllib.parse import quote

import openpyxl
import pytest

import auth_world as W

VIEWERS = ["public", "bureau", "enterprise", "enterprise_b", "platform", "broker", "broker_y", "expert", "fund"]
MAY_SEE_SECRET = {"bureau", "enterprise", "broker"}
MATCHERS = {"bureau", "enterprise", "enterprise_b", "platform", "broker", "broker_y"}
MAY_SEE_BROKERS_ONLY = {"bureau", "enterprise", "broker", "broker_y"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    # module-scoped world: one server for every viewer
    from conftest import TEST_BUREAU, Server, add_user
    d = tmp_path_factory.mktemp("secrets")
    db = d / "secrets.db"
    assert add_user(db, TEST_BUREAU[0], TEST_BUREAU[1], "bureau").returncode == 0
    srv = Server(db)
    assert srv.login(*TEST_BUREAU)[0] == 200
    w = W.build(srv, db)
    missing = 900000 + w["d_secret"]
    yield srv, w, missing
    assert srv.stop() == 0


def ids(srv, query=""):
    st, _, b = srv.request("GET", "/api/v1/demands?limit=1000" + query)
    assert st == 200, b
    assert b["total"] == len(b["items"])
    return {x["id"] for x in b["items"]}, b["total"]


def without_id(body, real, missing):
    """The body with the asked id written as the missing one (the only allowed difference)."""
    return json.loads(re.sub(rf"(?<![0-9]){real}(?![0-9])", str(missing), json.dumps(body, ensure_ascii=False)))


@pytest.mark.parametrize("viewer", VIEWERS)
def test_confidential_demand_exists_only_for_the_allowed(world, viewer):
    srv, w, missing = world
    W.act_as(srv, w, viewer)
    sees = viewer in MAY_SEE_SECRET
    secret = w["d_secret"]

    # lists and totals
    got, total = ids(srv)
    expect = {w["d_public"], w["d_b"]} | ({secret} if sees else set()) | \
        ({w["d_brokers"]} if viewer in MAY_SEE_BROKERS_ONLY else set())
    assert got == expect and total == len(expect)
    # filters that single it out
    assert ids(srv, "&visibility=confidential")[1] == (1 if sees else 0)
    got, total = ids(srv, f"&enterprise_id={w['ent_a']}")
    assert (secret in got) == sees
    # search
    got, total = ids(srv, "&q=" + quote(W.SECRET))
    assert (got, total) == (({secret}, 1) if sees else (set(), 0))
    got, _ = ids(srv, "&q=" + quote("涂层"))
    assert (secret in got) == sees
    # cursor pages of one row each: same rows, no gaps, no extra page
    seen, cursor, pages = [], None, 0
    while True:
        st, _, b = srv.request("GET", "/api/v1/demands?limit=1&sort=title" + (f"&cursor={quote(cursor)}" if cursor else ""))
        assert st == 200
        seen += [x["id"] for x in b["items"]]
        pages += 1
        assert b["total"] == len(expect)
        cursor = b["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(expect) and pages == len(expect)

    # exports hold the secret exactly when the list does, and no more rows than the list
    st, _, body = srv.request("GET", "/api/v1/demands/export?format=csv")
    assert st == 200, body
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(rows) == len(expect)
    assert any(r["title"].startswith(W.SECRET) for r in rows) == sees
    st, _, body = srv.request("GET", "/api/v1/demands/export?format=xlsx")
    assert st == 200 and body[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert len(cells) - 1 == len(expect)
    assert any(isinstance(c, str) and c.startswith(W.SECRET) for row in cells for c in row) == sees

    # matchmaking: a text search for demands, and matches for the demand itself
    if viewer in MATCHERS:
        st, _, b = srv.request("POST", "/api/v1/match", {"text": W.SECRET + "高温阀门涂层", "kind": "demand", "k": 50})
        assert st == 200, b
        hit_ids = {h["id"] for h in b["hits"] if h.get("kind", "demand") == "demand"}
        assert (secret in hit_ids) == sees, b
        assert "total" not in b
        st_s, _, b_s = srv.request("GET", f"/api/v1/match?demand={secret}")
        st_m, _, b_m = srv.request("GET", f"/api/v1/match?demand={missing}")
        if sees:
            assert st_s == 200
        else:
            assert st_s == st_m == 404 and without_id(b_s, secret, missing) == b_m, (b_s, b_m)
    else:
        st, _, _ = srv.request("POST", "/api/v1/match", {"text": W.SECRET, "kind": "demand"})
        assert st == (401 if viewer == "public" else 403)

    # direct fetch and every write by id: identical to an id that does not exist
    for method, body in (("GET", None), ("PUT", {"enterprise_id": w["ent_a"], "title": "改", "visibility": "public"}),
                         ("PATCH", {"title": "改"}), ("DELETE", None)):
        if sees and method != "GET":
            continue  # the allowed may change it; not done here, so the row stays for the other viewers
        st_s, _, b_s = srv.request(method, f"/api/v1/demands/{secret}", body)
        if sees:
            assert st_s == 200 and b_s["title"].startswith(W.SECRET)
            continue
        st_m, _, b_m = srv.request(method, f"/api/v1/demands/{missing}", body)
        assert st_s == st_m and st_s in (401, 403, 404), (method, st_s, b_s)
        assert without_id(b_s, secret, missing) == b_m, (method, b_s, b_m)


def test_the_confidential_demand_survived(world):
    srv, w, _ = world
    W.act_as(srv, w, "bureau")
    st, _, b = srv.request("GET", f"/api/v1/demands/{w['d_secret']}")
    assert st == 200 and b["title"] == f"{W.SECRET}高温阀门涂层" and b["brokers"] == [w["brk_x"]]

"""Authorization everywhere (issue 7): every route the server answers x every role, checked
against the expected table below (written here by hand from SPEC "Roles", independently of
data/auth/authz.json): denied → 401 for the anonymous public, 403 for a signed-in role;
allowed → neither. Also: the OpenAPI document lists exactly the routes the server has, and
every path in it is answered."""
import json
import re
from pathlib import Path

import pytest

import auth_world as W

ROOT = Path(__file__).resolve().parents[2]
SIGNED = ["bureau", "enterprise", "platform", "broker", "expert", "fund"]
ALL = ["public"] + SIGNED


def rule(roles, owner=()):
    d = {r: "deny" for r in ALL}
    for r in roles:
        d[r] = "allow"
    for r in owner:
        d[r] = "owner"
    return d


def expected(method, path):
    """role → allow / owner / deny for one route; deny for everyone when unknown."""
    reg = re.fullmatch(r"/api/v1/(\w+)(/\{id\})?", path)
    read = method == "GET"
    exp = re.fullmatch(r"/api/v1/(\w+)/export", path)
    if exp and read:  # an export: whoever may list every row of the entity (owner-only roles may not)
        listing = expected("GET", f"/api/v1/{exp.group(1)}")
        return {r: ("deny" if v == "owner" else v) for r, v in listing.items()}
    if path in ("/", "/api", "/assets/{file}", "/api/v1/health", "/api/v1/entities", "/api/v1/openapi.json",
                "/api/v1/policies") and read:
        return rule(ALL)
    if path == "/api/v1/auth/login" and method == "POST":
        return rule(ALL)
    if path in ("/api/v1/auth/logout", "/api/v1/auth/password") and method == "POST" or \
            path == "/api/v1/auth/me" and read:
        return rule(SIGNED)
    if path == "/api/v1/match":
        return rule(["bureau", "enterprise", "platform", "broker"])
    if path.startswith("/api/v1/users"):
        return rule(["bureau"])
    if path.startswith("/api/v1/analytics/"):
        if read:
            return rule(ALL)
        if path.endswith("/subsidy"):
            return rule(["bureau", "fund"])
        return rule(SIGNED)
    if path == "/api/v1/chain/gaps":  # its per-segment demand counts include confidential demands
        return rule(["bureau"])
    if path.startswith("/api/v1/chain/"):
        return rule(["bureau", "broker", "fund"]) if read else rule(["bureau"])
    if path == "/api/v1/contracts" and method == "POST":
        return rule(["bureau"], owner=["broker"])
    if path.startswith("/api/v1/contracts") and read:
        return rule(["bureau"], owner=["broker"])
    if path == "/api/v1/awards/calc":
        return rule(["bureau", "broker"])
    if path in ("/api/v1/awards/whatif", "/api/v1/decisions", "/api/v1/blacklist") or path.startswith("/api/v1/ledger") \
            or path.startswith("/api/v1/contracts/"):
        return rule(["bureau"])
    if reg and reg.group(1) not in ("users", "auth"):
        plural, item = reg.group(1), bool(reg.group(2))
        if plural in ("industries", "chains", "segments"):
            return rule(ALL) if read else rule(["bureau"])
        if plural in ("achievements", "demands"):
            owner = "platform" if plural == "achievements" else "enterprise"
            return rule(ALL) if read else rule(["bureau"], owner=[owner])
        if plural in ("instruments", "teams"):
            return rule(SIGNED) if read else rule(["bureau"], owner=["platform"])
        if plural in ("shareholders", "supplies"):
            return rule(["bureau"], owner=["enterprise"])
        selfish = {"enterprises": "enterprise", "platforms": "platform", "brokers": None}
        if plural in selfish:
            if read:
                return rule(SIGNED)
            if method in ("PUT", "PATCH") and selfish[plural]:
                return rule(["bureau"], owner=[selfish[plural]])
            return rule(["bureau"])
    return rule([])


def source_routes(srv):
    """The routes, found independently of the server's own lists: API_ROUTE lines in src/api
    plus the six generic routes of every registry entity."""
    out = set()
    for f in sorted((ROOT / "src" / "api").glob("*.c")):
        for m in re.finditer(r'^API_ROUTE(?:_CTX)?\(\s*\w+,\s*"(\w+)",\s*"([^"]+)"', f.read_text(), re.M):
            out.add((m.group(1), m.group(2)))
    st, _, ents = srv.request("GET", "/api/v1/entities")
    assert st == 200
    for e in ents["entities"]:
        col, item = f"/api/v1/{e['plural']}", f"/api/v1/{e['plural']}/{{id}}"
        out |= {("GET", col), ("POST", col), ("GET", item), ("PUT", item), ("PATCH", item), ("DELETE", item),
                ("GET", col + "/export")}
    return out


def openapi_routes(doc):
    return {(m.upper(), p) for p, item in doc["paths"].items() for m in item}


def concrete(path):
    return path.replace("{id}", "999999").replace("{file}", "no-such-file.js").replace("{list}", "no-such-list")


@pytest.fixture
def world(server_factory, tmp_path):
    srv = server_factory(tmp_path / "routes.db")
    w = W.build(srv, tmp_path / "routes.db")
    return srv, w


def test_openapi_lists_every_route_and_each_is_answered(world):
    srv, w = world
    st, h, doc = srv.request("GET", "/api/v1/openapi.json")
    assert st == 200 and doc["openapi"].startswith("3.")
    assert openapi_routes(doc) == source_routes(srv)
    for method, path in sorted(openapi_routes(doc)):
        st, _, b = srv.request(method, concrete(path), {} if method in ("POST", "PUT", "PATCH") else None)
        assert st != 405, (method, path)
        assert not (st == 404 and isinstance(b, dict) and b.get("detail") == "no such route"), (method, path)
        if path == "/api/v1/auth/logout":
            W.act_as(srv, w, "bureau")
    # the registry's schemas come from the entities
    st, _, ents = srv.request("GET", "/api/v1/entities")
    for e in ents["entities"]:
        props = doc["components"]["schemas"][e["name"]]["properties"]
        assert {f["name"] for f in e["fields"]} <= set(props)
        op = doc["paths"][f"/api/v1/{e['plural']}/{{id}}"]["patch"]
        assert op["requestBody"]["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{e['name']}"}
    # x-roles is the authorization table, and it says what the walk below expects
    for method, path in openapi_routes(doc):
        assert doc["paths"][path][method.lower()]["x-roles"] == expected(method, path), (method, path)


def test_every_route_times_every_role(world):
    srv, w = world
    srv.anonymous()
    st, _, doc = srv.request("GET", "/api/v1/openapi.json")
    assert st == 200
    routes = sorted(openapi_routes(doc))
    assert len(routes) >= 80
    checked = 0
    for role in ALL:
        W.act_as(srv, w, role)
        for method, path in routes:
            want = expected(method, path)[role]
            st, _, b = srv.request(method, concrete(path), {} if method in ("POST", "PUT", "PATCH") else None)
            if want == "deny":
                assert st == (401 if role == "public" else 403), (role, method, path, st, b)
            else:
                assert st not in (401, 403), (role, method, path, st, b)
            if path == "/api/v1/auth/logout" and role != "public":
                W.act_as(srv, w, role)
            checked += 1
    assert checked == len(routes) * len(ALL)


def test_owner_only_rows(world):
    """An enterprise edits only its own demands and profile; a platform only its achievements;
    a broker's profile is the bureau's to change; rows it cannot see answer 404 like missing ones."""
    srv, w = world
    W.act_as(srv, w, "enterprise_b")
    st, _, b = srv.request("PATCH", f"/api/v1/demands/{w['d_b']}", {"title": "断路器触头材料(修订)"})
    assert st == 200 and b["title"] == "断路器触头材料(修订)"
    st, _, b = srv.request("PATCH", f"/api/v1/demands/{w['d_public']}", {"title": "抢改"})
    assert st == 403 and b["detail"] == "this demand belongs to another enterprise"
    st, _, b = srv.request("DELETE", f"/api/v1/demands/{w['d_public']}")
    assert st == 403
    st, _, b = srv.request("PATCH", f"/api/v1/demands/{w['d_b']}", {"enterprise_id": w["ent_a"]})
    assert st == 403
    st, _, b = srv.request("POST", "/api/v1/demands", {"enterprise_id": w["ent_a"], "title": "冒名需求", "visibility": "public"})
    assert st == 403 and b["errors"][0]["path"] == "$.enterprise_id"
    st, _, b = srv.request("POST", "/api/v1/demands", {"title": "自己的新需求", "visibility": "confidential"})
    assert st == 201 and b["enterprise_id"] == w["ent_b"]
    st, _, b = srv.request("PATCH", f"/api/v1/enterprises/{w['ent_b']}", {"name": "温州乙电气股份有限公司"})
    assert st == 200 and b["name"] == "温州乙电气股份有限公司"
    st, _, b = srv.request("PATCH", f"/api/v1/enterprises/{w['ent_a']}", {"name": "抢改"})
    assert st == 403
    st, _, b = srv.request("GET", "/api/v1/shareholders")
    assert st == 200 and [x["id"] for x in b["items"]] == [w["sh_b"]] and b["total"] == 1
    st, _, b = srv.request("GET", f"/api/v1/shareholders?enterprise_id={w['ent_a']}")
    assert st == 200 and b["items"] == [] and b["total"] == 0
    st, _, b = srv.request("GET", f"/api/v1/shareholders/{w['sh_a']}")
    assert st == 403
    W.act_as(srv, w, "platform")
    st, _, b = srv.request("PATCH", f"/api/v1/achievements/{w['ach_a']}", {"trl": 7})
    assert st == 200 and b["trl"] == 7
    st, _, b = srv.request("PATCH", f"/api/v1/achievements/{w['ach_b']}", {"trl": 7})
    assert st == 403
    st, _, b = srv.request("POST", "/api/v1/instruments", {"name": "三坐标测量机", "fee_per_hour": 200})
    assert st == 201 and b["platform_id"] == w["plat_a"]
    st, _, b = srv.request("PATCH", f"/api/v1/demands/{w['d_b']}", {"title": "x"})
    assert st == 403
    W.act_as(srv, w, "broker")
    st, _, b = srv.request("PATCH", f"/api/v1/brokers/{w['brk_x']}", {"training_hours": 40})
    assert st == 403 and b["detail"] == "the broker role may not PATCH /api/v1/brokers/{id}"
    st, _, b = srv.request("PATCH", f"/api/v1/brokers/{w['brk_y']}", {"training_hours": 40})
    assert st == 403


def test_broker_sees_only_its_own_contracts(world):
    """A broker registers contracts it brokers and sees only those (with their awards); another
    broker's contract is 404 exactly as a missing one."""
    srv, w = world
    st, _, ents = srv.request("GET", "/api/v1/enterprises")
    uscc = {e["id"]: e["uscc"] for e in ents["items"]}

    def contract(reg, brokers):
        return {"reg_no": reg, "type": "技术开发", "title": "阀门涂层技术开发", "buyer_uscc": uscc[w["ent_a"]],
                "seller_uscc": uscc[w["ent_b"]], "amount": "500000.00", "sign_date": "2025-06-01",
                "brokers": [{"broker_id": b, "share_bp": 10000 // len(brokers)} for b in brokers]}
    W.act_as(srv, w, "broker")
    st, _, b = srv.request("POST", "/api/v1/contracts", contract("2025330300000101", [w["brk_y"]]))
    assert st == 403 and b["detail"] == "a broker registers only contracts it brokers", b
    st, _, mine = srv.request("POST", "/api/v1/contracts", contract("2025330300000102", [w["brk_x"]]))
    assert st == 201, mine
    W.act_as(srv, w, "bureau")
    st, _, other = srv.request("POST", "/api/v1/contracts", contract("2025330300000103", [w["brk_y"]]))
    assert st == 201, other
    st, _, b = srv.request("GET", "/api/v1/contracts")
    assert st == 200 and {c["id"] for c in b["items"]} == {mine["id"], other["id"]}
    W.act_as(srv, w, "broker")
    st, _, b = srv.request("GET", "/api/v1/contracts")
    assert st == 200 and [c["id"] for c in b["items"]] == [mine["id"]]
    assert srv.request("GET", f"/api/v1/contracts/{mine['id']}")[0] == 200
    st_o, _, b_o = srv.request("GET", f"/api/v1/contracts/{other['id']}")
    st_m, _, b_m = srv.request("GET", "/api/v1/contracts/999999")
    assert st_o == st_m == 404
    assert json.dumps(b_o).replace(str(other["id"]), "N") == json.dumps(b_m).replace("999999", "N")
    assert srv.request("GET", f"/api/v1/contracts/{other['id']}/check")[0] == 404
    assert srv.request("POST", f"/api/v1/contracts/{mine['id']}/approve", {})[0] == 403
    W.act_as(srv, w, "broker_y")
    st, _, b = srv.request("GET", "/api/v1/contracts")
    assert [c["id"] for c in b["items"]] == [other["id"]]
    W.act_as(srv, w, "enterprise")
    assert srv.request("GET", "/api/v1/contracts")[0] == 403

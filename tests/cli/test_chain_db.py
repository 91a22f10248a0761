"""chain risk/cascade/gaps/list/edit over the demo database, and REST under /api/v1/chain/.
The break list is checked against an independent computation here (sqlite3 + a naive
grounded simulation); bureau edits must survive recomputation."""
import json
import shutil
import sqlite3
from collections import defaultdict

import pytest

CHAIN = "泵阀"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from conftest import run_cf
    p = tmp_path_factory.mktemp("chaindb") / "demo.db"
    r = run_cf("demo", "--db", p)
    assert r.returncode == 0, r.stderr
    return p


@pytest.fixture
def db(demo_db, tmp_path):
    p = tmp_path / "d.db"
    shutil.copy(demo_db, p)
    return p


def load_graph(path):
    con = sqlite3.connect(path)
    rows = con.execute("SELECT supplier_id, supplier_name, customer_id, input, grade, region, value FROM supplies").fetchall()
    chain_id = con.execute("SELECT id FROM chains WHERE name = ?", (CHAIN,)).fetchone()[0]
    members = {f"E{i}" for (i,) in con.execute("SELECT id FROM enterprises WHERE chain_id = ?", (chain_id,))}
    con.close()
    slots = defaultdict(dict)  # (customer, input) -> supplier -> [grade, region, value]
    for sid, sname, cid, inp, grade, region, value in rows:
        s = f"E{sid}" if sid is not None else f"X:{sname}"
        c = f"E{cid}"
        g = {"low": 0, "standard": 1, "high": 2}[grade]
        r = {"local": 0, "domestic": 1, "foreign": 2}[region]
        cur = slots[(c, inp)].get(s)
        if cur:
            cur[0] = max(cur[0], g)
            cur[2] += value or 0
        else:
            slots[(c, inp)][s] = [g, r, value or 0]
    return slots, members


def grounded(slots, stopped=frozenset()):
    firms = {c for c, _ in slots} | {s for srcs in slots.values() for s in srcs}
    need = defaultdict(list)
    for (c, _), srcs in slots.items():
        need[c].append(set(srcs))
    alive, changed = set(), True
    while changed:
        changed = False
        for f in firms:
            if f not in alive and f not in stopped and all(s & alive for s in need.get(f, [])):
                alive.add(f)
                changed = True
    return alive


def node_values(slots):
    out, inn = defaultdict(int), defaultdict(int)
    for (c, _), srcs in slots.items():
        for s, (_, _, v) in srcs.items():
            out[s] += v
            inn[c] += v
    return lambda f: out[f] if out[f] else inn[f]


def expected_break_keys(slots, members, alive):
    keys = set()
    for (c, inp), srcs in slots.items():
        if c not in members or c not in alive:
            continue
        main = max(srcs.items(), key=lambda kv: (kv[1][2], kv[1][0], -kv[1][1]))[0]
        alts = [v for s, v in srcs.items() if s != main]
        foreign_main = srcs[main][1] == 2
        if not alts or (foreign_main and not any(a[1] != 2 for a in alts)):
            keys.add(f"{c}/{inp}")
    return keys


def risk(cf, db):
    return json.loads(cf("chain", "risk", "--industry", CHAIN, "--db", db, "--json", check=True).stdout)


def test_break_list_matches_independent_computation(cf, db):
    out = risk(cf, db)
    slots, members = load_graph(db)
    alive = grounded(slots)
    got = {e["key"] for e in out["break_list"] if e["origin"] == "computed" and e["present"]}
    assert got == expected_break_keys(slots, members, alive)
    assert len(got) > 5
    assert out["firms"] == len([m for m in members if any(c == m for c, _ in slots) or
                                any(m in srcs for srcs in slots.values())])
    # scores: output stopped when the customer stops, by a naive simulation
    value = node_values(slots)
    for e in sorted(out["break_list"], key=lambda x: -x["score_fen"])[:3]:
        c = "E%d" % e["enterprise_id"]
        gone = alive - grounded(slots, frozenset([c]))
        assert e["score_fen"] == sum(value(f) for f in gone)


def test_cascade_matches_naive(cf, db):
    out = risk(cf, db)
    top = out["choke_points"][0]
    slots, _ = load_graph(db)
    node = "E%d" % top["id"] if top["id"] is not None else "X:" + top["name"]
    arg = str(top["id"]) if top["id"] is not None else top["name"]
    cas = json.loads(cf("chain", "cascade", "--node", arg, "--db", db, "--json", check=True).stdout)
    alive = grounded(slots)
    gone = alive - grounded(slots, frozenset([node]))
    ids = {("E%d" % m["id"]) if m["id"] is not None else "X:" + m["name"] for m in cas["cascade"]}
    assert ids == gone and len(ids) == top["cascade_n"] > 1


def test_edits_survive_recomputation(cf, db):
    out = risk(cf, db)
    first = out["break_list"][0]["key"]
    choke = out["choke_list"][0]["key"]
    r = cf("chain", "edit", "--industry", CHAIN, "--list", "break", "--key", first, "--action", "dismiss",
           "--note", "已签备份供应协议", "--db", db, "--json", check=True)
    assert json.loads(r.stdout)["status"] == "dismissed"
    cf("chain", "edit", "--industry", CHAIN, "--list", "choke", "--key", choke, "--action", "annotate",
       "--note", "列入揭榜挂帅", "--db", db, check=True)
    cf("chain", "edit", "--industry", CHAIN, "--list", "choke", "--key", "高端密封材料-局外", "--action", "add",
       "--title", "局里补充：高端密封材料", "--db", db, check=True)
    r = cf("chain", "edit", "--industry", CHAIN, "--list", "choke", "--key", "高端密封材料-局外", "--action", "add",
           "--db", db)
    assert r.returncode == 1 and "already exists" in r.stderr
    # the data change: the dismissed entry's customer gets a second source -> no longer computed
    ent, inp = first[1:].split("/", 1)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO supplies (supplier_name, customer_id, input, region, grade, value, synthetic) "
                "VALUES ('备份供应商', ?, ?, 'local', 'high', 100, 1)", (int(ent), inp))
    con.commit()
    con.close()
    out2 = risk(cf, db)
    by = {e["key"]: e for e in out2["break_list"]}
    assert by[first]["status"] == "dismissed" and by[first]["note"] == "已签备份供应协议"
    assert by[first]["present"] is False
    ch = {e["key"]: e for e in out2["choke_list"]}
    assert ch[choke]["note"] == "列入揭榜挂帅" and ch[choke]["present"] is True
    assert ch["高端密封材料-局外"]["origin"] == "bureau" and ch["高端密封材料-局外"]["title"] == "局里补充：高端密封材料"
    lists = json.loads(cf("chain", "list", "--industry", CHAIN, "--db", db, "--json", check=True).stdout)
    assert lists["break_list"] == out2["break_list"]
    # dismissed entries sort after open ones
    assert lists["break_list"][-1]["status"] == "dismissed" or all(e["status"] == "open" for e in lists["break_list"])
    r = cf("chain", "edit", "--industry", CHAIN, "--list", "break", "--key", "nope", "--action", "dismiss", "--db", db)
    assert r.returncode == 1


def test_spillover_and_gaps(cf, db):
    out = risk(cf, db)
    slots, members = load_graph(db)
    for s in out["spillover"]:
        f = "E%d" % s["id"]
        tot = sum(v[2] for (c, _), srcs in slots.items() if c == f for v in srcs.values())
        loc = sum(v[2] for (c, _), srcs in slots.items() if c == f for v in srcs.values() if v[1] == 0)
        assert (s["purchases_fen"], s["local_fen"]) == (tot, loc)
        for o in s["outside_inputs"]:
            already = set(slots[(f, o["input"])])
            for cand in o["local_candidates"]:
                key = "E%d" % cand["id"]
                assert key not in already
                assert any(inp == o["input"] and key in srcs and srcs[key][1] == 0 for (_, inp), srcs in slots.items())
    g = json.loads(cf("chain", "gaps", "--industry", CHAIN, "--db", db, "--json", check=True).stdout)
    assert g["gaps"] and all(x["chain"] == CHAIN for x in g["gaps"])
    gaps = [x["gap"] for x in g["gaps"]]
    assert gaps == sorted(gaps, reverse=True)
    for x in g["gaps"]:
        cov = sum(g["weights"][k] * x["resources"][k + "s"] for k in ("platform", "achievement", "team"))
        assert abs(x["coverage"] - cov) < 1e-9
        assert abs(x["gap"] - x["risk_value_fen"] / 100 / (1 + cov)) < 1e-6 * max(1, x["gap"])
    assert len(g["platforms"]) == 49
    r = cf("chain", "gaps", "--industry", "不存在", "--db", db)
    assert r.returncode == 1


def test_rest(db, server_factory):
    srv = server_factory(db)
    st, _, body = srv.request("GET", "/api/v1/chain/risk?industry=" + "%E6%B3%B5%E9%98%80")
    assert st == 200 and body["chain"]["name"] == CHAIN and body["break_list"]
    key = body["break_list"][0]["key"]
    st, _, e = srv.request("PATCH", "/api/v1/chain/lists/break", {"industry": CHAIN, "key": key, "action": "dismiss"})
    assert st == 200 and e["status"] == "dismissed"
    st, _, e = srv.request("POST", "/api/v1/chain/lists/break", {"industry": CHAIN, "key": key})
    assert st == 409
    st, _, e = srv.request("PATCH", "/api/v1/chain/lists/bogus", {"industry": CHAIN, "key": key, "action": "dismiss"})
    assert st == 422
    st, _, body2 = srv.request("GET", "/api/v1/chain/risk?industry=" + "%E6%B3%B5%E9%98%80")
    assert {x["key"]: x["status"] for x in body2["break_list"]}[key] == "dismissed"
    st, _, _ = srv.request("GET", "/api/v1/chain/risk")
    assert st == 400
    st, _, _ = srv.request("GET", "/api/v1/chain/cascade?node=999999999")
    assert st == 404
    st, _, g = srv.request("GET", "/api/v1/chain/gaps")
    assert st == 200 and len({x["chain"] for x in g["gaps"]}) == 10


def test_scenarios_vs_naive(cf, db):
    slots, _ = load_graph(db)
    alive = grounded(slots)
    con = sqlite3.connect(db)
    county = {f"E{i}" for (i,) in con.execute("SELECT id FROM enterprises WHERE county = '瑞安市'")}
    con.close()
    out = json.loads(cf("chain", "scenario", "--county", "瑞安市", "--db", db, "--json", check=True).stdout)
    gone = alive - grounded(slots, frozenset(county))
    assert {"E%d" % x["id"] for x in out["stopped"] if x["id"] is not None} | \
        {"X:" + x["name"] for x in out["stopped"] if x["id"] is None} == gone
    assert out["stopped_n"] == len(gone) > 0
    # cut every foreign source of one input: same as removing those edges
    inp = next(i for (_, i), srcs in slots.items() if any(v[1] == 2 for v in srcs.values()))
    cut = {k: {s: v for s, v in srcs.items() if not (k[1] == inp and v[1] == 2)} for k, srcs in slots.items()}
    alive_cut = grounded(cut)  # a slot left without sources stops its firm
    out = json.loads(cf("chain", "scenario", "--cut-foreign", inp, "--db", db, "--json", check=True).stdout)
    got = {"E%d" % x["id"] if x["id"] is not None else "X:" + x["name"] for x in out["stopped"]}
    assert got == alive - alive_cut
    assert cf("chain", "scenario", "--db", db).returncode == 1

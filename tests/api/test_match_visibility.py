"""Visibility of a demand made confidential by another process (issue 3 items 4 and 5): the
server's match index, built before the change, follows it at the very next query. The demand
is then matched for its owner, the bureau and the broker it names, and for no one else; for
everyone else every answer (match hits, the 404 of a match by its id, the row's 404, list
totals and pages) reads exactly as it does once the demand is really deleted."""
import json
import sqlite3

import pytest

import auth_world as W

MATCHERS = ["bureau", "enterprise", "enterprise_b", "platform", "broker", "broker_y"]
SEES_CONFIDENTIAL = {"bureau", "enterprise", "broker"}  # the bureau, the owner (ent_a), the named broker (brk_x)


@pytest.fixture
def world(server_factory, tmp_path):
    db = tmp_path / "vis.db"
    srv = server_factory(db)
    w = W.build(srv, db)
    w["ach"] = W.post(srv, "achievements", {"title": "阀门密封件寿命提升技术", "platform_id": w["plat_a"],
                                            "visibility": "public"})["id"]
    return srv, w, db


def demand_hits(srv, w):
    st, _, b = srv.request("GET", f"/api/v1/match?achievement={w['ach']}&kind=demand&k=50")
    assert st == 200, b
    return [h["id"] for h in b["hits"]]


def text_hits(srv):
    st, _, b = srv.request("POST", "/api/v1/match", {"text": "阀门密封件寿命提升", "kind": "demand", "k": 50})
    assert st == 200, b
    return [h["id"] for h in b["hits"]]


def pages(srv):
    """Every page of /api/v1/demands, one row a page, as raw bodies."""
    out, cursor = [], None
    for _ in range(50):
        st, _, b = srv.request("GET", "/api/v1/demands?limit=1" + (f"&cursor={cursor}" if cursor else ""))
        assert st == 200, b
        out.append(json.dumps(b, sort_keys=True, ensure_ascii=False))
        cursor = b.get("next_cursor")
        if not cursor:
            return out
    raise AssertionError("pages never end")


def hidden_answers(srv, w, who, d):
    """Everything who can learn about demand d."""
    W.act_as(srv, w, who)
    st_m, _, b_m = srv.request("GET", f"/api/v1/match?demand={d}&kind=achievement")
    st_r, _, b_r = srv.request("GET", f"/api/v1/demands/{d}")
    # whole answers, scores included: a hidden row must not even shift the others' scores
    st_t, _, b_t = srv.request("POST", "/api/v1/match", {"text": "阀门 密封件 阀体 轻量化 断路器 触头",
                                                          "kind": "demand", "k": 50})
    assert st_t == 200, b_t
    return {"match": demand_hits(srv, w), "text": b_t, "match_by_id": (st_m, b_m),
            "row": (st_r, b_r), "pages": pages(srv)}


def test_confidential_by_another_process(world):
    srv, w, db = world
    d = w["d_public"]
    for who in MATCHERS:  # the first query builds the index; everyone sees the public demand
        W.act_as(srv, w, who)
        assert d in demand_hits(srv, w), who
        assert d in text_hits(srv), who

    con = sqlite3.connect(db)
    con.execute("UPDATE demands SET visibility = 'confidential', brokers = ? WHERE id = ?", (str(w["brk_x"]), d))
    con.commit()
    con.close()

    for who in MATCHERS:
        W.act_as(srv, w, who)
        want = who in SEES_CONFIDENTIAL
        assert (d in demand_hits(srv, w)) == want, who
        assert (d in text_hits(srv)) == want, who
        st, _, b = srv.request("GET", f"/api/v1/match?demand={d}&kind=achievement")
        assert st == (200 if want else 404), (who, b)
        if want:
            assert [h["id"] for h in b["hits"]] == [w["ach"]], who

    outsiders = ["enterprise_b", "broker_y", "platform"]
    hidden = {who: hidden_answers(srv, w, who, d) for who in outsiders}
    missing = {}
    for who in outsiders:
        W.act_as(srv, w, who)
        st, _, b = srv.request("GET", "/api/v1/match?demand=999999&kind=achievement")
        missing[who] = (st, json.dumps(b, ensure_ascii=False).replace("no demand 999999", "no demand N"))

    # now really delete it (as the bureau) and ask the same questions
    W.act_as(srv, w, "bureau")
    assert srv.request("DELETE", f"/api/v1/demands/{d}")[0] == 204
    for who in outsiders:
        gone = hidden_answers(srv, w, who, d)
        assert hidden[who] == gone, who
        st, b = hidden[who]["match_by_id"]
        assert st == 404
        assert (st, json.dumps(b, ensure_ascii=False).replace(f"no demand {d}", "no demand N")) == missing[who], who
        assert hidden[who]["row"][0] == 404
    with open(srv.log.name, encoding="utf-8") as f:
        assert sum("match index built" in line for line in f) == 1

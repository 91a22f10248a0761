"""Every class of bad input through real HTTP: exact status, problem+json, the exact JSON path,
and the database unchanged afterwards (compared as a full SQL dump, read-only)."""
import json
import socket
import sqlite3

import pytest

from test_api_registry import post, uscc

PROBLEM = "application/problem+json"


def dump(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def env(server_factory, tmp_path):
    db = tmp_path / "err.db"
    srv = server_factory(db)
    ch = post(srv, "chains", {"name": "电气", "kind": "pillar"})
    ent = post(srv, "enterprises", {"uscc": uscc("91330302MA2B12345"), "name": "温州电气", "county": "乐清市",
                                    "industry_code": "38"})
    seg = post(srv, "segments", {"chain_id": ch["id"], "name": "低压电器", "position": "midstream"})
    return srv, db, {"chain": ch, "enterprise": ent, "segment": seg}


def good_demand(env_rows):
    return {"enterprise_id": env_rows["enterprise"]["id"], "title": "断路器寿命测试", "visibility": "public",
            "budget": "5000.00"}


def expect_problem(st, h, b, status, paths):
    assert st == status, b
    assert h["Content-Type"] == PROBLEM
    assert b["status"] == status and b["type"].startswith("/problems/") and b["title"] and b["detail"]
    if paths is not None:
        assert [e["path"] for e in b["errors"]] == paths, b


# (name, method, path maker, body maker, status, JSON paths)
CASES = [
    ("wrong type", "POST", "demands", lambda r: {**good_demand(r), "title": 42}, 422, ["$.title"]),
    ("missing required", "POST", "demands", lambda r: {k: v for k, v in good_demand(r).items() if k != "title"},
     422, ["$.title"]),
    ("unknown field", "POST", "demands", lambda r: {**good_demand(r), "budjet": "1.00"}, 422, ["$.budjet"]),
    ("bad enum", "POST", "demands", lambda r: {**good_demand(r), "visibility": "secret"}, 422, ["$.visibility"]),
    ("money three decimals", "POST", "demands", lambda r: {**good_demand(r), "budget": "12.345"}, 422,
     ["$.budget"]),
    ("negative money", "POST", "demands", lambda r: {**good_demand(r), "budget": "-5.00"}, 422, ["$.budget"]),
    ("money as a real", "POST", "demands", lambda r: {**good_demand(r), "budget": 12.5}, 422, ["$.budget"]),
    ("bad date", "POST", "demands", lambda r: {**good_demand(r), "deadline": "2023-02-29"}, 422, ["$.deadline"]),
    ("missing reference", "POST", "demands", lambda r: {**good_demand(r), "enterprise_id": 9999}, 422,
     ["$.enterprise_id"]),
    ("bad id list", "POST", "demands", lambda r: {**good_demand(r), "brokers": [1, "x"]}, 422, ["$.brokers"]),
    ("several problems", "POST", "demands",
     lambda r: {**good_demand(r), "title": None, "budget": "1.001", "zzz": 1}, 422,
     ["$.budget", "$.zzz"]),
    ("bad county", "POST", "enterprises",
     lambda r: {"uscc": uscc("91330302MA2B99999"), "name": "某企业", "county": "杭州市", "industry_code": "38"},
     422, ["$.county"]),
    ("duplicate unique", "POST", "chains", lambda r: {"name": "电气", "kind": "emerging"}, 409, ["$.name"]),
    ("body not an object", "POST", "chains", lambda r: ["电气"], 422, ["$"]),
    ("patch required to null", "PATCH", lambda r: f"segments/{r['segment']['id']}", lambda r: {"name": None}, 422,
     ["$.name"]),
    ("patch bad enum", "PATCH", lambda r: f"segments/{r['segment']['id']}", lambda r: {"position": "sideways"}, 422,
     ["$.position"]),
    ("put missing required", "PUT", lambda r: f"segments/{r['segment']['id']}",
     lambda r: {"chain_id": r["chain"]["id"], "name": "x"}, 422, ["$.position"]),
    ("patch unknown id", "PATCH", lambda r: "segments/9999", lambda r: {"name": "x"}, 404, None),
    ("put unknown id", "PUT", lambda r: "chains/9999", lambda r: {"name": "x", "kind": "pillar"}, 404, None),
    ("delete referenced row", "DELETE", lambda r: f"chains/{r['chain']['id']}", None, 409, None),
    ("delete unknown id", "DELETE", lambda r: "chains/9999", None, 404, None),
]


@pytest.mark.parametrize("name,method,where,body,status,paths", CASES, ids=[c[0] for c in CASES])
def test_bad_input_changes_nothing(env, name, method, where, body, status, paths):
    srv, db, rows = env
    before = dump(db)
    path = "/api/v1/" + (where(rows) if callable(where) else where)
    st, h, b = srv.request(method, path, body(rows) if body else None)
    expect_problem(st, h, b, status, paths)
    assert b["instance"] == path
    assert dump(db) == before


def test_bad_uscc_names_position(env):
    srv, db, rows = env
    before = dump(db)
    good = uscc("91330302MA2B77777")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    st, h, b = srv.request("POST", "/api/v1/enterprises",
                           {"uscc": bad, "name": "某企业", "county": "鹿城区", "industry_code": "38"})
    expect_problem(st, h, b, 422, ["$.uscc"])
    assert "position 18" in b["errors"][0]["detail"]
    assert f"'{good[17]}'" in b["errors"][0]["detail"]   # names the expected check character
    assert dump(db) == before


def test_malformed_json_gives_line_and_column(env):
    srv, db, rows = env
    before = dump(db)
    st, h, b = srv.request("POST", "/api/v1/chains", raw=b'{"name": "x",\n "kind": [1, tru]}')
    expect_problem(st, h, b, 400, ["$.kind[1]"])
    # jansson's column is that of the last character it read: the "u" of "tru"
    assert (b["errors"][0]["line"], b["errors"][0]["column"]) == (2, 16)
    assert "line 2, column 16" in b["detail"]
    st, h, b = srv.request("POST", "/api/v1/chains", raw=b'{"name": "x",}')
    expect_problem(st, h, b, 400, ["$"])
    assert (b["errors"][0]["line"], b["errors"][0]["column"]) == (1, 14)
    assert dump(db) == before


def test_invalid_utf8_in_a_string(env):
    srv, db, rows = env
    before = dump(db)
    st, h, b = srv.request("POST", "/api/v1/chains", raw=b'{"kind": "pillar", "name": "\xe7\x94\xb5\xff"}')
    expect_problem(st, h, b, 400, ["$.name"])
    assert (b["errors"][0]["line"], b["errors"][0]["column"]) == (1, 30)
    assert "0xFF" in b["detail"]
    assert dump(db) == before


def raw_http(port, head, chunks=(), read=True):
    """Sends head then chunks on one connection; returns (status, headers dict, body bytes)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        s.sendall(head)
        for c in chunks:
            try:
                s.sendall(c)
            except (BrokenPipeError, ConnectionResetError):
                break
        data = b""
        while True:
            try:
                got = s.recv(65536)
            except ConnectionResetError:
                break
            if not got:
                break
            data += got
            if b"\r\n\r\n" in data:
                hdr, _, rest = data.partition(b"\r\n\r\n")
                if b" 100 Continue" in hdr.split(b"\r\n")[0]:
                    data = rest
                    continue
                hl = dict(l.split(b": ", 1) for l in hdr.split(b"\r\n")[1:])
                n = int(hl.get(b"Content-Length", b"0"))
                if len(rest) >= n:
                    break
    finally:
        s.close()
    hdr, _, body = data.partition(b"\r\n\r\n")
    lines = hdr.decode().split("\r\n")
    headers = dict(l.split(": ", 1) for l in lines[1:])
    return int(lines[0].split()[1]), headers, body


def test_oversize_by_content_length(env):
    srv, db, rows = env
    before = dump(db)
    # Only the headers are sent: the 413 must come before any of the body.
    head = (f"POST /api/v1/chains HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {2 * 1024 * 1024}\r\n\r\n").encode()
    st, h, body = raw_http(srv.port, head)
    assert st == 413 and h["Content-Type"] == PROBLEM
    b = json.loads(body)
    assert b["status"] == 413 and "1048576" in b["detail"]
    assert dump(db) == before


def test_oversize_chunked(env):
    srv, db, rows = env
    before = dump(db)
    head = (b"POST /api/v1/chains HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    piece = b'{"name":"' + b"x" * 65536
    chunks = [b"%x\r\n" % len(piece) + piece + b"\r\n" for _ in range(20)] + [b"0\r\n\r\n"]
    st, h, body = raw_http(srv.port, head, chunks)
    assert st == 413 and h["Content-Type"] == PROBLEM
    assert json.loads(body)["status"] == 413
    assert dump(db) == before


def test_body_just_under_the_cap_is_read(server_factory, tmp_path):
    srv = server_factory(tmp_path / "cap.db", extra=("--max-body", "200"))
    body = json.dumps({"name": "泵阀", "kind": "pillar", "description": "x" * 100}).encode()
    assert len(body) < 200
    st, _, b = srv.request("POST", "/api/v1/chains", raw=body)
    assert st == 201
    st, h, b = srv.request("POST", "/api/v1/chains", raw=json.dumps({"name": "y" * 200}).encode())
    assert st == 413 and h["Content-Type"] == PROBLEM and "200 bytes" in b["detail"]


def test_unknown_route_and_wrong_method(env):
    srv, db, rows = env
    st, h, b = srv.request("GET", "/api/v1/nothing")
    expect_problem(st, h, b, 404, None)
    st, h, b = srv.request("GET", "/api/v1/chains/1/extra")
    expect_problem(st, h, b, 404, None)
    st, h, b = srv.request("DELETE", "/api/v1/chains")
    expect_problem(st, h, b, 405, None)
    assert h["Allow"] == "GET, POST"
    st, h, b = srv.request("POST", "/api/v1/health", {})
    expect_problem(st, h, b, 405, None)
    assert h["Allow"] == "GET"
    st, h, b = srv.request("GET", "/api/v1/chains/abc")
    expect_problem(st, h, b, 404, None)
    st, h, b = srv.request("GET", "/api/v1/chains/9999")
    expect_problem(st, h, b, 404, None)
    assert b["detail"] == "no chain with id 9999"


def test_invalid_bytes_in_the_url_are_replaced_in_the_problem(env):
    srv, db, rows = env
    head = b"GET /api/v1/chains/%FFab HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    st, h, body = raw_http(srv.port, head)
    assert st == 404 and h["Content-Type"] == PROBLEM
    b = json.loads(body.decode("utf-8"))
    assert b["detail"] == 'no id "\ufffdab": ids are positive integers'
    assert b["instance"] == "/api/v1/chains/\ufffdab"

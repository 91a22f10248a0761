"""`chainfuse serve` itself: health, the placeholder page, the request log, concurrency,
graceful stop, and its command line (port in use, environment overrides, --help)."""
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.request

from conftest import free_port, run_cf


def test_health(server_factory):
    srv = server_factory()
    st, h, b = srv.request("GET", "/api/v1/health")
    assert st == 200 and h["Content-Type"] == "application/json"
    assert b == {"status": "ok", "version": "0.1.0", "db": "ok"}
    st, h, b = srv.request("GET", "/api/v1/health?verbose=1")
    assert st == 400 and b["errors"][0]["path"] == "verbose"


def test_route_page_lists_routes_and_says_synthetic(server_factory):
    srv = server_factory()
    st, h, body = srv.request("GET", "/api")
    assert st == 200 and h["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode("utf-8")
    assert "两链融合服务平台" in page and "合成数据" in page and "synthetic" in page
    assert page.index("合成数据") < page.index("synthetic")   # Chinese first
    for route in ("GET /api/v1/health", "GET /api/v1/entities", "POST /api/v1/enterprises",
                  "PATCH /api/v1/demands/{id}", "DELETE /api/v1/supplies/{id}"):
        assert f"<code>{route}</code>" in page


def test_serves_the_built_ui(server_factory, tmp_path, monkeypatch):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>两链融合服务平台</title><div id=app></div>",
                                     encoding="utf-8")
    (dist / "assets" / "index-abc123.js").write_bytes(b"console.log(1)\n")
    monkeypatch.setenv("CHAINFUSE_WEB", str(dist))
    srv = server_factory(tmp_path / "ui.db")
    st, h, body = srv.request("GET", "/")
    assert st == 200 and h["Content-Type"] == "text/html; charset=utf-8"
    assert body == (dist / "index.html").read_bytes()
    st, h, body = srv.request("GET", "/assets/index-abc123.js")
    assert st == 200 and h["Content-Type"] == "text/javascript; charset=utf-8"
    assert body == b"console.log(1)\n"
    st, h, b = srv.request("GET", "/assets/missing.js")
    assert st == 404 and h["Content-Type"] == "application/problem+json"
    st, h, b = srv.request("GET", "/assets/..%2F..%2Fetc%2Fpasswd")
    assert st == 404


def test_root_without_ui_is_the_route_page(server_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINFUSE_WEB", str(tmp_path / "nowhere"))
    srv = server_factory(tmp_path / "noui.db")
    st, h, body = srv.request("GET", "/")
    assert st == 200 and "<code>GET /api/v1/health</code>" in body.decode("utf-8")


def test_request_log_line(server_factory, tmp_path):
    srv = server_factory(tmp_path / "log.db")
    srv.request("GET", "/api/v1/chains?limit=3")
    srv.request("GET", "/api/v1/nowhere")
    time.sleep(0.2)
    log = open(srv.log.name, encoding="utf-8").read()
    lines = [l for l in log.splitlines() if " http " in l]
    ok = [l for l in lines if "GET /api/v1/chains 200 " in l]
    miss = [l for l in lines if "GET /api/v1/nowhere 404 " in l]
    assert len(ok) == 1 and len(miss) == 1
    assert ok[0].endswith("us") and ok[0].split()[-2] == "41"   # {"items":[],"total":0,"next_cursor":null}


def test_concurrent_requests(server_factory):
    srv = server_factory(extra=("--threads", "4"))
    errors = []

    def worker(k):
        for i in range(10):
            st, _, b = srv.request("POST", "/api/v1/brokers", {"name": f"并发{k}-{i}", "level": "初级",
                                                               "status": "active"})
            if st != 201:
                errors.append(b)
            st, _, b = srv.request("GET", "/api/v1/brokers?limit=1")
            if st != 200:
                errors.append(b)

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert errors == []
    st, _, b = srv.request("GET", "/api/v1/brokers?limit=1")
    assert b["total"] == 60


def start(cf_bin, args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.Popen([cf_bin, "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e)


def wait_health(port):
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as r:
                return r.status
        except OSError:
            time.sleep(0.05)
    raise AssertionError("server did not come up")


def test_env_port_and_db_flags_override(tmp_path, cf_bin):
    port = free_port()
    p = start(cf_bin, [], env={"CHAINFUSE_PORT": str(port), "CHAINFUSE_DB": str(tmp_path / "env.db")})
    try:
        assert wait_health(port) == 200
    finally:
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=20)
    assert p.returncode == 0, err
    assert out == f"chainfuse serving http://127.0.0.1:{port}/ (database {tmp_path / 'env.db'})\n"
    assert (tmp_path / "env.db").exists()
    # a flag beats the environment
    port2 = free_port()
    p = start(cf_bin, ["--port", str(port2), "--db", str(tmp_path / "flag.db")],
              env={"CHAINFUSE_PORT": str(port), "CHAINFUSE_DB": str(tmp_path / "env.db")})
    try:
        assert wait_health(port2) == 200
    finally:
        p.terminate()
        out, err = p.communicate(timeout=20)
    assert p.returncode == 0, err
    assert f":{port2}/ (database {tmp_path / 'flag.db'})" in out


def test_port_in_use(tmp_path, cf_bin):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    try:
        r = run_cf("serve", "--db", tmp_path / "p.db", "--port", port)
    finally:
        s.close()
    assert r.returncode == 1
    assert r.stderr == f"chainfuse serve: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_usage_errors(tmp_path):
    r = run_cf("serve", "--port", "70000", "--db", tmp_path / "u.db")
    assert r.returncode == 2 and "port must be an integer from 0 to 65535" in r.stderr
    r = run_cf("serve", "--threads", "0", "--db", tmp_path / "u.db")
    assert r.returncode == 2
    r = run_cf("serve", "--bogus")
    assert r.returncode == 2 and "unknown argument" in r.stderr
    r = run_cf("serve", "--host", "localhost", "--db", tmp_path / "u.db", "--port", "0")
    assert r.returncode == 1 and r.stderr.startswith("chainfuse serve: localhost: not a numeric IP address")
    r = run_cf("serve", "--help")
    assert r.returncode == 0 and r.stdout.startswith("usage: chainfuse serve")


def test_sigterm_lets_a_request_in_flight_finish(server_factory, tmp_path):
    srv = server_factory(tmp_path / "stop.db")
    body = b'{"name": "\xe6\xb3\xb5\xe9\x98\x80", "kind": "pillar"}'
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
    try:
        auth = f"Cookie: cf_session={srv.cookie}\r\nX-CSRF-Token: {srv.csrf}\r\n".encode()
        s.sendall(b"POST /api/v1/chains HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth +
                  b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % 10 + body[:10] + b"\r\n")
        time.sleep(0.3)
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        assert srv.proc.poll() is None          # still finishing the request
        rest = body[10:]
        s.sendall(b"%x\r\n" % len(rest) + rest + b"\r\n0\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
            got = s.recv(65536)
            if not got:
                break
            data += got
    finally:
        s.close()
    assert data.startswith(b"HTTP/1.1 201 ")
    assert srv.proc.wait(timeout=20) == 0
    con = sqlite3.connect(f"file:{tmp_path / 'stop.db'}?mode=ro", uri=True)
    try:
        assert con.execute("SELECT name FROM chains").fetchall() == [("泵阀",)]
    finally:
        con.close()


def test_head_is_get_without_body(server_factory):
    srv = server_factory()
    st, h, body = srv.request("HEAD", "/api/v1/health")
    assert st == 200 and h["Content-Type"] == "application/json" and not body
    assert h["Content-Length"] == "43"   # the length GET would send

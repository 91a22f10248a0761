"""Demo accounts (issue 7): `chainfuse user seed-demo` creates one account per role on the
demo rows (the enterprise owning a confidential demand, the broker it names, a platform with
achievements, another enterprise), `user list --demo` prints them with their passwords, and
each can log in and acts for its row."""
import json
from pathlib import Path

import auth_world as W
from conftest import run_cf

DEMO = json.loads((Path(__file__).resolve().parents[2] / "data" / "auth" / "demo_accounts.json").read_text())


def test_seed_demo_accounts(server_factory, tmp_path):
    db = tmp_path / "demo.db"
    srv = server_factory(db)
    w = W.build(srv, db)
    p = run_cf("user", "seed-demo", "--db", db)
    assert p.returncode == 0 and p.stdout == f"{len(DEMO['accounts'])} demo accounts created\n", p.stderr
    p = run_cf("user", "seed-demo", "--db", db)
    assert p.returncode == 0 and p.stdout == "0 demo accounts created\n"
    p = run_cf("user", "list", "--demo", "--db", db)
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    want_link = {"enterprise": f"enterprise {w['ent_a']}", "enterprise2": f"enterprise {w['ent_b']}",
                 "platform": f"platform {w['plat_a']}", "broker": f"broker {w['brk_x']}"}
    roles = set()
    for a in DEMO["accounts"]:
        row = [ln.split(None, 3) for ln in lines if ln.split()[:1] == [a["username"]]]
        assert len(row) == 1, (a["username"], p.stdout)
        assert row[0][1:3] == [a["role"], a["password"]]
        assert row[0][3] == want_link.get(a["username"], "-")
        st, b = srv.login(a["username"], a["password"])
        assert st == 200 and b["user"]["role"] == a["role"]
        roles.add(a["role"])
    assert roles == {"bureau", "enterprise", "platform", "broker", "expert", "fund"}
    # the broker named by the confidential demand sees it; the other enterprise does not
    srv.login("broker", next(a["password"] for a in DEMO["accounts"] if a["username"] == "broker"))
    assert srv.request("GET", f"/api/v1/demands/{w['d_secret']}")[0] == 200
    srv.login("enterprise2", next(a["password"] for a in DEMO["accounts"] if a["username"] == "enterprise2"))
    assert srv.request("GET", f"/api/v1/demands/{w['d_secret']}")[0] == 404


def test_seed_demo_needs_demo_rows(tmp_path):
    p = run_cf("user", "seed-demo", "--db", tmp_path / "empty.db")
    assert p.returncode == 1
    assert p.stderr == ("chainfuse user: the database has no confidential demand naming a broker; "
                        "run `chainfuse demo` first\n")

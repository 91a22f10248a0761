"""Logins, sessions, CSRF, the rate limit, password changes and account administration
(issue 7, auth room), over real HTTP against `chainfuse serve`."""
import json
import re
import time
from pathlib import Path

import pytest

from conftest import TEST_BUREAU, add_user, run_cf

CONFIG = json.loads((Path(__file__).resolve().parents[2] / "data" / "auth" / "config.json").read_text())


@pytest.fixture
def srv(server_factory, tmp_path):
    s = server_factory(tmp_path / "auth.db")
    s.db = tmp_path / "auth.db"
    return s


def test_login_sets_a_strict_httponly_cookie_and_me_answers(srv):
    srv.anonymous()
    st, h, b = srv.request("POST", "/api/v1/auth/login", {"username": TEST_BUREAU[0], "password": TEST_BUREAU[1]})
    assert st == 200
    cookie = h["Set-Cookie"]
    assert re.fullmatch(r"cf_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d"
                        % (CONFIG["session_hours"] * 3600), cookie)
    assert set(b) == {"user", "csrf_token"} and re.fullmatch(r"[0-9a-f]{64}", b["csrf_token"])
    assert b["user"] == {"id": 1, "username": TEST_BUREAU[0], "role": "bureau", "display_name": None,
                         "enterprise_id": None, "platform_id": None, "broker_id": None}
    token = re.search(r"cf_session=([0-9a-f]+)", cookie).group(1)
    st, _, me = srv.request("GET", "/api/v1/auth/me", headers={"Cookie": f"cf_session={token}"})
    assert st == 200 and me == b
    # The token is stored only hashed.
    import sqlite3
    con = sqlite3.connect(srv.db)
    stored = [r[0] for r in con.execute("SELECT token_hash FROM sessions")]
    con.close()
    assert token not in stored and len(stored) == 2


def test_secure_cookie_behind_tls(srv):
    srv.anonymous()
    st, h, _ = srv.request("POST", "/api/v1/auth/login", {"username": TEST_BUREAU[0], "password": TEST_BUREAU[1]},
                           headers={"X-Forwarded-Proto": "https"})
    assert st == 200 and h["Set-Cookie"].endswith("; Secure")


def test_bad_credentials_one_message(srv):
    srv.anonymous()
    st1, _, b1 = srv.request("POST", "/api/v1/auth/login", {"username": "nobody", "password": "whatever-123"})
    st2, _, b2 = srv.request("POST", "/api/v1/auth/login", {"username": TEST_BUREAU[0], "password": "wrong-pass-1"})
    assert st1 == st2 == 401
    assert b1 == b2 == {"type": "/problems/unauthorized", "title": "Unauthorized", "status": 401,
                        "detail": "wrong username or password", "instance": "/api/v1/auth/login"}


def test_unknown_user_costs_like_a_wrong_password(srv):
    """Both run one argon2id verification; a missing user must not answer in a fraction of the time."""
    srv.anonymous()

    def t(user):
        t0 = time.perf_counter()
        srv.request("POST", "/api/v1/auth/login", {"username": user, "password": "not-the-password"})
        return time.perf_counter() - t0
    unknown = min(t("ghost-%d" % i) for i in range(3))
    known = min(t(TEST_BUREAU[0]) for _ in range(3))
    assert unknown > known / 3, (unknown, known)


def test_login_needs_json_content_type(srv):
    srv.anonymous()
    body = json.dumps({"username": TEST_BUREAU[0], "password": TEST_BUREAU[1]}).encode()
    st, _, b = srv.request("POST", "/api/v1/auth/login", raw=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 415 and b["detail"] == "log in with Content-Type: application/json"
    st, _, b = srv.request("POST", "/api/v1/auth/login", {"username": TEST_BUREAU[0]})
    assert st == 422 and b["errors"] == [{"path": "$.password", "detail": "the password is required"}]


def test_csrf_required_with_a_session(srv):
    good = srv.csrf
    body = {"name": "乐清电气", "kind": "pillar"}
    st, _, b = srv.request("POST", "/api/v1/chains", body, headers={"X-CSRF-Token": ""})
    assert st == 403 and "X-CSRF-Token" in b["detail"]
    st, _, _ = srv.request("POST", "/api/v1/chains", body, headers={"X-CSRF-Token": good[:-1] + ("0" if good[-1] != "0" else "1")})
    assert st == 403
    st, _, _ = srv.request("POST", "/api/v1/chains", body)
    assert st == 201
    # A GET needs no token.
    st, _, _ = srv.request("GET", "/api/v1/chains", headers={"X-CSRF-Token": "nonsense"})
    assert st == 200


def test_logout_deletes_the_session(srv):
    token = srv.cookie
    st, h, _ = srv.request("POST", "/api/v1/auth/logout")
    assert st == 204 and h["Set-Cookie"].startswith("cf_session=; ") and "Max-Age=0" in h["Set-Cookie"]
    st, _, b = srv.request("GET", "/api/v1/auth/me", headers={"Cookie": f"cf_session={token}"})
    assert st == 401
    srv.anonymous()
    st, _, _ = srv.request("POST", "/api/v1/auth/logout")
    assert st == 401


def test_anonymous_is_the_public(srv):
    srv.request("POST", "/api/v1/chains", {"name": "数字经济", "kind": "emerging"})
    srv.anonymous()
    st, _, b = srv.request("GET", "/api/v1/auth/me")
    assert st == 401
    st, _, b = srv.request("POST", "/api/v1/chains", {"name": "x", "kind": "pillar"})
    assert st == 401 and b["detail"] == "log in first: this needs an account"
    st, _, b = srv.request("GET", "/api/v1/chains")
    assert st == 200 and b["total"] == 1
    st, _, _ = srv.request("GET", "/api/v1/enterprises")
    assert st == 401
    st, _, _ = srv.request("GET", "/api/v1/users")
    assert st == 401


def test_rate_limit_per_account(server_factory, tmp_path):
    srv = server_factory(tmp_path / "rl.db")
    srv.anonymous()
    n = CONFIG["login_failures_per_account"]
    for _ in range(n):
        st, _, _ = srv.request("POST", "/api/v1/auth/login", {"username": TEST_BUREAU[0], "password": "bad-password-x"})
        assert st == 401
    # Even the right password is refused now, with Retry-After within the window.
    st, h, b = srv.request("POST", "/api/v1/auth/login", {"username": TEST_BUREAU[0], "password": TEST_BUREAU[1]})
    assert st == 429, b
    ra = int(h["Retry-After"])
    assert 0 < ra <= CONFIG["login_window_minutes"] * 60
    assert b["detail"] == f"too many failed logins; try again in {ra} seconds"
    # Another account from the same address is not blocked by this one.
    assert add_user(srv.db if hasattr(srv, "db") else tmp_path / "rl.db", "second-user", "second-password-1", "expert").returncode == 0
    st, _, _ = srv.request("POST", "/api/v1/auth/login", {"username": "second-user", "password": "second-password-1"})
    assert st == 200


def test_rate_limit_per_address(server_factory, tmp_path):
    srv = server_factory(tmp_path / "rl2.db")
    srv.anonymous()
    n = CONFIG["login_failures_per_address"]
    for i in range(n):  # spread over accounts so no account reaches its own limit
        st, _, _ = srv.request("POST", "/api/v1/auth/login", {"username": f"guess{i}", "password": "bad-password-x"})
        assert st == 401
    st, h, _ = srv.request("POST", "/api/v1/auth/login", {"username": TEST_BUREAU[0], "password": TEST_BUREAU[1]})
    assert st == 429 and int(h["Retry-After"]) > 0


def test_password_change(srv):
    token_before = srv.cookie
    assert srv.login(*TEST_BUREAU)[0] == 200  # a second session of the same user, to see it closed
    second = srv.cookie
    srv.cookie, srv.csrf = token_before, None
    st, _, me = srv.request("GET", "/api/v1/auth/me")
    srv.csrf = me["csrf_token"]
    short = "x" * (CONFIG["password_min_length"] - 1)
    st, _, b = srv.request("POST", "/api/v1/auth/password", {"old_password": TEST_BUREAU[1], "new_password": short})
    assert st == 422 and b["errors"][0]["path"] == "$.new_password"
    assert b["errors"][0]["detail"] == f"the password must have at least {CONFIG['password_min_length']} characters"
    st, _, b = srv.request("POST", "/api/v1/auth/password", {"old_password": "wrong-old-pass", "new_password": "a-new-password-1"})
    assert st == 422 and b["errors"][0]["path"] == "$.old_password"
    st, _, _ = srv.request("POST", "/api/v1/auth/password", {"old_password": TEST_BUREAU[1], "new_password": "a-new-password-1"})
    assert st == 204
    st, _, _ = srv.request("GET", "/api/v1/auth/me")
    assert st == 200                     # this session survives
    st, _, _ = srv.request("GET", "/api/v1/auth/me", headers={"Cookie": f"cf_session={second}"})
    assert st == 401                     # the other one is closed
    assert srv.login(*TEST_BUREAU)[0] == 401
    assert srv.login(TEST_BUREAU[0], "a-new-password-1")[0] == 200


def test_users_admin(srv):
    st, h, u = srv.request("POST", "/api/v1/users", {"username": "officer2", "password": "officer-pass-1",
                                                    "role": "bureau", "display_name": "科技局二处"})
    assert st == 201 and h["Location"] == f"/api/v1/users/{u['id']}"
    assert u["role"] == "bureau" and u["display_name"] == "科技局二处" and u["disabled"] is False
    st, _, b = srv.request("POST", "/api/v1/users", {"username": "officer2", "password": "officer-pass-1", "role": "expert"})
    assert st == 409 and b["errors"] == [{"path": "$.username", "detail": 'the username "officer2" is taken'}]
    st, _, b = srv.request("POST", "/api/v1/users", {"username": "e1", "password": "enterprise-pass", "role": "enterprise"})
    assert st == 422 and b["errors"][0]["path"] == "$.enterprise_id"
    st, _, b = srv.request("POST", "/api/v1/users", {"username": "e1", "password": "enterprise-pass", "role": "enterprise",
                                                    "enterprise_id": 424242})
    assert st == 422 and b["errors"][0] == {"path": "$.enterprise_id", "detail": "no enterprises row with id 424242"}
    st, _, b = srv.request("POST", "/api/v1/users", {"username": "x y", "password": "enterprise-pass", "role": "expert", "admin": 1})
    assert st == 422 and {e["path"] for e in b["errors"]} == {"$.admin"}
    st, _, lst = srv.request("GET", "/api/v1/users")
    assert st == 200 and [x["username"] for x in lst["items"]] == [TEST_BUREAU[0], "officer2"] and lst["total"] == 2
    assert all("password" not in k for x in lst["items"] for k in x)
    # The new officer logs in; disabling closes the session and blocks the login.
    second = type(srv).__new__(type(srv))
    second.__dict__.update(srv.__dict__)
    second.cookie = second.csrf = None
    assert second.login("officer2", "officer-pass-1")[0] == 200
    st, _, u2 = srv.request("PATCH", f"/api/v1/users/{u['id']}", {"disabled": True})
    assert st == 200 and u2["disabled"] is True
    assert second.request("GET", "/api/v1/auth/me")[0] == 401
    assert second.login("officer2", "officer-pass-1")[0] == 401
    st, _, u2 = srv.request("PATCH", f"/api/v1/users/{u['id']}", {"disabled": False, "password": "reset-pass-123"})
    assert st == 200
    assert second.login("officer2", "reset-pass-123")[0] == 200
    # Not the bureau: 403 on every users route.
    assert second.request("GET", "/api/v1/users")[0] == 200  # officer2 is bureau
    st, _, _ = srv.request("PATCH", f"/api/v1/users/{u['id']}", {"role": "expert"})
    assert st == 200
    assert second.login("officer2", "reset-pass-123")[0] == 200
    assert second.request("GET", "/api/v1/users")[0] == 403
    me_id = 1
    assert srv.request("DELETE", f"/api/v1/users/{me_id}")[0] == 409
    assert srv.request("DELETE", f"/api/v1/users/{u['id']}")[0] == 204
    assert srv.request("GET", f"/api/v1/users/{u['id']}")[0] == 404
    assert second.request("GET", "/api/v1/auth/me")[0] == 401


def test_cli_user(tmp_path):
    db = tmp_path / "cli.db"
    p = run_cf("user", "add", "--username", "boss", "--role", "bureau", "--db", db, input="boss-password-1\n")
    assert p.returncode == 0 and p.stdout == "user 1: boss (bureau)\n"
    p = run_cf("user", "add", "--username", "boss", "--role", "bureau", "--password", "boss-password-1", "--db", db)
    assert p.returncode == 1 and p.stderr == 'chainfuse user: --username: the username "boss" is taken\n'
    p = run_cf("user", "add", "--username", "e", "--role", "enterprise", "--password", "enterprise-pw-1", "--db", db)
    assert p.returncode == 1 and p.stderr == "chainfuse user: --enterprise: a enterprise user must be linked to its enterprise_id\n"
    p = run_cf("user", "add", "--username", "f", "--role", "fund", "--password", "short", "--db", db)
    assert p.returncode == 1 and "at least %d characters" % CONFIG["password_min_length"] in p.stderr
    p = run_cf("user", "add", "--username", "f", "--role", "king", "--password", "long-enough-1", "--db", db)
    assert p.returncode == 2
    p = run_cf("user", "list", "--db", db)
    assert p.returncode == 0 and p.stdout.splitlines()[1].split()[:4] == ["1", "boss", "bureau", "-"]
    p = run_cf("user", "passwd", "--username", "boss", "--db", db, input="another-pass-1\n")
    assert p.returncode == 0
    p = run_cf("user", "passwd", "--username", "ghost", "--password", "another-pass-1", "--db", db)
    assert p.returncode == 1 and p.stderr == 'chainfuse user: --username: no user called "ghost"\n'
    p = run_cf("user", "--help")
    assert p.returncode == 0 and "seed-demo" in p.stdout
    p = run_cf("user", "frobnicate")
    assert p.returncode == 2

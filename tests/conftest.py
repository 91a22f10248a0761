"""Shared pytest fixtures: the chainfuse binary, ../shared/data, temporary databases and
real servers on free loopback ports. Test files are named test_<room>_<topic>.py so that
names never collide across folders."""
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


def _bin():
    return os.environ.get("CHAINFUSE_BIN", str(ROOT / "build" / "chainfuse"))


@pytest.fixture(scope="session")
def cf_bin():
    """Path of the chainfuse binary under test (CHAINFUSE_BIN, else build/chainfuse)."""
    b = _bin()
    if not os.access(b, os.X_OK):
        pytest.fail(f"chainfuse binary not found at {b}; run make first")
    return b


@pytest.fixture(scope="session")
def shared_data():
    """../shared/data beside the repository; tests that need it skip with a message when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data not found at {SHARED_DATA}: skipping test that needs the shared data")
    return SHARED_DATA


def run_cf(*args, input=None, check=False, env=None, cwd=None):
    """Runs chainfuse with args; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([_bin(), *map(str, args)], input=input, capture_output=True, text=True,
                       env=e, cwd=cwd, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError(f"chainfuse {' '.join(map(str, args))} exited {p.returncode}:\n{p.stderr}")
    return p


@pytest.fixture
def cf():
    return run_cf


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


TEST_BUREAU = ("test-bureau", "test-bureau-password")


def add_user(db, username, password, role, *links):
    """Creates an account with `chainfuse user add` (links: "--enterprise", "3", ...).
    Returns the CompletedProcess; an existing username fails with "taken"."""
    return run_cf("user", "add", "--username", username, "--role", role, *links, "--db", db, input=password + "\n")


class Server:
    """A real `chainfuse serve` on a free loopback port, speaking HTTP. After login() every
    request sends the session cookie, and state-changing ones the X-CSRF-Token header."""

    def __init__(self, db, extra=()):
        self.cookie = None
        self.csrf = None
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(str(db) + ".server.log", "w")
        self.proc = subprocess.Popen([_bin(), "serve", "--db", str(db), "--port", str(self.port), *extra],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log.name}")
            try:
                st, _, _ = self.request("GET", "/api/v1/health")
                if st == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not become healthy in 30 s")

    def request(self, method, path, body=None, headers=None, raw=None):
        """Returns (status, headers, parsed JSON or bytes)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        h = {"Content-Type": "application/json"} if data is not None else {}
        if self.cookie:
            h["Cookie"] = f"cf_session={self.cookie}"
            if method not in ("GET", "HEAD") and self.csrf:
                h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, dict(r.headers), _decode(r.headers, r.read())
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), _decode(err.headers, err.read())

    def login(self, username, password):
        """Logs in as username; later requests act as that user. Returns (status, body)."""
        self.cookie = self.csrf = None
        st, h, b = self.request("POST", "/api/v1/auth/login", {"username": username, "password": password})
        if st == 200:
            m = re.search(r"cf_session=([0-9a-f]+)", h.get("Set-Cookie", ""))
            self.cookie = m.group(1) if m else None
            self.csrf = b["csrf_token"]
        return st, b

    def anonymous(self):
        """Forgets the session: later requests are anonymous (the public)."""
        self.cookie = self.csrf = None

    def stop(self):
        self.proc.terminate()
        try:
            rc = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.log.close()
        return rc


def _decode(headers, body):
    ct = headers.get("Content-Type", "") if headers else ""
    if "json" in ct:
        return json.loads(body.decode("utf-8")) if body else None
    return body


@pytest.fixture
def server_factory(tmp_path):
    servers = []

    def make(db=None, extra=(), bureau=True):
        """Starts a server on db (default tmp_path/api.db). bureau=True (the default) creates
        the account TEST_BUREAU and logs in with it, so requests act as the bureau; pass
        bureau=False for an anonymous client."""
        db = db or (tmp_path / "api.db")
        if bureau:
            p = add_user(db, TEST_BUREAU[0], TEST_BUREAU[1], "bureau")
            assert p.returncode == 0 or "taken" in p.stderr, p.stderr
        s = Server(db, extra)
        servers.append(s)
        if bureau:
            st, b = s.login(*TEST_BUREAU)
            assert st == 200, b
        return s

    yield make
    for s in servers:
        rc = s.stop()
        # A clean shutdown on SIGTERM is part of the contract (and where ASan reports leaks).
        assert rc == 0, f"server exited with {rc} on SIGTERM; log in {s.log.name}"

"""Helpers shared by the tests that create registry rows over HTTP: a valid USCC for 17
characters (GB 32100-2015, computed here, independent of the C code) and a POST that must
answer 201 with the new row's Location. tests/ is on sys.path through tests/conftest.py."""

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(body17):
    """body17 followed by its check character."""
    s = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    check = 31 - s % 31
    return body17 + USCC_CHARS[0 if check == 31 else check]


def post(srv, plural, body):
    """Creates a row through POST /api/v1/{plural}; returns the created row."""
    st, h, b = srv.request("POST", f"/api/v1/{plural}", body)
    assert st == 201, (plural, st, b)
    assert h["Location"] == f"/api/v1/{plural}/{b['id']}"
    return b

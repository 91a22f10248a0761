"""Oracle: `chainfuse io linkages` against numpy on the NBS 2020 42-sector table (and the
153-sector one): A = Z/x, L = (I-A)^-1, Rasmussen linkages, key sectors; (I-A)·L = I."""
import csv
import json

import numpy as np
import pytest


def numpy_linkages(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    cols = [j for j, h in enumerate(head) if j >= 3 and h.isdigit()]
    codes = [head[j] for j in cols]
    origin = head.index("Origin") if "Origin" in head else None
    z = {}
    x = None
    for r in rows[1:]:
        if r[0] == "TI":
            x = np.array([float(r[j] or 0) for j in cols])
        elif r[0] in codes and (origin is None or r[origin] == "Domestic"):
            z[r[0]] = [float(r[j] or 0) for j in cols]
    Z = np.array([z[c] for c in codes])
    A = Z / x[None, :]
    n = len(codes)
    L = np.linalg.inv(np.eye(n) - A)
    bl = L.sum(axis=0) * n / L.sum()
    fl = L.sum(axis=1) * n / L.sum()
    return codes, A, L, bl, fl


@pytest.mark.parametrize("name", ["china_2020_42.csv", "china_2020_153.csv", "china_2017_149.csv"])
def test_linkages_match_numpy(cf, shared_data, name):
    path = shared_data / "china-io-tables" / name
    if not path.exists():
        pytest.skip(f"{path} absent")
    codes, A, L, bl, fl = numpy_linkages(path)
    out = json.loads(cf("io", "linkages", "--table", path, "--leontief", check=True).stdout)
    assert [s["code"] for s in out["sectors"]] == codes
    ours_l = np.array(out["leontief"])
    n = len(codes)
    # The identity on our own inverse, computed here with numpy.
    assert np.abs((np.eye(n) - A) @ ours_l - np.eye(n)).max() < 1e-9
    assert out["identity_max_error"] < 1e-9
    assert np.abs(ours_l - L).max() < 1e-9 * max(1.0, np.abs(L).max())
    np.testing.assert_allclose([s["backward"] for s in out["sectors"]], bl, rtol=0, atol=1e-9)
    np.testing.assert_allclose([s["forward"] for s in out["sectors"]], fl, rtol=0, atol=1e-9)
    keys = [c for c, b, f in zip(codes, bl, fl) if b > 1 and f > 1]
    assert out["key_sectors"] == keys
    assert [s["code"] for s in out["sectors"] if s["key"]] == keys


def test_2020_42_known_sectors(cf, shared_data):
    path = shared_data / "china-io-tables" / "china_2020_42.csv"
    if not path.exists():
        pytest.skip(f"{path} absent")
    out = json.loads(cf("io", "linkages", "--table", path, "--json", check=True).stdout)
    assert out["sectors_n"] == 42 and out["noncompetitive"] is True
    by = {s["code"]: s for s in out["sectors"]}
    # Chemicals (12) and metal smelting (14) are textbook key sectors of the Chinese economy.
    assert by["12"]["key"] and by["14"]["key"]
    # Pumps & valves map to general equipment (16); the industry index is that sector's.
    pv = [i for i in out["industries"] if i["name"] == "泵阀"][0]
    assert pv["sectors"] == ["16"]
    assert abs(pv["backward"] - by["16"]["backward"]) < 1e-12


def test_bad_table(cf, tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("Code,Description,DescriptionInChinese,01,02\n01,a,甲,1,x\n02,b,乙,1,2\nTI,t,总,5,5\n")
    r = cf("io", "linkages", "--table", p)
    assert r.returncode == 1
    assert f"{p}:2:5" in r.stderr and "not a number" in r.stderr
    r = cf("io", "linkages")
    assert r.returncode == 2

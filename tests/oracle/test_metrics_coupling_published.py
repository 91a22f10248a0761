"""Oracle: `chainfuse coupling` and `chainfuse entropy` against published values in
../shared/data/coupling-coordination (Hindawi MPE 2022 Table 4; R package mathmodels)."""
import csv
import json

import pytest

TOL = 0.001


def _dir(shared_data):
    d = shared_data / "coupling-coordination"
    if not d.is_dir():
        pytest.skip(f"{d} not found: skipping the published coupling/entropy oracle")
    return d


def test_hindawi_table4_every_row(cf, shared_data, tmp_path):
    rows = list(csv.DictReader(open(_dir(shared_data) / "hindawi_mpe_2022_2969206_table4.csv", encoding="utf-8")))
    assert len(rows) == 10
    inp = tmp_path / "u.csv"
    inp.write_text("year,U1,U2\n" + "".join(f"{r['year']},{r['U_urban']},{r['U_rural']}\n" for r in rows))
    p = cf("coupling", "--csv", inp, "--alpha", "0.5", "--beta", "0.5", "--json", check=True)
    got = json.loads(p.stdout)["rows"]
    assert [g["id"] for g in got] == [r["year"] for r in rows]
    for g, r in zip(got, rows):
        for k in ("C", "T", "D"):
            assert abs(g[k] - float(r[f"{k}_published"])) <= TOL, (r["year"], k, g[k], r[f"{k}_published"])


def test_mathmodels_three_subsystems(cf, shared_data, tmp_path):
    rows = list(csv.DictReader(open(_dir(shared_data) / "mathmodels_examples.csv", encoding="utf-8")))
    assert len(rows) == 12
    for form in ("standard", "adjusted"):
        sub = [r for r in rows if r["type"] == form]
        inp = tmp_path / f"{form}.csv"
        inp.write_text("id,U1,U2,U3\n" + "".join(f"{r['ID']},{r['s1']},{r['s2']},{r['s3']}\n" for r in sub))
        args = ["coupling", "--csv", inp, "--json"]
        if form == "adjusted":
            args += ["--adjusted", "--weights", "0.4,0.3,0.3"]
        got = json.loads(cf(*args, check=True).stdout)["rows"]
        assert len(got) == 6
        for g, r in zip(got, sub):
            assert g["id"] == r["ID"]
            assert abs(g["C"] - float(r["coupling_published"])) <= TOL, (form, r["ID"], g["C"])
            assert abs(g["T"] - float(r["coord_published"])) <= TOL, (form, r["ID"], g["T"])
            assert abs(g["D"] - float(r["coupling_coord_published"])) <= TOL, (form, r["ID"], g["D"])


def test_mathmodels_entropy_weights(cf, shared_data):
    f = _dir(shared_data) / "mathmodels_entropy_weight_example.csv"
    out = json.loads(cf("entropy", "--csv", f, "--negative", "x2", "--json", check=True).stdout)
    w = {i["name"]: i["weight"] for i in out["indicators"]}
    assert abs(w["x1"] - 0.5452618) < 5e-8
    assert abs(w["x2"] - 0.4547382) < 5e-8
    assert [i["type"] for i in out["indicators"]] == ["positive", "negative"]

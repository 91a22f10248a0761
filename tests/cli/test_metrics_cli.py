"""CLI behaviour of `chainfuse coupling`, `chainfuse entropy` and `chainfuse figures`."""
import json


def test_coupling_csv_output_and_grades(cf, tmp_path):
    f = tmp_path / "u.csv"
    f.write_text("id,U1,U2\na,0.2,0.8\nb,0.95,0.95\nc,0,0\n")
    p = cf("coupling", "--csv", f, check=True)
    lines = p.stdout.strip().split("\n")
    assert lines[0] == "id,C,T,D,grade,grade_zh,grade_en"
    # a: C = 2*sqrt(0.16)/1 = 0.8, T = 0.5, D = sqrt(0.4) = 0.632456 -> 初级协调
    assert lines[1] == "a,0.800000,0.500000,0.632456,6,初级协调,primary coordination"
    assert lines[2] == "b,1.000000,0.950000,0.974679,9,优质协调,quality coordination"
    assert lines[3] == "c,0.000000,0.000000,0.000000,0,极度失调,extreme imbalance"


def test_coupling_alpha_beta(cf, tmp_path):
    f = tmp_path / "u.csv"
    f.write_text("id,U1,U2\na,0.2,0.8\n")
    out = json.loads(cf("coupling", "--csv", f, "--alpha", "0.6", "--beta", "0.4", "--json", check=True).stdout)
    assert abs(out["rows"][0]["T"] - 0.44) < 1e-12


def test_coupling_errors(cf, tmp_path):
    f = tmp_path / "u.csv"
    f.write_text("id,U1,U2\na,0.2,0.8\nb,0.3,abc\n")
    p = cf("coupling", "--csv", f)
    assert p.returncode == 1
    assert p.stderr.strip() == f'chainfuse coupling: {f}:3:3: "abc" is not a number'
    g = tmp_path / "v.csv"
    g.write_text("id,U1,U2\na,0.2,1.8\n")
    p = cf("coupling", "--csv", g)
    assert p.returncode == 1
    assert p.stderr.strip() == f"chainfuse coupling: {g}:2: U2 = 1.8 is outside [0, 1]"
    assert cf("coupling").returncode == 2
    assert cf("coupling", "--csv", f, "--alpha", "0.5").returncode == 2
    assert cf("coupling", "--help").returncode == 0


def test_entropy_negative_and_scores(cf, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("id,good,bad\n1,1,3\n2,2,2\n3,3,1\n")
    out = json.loads(cf("entropy", "--csv", f, "--negative", "bad", "--json", check=True).stdout)
    # good rises as bad falls: after direction the two columns are identical -> equal weights
    w = [i["weight"] for i in out["indicators"]]
    assert abs(w[0] - 0.5) < 1e-12 and abs(w[1] - 0.5) < 1e-12
    assert out["rows"][2]["obstacle"] == {"good": 0.0, "bad": 0.0}
    assert abs(out["rows"][0]["obstacle"]["good"] - 0.5) < 1e-12
    p = cf("entropy", "--csv", f, "--negative", "nope")
    assert p.returncode == 2 and "no column \"nope\"" in p.stderr

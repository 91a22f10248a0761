"""CLI: `chainfuse chain analyze/cascade` on a standalone CSV — output, scenarios, errors."""
import json

SUPPLY = """supplier,customer,input,grade,region,value
R1,A,steel,high,local,100
R2,A,steel,standard,domestic,50
R3,A,chip,high,foreign,200
A,B,casing,standard,local,400
R4,B,motor,high,local,100
B,C,pump,standard,local,900
R3,D,chip,high,foreign,30
R5,D,chip,high,domestic,10
"""


def write(tmp_path, text, name="s.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_analyze_json(cf, tmp_path):
    p = write(tmp_path, SUPPLY)
    out = json.loads(cf("chain", "analyze", "--supply", p, "--json", "--top", "2", check=True).stdout)
    assert out["firms"] == 9 and out["edges"] == 8 and out["passes"] == 1
    nodes = {n["id"]: n for n in out["nodes"]}
    assert nodes["R3"]["cascade"] == ["A", "R3", "B", "C"]
    assert nodes["R3"]["stopped_value_fen"] == 20000 + 3000 + 40000 + 90000 + 90000
    assert nodes["C"]["final_products"] == 1 and nodes["R3"]["final_products"] == 1
    assert [c["id"] for c in out["choke_points"]] == ["R3", "A"]
    assert out["choke_points"][0]["downstream_value_fen"] == 40000 + 90000 + 90000
    cls = {(i["customer"], i["input"]): i for i in out["inputs"]}
    assert cls[("A", "steel")]["class"] == "downgrade" and cls[("A", "steel")]["class_zh"] == "降准替代"
    assert cls[("A", "chip")]["class"] == "absolute" and cls[("A", "chip")]["foreign_main"] is True
    assert cls[("D", "chip")]["class"] == "equal" and cls[("D", "chip")]["main_supplier"] == "R3"
    assert "scenario" not in out


def test_scenarios(cf, tmp_path):
    p = write(tmp_path, SUPPLY)
    out = json.loads(cf("chain", "analyze", "--supply", p, "--json", "--cut-foreign", "chip", check=True).stdout)
    # A loses its only chip source; D still has R5. R3 itself keeps running (it only lost customers).
    assert out["scenario"]["cut_edges"] == 2
    assert out["scenario"]["stopped"] == ["A", "B", "C"]
    out = json.loads(cf("chain", "analyze", "--supply", p, "--json", "--stop", "R4,R5", check=True).stdout)
    assert out["scenario"]["stopped"] == ["B", "R4", "C", "R5"]  # firm order of first appearance
    r = cf("chain", "analyze", "--supply", p, "--stop", "NOPE")
    assert r.returncode == 1 and "no firm NOPE" in r.stderr


def test_cascade_node(cf, tmp_path):
    p = write(tmp_path, SUPPLY)
    out = json.loads(cf("chain", "cascade", "--supply", p, "--node", "A", "--json", check=True).stdout)
    assert out == {"id": "A", "grounded": True, "stopped_value_fen": 40000 + 90000 + 90000,
                   "final_products": 1, "cascade": ["A", "B", "C"]}
    r = cf("chain", "cascade", "--supply", p, "--node", "A", check=True)
    assert r.stdout.splitlines()[0] == "A: 3 firms stop (1 final products), output 2,200.00 yuan" or \
        r.stdout.splitlines()[0] == "A: 3 firms stop (1 final products), output 2200.00 yuan"
    r = cf("chain", "cascade", "--supply", p, "--node", "ZZ")
    assert r.returncode == 1 and "ZZ" in r.stderr


def test_errors_and_help(cf, tmp_path):
    r = cf("chain", "--help")
    assert r.returncode == 0 and "analyze --supply" in r.stdout
    assert cf("chain").returncode == 2
    assert cf("chain", "analyze").returncode == 2
    assert cf("chain", "frobnicate").returncode == 2
    p = write(tmp_path, "supplier,customer,input,grade,region,value\nA,B,x,super,local,1\n", "bad.csv")
    r = cf("chain", "analyze", "--supply", p)
    assert r.returncode == 1 and f"{p}:2:4" in r.stderr and "grade" in r.stderr
    p = write(tmp_path, "supplier,customer,input,grade,region,value\nA,B,x,high,mars,1\n", "bad2.csv")
    r = cf("chain", "analyze", "--supply", p)
    assert r.returncode == 1 and f"{p}:2:5" in r.stderr
    p = write(tmp_path, "supplier,customer\nA,A\n", "self.csv")
    r = cf("chain", "analyze", "--supply", p)
    assert r.returncode == 1 and "supplies itself" in r.stderr
    r = cf("chain", "analyze", "--supply", tmp_path / "missing.csv")
    assert r.returncode == 1

"""`chainfuse award calc` and `award policies`: the issue's examples, splits, errors."""
import json

import pytest


@pytest.mark.parametrize("amount,fen", [
    ("1,000,000.00", 1500000),
    ("2500000", 3000000),
    ("123456.78", 185185),
    ("0.01", 0),
    ("999999.99", 1500000),
    ("1000000.50", 1500001),
])
def test_award_calc_default_examples(cf, amount, fen):
    p = cf("award", "calc", "--amount", amount, "--date", "2024-05-01", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["award_fen"] == fen
    assert d["policy"] == "nbsz-2020"


def test_award_calc_split_three_brokers(cf):
    p = cf("award", "calc", "--amount", "123456.78", "--date", "2024-05-01",
           "--brokers", "b1:5000,b2:3000,b3:2000", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert [(s["broker"], s["award_fen"]) for s in d["split"]] == [("b1", 92593), ("b2", 55555), ("b3", 37037)]
    assert sum(s["award_fen"] for s in d["split"]) == d["award_fen"]


def test_award_calc_us_model_by_id(cf):
    d = json.loads(cf("award", "calc", "--amount", "100000", "--policy", "us-tlo-15",
                      "--type", "技术转让", "--json", check=True).stdout)
    assert d["award_fen"] == 1500000
    d = json.loads(cf("award", "calc", "--amount", "100000", "--policy", "us-tlo-15",
                      "--type", "技术服务", "--json", check=True).stdout)
    assert d["award_fen"] == 0 and d["covered"] is False


def test_award_calc_errors(cf):
    p = cf("award", "calc", "--amount", "1.234")
    assert p.returncode == 1
    assert p.stderr.startswith("chainfuse award: --amount: ")
    p = cf("award", "calc", "--amount", "1", "--date", "2019-06-01")
    assert p.returncode == 1
    assert "no policy version in force on 2019-06-01" in p.stderr
    p = cf("award", "calc", "--amount", "1", "--policy", "nope")
    assert p.returncode == 1 and "--policy" in p.stderr
    assert cf("award", "calc").returncode == 2
    assert cf("award", "calc", "--amount", "1", "--bogus").returncode == 2


def test_award_bad_policy_file_names_json_path(cf, tmp_path):
    (tmp_path / "policies").mkdir()
    src = json.loads((__import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "policies" / "nbsz-2020.json").read_text())
    src["award"]["tiers"][1]["rate_bp"] = -5
    (tmp_path / "policies" / "broken.json").write_text(json.dumps(src, ensure_ascii=False))
    p = cf("award", "calc", "--amount", "1", "--date", "2024-01-01", env={"CHAINFUSE_DATA": str(tmp_path)})
    assert p.returncode == 1
    assert "broken.json: $.award.tiers[1].rate_bp: must be in 0..10000" in p.stderr


def test_award_policies_lists_both(cf):
    d = json.loads(cf("award", "policies", "--json", check=True).stdout)
    ids = {v["id"]: v for v in d}
    assert ids["nbsz-2020"]["in_force"] is True
    assert ids["nbsz-2020"]["tiers"] == [{"upto_fen": 100000000, "rate_bp": 150}, {"upto_fen": None, "rate_bp": 100}]
    assert ids["us-tlo-15"]["in_force"] is False


def test_award_help(cf):
    p = cf("award", "--help")
    assert p.returncode == 0 and "award calc" in p.stdout
    p = cf("award", "calc", "--help")
    assert p.returncode == 0 and "--amount" in p.stdout

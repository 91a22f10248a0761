"""chainfuse match over a TSV corpus: ranking, explanations that add up, errors and usage."""
import json


def corpus(tmp_path):
    p = tmp_path / "docs.tsv"
    p.write_text("id\ttext\n"
                 "1\t高温合金涡轮叶片精密铸造工艺\n"
                 "2\t涡轮叶片的无损检测方法\n"
                 "3\t水稻病虫害智能识别系统\n"
                 "4\tＤＮ５０不锈钢阀门密封件\n", encoding="utf-8")
    return p


def test_text_query_ranks_and_explains(cf, tmp_path):
    p = cf("match", "--corpus", corpus(tmp_path), "--text", "高温合金涡轮叶片铸造", "--json", "--no-feedback", check=True)
    out = json.loads(p.stdout)
    assert [h["id"] for h in out["hits"]] == [1, 2]
    for h in out["hits"]:
        assert h["kind"] == "achievement"
        total = sum(t["score"] for t in h["terms"]) + sum(h["signals"].values())
        assert abs(total - h["score"]) < 1e-6
        assert abs(sum(t["score"] for t in h["terms"]) - h["text_score"]) < 1e-6
    assert {t["term"] for t in out["hits"][1]["terms"]} == {"涡轮", "轮叶", "叶片", "叶", "片"}


def test_model_number_query_matches_fullwidth_text(cf, tmp_path):
    p = cf("match", "--corpus", corpus(tmp_path), "--text", "dn50 阀门", check=True)
    lines = p.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].split("\t")[2] == "4"


def test_queries_file_and_exclude_self(cf, tmp_path):
    q = tmp_path / "q.tsv"
    q.write_text("1\t涡轮叶片\n", encoding="utf-8")
    p = cf("match", "--corpus", corpus(tmp_path), "--queries", q, "--k", "5", "--no-feedback", check=True)
    assert sorted(l.split("\t")[2] for l in p.stdout.splitlines()) == ["1", "2"]
    p = cf("match", "--corpus", corpus(tmp_path), "--queries", q, "--exclude-self", "--no-feedback", check=True)
    assert [l.split("\t")[2] for l in p.stdout.splitlines()] == ["2"]


def test_bad_corpus_line_names_file_and_row(cf, tmp_path):
    p = tmp_path / "bad.tsv"
    p.write_text("1\tok\nx7\tbad id\n", encoding="utf-8")
    r = cf("match", "--corpus", p, "--text", "ok")
    assert r.returncode == 1
    assert r.stderr.strip() == f"chainfuse match: {p}:2:1: expected a numeric id, a tab and text"


def test_usage_errors(cf, tmp_path):
    assert cf("match", "--help").returncode == 0
    r = cf("match", "--corpus", corpus(tmp_path), "--text", "x", "--k", "0")
    assert r.returncode == 2
    r = cf("match", "--corpus", corpus(tmp_path), "--text", "x", "--kind", "spaceship")
    assert r.returncode == 2
    r = cf("match", "--corpus", tmp_path / "missing.tsv", "--text", "x")
    assert r.returncode == 1
    assert r.stderr.strip() == f"chainfuse match: {tmp_path / 'missing.tsv'}: cannot open: No such file or directory"

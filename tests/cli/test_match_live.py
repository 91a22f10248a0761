"""The server's match index stays live for changes made outside its own REST calls (issue 3
item 5): a CSV import by another process, a row deleted with plain SQL, a second server on
the same database, and an enterprise whose changed county and size reach its demands' signals.
Every change is in the very next match answer, and the server log shows a single index build
(the change journal, migration 040_match_journal, brings in just the changed rows)."""
import sqlite3

import pytest

from cf_rows import post, uscc  # tests/cf_rows.py


def hit_ids(srv, body):
    st, _, b = srv.request("POST", "/api/v1/match", body)
    assert st == 200, b
    return [h["id"] for h in b["hits"]]


def log_lines(srv, text):
    with open(srv.log.name, encoding="utf-8") as f:
        return [line for line in f if text in line]


@pytest.fixture
def srv(server_factory, tmp_path):
    db = tmp_path / "live.db"
    s = server_factory(db)
    s.dbpath = db
    ent = post(s, "enterprises", {"uscc": uscc("91330300MA2A00000"), "name": "温州某阀门有限公司",
                                  "county": "龙湾区", "industry_code": "34", "micro": True})
    pf = post(s, "platforms", {"name": "瓯江实验室", "positioning": "基础研究", "stage": "建设期", "county": "龙湾区"})
    s.ids = {"ent": ent["id"], "pf": pf["id"]}
    s.ids["a1"] = post(s, "achievements", {"title": "阀门密封件寿命提升技术", "abstract": "高分子密封材料，耐磨损",
                                           "platform_id": pf["id"], "visibility": "public", "trl": 5,
                                           "county": "龙湾区"})["id"]
    s.ids["d1"] = post(s, "demands", {"enterprise_id": ent["id"], "title": "阀门密封件寿命不足",
                                      "description": "密封件磨损快", "visibility": "public"})["id"]
    return s


def test_import_by_another_process_reaches_the_next_query(srv, cf, tmp_path):
    q = {"text": "磁悬浮轴承控制", "kind": "achievement"}
    assert hit_ids(srv, q) == []  # builds the index
    assert len(log_lines(srv, "match index built")) == 1
    csv = tmp_path / "ach.csv"
    csv.write_text("title,abstract,platform_id,visibility\n"
                   f"磁悬浮轴承控制系统,高速电机磁悬浮轴承,{srv.ids['pf']},public\n"
                   f"水稻育种新方法,分子标记辅助育种,{srv.ids['pf']},public\n", encoding="utf-8")
    p = cf("import", "achievement", csv, "--db", srv.dbpath)
    assert p.returncode == 0, p.stderr
    con = sqlite3.connect(srv.dbpath)
    new = con.execute("SELECT id FROM achievements WHERE title = '磁悬浮轴承控制系统'").fetchone()[0]
    con.close()
    assert hit_ids(srv, q) == [new]
    # the same index, brought into step from the journal: two rows, no second build
    assert len(log_lines(srv, "match index built")) == 1
    synced = log_lines(srv, "rows brought into step from the journal")
    assert len(synced) == 1 and "match index: 2 rows brought into step" in synced[0], synced


def test_delete_by_plain_sql_is_gone_from_the_next_query(srv):
    q = {"text": "阀门密封件", "kind": "achievement"}
    assert hit_ids(srv, q) == [srv.ids["a1"]]
    con = sqlite3.connect(srv.dbpath)
    con.execute("DELETE FROM achievements WHERE id = ?", (srv.ids["a1"],))
    con.commit()
    con.close()
    assert hit_ids(srv, q) == []
    st, _, b = srv.request("GET", f"/api/v1/match?demand={srv.ids['d1']}&kind=achievement")
    assert st == 200 and b["hits"] == []
    # a title changed by SQL: the old words no longer match, the new ones do
    a2 = post(srv, "achievements", {"title": "碳纤维复合材料成型", "platform_id": srv.ids["pf"],
                                    "visibility": "public"})["id"]
    assert hit_ids(srv, {"text": "碳纤维", "kind": "achievement"}) == [a2]
    con = sqlite3.connect(srv.dbpath)
    con.execute("UPDATE achievements SET title = '光伏逆变器散热' WHERE id = ?", (a2,))
    con.commit()
    con.close()
    assert hit_ids(srv, {"text": "碳纤维", "kind": "achievement"}) == []
    assert hit_ids(srv, {"text": "光伏逆变器", "kind": "achievement"}) == [a2]
    assert len(log_lines(srv, "match index built")) == 1


def test_second_server_on_the_same_database(srv, server_factory):
    """A row created through one server's REST API is matched by another server process that
    had already built its index."""
    other = server_factory(srv.dbpath)
    q = {"text": "超声波探伤", "kind": "achievement"}
    assert hit_ids(other, q) == []
    a = post(srv, "achievements", {"title": "超声波探伤仪器国产化", "platform_id": srv.ids["pf"],
                                   "visibility": "public"})["id"]
    assert hit_ids(other, q) == [a]
    assert srv.request("DELETE", f"/api/v1/achievements/{a}")[0] == 204
    assert hit_ids(other, q) == []
    assert len(log_lines(other, "match index built")) == 1


def signals_of(srv, achievement, demand):
    st, _, b = srv.request("GET", f"/api/v1/match?achievement={achievement}&kind=demand")
    assert st == 200, b
    hits = {h["id"]: h for h in b["hits"]}
    assert demand in hits, b
    return hits[demand]["signals"]


def test_enterprise_change_resyncs_its_demands(srv):
    """A demand takes firm size and county from its enterprise. weights.json: trl_fit 2.0,
    locality 1.5; locality levels county 1.0, city 0.6; TRL required micro 7, large 3, ramp 3.
    The achievement is TRL 5 in 龙湾区."""
    a1, d1, ent = srv.ids["a1"], srv.ids["d1"], srv.ids["ent"]
    s = signals_of(srv, a1, d1)
    # micro firm in the same county: TRL 5 of 7 needed → 1 - 2/3
    assert s["locality"] == pytest.approx(1.5 * 1.0)
    assert s["trl_fit"] == pytest.approx(2.0 * (1 - 2 / 3))
    st, _, b = srv.request("PATCH", f"/api/v1/enterprises/{ent}", {"county": "乐清市", "micro": False,
                                                                     "leading": True})
    assert st == 200, b
    s = signals_of(srv, a1, d1)
    # a leading (large) firm elsewhere in Wenzhou: TRL 5 ≥ 3, same city
    assert s["locality"] == pytest.approx(1.5 * 0.6)
    assert s["trl_fit"] == pytest.approx(2.0)
    # the same through plain SQL by another process: back to a micro firm in 龙湾区
    con = sqlite3.connect(srv.dbpath)
    con.execute("UPDATE enterprises SET county = '龙湾区', micro = 1, leading = 0 WHERE id = ?", (ent,))
    con.commit()
    con.close()
    s = signals_of(srv, a1, d1)
    assert s["locality"] == pytest.approx(1.5 * 1.0)
    assert s["trl_fit"] == pytest.approx(2.0 * (1 - 2 / 3))
    assert len(log_lines(srv, "match index built")) == 1


def journal(db, sql, *args):
    con = sqlite3.connect(db)
    con.execute(sql, args)
    con.commit()
    con.close()


def test_many_pending_changes_rebuild_once(srv):
    """More than 50,000 journal entries past the index's last one: the next query rebuilds
    (cheaper than syncing row by row) and the one after it neither rebuilds nor syncs. The
    journal, grown past 110,000 entries, is trimmed to its newest 100,000."""
    q = {"text": "阀门寿命", "kind": "achievement"}
    assert hit_ids(srv, q) == [srv.ids["a1"]]
    # 110,001 entries naming one row, as a large batch by another process would leave
    journal(srv.dbpath, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 110001) "
            "INSERT INTO match_journal (entity, row_id) SELECT 'achievement', ? FROM n", srv.ids["a1"])
    journal(srv.dbpath, "UPDATE achievements SET title = '氢燃料电池双极板' WHERE id = ?", srv.ids["a1"])
    assert hit_ids(srv, q) == []
    assert hit_ids(srv, {"text": "双极板", "kind": "achievement"}) == [srv.ids["a1"]]
    built = log_lines(srv, "match index built")
    assert len(built) == 2 and "(many pending changes)" in built[1], built
    assert log_lines(srv, "rows brought into step from the journal") == []
    con = sqlite3.connect(srv.dbpath)
    lo, hi, n = con.execute("SELECT MIN(seq), MAX(seq), COUNT(*) FROM match_journal").fetchone()
    con.close()
    assert (n, hi - lo + 1) == (100_000, 100_000)


def test_a_reader_whose_entries_were_trimmed_rebuilds(srv):
    """Another process trimmed away journal entries the index had not applied yet: the index
    cannot know which rows changed, so it rebuilds once, and then sees the change."""
    q = {"text": "阀门寿命", "kind": "achievement"}
    assert hit_ids(srv, q) == [srv.ids["a1"]]
    journal(srv.dbpath, "UPDATE achievements SET title = '氢燃料电池双极板' WHERE id = ?", srv.ids["a1"])
    journal(srv.dbpath, "UPDATE platforms SET name = '瓯江实验室二期' WHERE id = ?", srv.ids["pf"])
    journal(srv.dbpath, "DELETE FROM match_journal WHERE seq < (SELECT MAX(seq) FROM match_journal)")
    assert hit_ids(srv, q) == []
    built = log_lines(srv, "match index built")
    assert len(built) == 2 and "(journal entries it needed were trimmed)" in built[1], built


def journal_triggers(con, table):
    return [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
                                      "AND name LIKE 'match_journal_%' ORDER BY name", (table,))]


def write_achievements(path, pf, n, special):
    """n achievement rows: special (title, abstract) first, then filler titles '成果N'."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("title,abstract,platform_id,visibility\n")
        for title, abstract in special:
            f.write(f"{title},{abstract},{pf},public\n")
        for i in range(n - len(special)):
            f.write(f"成果{i},填充,{pf},public\n")


def test_bulk_import_writes_one_range_entry_and_syncs_without_rebuild(srv, cf, tmp_path):
    """A bulk import (5,000 rows into a table of 1: the bulk path, migration 041) fires no
    per-row journal trigger: it leaves one entry naming its id range, the running server
    syncs those 5,000 rows without a rebuild, and a reader holding a snapshot during the
    import sees neither the rows nor a missing trigger."""
    q = {"text": "磁悬浮轴承控制", "kind": "achievement"}
    assert hit_ids(srv, q) == []  # builds the index
    con = sqlite3.connect(srv.dbpath)
    (seq0,) = con.execute("SELECT MAX(seq) FROM match_journal").fetchone()
    reader = sqlite3.connect(srv.dbpath, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM achievements").fetchone() == (1,)
    csv = tmp_path / "bulk.csv"
    write_achievements(csv, srv.ids["pf"], 5000, [("磁悬浮轴承控制系统", "高速电机磁悬浮轴承")])
    p = cf("import", "achievement", csv, "--db", srv.dbpath)
    assert p.returncode == 0, p.stderr
    # the snapshot: old rows, all three triggers
    assert reader.execute("SELECT COUNT(*) FROM achievements").fetchone() == (1,)
    assert len(journal_triggers(reader, "achievements")) == 3
    reader.execute("COMMIT")
    reader.close()
    lo, hi = con.execute("SELECT MIN(id), MAX(id) FROM achievements WHERE id > ?", (srv.ids["a1"],)).fetchone()
    assert hi - lo + 1 == 5000
    entries = con.execute("SELECT entity, row_id, row_id_hi FROM match_journal WHERE seq > ?", (seq0,)).fetchall()
    assert entries == [("achievement", lo, hi)]
    assert journal_triggers(con, "achievements") == ["match_journal_achievements_del", "match_journal_achievements_ins",
                                                     "match_journal_achievements_upd"]
    (new,) = con.execute("SELECT id FROM achievements WHERE title = '磁悬浮轴承控制系统'").fetchone()
    con.close()
    assert hit_ids(srv, q) == [new]
    assert len(log_lines(srv, "match index built")) == 1
    synced = log_lines(srv, "rows brought into step from the journal")
    assert len(synced) == 1 and "match index: 5000 rows brought into step" in synced[0], synced
    # per-row triggers are back: a plain SQL change is seen
    journal(srv.dbpath, "UPDATE achievements SET title = '氢燃料电池双极板' WHERE id = ?", srv.ids["a1"])
    assert hit_ids(srv, {"text": "双极板", "kind": "achievement"}) == [srv.ids["a1"]]
    assert len(log_lines(srv, "match index built")) == 1


def test_failed_bulk_import_leaves_triggers_and_journal_as_before(srv, cf, tmp_path):
    """A bulk import that fails while writing (a row refused by the database after the
    triggers were dropped) rolls back whole: the triggers and the journal are as before, and
    a later plain SQL change still reaches the next query with no rebuild."""
    q = {"text": "阀门寿命", "kind": "achievement"}
    assert hit_ids(srv, q) == [srv.ids["a1"]]
    con = sqlite3.connect(srv.dbpath)
    con.execute("CREATE TRIGGER refuse BEFORE INSERT ON achievements WHEN NEW.title = '拒收' "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END")
    con.commit()
    before = (journal_triggers(con, "achievements"),
              con.execute("SELECT COUNT(*), MAX(seq) FROM match_journal").fetchone(),
              con.execute("SELECT COUNT(*) FROM achievements").fetchone())
    csv = tmp_path / "bad.csv"
    write_achievements(csv, srv.ids["pf"], 6000, [])
    with open(csv, "a", encoding="utf-8") as f:
        f.write(f"拒收,x,{srv.ids['pf']},public\n")
    p = cf("import", "achievement", csv, "--db", srv.dbpath)
    # the database's refusal is not a CSV problem: the store's I/O error (exit 3), at its row
    assert p.returncode == 3 and "bad.csv:6002: achievement: refused" in p.stderr, (p.returncode, p.stderr)
    after = (journal_triggers(con, "achievements"),
             con.execute("SELECT COUNT(*), MAX(seq) FROM match_journal").fetchone(),
             con.execute("SELECT COUNT(*) FROM achievements").fetchone())
    assert after == before and len(after[0]) == 3
    con.close()
    journal(srv.dbpath, "UPDATE achievements SET title = '氢燃料电池双极板' WHERE id = ?", srv.ids["a1"])
    assert hit_ids(srv, q) == []
    assert hit_ids(srv, {"text": "双极板", "kind": "achievement"}) == [srv.ids["a1"]]
    assert len(log_lines(srv, "match index built")) == 1
    synced = log_lines(srv, "rows brought into step from the journal")
    assert len(synced) == 1 and "match index: 1 rows brought into step" in synced[0], synced


def test_large_bulk_import_rebuilds_exactly_once(srv, cf, tmp_path):
    """A bulk import of 50,001 rows: one journal entry, but it names more rows than the
    rebuild threshold (50,000), so the next query rebuilds once and the following neither
    rebuilds nor syncs."""
    q = {"text": "磁悬浮轴承控制", "kind": "achievement"}
    assert hit_ids(srv, q) == []
    csv = tmp_path / "large.csv"
    write_achievements(csv, srv.ids["pf"], 50_001, [("磁悬浮轴承控制系统", "高速电机磁悬浮轴承")])
    p = cf("import", "achievement", csv, "--db", srv.dbpath)
    assert p.returncode == 0, p.stderr
    con = sqlite3.connect(srv.dbpath)
    (n,) = con.execute("SELECT COUNT(*) FROM match_journal WHERE row_id_hi IS NOT NULL").fetchone()
    (new,) = con.execute("SELECT id FROM achievements WHERE title = '磁悬浮轴承控制系统'").fetchone()
    con.close()
    assert n == 1
    assert hit_ids(srv, q) == [new]
    assert hit_ids(srv, q) == [new]
    built = log_lines(srv, "match index built")
    assert len(built) == 2 and "(many pending changes)" in built[1], built
    assert log_lines(srv, "rows brought into step from the journal") == []

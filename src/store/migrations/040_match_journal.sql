-- 040_match_journal (match room): the change journal that keeps every process's match index
-- live (service/match.c). One entry per written row of a table the index covers, in commit
-- order: seq (ascending, never reused while the journal is trimmed from its old end only),
-- the entity's singular name (as in src/model/entities.c) and the row id. Readers apply the
-- entries past the last seq they applied, re-reading each row (absent: deleted); the entries
-- themselves carry no data, so applying one twice is harmless.
--
-- The table is portable SQL. The triggers below are SQLite's syntax: the PostgreSQL backend
-- will need the same six tables covered by one plpgsql function (RETURNS trigger, inserting
-- TG_ARGV[0] and COALESCE(NEW.id, OLD.id)) and, per table, CREATE TRIGGER ... AFTER INSERT OR
-- UPDATE OR DELETE ... FOR EACH ROW EXECUTE FUNCTION; seq an identity column (a sequence
-- hands out values in insertion order, not commit order, so PG readers will also need to
-- wait for or re-read gaps: see docs/api.md).

CREATE TABLE match_journal (
	seq INTEGER PRIMARY KEY,
	entity TEXT NOT NULL,
	row_id BIGINT NOT NULL
);

CREATE TRIGGER match_journal_achievements_ins AFTER INSERT ON achievements
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('achievement', NEW.id); END;
CREATE TRIGGER match_journal_achievements_upd AFTER UPDATE ON achievements
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('achievement', NEW.id); END;
CREATE TRIGGER match_journal_achievements_del AFTER DELETE ON achievements
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('achievement', OLD.id); END;

CREATE TRIGGER match_journal_demands_ins AFTER INSERT ON demands
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('demand', NEW.id); END;
CREATE TRIGGER match_journal_demands_upd AFTER UPDATE ON demands
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('demand', NEW.id); END;
CREATE TRIGGER match_journal_demands_del AFTER DELETE ON demands
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('demand', OLD.id); END;

CREATE TRIGGER match_journal_platforms_ins AFTER INSERT ON platforms
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('platform', NEW.id); END;
CREATE TRIGGER match_journal_platforms_upd AFTER UPDATE ON platforms
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('platform', NEW.id); END;
CREATE TRIGGER match_journal_platforms_del AFTER DELETE ON platforms
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('platform', OLD.id); END;

CREATE TRIGGER match_journal_teams_ins AFTER INSERT ON teams
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('team', NEW.id); END;
CREATE TRIGGER match_journal_teams_upd AFTER UPDATE ON teams
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('team', NEW.id); END;
CREATE TRIGGER match_journal_teams_del AFTER DELETE ON teams
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('team', OLD.id); END;

CREATE TRIGGER match_journal_instruments_ins AFTER INSERT ON instruments
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('instrument', NEW.id); END;
CREATE TRIGGER match_journal_instruments_upd AFTER UPDATE ON instruments
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('instrument', NEW.id); END;
CREATE TRIGGER match_journal_instruments_del AFTER DELETE ON instruments
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('instrument', OLD.id); END;

CREATE TRIGGER match_journal_enterprises_ins AFTER INSERT ON enterprises
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('enterprise', NEW.id); END;
CREATE TRIGGER match_journal_enterprises_upd AFTER UPDATE ON enterprises
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('enterprise', NEW.id); END;
CREATE TRIGGER match_journal_enterprises_del AFTER DELETE ON enterprises
BEGIN INSERT INTO match_journal (entity, row_id) VALUES ('enterprise', OLD.id); END;

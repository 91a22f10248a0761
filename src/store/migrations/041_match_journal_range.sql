-- 041_match_journal_range (match room): one journal entry may name a range of rows. A bulk
-- load (store_bulk_begin/store_bulk_end) fires no per-row journal trigger on the table it
-- loads: it drops that table's match_journal_* triggers inside its transaction, recreates
-- them before the commit, and writes one entry (entity, row_id = first id, row_id_hi = last
-- id) for the rows it inserted. row_id_hi NULL: the entry names the single row row_id, as
-- before. Readers (service/match.c) count a range as row_id_hi - row_id + 1 rows against their
-- rebuild threshold and otherwise re-read each id in it (absent ids: nothing to index).

ALTER TABLE match_journal ADD COLUMN row_id_hi BIGINT;

-- Case numbers (Kibana's incremental_id): the last number given in each space, kept apart from
-- the cases so that a deleted case's number is never handed out again.
CREATE TABLE case_counters (
    space_id     INTEGER PRIMARY KEY REFERENCES spaces (id),
    last_number  INTEGER NOT NULL CHECK (last_number >= 0)
);
INSERT INTO case_counters (space_id, last_number)
    SELECT space_id, max(incremental_id) FROM cases WHERE incremental_id IS NOT NULL GROUP BY space_id;

-- A number, once given, never changes or goes away (the unique index cases_space_number
-- already refuses a duplicate in a space).
CREATE TRIGGER cases_number_is_permanent BEFORE UPDATE OF incremental_id ON cases
WHEN old.incremental_id IS NOT NULL AND new.incremental_id IS NOT old.incremental_id
BEGIN SELECT RAISE(ABORT, 'a case number never changes'); END;

-- Nor can a number be given past the space's counter: every number comes from it.
CREATE TRIGGER cases_number_from_counter BEFORE UPDATE OF incremental_id ON cases
WHEN new.incremental_id IS NOT NULL AND old.incremental_id IS NULL
    AND new.incremental_id > coalesce((SELECT last_number FROM case_counters WHERE space_id = new.space_id), 0)
BEGIN SELECT RAISE(ABORT, 'a case number must be taken from its space''s counter'); END;

-- A case written with its number (a restored backup, the benchmark's generator) raises the
-- counter past it, so the pass never hands that number out again.
CREATE TRIGGER cases_number_raises_counter AFTER INSERT ON cases
WHEN new.incremental_id IS NOT NULL
BEGIN
    INSERT INTO case_counters (space_id, last_number) VALUES (new.space_id, new.incremental_id)
    ON CONFLICT (space_id) DO UPDATE SET last_number = max(last_number, excluded.last_number);
END;

-- Application settings that are not per space (the numbering interval, …).
CREATE TABLE app_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Case numbers (Kibana's incremental_id). They live in a narrow table of their own, not in the
-- wide `cases` row: giving a million numbers then writes a few bytes per case instead of
-- rewriting every row (about 7× faster). `cases.incremental_id` now only carries the number of
-- a case written with one (see cases_keep_their_number); reads use `case_numbers`.

-- The last number given in each space, kept apart so a deleted case's number is never reused.
CREATE TABLE case_counters (
    space_id     INTEGER PRIMARY KEY REFERENCES spaces (id),
    last_number  INTEGER NOT NULL CHECK (last_number >= 0)
);

CREATE TABLE case_numbers (
    case_id   INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    space_id  INTEGER NOT NULL,
    number    INTEGER NOT NULL CHECK (number > 0),
    UNIQUE (space_id, number)
);

-- Cases waiting for a number, in the order they get one.
CREATE TABLE cases_to_number (
    space_id    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    case_id     INTEGER NOT NULL,
    PRIMARY KEY (space_id, created_at, case_id)
) WITHOUT ROWID;

INSERT INTO case_numbers (case_id, space_id, number)
    SELECT id, space_id, incremental_id FROM cases WHERE incremental_id IS NOT NULL;
INSERT INTO case_counters (space_id, last_number)
    SELECT space_id, max(number) FROM case_numbers GROUP BY space_id;
INSERT INTO cases_to_number (space_id, created_at, case_id)
    SELECT space_id, created_at, id FROM cases WHERE incremental_id IS NULL;
DROP INDEX cases_space_number;
DROP INDEX cases_need_number;

-- A number, once given, never changes (the UNIQUE constraint refuses a duplicate in a space).
CREATE TRIGGER case_numbers_are_permanent BEFORE UPDATE ON case_numbers
BEGIN SELECT RAISE(ABORT, 'a case number never changes'); END;

-- Every number comes from the space's counter: none past it.
CREATE TRIGGER case_numbers_from_counter BEFORE INSERT ON case_numbers
WHEN new.number > coalesce((SELECT last_number FROM case_counters WHERE space_id = new.space_id), 0)
BEGIN SELECT RAISE(ABORT, 'a case number must be taken from its space''s counter'); END;

-- A new case waits for a number; a case written with its number (a restored backup, the
-- benchmark's generator) keeps it and raises the counter past it.
CREATE TRIGGER cases_wait_for_a_number AFTER INSERT ON cases
WHEN new.incremental_id IS NULL
BEGIN INSERT INTO cases_to_number (space_id, created_at, case_id) VALUES (new.space_id, new.created_at, new.id); END;

CREATE TRIGGER cases_keep_their_number AFTER INSERT ON cases
WHEN new.incremental_id IS NOT NULL
BEGIN
    INSERT INTO case_counters (space_id, last_number) VALUES (new.space_id, new.incremental_id)
    ON CONFLICT (space_id) DO UPDATE SET last_number = max(last_number, excluded.last_number);
    INSERT INTO case_numbers (case_id, space_id, number) VALUES (new.id, new.space_id, new.incremental_id);
END;

CREATE TRIGGER cases_leave_the_queue AFTER DELETE ON cases
BEGIN DELETE FROM cases_to_number WHERE space_id = old.space_id AND created_at = old.created_at AND case_id = old.id; END;

-- Application settings that are not per space (the numbering interval, …).
CREATE TABLE app_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Extracted observables are ranked instead of cut off at an arbitrary 50 (issue 16): each
-- remembers how many of the case's alerts carry it, the values past the cap are kept with
-- their counts so the analyst can see and promote them, and each space sets its own cap.

-- `auto` = 1: extracted from alerts and not chosen by the analyst, so a promoted value may
-- replace it. `alerts`: how many attached alerts carry the value (NULL when not counted).
ALTER TABLE case_observables ADD COLUMN auto INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_observables ADD COLUMN alerts INTEGER;
-- Values extracted before this schema were not counted; they are still the extractor's.
UPDATE case_observables SET auto = 1
 WHERE description = 'Auto extracted observable' AND updated_at IS NULL;

-- Extracted values the cap left out, with how many alerts carry each.
CREATE TABLE case_observables_left_out (
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    type_key TEXT NOT NULL,
    value    TEXT NOT NULL,
    alerts   INTEGER NOT NULL,
    PRIMARY KEY (case_id, type_key, value)
) WITHOUT ROWID;

-- The space's cap on observables per case (Kibana's 50 unless raised) and the order of types
-- that breaks ties between values carried by as many alerts (JSON list of type keys).
ALTER TABLE case_configure ADD COLUMN max_observables INTEGER NOT NULL DEFAULT 50;
ALTER TABLE case_configure ADD COLUMN observable_type_priority TEXT NOT NULL DEFAULT '[]';

-- The space of every case, kept after the case is deleted. A case's activity history outlives
-- the case, and it must stay inside its space like the case did: asked for from another
-- space, it is "not found". Cases deleted before this migration have no row (their space is
-- no longer known).
CREATE TABLE case_spaces (
    case_uuid TEXT PRIMARY KEY,
    space_id  INTEGER NOT NULL REFERENCES spaces (id)
) WITHOUT ROWID;

INSERT INTO case_spaces (case_uuid, space_id) SELECT uuid, space_id FROM cases;

CREATE TRIGGER cases_record_space AFTER INSERT ON cases
BEGIN
    INSERT OR IGNORE INTO case_spaces (case_uuid, space_id) VALUES (NEW.uuid, NEW.space_id);
END;

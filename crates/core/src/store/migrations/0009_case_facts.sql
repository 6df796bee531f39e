-- The status and duration of every case in a narrow table keyed like the case's search
-- document (cases_fts rowid: space id << 32 | case id), kept by triggers. A search's header
-- counts read one small row per match straight by the match's rowid, which is also checked
-- to be a case of the space, instead of probing the cases_facets_by_id index (a quarter less
-- work per match: 97 k matches of a common word).
CREATE TABLE case_facts (
    doc      INTEGER PRIMARY KEY,   -- (cases.space_id << 32) | cases.id
    status   INTEGER NOT NULL,
    duration INTEGER
);

INSERT INTO case_facts (doc, status, duration)
SELECT (space_id << 32) | id, status, duration FROM cases ORDER BY 1;

CREATE TRIGGER cases_facts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_facts (doc, status, duration) VALUES ((new.space_id << 32) | new.id, new.status, new.duration);
END;
CREATE TRIGGER cases_facts_update AFTER UPDATE OF id, space_id, status, duration ON cases
WHEN new.id IS NOT old.id OR new.space_id IS NOT old.space_id OR new.status IS NOT old.status
    OR new.duration IS NOT old.duration
BEGIN
    UPDATE case_facts SET doc = (new.space_id << 32) | new.id, status = new.status, duration = new.duration
    WHERE doc = (old.space_id << 32) | old.id;
END;
CREATE TRIGGER cases_facts_delete AFTER DELETE ON cases BEGIN
    DELETE FROM case_facts WHERE doc = (old.space_id << 32) | old.id;
END;

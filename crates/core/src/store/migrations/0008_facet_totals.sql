-- Per-tag and per-assignee totals by space, severity and status, kept by triggers like
-- case_status_totals: the header counts of a list filtered by one tag (or one assignee) and
-- severities are a handful of row reads, not one index entry per case (395 k for a common tag).
CREATE TABLE facet_totals (
    facet        TEXT NOT NULL,      -- 'tag' or 'assignee'
    value        TEXT NOT NULL,
    space_id     INTEGER NOT NULL,
    severity     INTEGER NOT NULL,
    status       INTEGER NOT NULL,
    cases        INTEGER NOT NULL,
    duration_sum INTEGER NOT NULL,
    duration_n   INTEGER NOT NULL,
    PRIMARY KEY (facet, value, space_id, severity, status)
) WITHOUT ROWID;

INSERT INTO facet_totals
SELECT 'tag', tag, space_id, severity, status, count(*), coalesce(sum(duration), 0), count(duration)
FROM case_tags GROUP BY tag, space_id, severity, status;
INSERT INTO facet_totals
SELECT 'assignee', uid, space_id, severity, status, count(*), coalesce(sum(duration), 0), count(duration)
FROM case_assignees GROUP BY uid, space_id, severity, status;

CREATE TRIGGER case_tags_totals_insert AFTER INSERT ON case_tags BEGIN
    INSERT INTO facet_totals VALUES ('tag', new.tag, new.space_id, new.severity, new.status, 1,
        coalesce(new.duration, 0), new.duration IS NOT NULL)
    ON CONFLICT DO UPDATE SET cases = cases + 1, duration_sum = duration_sum + excluded.duration_sum,
        duration_n = duration_n + excluded.duration_n;
END;
CREATE TRIGGER case_tags_totals_delete AFTER DELETE ON case_tags BEGIN
    UPDATE facet_totals SET cases = cases - 1, duration_sum = duration_sum - coalesce(old.duration, 0),
        duration_n = duration_n - (old.duration IS NOT NULL)
    WHERE facet = 'tag' AND value = old.tag AND space_id = old.space_id AND severity = old.severity
      AND status = old.status;
END;
CREATE TRIGGER case_tags_totals_update AFTER UPDATE ON case_tags BEGIN
    UPDATE facet_totals SET cases = cases - 1, duration_sum = duration_sum - coalesce(old.duration, 0),
        duration_n = duration_n - (old.duration IS NOT NULL)
    WHERE facet = 'tag' AND value = old.tag AND space_id = old.space_id AND severity = old.severity
      AND status = old.status;
    INSERT INTO facet_totals VALUES ('tag', new.tag, new.space_id, new.severity, new.status, 1,
        coalesce(new.duration, 0), new.duration IS NOT NULL)
    ON CONFLICT DO UPDATE SET cases = cases + 1, duration_sum = duration_sum + excluded.duration_sum,
        duration_n = duration_n + excluded.duration_n;
END;

CREATE TRIGGER case_assignees_totals_insert AFTER INSERT ON case_assignees BEGIN
    INSERT INTO facet_totals VALUES ('assignee', new.uid, new.space_id, new.severity, new.status, 1,
        coalesce(new.duration, 0), new.duration IS NOT NULL)
    ON CONFLICT DO UPDATE SET cases = cases + 1, duration_sum = duration_sum + excluded.duration_sum,
        duration_n = duration_n + excluded.duration_n;
END;
CREATE TRIGGER case_assignees_totals_delete AFTER DELETE ON case_assignees BEGIN
    UPDATE facet_totals SET cases = cases - 1, duration_sum = duration_sum - coalesce(old.duration, 0),
        duration_n = duration_n - (old.duration IS NOT NULL)
    WHERE facet = 'assignee' AND value = old.uid AND space_id = old.space_id AND severity = old.severity
      AND status = old.status;
END;
CREATE TRIGGER case_assignees_totals_update AFTER UPDATE ON case_assignees BEGIN
    UPDATE facet_totals SET cases = cases - 1, duration_sum = duration_sum - coalesce(old.duration, 0),
        duration_n = duration_n - (old.duration IS NOT NULL)
    WHERE facet = 'assignee' AND value = old.uid AND space_id = old.space_id AND severity = old.severity
      AND status = old.status;
    INSERT INTO facet_totals VALUES ('assignee', new.uid, new.space_id, new.severity, new.status, 1,
        coalesce(new.duration, 0), new.duration IS NOT NULL)
    ON CONFLICT DO UPDATE SET cases = cases + 1, duration_sum = duration_sum + excluded.duration_sum,
        duration_n = duration_n + excluded.duration_n;
END;

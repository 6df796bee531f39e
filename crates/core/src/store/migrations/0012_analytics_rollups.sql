-- Daily roll-ups of the activity log for the Analytics page: per space and UTC day, cases
-- opened, closed, reopened and deleted, alerts attached, and the net change of the backlog of
-- each status. The backlog on day D is the sum of the changes up to D, so "open on 3 March" is
-- exact history, not a snapshot. Kept by triggers on the (append-only) log; rebuildable from it
-- (analytics/events.rs: the same rules as one query, run by `rebuild_analytics`).

-- Each case's status as the log last left it (NULL once deleted): what a status record moves
-- the case away from.
CREATE TABLE analytics_case_state (
    case_uuid TEXT PRIMARY KEY,
    space_id  INTEGER NOT NULL,
    status    INTEGER
) WITHOUT ROWID;

CREATE TABLE analytics_daily (
    space_id      INTEGER NOT NULL,
    day           INTEGER NOT NULL,   -- days since 1970-01-01, UTC
    opened        INTEGER NOT NULL DEFAULT 0,
    closed        INTEGER NOT NULL DEFAULT 0,
    reopened      INTEGER NOT NULL DEFAULT 0,
    deleted       INTEGER NOT NULL DEFAULT 0,
    alerts        INTEGER NOT NULL DEFAULT 0,
    d_open        INTEGER NOT NULL DEFAULT 0,
    d_in_progress INTEGER NOT NULL DEFAULT 0,
    d_closed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (space_id, day)
) WITHOUT ROWID;

CREATE TRIGGER analytics_on_create AFTER INSERT ON user_actions
WHEN new.type = 'create_case'
    AND NOT EXISTS (SELECT 1 FROM analytics_case_state WHERE case_uuid = new.case_uuid)
BEGIN
    INSERT INTO analytics_case_state (case_uuid, space_id, status)
    SELECT new.case_uuid, space_id, 0 FROM case_spaces WHERE case_uuid = new.case_uuid;
    INSERT INTO analytics_daily (space_id, day, opened, d_open)
    SELECT space_id, new.created_at / 86400000, 1, 1 FROM case_spaces WHERE case_uuid = new.case_uuid
    ON CONFLICT (space_id, day) DO UPDATE SET opened = opened + 1, d_open = d_open + 1;
END;

CREATE TRIGGER analytics_on_status AFTER INSERT ON user_actions
WHEN new.type = 'status'
BEGIN
    INSERT INTO analytics_daily (space_id, day, closed, reopened, d_open, d_in_progress, d_closed)
    SELECT s.space_id, new.created_at / 86400000, n.st = 2, s.status = 2,
           (n.st = 0) - (s.status = 0), (n.st = 1) - (s.status = 1), (n.st = 2) - (s.status = 2)
    FROM analytics_case_state s,
         (SELECT CASE json_extract(new.payload, '$.status')
                 WHEN 'open' THEN 0 WHEN 'in-progress' THEN 1 WHEN 'closed' THEN 2 END AS st) n
    WHERE s.case_uuid = new.case_uuid AND s.status IS NOT NULL AND n.st IS NOT NULL AND n.st <> s.status
    ON CONFLICT (space_id, day) DO UPDATE SET closed = closed + excluded.closed,
        reopened = reopened + excluded.reopened, d_open = d_open + excluded.d_open,
        d_in_progress = d_in_progress + excluded.d_in_progress, d_closed = d_closed + excluded.d_closed;
    UPDATE analytics_case_state
    SET status = CASE json_extract(new.payload, '$.status')
                 WHEN 'open' THEN 0 WHEN 'in-progress' THEN 1 WHEN 'closed' THEN 2 ELSE status END
    WHERE case_uuid = new.case_uuid AND status IS NOT NULL;
END;

CREATE TRIGGER analytics_on_delete AFTER INSERT ON user_actions
WHEN new.type = 'delete_case'
BEGIN
    INSERT INTO analytics_daily (space_id, day, deleted, d_open, d_in_progress, d_closed)
    SELECT space_id, new.created_at / 86400000, 1, -(status = 0), -(status = 1), -(status = 2)
    FROM analytics_case_state WHERE case_uuid = new.case_uuid AND status IS NOT NULL
    ON CONFLICT (space_id, day) DO UPDATE SET deleted = deleted + 1, d_open = d_open + excluded.d_open,
        d_in_progress = d_in_progress + excluded.d_in_progress, d_closed = d_closed + excluded.d_closed;
    UPDATE analytics_case_state SET status = NULL WHERE case_uuid = new.case_uuid;
END;

-- An "add to case" of alerts is one record per rule; `total` counts them all.
CREATE TRIGGER analytics_on_alerts AFTER INSERT ON user_actions
WHEN new.type = 'comment' AND new.action = 'create' AND json_extract(new.payload, '$.comment.type') = 'alert'
BEGIN
    INSERT INTO analytics_daily (space_id, day, alerts)
    SELECT space_id, new.created_at / 86400000,
           coalesce(json_extract(new.payload, '$.total'), json_array_length(new.payload, '$.comment.alertId'), 1)
    FROM case_spaces WHERE case_uuid = new.case_uuid
    ON CONFLICT (space_id, day) DO UPDATE SET alerts = alerts + excluded.alerts;
END;

-- Whether the roll-ups hold the whole log: a file upgraded to this schema gets them filled
-- from its history when it is next opened for writing (analytics/events.rs), once.
CREATE TABLE analytics_meta (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    filled INTEGER NOT NULL
);
INSERT INTO analytics_meta (id, filled) VALUES (1, 0);

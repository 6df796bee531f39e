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

-- The figures of each case the page reads (timing metrics, times, keys), copied out of the
-- wide case rows by triggers: a case's row holds its description before these columns, so
-- reading them from 10 000 closed cases meant 10 000 trips through overflow pages (130 ms on
-- the 1M-case benchmark); here a row is a few dozen bytes.
CREATE TABLE analytics_cases (
    id                  INTEGER PRIMARY KEY,   -- cases.id
    space_id            INTEGER NOT NULL,
    severity            INTEGER NOT NULL,
    status              INTEGER NOT NULL,
    category            TEXT,
    connector           TEXT,                  -- the connector's Kibana type id
    created_at          INTEGER NOT NULL,
    closed_at           INTEGER,
    in_progress_at      INTEGER,
    time_to_acknowledge INTEGER,
    time_to_investigate INTEGER,
    time_to_resolve     INTEGER
);
INSERT INTO analytics_cases
SELECT id, space_id, severity, status, category, json_extract(connector, '$.type'), created_at, closed_at,
       in_progress_at, time_to_acknowledge, time_to_investigate, time_to_resolve
FROM cases;
CREATE INDEX analytics_cases_closed ON analytics_cases (space_id, closed_at) WHERE status = 2;
CREATE INDEX analytics_cases_in_progress ON analytics_cases (space_id, in_progress_at) WHERE status = 1;
CREATE INDEX analytics_cases_open ON analytics_cases (space_id, created_at, status) WHERE status IN (0, 1);
CREATE INDEX analytics_cases_created ON analytics_cases (space_id, created_at);

CREATE TRIGGER analytics_cases_insert AFTER INSERT ON cases BEGIN
    INSERT INTO analytics_cases VALUES (new.id, new.space_id, new.severity, new.status, new.category,
        json_extract(new.connector, '$.type'), new.created_at, new.closed_at, new.in_progress_at,
        new.time_to_acknowledge, new.time_to_investigate, new.time_to_resolve);
END;
CREATE TRIGGER analytics_cases_update AFTER UPDATE OF space_id, severity, status, category, connector, created_at,
    closed_at, in_progress_at, time_to_acknowledge, time_to_investigate, time_to_resolve ON cases BEGIN
    UPDATE analytics_cases SET space_id = new.space_id, severity = new.severity, status = new.status,
        category = new.category, connector = json_extract(new.connector, '$.type'), created_at = new.created_at,
        closed_at = new.closed_at, in_progress_at = new.in_progress_at, time_to_acknowledge = new.time_to_acknowledge,
        time_to_investigate = new.time_to_investigate, time_to_resolve = new.time_to_resolve
    WHERE id = new.id;
END;
CREATE TRIGGER analytics_cases_delete AFTER DELETE ON cases BEGIN
    DELETE FROM analytics_cases WHERE id = old.id;
END;

-- Whether the roll-ups hold the whole log: a file upgraded to this schema gets them filled
-- from its history when it is next opened for writing (analytics/events.rs), once.
CREATE TABLE analytics_meta (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    filled INTEGER NOT NULL
);
INSERT INTO analytics_meta (id, filled) VALUES (1, 0);

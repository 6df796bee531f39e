-- Casebook schema 3: alerts attached to cases, observables, custom observable types, and an
-- Elasticsearch source of alerts per space.

-- One row per alert per case. The original document is kept whole (detail view, export); the
-- columns the Alerts tab sorts and filters on are copied out of it when it is attached.
CREATE TABLE case_alerts (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    alert_id        TEXT NOT NULL,          -- kibana.alert.uuid, else the document _id
    alert_index     TEXT,                   -- the _index it came from, when known
    rule_id         TEXT,
    rule_name       TEXT,
    severity        INTEGER,                -- 0 low … 3 critical, like cases.severity; NULL unknown
    risk_score      REAL,
    reason          TEXT,
    host            TEXT,
    user_name       TEXT,
    original_time   INTEGER,                -- epoch ms: the source event's time, else @timestamp
    workflow_status TEXT NOT NULL DEFAULT 'open',
    source          TEXT NOT NULL,          -- 'file' or 'elasticsearch'
    -- Set when the local workflow status has not reached Elasticsearch yet.
    remote_status_pending INTEGER NOT NULL DEFAULT 0,
    attached_at     INTEGER NOT NULL,
    attached_by     TEXT NOT NULL,
    document        TEXT NOT NULL,
    UNIQUE (case_id, alert_id)
);
-- The tab's default order (grouped by rule, newest first) and its other sorts, each read in
-- order from an index so the first page of 100 000 alerts needs no sort step.
CREATE INDEX case_alerts_by_rule ON case_alerts (case_id, rule_name, rule_id, original_time DESC, id DESC);
CREATE INDEX case_alerts_by_time ON case_alerts (case_id, original_time, id);
CREATE INDEX case_alerts_by_severity ON case_alerts (case_id, severity, risk_score, id);
CREATE INDEX case_alerts_by_risk ON case_alerts (case_id, risk_score, id);
CREATE INDEX case_alerts_by_host ON case_alerts (case_id, host, id);
CREATE INDEX case_alerts_by_user ON case_alerts (case_id, user_name, id);
CREATE INDEX case_alerts_pending ON case_alerts (case_id) WHERE remote_status_pending = 1;

-- The figures the case header and the tab's rule groups show, recomputed when alerts are
-- attached or removed (not on every read: over 100 000 alerts they take tens of ms).
CREATE TABLE case_alert_summary (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    hosts   INTEGER NOT NULL,
    users   INTEGER NOT NULL,
    rules   TEXT NOT NULL              -- JSON: [{rule_id, rule_name, alerts, newest}]
);

-- Observables of a case, each (type, value) once; values are stored normalised.
CREATE TABLE case_observables (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    type_key    TEXT NOT NULL,
    value       TEXT NOT NULL,
    description TEXT,
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  INTEGER,
    UNIQUE (case_id, type_key, value)
);
-- Similar cases: every case holding the same (type, value).
CREATE INDEX case_observables_by_value ON case_observables (type_key, value, case_id);

ALTER TABLE cases ADD COLUMN total_observables INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_configure ADD COLUMN observable_types TEXT NOT NULL DEFAULT '[]';

-- Elasticsearch as a source of alerts, one per space. The API key is in the OS keychain only.
CREATE TABLE alert_sources (
    space_id     INTEGER PRIMARY KEY REFERENCES spaces (id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    kibana_space TEXT NOT NULL,
    updated_at   INTEGER NOT NULL
);

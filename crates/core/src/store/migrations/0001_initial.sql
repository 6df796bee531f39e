-- Casebook schema 1. Times are INTEGER epoch milliseconds (UTC); JSON columns hold the
-- API shapes verbatim so reads need no joins. Lookup tables mirror JSON lists for filters.

CREATE TABLE spaces (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);
INSERT INTO spaces (name, created_at) VALUES ('default', CAST(unixepoch('subsec') * 1000 AS INTEGER));

-- Everyone the analyst can name: the analyst themself (see `profile`) and teammates.
CREATE TABLE users (
    username    TEXT PRIMARY KEY,
    full_name   TEXT,
    email       TEXT,
    created_at  INTEGER NOT NULL
);

-- The one local analyst profile; its user is the author of every change made here.
CREATE TABLE profile (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    username    TEXT NOT NULL REFERENCES users (username) ON UPDATE CASCADE
);

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY,
    uuid                TEXT NOT NULL UNIQUE,
    space_id            INTEGER NOT NULL REFERENCES spaces (id),
    incremental_id      INTEGER CHECK (incremental_id > 0),
    title               TEXT NOT NULL,
    description         TEXT NOT NULL,
    tags                TEXT NOT NULL DEFAULT '[]',
    severity            INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 3),
    status              INTEGER NOT NULL CHECK (status BETWEEN 0 AND 2),
    assignees           TEXT NOT NULL DEFAULT '[]',
    category            TEXT,
    custom_fields       TEXT NOT NULL DEFAULT '[]',
    settings            TEXT NOT NULL,
    owner               TEXT NOT NULL,
    connector           TEXT NOT NULL,
    external_service    TEXT,
    created_at          INTEGER NOT NULL,
    created_by          TEXT NOT NULL,
    reporter            TEXT NOT NULL,
    updated_at          INTEGER,
    updated_by          TEXT,
    closed_at           INTEGER,
    closed_by           TEXT,
    in_progress_at      INTEGER,
    duration            INTEGER,
    time_to_acknowledge INTEGER,
    time_to_investigate INTEGER,
    time_to_resolve     INTEGER,
    total_comment       INTEGER NOT NULL DEFAULT 0,
    total_alerts        INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL DEFAULT 1
);

-- A case number is unique in its space: enforced here, not only by the numbering code.
CREATE UNIQUE INDEX cases_space_number ON cases (space_id, incremental_id) WHERE incremental_id IS NOT NULL;
-- The numbering pass walks only unnumbered cases, oldest first.
CREATE INDEX cases_need_number ON cases (space_id, created_at, id) WHERE incremental_id IS NULL;

-- One index per sort column: equality on space, the sort key, the id tie-break, then the
-- columns most filters test, so a page is read in order from the index with no sort step.
CREATE INDEX cases_by_created  ON cases (space_id, created_at, id, status, severity);
CREATE INDEX cases_by_updated  ON cases (space_id, updated_at, id, status, severity);
CREATE INDEX cases_by_closed   ON cases (space_id, closed_at, id, status, severity);
CREATE INDEX cases_by_title    ON cases (space_id, title COLLATE NOCASE, id, status, severity);
CREATE INDEX cases_by_category ON cases (space_id, category COLLATE NOCASE, id, status, severity, duration);
CREATE INDEX cases_by_status   ON cases (space_id, status, id, severity);
-- Also answers counts under a severity filter without reading rows (hence the duration).
CREATE INDEX cases_by_severity ON cases (space_id, severity, id, status, duration);
-- Search hits are counted per status from this index instead of the (wide) rows.
CREATE INDEX cases_facets_by_id ON cases (id, space_id, status, severity, duration);
CREATE INDEX cases_by_reporter ON cases (space_id, reporter, status, severity, duration);

-- Per-status totals of each space, kept by triggers: the header counts and mean time to
-- close of a space are one row read each, whatever the number of cases.
CREATE TABLE case_status_totals (
    space_id     INTEGER NOT NULL,
    status       INTEGER NOT NULL,
    cases        INTEGER NOT NULL,
    duration_sum INTEGER NOT NULL,
    duration_n   INTEGER NOT NULL,
    PRIMARY KEY (space_id, status)
) WITHOUT ROWID;
CREATE TRIGGER cases_totals_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_status_totals VALUES (new.space_id, new.status, 1, coalesce(new.duration, 0), new.duration IS NOT NULL)
    ON CONFLICT (space_id, status) DO UPDATE SET cases = cases + 1,
        duration_sum = duration_sum + excluded.duration_sum, duration_n = duration_n + excluded.duration_n;
END;
CREATE TRIGGER cases_totals_delete AFTER DELETE ON cases BEGIN
    UPDATE case_status_totals SET cases = cases - 1, duration_sum = duration_sum - coalesce(old.duration, 0),
        duration_n = duration_n - (old.duration IS NOT NULL)
    WHERE space_id = old.space_id AND status = old.status;
END;
CREATE TRIGGER cases_totals_update AFTER UPDATE OF space_id, status, duration ON cases BEGIN
    UPDATE case_status_totals SET cases = cases - 1, duration_sum = duration_sum - coalesce(old.duration, 0),
        duration_n = duration_n - (old.duration IS NOT NULL)
    WHERE space_id = old.space_id AND status = old.status;
    INSERT INTO case_status_totals VALUES (new.space_id, new.status, 1, coalesce(new.duration, 0), new.duration IS NOT NULL)
    ON CONFLICT (space_id, status) DO UPDATE SET cases = cases + 1,
        duration_sum = duration_sum + excluded.duration_sum, duration_n = duration_n + excluded.duration_n;
END;

-- A case's tags, with copies of the case columns that tag counts group and filter by, so
-- counting a tag's cases per status reads one index range instead of every case.
CREATE TABLE case_tags (
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    space_id INTEGER NOT NULL,
    status   INTEGER NOT NULL,
    severity INTEGER NOT NULL,
    duration INTEGER,
    PRIMARY KEY (case_id, tag)
) WITHOUT ROWID;
CREATE INDEX case_tags_by_tag ON case_tags (tag, space_id, severity, status, duration);


-- Assignees, with the same copies as case_tags for the same reason ("my cases" counts).
CREATE TABLE case_assignees (
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    uid      TEXT NOT NULL,
    space_id INTEGER NOT NULL,
    status   INTEGER NOT NULL,
    severity INTEGER NOT NULL,
    duration INTEGER,
    PRIMARY KEY (case_id, uid)
) WITHOUT ROWID;
CREATE INDEX case_assignees_by_uid ON case_assignees (uid, space_id, severity, status, duration);

-- The copies in case_tags and case_assignees follow their case.
CREATE TRIGGER cases_facets_follow AFTER UPDATE OF space_id, status, severity, duration ON cases BEGIN
    UPDATE case_tags SET space_id = new.space_id, status = new.status, severity = new.severity, duration = new.duration
    WHERE case_id = new.id;
    UPDATE case_assignees SET space_id = new.space_id, status = new.status, severity = new.severity, duration = new.duration
    WHERE case_id = new.id;
END;

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  INTEGER,
    updated_by  TEXT,
    pushed_at   INTEGER,
    pushed_by   TEXT,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX comments_by_case ON comments (case_id, created_at, id);

-- One full-text document per case: title, description and all its comments. The rowid is
-- (space id << 32) | case id, so a search restricted to a space is a rowid range FTS5 can seek.
CREATE VIRTUAL TABLE cases_fts USING fts5 (
    title, description, comments,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The activity log. Rows outlive their case (the delete_case record stays) and never change.
CREATE TABLE user_actions (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    case_uuid   TEXT NOT NULL,
    action      TEXT NOT NULL,
    type        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    comment_uuid TEXT,
    owner       TEXT NOT NULL
);
CREATE INDEX user_actions_by_case ON user_actions (case_uuid, id);
CREATE TRIGGER user_actions_no_update BEFORE UPDATE ON user_actions
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER user_actions_no_delete BEFORE DELETE ON user_actions
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;

-- Case settings of a space (Kibana's cases-configure). A missing row means the defaults.
CREATE TABLE case_configure (
    space_id        INTEGER PRIMARY KEY REFERENCES spaces (id) ON DELETE CASCADE,
    closure_type    TEXT NOT NULL DEFAULT 'close-by-user',
    custom_fields   TEXT NOT NULL DEFAULT '[]',
    templates       TEXT NOT NULL DEFAULT '[]',
    version         INTEGER NOT NULL DEFAULT 1
);

-- Title matches count twice as much as description or comment matches.
INSERT INTO cases_fts (cases_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0, 1.0)');

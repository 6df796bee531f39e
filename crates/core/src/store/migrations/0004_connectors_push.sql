-- Casebook schema 4: connectors to incident systems (Jira, ServiceNow), what was pushed where,
-- and the outbox of pushes waiting to be sent. Credentials are never stored here: each
-- connector's secret lives in the OS keychain under `connector:<uuid>`.

CREATE TABLE connectors (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    space_id    INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('jira', 'servicenow-itsm', 'servicenow-sir')),
    url         TEXT NOT NULL,
    -- JSON: project_key, mode, auth, username (never the secret).
    config      TEXT NOT NULL,
    -- JSON: the choices the case form offers (issue types, priorities, sys_choice rows…), cached
    -- so the form works offline.
    metadata    TEXT,
    metadata_at INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (space_id, name)
);

-- The ticket a case has in each connector's system. Written as soon as the system answers a
-- create (before any comment is sent), so a lost answer later never leads to a second ticket.
CREATE TABLE case_pushes (
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    connector_id    INTEGER NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
    external_id     TEXT NOT NULL,
    external_title  TEXT NOT NULL,
    external_url    TEXT NOT NULL,
    pushed_at       INTEGER,
    pushed_by       TEXT,
    -- The case's connector fields as last sent.
    fields          TEXT,
    -- How many alerts the case had at the last push (a new count is announced in a comment).
    alerts_pushed   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, connector_id)
) WITHOUT ROWID;

-- Which version of each comment reached which connector; an edited comment is sent again.
CREATE TABLE comment_pushes (
    comment_id      INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    connector_id    INTEGER NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,
    pushed_at       INTEGER NOT NULL,
    PRIMARY KEY (comment_id, connector_id)
) WITHOUT ROWID;

-- When the case was last pushed (epoch ms), beside cases.external_service, so "requires
-- update" is a comparison of two columns.
ALTER TABLE cases ADD COLUMN pushed_at INTEGER;

-- Pushes requested and not yet done, oldest first. A row disappears when its push succeeds.
-- `sending` rows carry a claim (a random token) and a lease: every write of the sender checks
-- its claim, and a process that died mid-push leaves a lease that another takes over once it
-- has run out.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    connector_id    INTEGER NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    claim           TEXT,
    -- Asked for again while being sent: sent once more after this send, with what changed.
    again           INTEGER NOT NULL DEFAULT 0,
    -- Set just before a create request, cleared once its answer is known: a create whose answer
    -- never came may have made a ticket that search does not show yet.
    create_started_at INTEGER,
    requested_at    INTEGER NOT NULL,
    requested_by    TEXT NOT NULL,
    last_error      TEXT,
    last_error_code TEXT,
    UNIQUE (case_id, connector_id)
);
CREATE INDEX outbox_by_case ON outbox (case_id, id);

//! Forward-only schema migrations, embedded in the binary and recorded in a ledger.
//!
//! A small runner rather than rusqlite_migration: that crate reads the schema version outside
//! an IMMEDIATE transaction, so two processes opening a fresh file together (the desktop app
//! and a CLI) could both try to apply migration 1. Here the version is read and the migration
//! applied inside one `BEGIN IMMEDIATE`, and the ledger table says what ran, when and by whom.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::{Error, Result};

/// `(version, name, sql)`, in order. Never edit a shipped entry: add a new one.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("migrations/0001_initial.sql")),
    (2, "case_numbers", include_str!("migrations/0002_case_numbers.sql")),
    (3, "alerts_observables", include_str!("migrations/0003_alerts_observables.sql")),
    (4, "connectors_push", include_str!("migrations/0004_connectors_push.sql")),
    (5, "case_spaces", include_str!("migrations/0005_case_spaces.sql")),
    (6, "alert_time", include_str!("migrations/0006_alert_time.sql")),
    (7, "pushed_created", include_str!("migrations/0007_pushed_created.sql")),
    (8, "facet_totals", include_str!("migrations/0008_facet_totals.sql")),
    (9, "case_facts", include_str!("migrations/0009_case_facts.sql")),
    (10, "connector_settings", include_str!("migrations/0010_connector_settings.sql")),
    (11, "observable_ranking", include_str!("migrations/0011_observable_ranking.sql")),
    (12, "analytics_rollups", include_str!("migrations/0012_analytics_rollups.sql")),
    (13, "sla_targets", include_str!("migrations/0013_sla_targets.sql")),
];

/// What takes a file of this build back to schema 11, for tests of the migrations before 12.
#[doc(hidden)]
pub const BACK_TO_11: &str = "ALTER TABLE case_configure DROP COLUMN sla; DROP TABLE analytics_meta;
    DROP TABLE analytics_cases; DROP TRIGGER analytics_cases_insert; DROP TRIGGER analytics_cases_update;
    DROP TRIGGER analytics_cases_delete;
    DROP TRIGGER analytics_on_create; DROP TRIGGER analytics_on_status; DROP TRIGGER analytics_on_delete;
    DROP TRIGGER analytics_on_alerts; DROP TABLE analytics_daily; DROP TABLE analytics_case_state;
    DELETE FROM schema_migrations WHERE version >= 12; PRAGMA user_version = 11;";

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

const LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL,
    applied_by  TEXT NOT NULL
)";

/// Applies every migration the file lacks, each in its own IMMEDIATE transaction. A re-run on
/// an up-to-date file writes nothing. Says whether anything was applied.
pub(crate) fn migrate(conn: &Connection, path: &Path) -> Result<bool> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        // A newer Casebook upgraded the file after it was checked.
        return Err(Error::DatabaseTooNew { path: path.display().to_string(), found: current, known: SCHEMA_VERSION });
    }
    if current == SCHEMA_VERSION {
        return Ok(false);
    }
    let mut applied = false;
    for &(version, name, sql) in MIGRATIONS {
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the write lock.
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version <= current {
            continue;
        }
        let step = || -> rusqlite::Result<()> {
            tx.execute_batch(LEDGER)?;
            tx.execute_batch(sql)?;
            if sql.contains("PRAGMA writable_schema") {
                // An edit of the schema's text is seen only once its cookie changes (SQLite's
                // documented procedure for dropping a CHECK constraint).
                let cookie: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
                tx.pragma_update(None, "schema_version", cookie + 1)?;
            }
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at, applied_by) VALUES (?1, ?2, ?3, ?4)",
                (version, name, chrono::Utc::now().to_rfc3339(), concat!("casebook ", env!("CARGO_PKG_VERSION"))),
            )?;
            tx.pragma_update(None, "user_version", version)
        };
        step().map_err(|e| failed(e, path, version, name))?;
        tx.commit()?;
        applied = true;
        tracing::info!(version, name, "applied schema migration");
    }
    Ok(applied)
}

/// One sentence for a migration that failed (dropping the transaction rolls it back). SQLite's
/// error with the statement's whole text (thousands of characters of SQL) helps no one. A
/// damaged file and another process's lock are what they are, not a failed upgrade.
pub(super) fn failed(e: rusqlite::Error, path: &Path, version: i64, name: &str) -> Error {
    let reason = match &e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        _ => e.to_string(),
    };
    match Error::from(e) {
        Error::Busy => Error::Busy,
        Error::CorruptDatabase { detail, .. } => Error::CorruptDatabase { path: path.display().to_string(), detail },
        _ => Error::Storage(format!(
            "cannot upgrade {} to schema {version} ({name}): {reason}; the upgrade was undone and the file was not modified",
            path.display()
        )),
    }
}

/// The ledger must list exactly migrations 1..=`found`, as every migration writes its ledger
/// row and `user_version` in one transaction. A file where they disagree was changed by hand
/// or damaged; migrating it would fail halfway through statements that assume the other.
pub(crate) fn check_ledger(conn: &Connection, found: i64) -> Result<()> {
    let has_ledger: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'",
        [],
        |r| r.get(0),
    )?;
    let (rows, newest): (i64, i64) = if has_ledger {
        conn.query_row("SELECT count(*), coalesce(max(version), 0) FROM schema_migrations", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
    } else {
        (0, 0)
    };
    if rows == found && newest == found {
        return Ok(());
    }
    let ledger = match (rows, newest) {
        (0, _) => "no migration".to_string(),
        (n, v) if n == v => format!("migrations 1 to {v}"),
        (n, v) => format!("{n} migrations up to {v}"),
    };
    Err(Error::CorruptDatabase {
        path: "the database".into(),
        detail: format!("its schema version is {found} but its migration record lists {ledger}"),
    })
}

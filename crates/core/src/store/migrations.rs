//! Forward-only schema migrations, embedded in the binary and recorded in a ledger.
//!
//! A small runner rather than rusqlite_migration: that crate reads the schema version outside
//! an IMMEDIATE transaction, so two processes opening a fresh file together (the desktop app
//! and a CLI) could both try to apply migration 1. Here the version is read and the migration
//! applied inside one `BEGIN IMMEDIATE`, and the ledger table says what ran, when and by whom.

use rusqlite::{Connection, TransactionBehavior};

use crate::Result;

/// `(version, name, sql)`, in order. Never edit a shipped entry: add a new one.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("migrations/0001_initial.sql")),
    (2, "case_numbers", include_str!("migrations/0002_case_numbers.sql")),
    (3, "alerts_observables", include_str!("migrations/0003_alerts_observables.sql")),
    (4, "connectors_push", include_str!("migrations/0004_connectors_push.sql")),
    (5, "case_spaces", include_str!("migrations/0005_case_spaces.sql")),
    (6, "alert_time", include_str!("migrations/0006_alert_time.sql")),
];

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

const LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL,
    applied_by  TEXT NOT NULL
)";

/// Applies every migration the file lacks, each in its own IMMEDIATE transaction. A re-run on
/// an up-to-date file writes nothing.
pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current >= SCHEMA_VERSION {
        return Ok(());
    }
    for &(version, name, sql) in MIGRATIONS {
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the write lock.
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version <= current {
            continue;
        }
        tx.execute_batch(LEDGER)?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at, applied_by) VALUES (?1, ?2, ?3, ?4)",
            (version, name, chrono::Utc::now().to_rfc3339(), concat!("casebook ", env!("CARGO_PKG_VERSION"))),
        )?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, name, "applied schema migration");
    }
    Ok(())
}

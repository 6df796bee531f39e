//! A file import's alerts wait in a private staging file until the whole file is read; one
//! short write then attaches them all. So a long import holds the database's writer only for
//! that last step (other saves go through meanwhile), and a cancelled, failed or killed import
//! attaches nothing: its staging file is simply deleted.
//!
//! The file sits beside the database, not in the temporary folder: it is as large as the
//! documents imported, and `/tmp` is often a RAM-backed tmpfs. One a killed import left behind
//! is deleted by a later import once it is a day old (an import in progress is younger).

use std::path::Path;
use std::time::{Duration, SystemTime};

use rusqlite::{Connection, ToSql};
use tempfile::NamedTempFile;

use super::store::{Attached, NewAlert};
use crate::cases::Loaded;
use crate::model::*;
use crate::row::{json, ms};
use crate::{Error, Result, Tx};

/// The name the staging file is attached under for the final step.
pub(crate) const SCHEMA: &str = "import_staging";

/// Staging files start with this (hidden) name beside the database.
const PREFIX: &str = ".casebook-import-";

/// A staging file older than this is one a killed import left behind.
const LEFT_BEHIND_AFTER: Duration = Duration::from_secs(24 * 3600);

pub(crate) struct Staging {
    file: NamedTempFile,
    conn: Connection,
}

impl Staging {
    /// A new, empty staging file in `dir` (the database's folder), readable by this user only.
    pub(crate) fn create(dir: &Path) -> Result<Staging> {
        remove_left_behind(dir);
        let io = |e: std::io::Error| {
            Error::Storage(format!("cannot create the import's staging file in {}: {e}", dir.display()))
        };
        let file = tempfile::Builder::new().prefix(PREFIX).suffix(".db").tempfile_in(dir).map_err(io)?;
        let conn = Connection::open(file.path())?;
        // Nothing here must survive a crash: no journal, no fsync.
        conn.execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA cache_size = -16384;
             CREATE TABLE staged (
                 alert_id TEXT NOT NULL, alert_index TEXT, rule_id TEXT, rule_name TEXT, severity INTEGER,
                 risk_score REAL, reason TEXT, host TEXT, user_name TEXT, original_time INTEGER,
                 own_status TEXT NOT NULL, document TEXT NOT NULL, alert_time INTEGER);",
        )?;
        Ok(Staging { file, conn })
    }

    /// Stages a chunk of alerts, in the file's order.
    pub(crate) fn add(&mut self, alerts: &[NewAlert]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO staged (alert_id, alert_index, rule_id, rule_name, severity, risk_score, reason, host,
                    user_name, original_time, own_status, document, alert_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            for a in alerts {
                let s = &a.summary;
                let (own, severity) = (a.own_status(), a.severity_db());
                let params: [&dyn ToSql; 13] = [
                    &a.alert_id,
                    &a.index,
                    &s.rule_id,
                    &s.rule_name,
                    &severity,
                    &s.risk_score,
                    &s.reason,
                    &s.host,
                    &s.user,
                    &s.original_time.map(ms),
                    &own.as_str(),
                    &a.document,
                    &s.timestamp.map(ms),
                ];
                insert.execute(&params[..])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Closes the staging connection; the file stays until the returned value is dropped.
    pub(crate) fn finish(self) -> NamedTempFile {
        drop(self.conn);
        self.file
    }
}

/// Deletes the staging files of imports killed more than a day ago; best effort.
fn remove_left_behind(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > LEFT_BEHIND_AFTER);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The staging file's path as ATTACH takes it.
pub(crate) fn attach_name(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| Error::Storage(format!("the staging file's path is not UTF-8: {}", path.display())))
}

/// Attaches the staged alerts the case lacks (the same alert never twice), in the file's
/// order, their workflow status in line with the case when it syncs alerts. Runs in the
/// transaction that has the staging file attached as [`SCHEMA`].
pub(crate) fn attach_staged(tx: &Tx<'_>, loaded: &Loaded) -> Result<Vec<Attached>> {
    let status = loaded.case.settings.sync_alerts.then(|| WorkflowStatus::for_case(loaded.case.status).as_str());
    // Not cached: the statement names the attached file, which is detached afterwards.
    let mut insert = tx.prepare(&format!(
        "INSERT INTO case_alerts (case_id, alert_id, alert_index, rule_id, rule_name, severity, risk_score, reason,
            host, user_name, original_time, workflow_status, source, remote_status_pending, attached_at, attached_by,
            document, alert_time)
         SELECT ?1, alert_id, alert_index, rule_id, rule_name, severity, risk_score, reason, host, user_name,
            original_time, coalesce(?2, own_status), 'file', 0, ?3, ?4, document, alert_time
         FROM {SCHEMA}.staged WHERE true ORDER BY rowid
         ON CONFLICT (case_id, alert_id) DO NOTHING
         RETURNING alert_id, alert_index, rule_id, rule_name"
    ))?;
    let rows = insert.query_map((loaded.rowid, status, ms(tx.now), json(&tx.actor)), |r| {
        Ok(Attached { alert_id: r.get(0)?, index: r.get(1)?, rule_id: r.get(2)?, rule_name: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staging_file_lives_beside_the_database_and_old_leftovers_go() {
        let dir = tempfile::tempdir().unwrap();
        let left = dir.path().join(format!("{PREFIX}killed.db"));
        std::fs::write(&left, b"half an import").unwrap();
        let two_days_ago = SystemTime::now() - Duration::from_secs(48 * 3600);
        std::fs::File::options().write(true).open(&left).unwrap().set_modified(two_days_ago).unwrap();
        let recent = dir.path().join(format!("{PREFIX}running.db"));
        std::fs::write(&recent, b"another import in progress").unwrap();
        let mine = dir.path().join("casebook.db");
        std::fs::write(&mine, b"not touched").unwrap();

        let staging = Staging::create(dir.path()).unwrap();
        let path = staging.file.path().to_path_buf();
        assert_eq!(path.parent(), Some(dir.path()));
        assert!(!left.exists(), "a day-old leftover is deleted");
        assert!(recent.exists() && mine.exists(), "anything else stays");
        drop(staging.finish());
        assert!(!path.exists(), "a finished import leaves no staging file");
    }
}

//! Case numbers (Kibana's `incremental_id`, §6 of the reference): a pass gives every unnumbered
//! case the next number of its space, oldest first (`created_at`, then id).
//!
//! Unlike Kibana's task this cannot hand out a number twice or skip one, whoever runs passes at
//! the same time (the desktop app, CLIs): each batch reads the space's counter, numbers the
//! batch and moves the counter in one `BEGIN IMMEDIATE` transaction, so passes serialise on
//! SQLite's write lock, and a killed pass leaves whole batches behind. The schema backs this:
//! numbers are unique per space, never change, and never pass the counter (0002_case_numbers.sql).
//! Giving a number is not an edit: the case's version and updated_at stay as they are, so an
//! analyst's open edit never conflicts with the numbering.

use rusqlite::{OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Casebook, Error, Result};

/// How many cases one transaction numbers. Each commit costs an fsync, so batches are big: a
/// backlog of a million cases (an import) takes 20 transactions; another writer (the analyst
/// saving a case) waits at most one batch, a fraction of a second. Day to day a pass numbers a
/// handful of cases in one short transaction.
pub const NUMBERING_BATCH: i64 = 50_000;

/// The numbering task's interval (minutes): Kibana's default and the range the setting allows.
pub const DEFAULT_ID_INTERVAL_MINUTES: u32 = 10;
pub const MIN_ID_INTERVAL_MINUTES: u32 = 1;
pub const MAX_ID_INTERVAL_MINUTES: u32 = 60;
const INTERVAL_KEY: &str = "id_interval_minutes";

/// What one numbering pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssignReport {
    /// Cases that got a number.
    pub assigned: u64,
}

impl Casebook {
    /// One numbering pass over every space.
    pub fn assign_numbers(&self) -> Result<AssignReport> {
        self.assign_numbers_in_batches(NUMBERING_BATCH)
    }

    /// [`Casebook::assign_numbers`] with another batch size (tests use small ones).
    #[doc(hidden)]
    pub fn assign_numbers_in_batches(&self, batch: i64) -> Result<AssignReport> {
        let batch = batch.max(1);
        let spaces: Vec<i64> = self.read(|c| {
            // Only spaces with work: one probe per space of the partial index cases_need_number
            // (the planner would otherwise pick a full index of the space and read every row).
            let mut st = c.prepare_cached(
                "SELECT id FROM spaces s WHERE EXISTS (SELECT 1 FROM cases INDEXED BY cases_need_number
                     WHERE space_id = s.id AND incremental_id IS NULL) ORDER BY id",
            )?;
            let ids = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(ids)
        })?;
        let mut assigned = 0u64;
        for space in spaces {
            loop {
                let n = self.number_batch(space, batch)?;
                assigned += n;
                if n < batch as u64 {
                    break;
                }
            }
        }
        if assigned > 0 {
            tracing::info!(assigned, "numbered cases");
        }
        Ok(AssignReport { assigned })
    }

    /// Numbers up to `batch` of a space's oldest unnumbered cases, in one transaction.
    fn number_batch(&self, space: i64, batch: i64) -> Result<u64> {
        self.with_connection(|conn| number_batch_in(conn, space, batch))
    }

    /// Minutes between the desktop app's numbering passes (a setting; default 10).
    pub fn id_interval_minutes(&self) -> Result<u32> {
        self.read(|c| {
            let v: Option<String> = c
                .query_row("SELECT value FROM app_settings WHERE key = ?1", [INTERVAL_KEY], |r| r.get(0))
                .optional()?;
            Ok(v.and_then(|v| v.parse().ok())
                .filter(|m| (MIN_ID_INTERVAL_MINUTES..=MAX_ID_INTERVAL_MINUTES).contains(m))
                .unwrap_or(DEFAULT_ID_INTERVAL_MINUTES))
        })
    }

    pub fn set_id_interval_minutes(&self, minutes: u32) -> Result<u32> {
        if !(MIN_ID_INTERVAL_MINUTES..=MAX_ID_INTERVAL_MINUTES).contains(&minutes) {
            return Err(Error::validation(
                "interval",
                format!("between {MIN_ID_INTERVAL_MINUTES} and {MAX_ID_INTERVAL_MINUTES} minutes (got {minutes})"),
            ));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO app_settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (INTERVAL_KEY, minutes.to_string()),
            )?;
            Ok(minutes)
        })
    }
}

fn number_batch_in(conn: &mut rusqlite::Connection, space: i64, batch: i64) -> Result<u64> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let last: i64 = tx
        .query_row("SELECT last_number FROM case_counters WHERE space_id = ?1", [space], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    // Counter first: the schema refuses a number past it.
    tx.execute(
        "INSERT INTO case_counters (space_id, last_number)
         VALUES (?1, ?2 + (SELECT count(*) FROM (SELECT 1 FROM cases INDEXED BY cases_need_number
             WHERE space_id = ?1 AND incremental_id IS NULL LIMIT ?3)))
         ON CONFLICT (space_id) DO UPDATE SET last_number = excluded.last_number",
        (space, last, batch),
    )?;
    let numbered = tx.execute(
        "WITH next AS (
             SELECT id, row_number() OVER (ORDER BY created_at, id) AS k FROM (
                 SELECT id, created_at FROM cases INDEXED BY cases_need_number
                 WHERE space_id = ?1 AND incremental_id IS NULL ORDER BY created_at, id LIMIT ?3))
         UPDATE cases SET incremental_id = ?2 + next.k FROM next WHERE cases.id = next.id",
        (space, last, batch),
    )?;
    let counter: i64 =
        tx.query_row("SELECT last_number FROM case_counters WHERE space_id = ?1", [space], |r| r.get(0))?;
    if counter != last + numbered as i64 {
        // Cannot happen inside one IMMEDIATE transaction; refuse rather than leave a gap.
        return Err(Error::Storage(format!(
            "case numbering: counter {counter} does not match {last} + {numbered} numbered"
        )));
    }
    tx.commit()?;
    Ok(numbered as u64)
}

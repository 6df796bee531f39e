//! Case numbers (Kibana's `incremental_id`, §6 of the reference): a pass gives every unnumbered
//! case the next number of its space, oldest first (`created_at`, then id).
//!
//! Unlike Kibana's task this cannot hand out a number twice or skip one, whoever runs passes at
//! the same time (the desktop app, CLIs): each batch reads the space's counter, numbers the
//! batch and moves the counter in one `BEGIN IMMEDIATE` transaction, so passes serialise on
//! SQLite's write lock, and a killed pass leaves whole batches behind. The schema backs this:
//! numbers are unique per space, never change, and never pass the counter (0002_case_numbers.sql).
//! Numbers live in the narrow `case_numbers` table and waiting cases in the `cases_to_number`
//! queue (kept by triggers), so a pass writes a few bytes per case and never rewrites a case
//! row: giving a number is not an edit (version and updated_at stay), and an analyst's open
//! edit never conflicts with the numbering.

use rusqlite::{OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Casebook, Error, Result};

/// How many cases one transaction numbers. Each commit costs an fsync, so batches are big: a
/// backlog of a million cases (an import) takes 20 transactions; another writer (the analyst
/// saving a case) waits at most one batch, well under a second. Day to day a pass numbers a
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
    pub fn assign_ids(&self) -> Result<AssignReport> {
        self.assign_ids_in_batches(NUMBERING_BATCH)
    }

    /// [`Casebook::assign_ids`] with another batch size (tests use small ones).
    #[doc(hidden)]
    pub fn assign_ids_in_batches(&self, batch: i64) -> Result<AssignReport> {
        let batch = batch.max(1);
        let spaces: Vec<i64> = self.read(|c| {
            // Only spaces with work: one probe of the queue per space.
            let mut st = c.prepare_cached(
                "SELECT id FROM spaces s WHERE EXISTS (SELECT 1 FROM cases_to_number WHERE space_id = s.id) ORDER BY id",
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
        // Not through `write`: giving a number is not an edit (no actor, no activity), but it
        // is a write like any other for the read-only guard and the statistics upkeep.
        let mut conn = self.lock()?;
        let n = number_batch_in(&mut conn, space, batch)?;
        if n > 0 {
            self.after_write(&conn);
        }
        Ok(n)
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
    // The batch: the space's `batch` oldest waiting cases, up to and including (upto_created, upto_case).
    let Some((upto_created, upto_case)): Option<(i64, i64)> = tx
        .query_row(
            "SELECT created_at, case_id FROM (SELECT created_at, case_id FROM cases_to_number WHERE space_id = ?1
                 ORDER BY created_at, case_id LIMIT ?2) ORDER BY created_at DESC, case_id DESC LIMIT 1",
            (space, batch),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
    else {
        return Ok(0);
    };
    let in_batch = "space_id = ?1 AND (created_at, case_id) <= (?2, ?3)";
    let last: i64 = tx
        .query_row("SELECT last_number FROM case_counters WHERE space_id = ?1", [space], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let count: i64 = tx.query_row(
        &format!("SELECT count(*) FROM cases_to_number WHERE {in_batch}"),
        (space, upto_created, upto_case),
        |r| r.get(0),
    )?;
    // Counter first: the schema refuses a number past it.
    tx.execute(
        "INSERT INTO case_counters (space_id, last_number) VALUES (?1, ?2)
         ON CONFLICT (space_id) DO UPDATE SET last_number = excluded.last_number",
        (space, last + count),
    )?;
    let numbered = tx.execute(
        &format!(
            "INSERT INTO case_numbers (case_id, space_id, number)
             SELECT case_id, space_id, ?4 + row_number() OVER (ORDER BY created_at, case_id)
             FROM cases_to_number WHERE {in_batch} ORDER BY created_at, case_id"
        ),
        (space, upto_created, upto_case, last),
    )?;
    let left =
        tx.execute(&format!("DELETE FROM cases_to_number WHERE {in_batch}"), (space, upto_created, upto_case))?;
    if numbered as i64 != count || left != numbered {
        // Cannot happen inside one IMMEDIATE transaction; refuse rather than leave a gap.
        return Err(Error::Storage(format!(
            "case numbering: {count} waiting, {numbered} numbered, {left} taken off the queue"
        )));
    }
    tx.commit()?;
    Ok(numbered as u64)
}

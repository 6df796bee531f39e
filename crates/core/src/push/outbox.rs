//! The outbox table: pushes requested and not yet done. One row per (case, connector); asking
//! again for a push that is waiting only makes it due now.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::connectors::Failure;
use crate::model::*;
use crate::row::{json, ms, opt_time, time};
use crate::{Casebook, Error, Result, Tx};

const COLUMNS: &str = "o.id, c.uuid, c.title, s.name, k.uuid, k.name, o.state, o.attempts, o.next_attempt_at, \
    o.requested_at, o.last_error, o.last_error_code";
const FROM: &str = "outbox o JOIN cases c ON c.id = o.case_id JOIN spaces s ON s.id = c.space_id \
    JOIN connectors k ON k.id = o.connector_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<OutboxItem> {
    let state = OutboxState::from_db(&r.get::<_, String>(6)?);
    Ok(OutboxItem {
        id: r.get(0)?,
        case_id: r.get(1)?,
        case_title: r.get(2)?,
        space: r.get(3)?,
        connector_id: r.get(4)?,
        connector_name: r.get(5)?,
        state,
        attempts: r.get(7)?,
        next_attempt_at: if state == OutboxState::Queued { opt_time(r.get(8)?) } else { None },
        requested_at: time(r.get(9)?),
        last_error: r.get(10)?,
        last_error_code: r.get(11)?,
    })
}

pub(super) fn load(conn: &Connection, id: i64) -> Result<OutboxItem> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE o.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("push", format!("{id} in the outbox (it was sent or cancelled)")))
}

/// Adds the push, or makes a waiting one due now (a failed one is tried again: the user asked).
pub(super) fn enqueue(tx: &Tx<'_>, case_rowid: i64, connector_rowid: i64) -> Result<i64> {
    let now = ms(tx.now);
    Ok(tx.query_row(
        "INSERT INTO outbox (case_id, connector_id, state, next_attempt_at, requested_at, requested_by)
         VALUES (?1, ?2, 'queued', ?3, ?3, ?4)
         ON CONFLICT (case_id, connector_id) DO UPDATE SET
            state = CASE WHEN state = 'sending' THEN 'sending' ELSE 'queued' END,
            next_attempt_at = ?3, requested_at = ?3, requested_by = ?4
         RETURNING id",
        (case_rowid, connector_rowid, now, json(&tx.actor)),
        |r| r.get(0),
    )?)
}

/// Queued pushes that are due, and claims whose lease ran out, oldest request first.
pub(super) fn due(conn: &Connection, now: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM outbox WHERE (state = 'queued' AND next_attempt_at <= ?1)
            OR (state = 'sending' AND lease_until < ?1) ORDER BY requested_at, id",
    )?;
    let ids = stmt.query_map([now], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Takes the push for this process: true when it was queued (or its claim had run out).
pub(super) fn claim(tx: &Tx<'_>, id: i64, lease_until: i64) -> Result<bool> {
    let now = ms(tx.now);
    let n = tx.execute(
        "UPDATE outbox SET state = 'sending', lease_until = ?3
         WHERE id = ?1 AND (state = 'queued' OR (state = 'sending' AND lease_until < ?2))",
        (id, now, lease_until),
    )?;
    Ok(n == 1)
}

pub(super) fn extend_lease(tx: &Tx<'_>, id: i64, lease_until: i64) -> Result<()> {
    tx.execute("UPDATE outbox SET lease_until = ?2 WHERE id = ?1 AND state = 'sending'", (id, lease_until))?;
    Ok(())
}

/// Records a failed attempt: queued again after `wait` when time can fix it, failed otherwise.
pub(super) fn failed(
    tx: &Tx<'_>,
    id: i64,
    failure: &Failure,
    wait: impl FnOnce(i64) -> std::time::Duration,
) -> Result<()> {
    let Some(attempts) =
        tx.query_row("SELECT attempts + 1 FROM outbox WHERE id = ?1", [id], |r| r.get::<_, i64>(0)).optional()?
    else {
        return Ok(()); // its case was deleted meanwhile, and the push with it
    };
    let (state, next) = if failure.retryable() {
        ("queued", ms(tx.now) + wait(attempts).as_millis() as i64)
    } else {
        ("failed", ms(tx.now))
    };
    tx.execute(
        "UPDATE outbox SET state = ?2, attempts = ?3, next_attempt_at = ?4, lease_until = NULL,
            last_error = ?5, last_error_code = ?6 WHERE id = ?1",
        (id, state, attempts, next, failure.error.to_string(), failure.error.code()),
    )?;
    Ok(())
}

pub(super) fn done(tx: &Tx<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM outbox WHERE id = ?1", [id])?;
    Ok(())
}

impl Casebook {
    pub fn outbox_item(&self, id: i64) -> Result<OutboxItem> {
        self.read(|c| load(c, id))
    }

    /// Every push waiting, oldest request first; only one space's with `space`.
    pub fn outbox(&self, space: Option<&str>) -> Result<Vec<OutboxItem>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE ?1 IS NULL OR s.name = ?1 ORDER BY o.requested_at, o.id"
            ))?;
            let items = stmt.query_map([space], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(items)
        })
    }

    /// Makes a waiting or failed push due now.
    pub fn retry_push(&self, id: i64) -> Result<OutboxItem> {
        self.write(|tx| {
            let item = load(tx, id)?;
            if item.state == OutboxState::Sending {
                return Ok(());
            }
            tx.execute("UPDATE outbox SET state = 'queued', next_attempt_at = ?2 WHERE id = ?1", (id, ms(tx.now)))?;
            Ok(())
        })?;
        self.outbox_item(id)
    }

    /// Removes a waiting push. What was already sent stays sent; a push being sent right now
    /// cannot be called back.
    pub fn cancel_push(&self, id: i64) -> Result<()> {
        self.write(|tx| {
            let item = load(tx, id)?;
            if item.state == OutboxState::Sending {
                return Err(Error::validation(
                    "push",
                    format!("{id} is being sent right now and cannot be cancelled; wait for it to finish"),
                ));
            }
            done(tx, id)
        })
    }

    /// When the next queued push is due, for a worker's sleep.
    pub fn next_push_due(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        self.read(|c| {
            let at: Option<i64> = c.query_row(
                "SELECT min(CASE WHEN state = 'queued' THEN next_attempt_at ELSE lease_until END) FROM outbox
                 WHERE state IN ('queued', 'sending')",
                [],
                |r| r.get(0),
            )?;
            Ok(opt_time(at))
        })
    }
}

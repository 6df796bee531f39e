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
/// One being sent is marked to be sent again afterwards, so what changed meanwhile goes too.
pub(super) fn enqueue(tx: &Tx<'_>, case_rowid: i64, connector_rowid: i64) -> Result<i64> {
    let now = ms(tx.now);
    Ok(tx.query_row(
        "INSERT INTO outbox (case_id, connector_id, state, next_attempt_at, requested_at, requested_by)
         VALUES (?1, ?2, 'queued', ?3, ?3, ?4)
         ON CONFLICT (case_id, connector_id) DO UPDATE SET
            again = (state = 'sending'),
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

/// A sender's hold on one push: every write it makes about the push checks the token, so a
/// sender whose lease ran out (and whose push another took over) changes nothing.
pub(super) struct Claim {
    pub id: i64,
    pub token: String,
}

/// Who holds a claim: this process on this boot of this machine (`<pid>@<boot id>`), so the
/// claim of a process that died mid-push is released at once rather than when its lease runs
/// out. The boot id is Linux's; elsewhere only the lease frees a claim.
fn holder() -> String {
    format!("{}@{}", std::process::id(), boot_id().unwrap_or_default())
}

fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok().map(|s| s.trim().to_string())
}

/// Whether the claim's process is known to be gone: same boot of this machine, pid not running.
fn holder_is_gone(claim: &str) -> bool {
    let Some((pid, rest)) = claim.split_once('@') else { return false };
    let boot = rest.split('/').next().unwrap_or("");
    match (boot_id(), pid.parse::<u32>()) {
        (Some(mine), Ok(pid)) if !boot.is_empty() && boot == mine && pid != std::process::id() => {
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => false,
    }
}

/// Puts back in the queue the pushes whose sender died mid-push (a killed app or CLI).
pub(super) fn release_dead_claims(tx: &Tx<'_>) -> Result<()> {
    let held: Vec<(i64, String)> = tx
        .prepare_cached("SELECT id, claim FROM outbox WHERE state = 'sending' AND claim IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, claim) in held.into_iter().filter(|(_, c)| holder_is_gone(c)) {
        tx.execute(
            "UPDATE outbox SET state = 'queued', claim = NULL, lease_until = NULL, next_attempt_at = ?3
             WHERE id = ?1 AND claim = ?2",
            (id, &claim, ms(tx.now)),
        )?;
    }
    Ok(())
}

/// Takes the push for this process when it is queued (or its lease ran out).
pub(super) fn claim(tx: &Tx<'_>, id: i64, lease_until: i64) -> Result<Option<Claim>> {
    let token = format!("{}/{}", holder(), uuid::Uuid::new_v4());
    let n = tx.execute(
        "UPDATE outbox SET state = 'sending', lease_until = ?3, claim = ?4, again = 0
         WHERE id = ?1 AND (state = 'queued' OR (state = 'sending' AND lease_until < ?2))",
        (id, ms(tx.now), lease_until, &token),
    )?;
    Ok((n == 1).then_some(Claim { id, token }))
}

/// Whether the claim still holds, and pushes its lease out to `lease_until`.
pub(super) fn extend_lease(tx: &Tx<'_>, claim: &Claim, lease_until: i64) -> Result<bool> {
    let n = tx.execute(
        "UPDATE outbox SET lease_until = ?3 WHERE id = ?1 AND claim = ?2 AND state = 'sending'",
        (claim.id, &claim.token, lease_until),
    )?;
    Ok(n == 1)
}

/// Notes that a create request is about to go (`Some`), or that its answer came (`None`).
pub(super) fn create_started(tx: &Tx<'_>, claim: &Claim, at: Option<i64>) -> Result<()> {
    tx.execute("UPDATE outbox SET create_started_at = ?3 WHERE id = ?1 AND claim = ?2", (claim.id, &claim.token, at))?;
    Ok(())
}

/// When a create whose answer never came was started, if one was.
pub(super) fn unsure_create(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT create_started_at FROM outbox WHERE id = ?1", [id], |r| r.get(0)).optional()?.flatten())
}

/// Records a failed attempt: queued again after `wait` when time can fix it, failed otherwise.
/// Asked for again meanwhile, it is due at once.
pub(super) fn failed(
    tx: &Tx<'_>,
    claim: &Claim,
    failure: &Failure,
    wait: impl FnOnce(i64) -> std::time::Duration,
) -> Result<()> {
    let row: Option<(i64, bool)> = tx
        .query_row(
            "SELECT attempts + 1, again FROM outbox WHERE id = ?1 AND claim = ?2",
            (claim.id, &claim.token),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    // Gone (its case was deleted) or taken over by another sender: theirs to record.
    let Some((attempts, again)) = row else { return Ok(()) };
    let now = ms(tx.now);
    let (state, next) = if again {
        ("queued", now)
    } else if failure.retryable() {
        ("queued", now + wait(attempts).as_millis() as i64)
    } else {
        ("failed", now)
    };
    tx.execute(
        "UPDATE outbox SET state = ?2, attempts = ?3, next_attempt_at = ?4, lease_until = NULL, claim = NULL,
            again = 0, last_error = ?5, last_error_code = ?6 WHERE id = ?1",
        (claim.id, state, attempts, next, failure.error.to_string(), failure.error.code()),
    )?;
    Ok(())
}

/// The push is done: gone from the outbox, unless it was asked for again meanwhile.
pub(super) fn done(tx: &Tx<'_>, claim: &Claim) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET state = 'queued', next_attempt_at = ?3, attempts = 0, lease_until = NULL, claim = NULL,
            again = 0, last_error = NULL, last_error_code = NULL, create_started_at = NULL
         WHERE id = ?1 AND claim = ?2 AND again",
        (claim.id, &claim.token, ms(tx.now)),
    )?;
    tx.execute("DELETE FROM outbox WHERE id = ?1 AND claim = ?2 AND state = 'sending'", (claim.id, &claim.token))?;
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

    /// [`Casebook::retry_push`] after the user checked the system for a ticket a lost create
    /// answer may have made ("needs your check") and found none: the create is sent again.
    pub fn retry_push_anyway(&self, id: i64) -> Result<OutboxItem> {
        self.write(|tx| {
            let item = load(tx, id)?;
            if item.state == OutboxState::Sending {
                return Ok(());
            }
            tx.execute(
                "UPDATE outbox SET state = 'queued', next_attempt_at = ?2, create_started_at = NULL WHERE id = ?1",
                (id, ms(tx.now)),
            )?;
            Ok(())
        })?;
        self.outbox_item(id)
    }

    /// Removes a waiting push. What was already sent stays sent; a push being sent right now
    /// cannot be called back.
    pub fn cancel_push(&self, id: i64) -> Result<()> {
        self.write(|tx| {
            release_dead_claims(tx)?;
            let item = load(tx, id)?;
            if item.state == OutboxState::Sending {
                return Err(Error::validation(
                    "push",
                    format!("{id} is being sent right now and cannot be cancelled; wait for it to finish"),
                ));
            }
            tx.execute("DELETE FROM outbox WHERE id = ?1", [id])?;
            Ok(())
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::secrets::MemorySecrets;

    /// A database with one queued push.
    fn queued_push() -> (tempfile::TempDir, Casebook, i64) {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Casebook::open(dir.path().join("c.db")).unwrap();
        book.set_secrets(Arc::new(MemorySecrets::new()));
        let input = ConnectorInput {
            name: "SOC Jira".into(),
            url: "https://x.atlassian.net".into(),
            settings: ConnectorSettings::Jira(JiraSettings {
                project_key: "SEC".into(),
                auth: ConnectorAuth::Basic,
                username: Some("u@example.com".into()),
            }),
            secret: Some("t".into()),
            secrets: None,
        };
        book.create_connector("default", &input).unwrap();
        let case = book.create_case("default", &CaseCreate { title: "t".into(), ..Default::default() }).unwrap();
        let id = book.request_push(&case.id, Some("SOC Jira")).unwrap().id;
        (dir, book, id)
    }

    fn state(book: &Casebook, id: i64) -> Option<(String, bool, Option<String>)> {
        book.read(|c| {
            Ok(c.query_row("SELECT state, again, claim FROM outbox WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
        })
        .unwrap()
    }

    #[test]
    fn a_sender_whose_lease_ran_out_and_was_taken_over_changes_nothing() {
        let (_dir, book, id) = queued_push();
        let first = book.write(|tx| claim(tx, id, ms(tx.now) - 1)).unwrap().expect("claimed");
        assert!(
            book.write(|tx| claim(tx, id, ms(tx.now) + 60_000)).unwrap().is_some(),
            "the lease ran out: taken over"
        );
        assert!(book.write(|tx| claim(tx, id, ms(tx.now) + 60_000)).unwrap().is_none(), "but only once");
        assert!(!book.write(|tx| extend_lease(tx, &first, ms(tx.now) + 60_000)).unwrap());
        let failure = Failure::from(Error::Busy);
        book.write(|tx| failed(tx, &first, &failure, |_| std::time::Duration::ZERO)).unwrap();
        book.write(|tx| done(tx, &first)).unwrap();
        let (state_now, _, claim_now) = state(&book, id).expect("still there");
        assert_eq!(state_now, "sending");
        assert!(claim_now.is_some_and(|c| c != first.token));
    }

    #[test]
    fn the_claim_of_a_sender_that_died_is_released_at_once() {
        let (_dir, book, id) = queued_push();
        let set_claim = |claim: &str| {
            book.with_connection(|c| {
                c.execute(
                    "UPDATE outbox SET state = 'sending', claim = ?2, lease_until = 9e15 WHERE id = ?1",
                    (id, claim),
                )
            })
            .unwrap();
        };
        // This process is alive: its claim stays.
        set_claim(&format!("{}/x", holder()));
        book.write(release_dead_claims).unwrap();
        assert_eq!(state(&book, id).unwrap().0, "sending");
        // A process of this boot that is not running (pids stay below 2^22 on Linux).
        set_claim(&format!("4194304@{}/x", boot_id().unwrap_or_default()));
        book.write(release_dead_claims).unwrap();
        let expected = if boot_id().is_some() { "queued" } else { "sending" };
        assert_eq!(state(&book, id).unwrap().0, expected);
        // Another machine's (or another boot's) claim is left to its lease.
        set_claim("4194304@another-boot/x");
        book.write(release_dead_claims).unwrap();
        assert_eq!(state(&book, id).unwrap().0, "sending");
    }

    #[test]
    fn a_push_asked_for_while_being_sent_is_queued_again_when_that_send_ends() {
        let (_dir, book, id) = queued_push();
        let case_id = book.outbox_item(id).unwrap().case_id;
        let claimed = book.write(|tx| claim(tx, id, ms(tx.now) + 60_000)).unwrap().expect("claimed");
        assert_eq!(book.request_push(&case_id, None).map(|i| i.id).ok(), None, "no connector on the case itself");
        assert_eq!(book.request_push(&case_id, Some("SOC Jira")).unwrap().state, OutboxState::Sending);
        assert!(state(&book, id).unwrap().1, "marked to go again");
        book.write(|tx| done(tx, &claimed)).unwrap();
        assert_eq!(state(&book, id), Some(("queued".into(), false, None)));
        // Without a new request, done removes it.
        let claimed = book.write(|tx| claim(tx, id, ms(tx.now) + 60_000)).unwrap().expect("claimed");
        book.write(|tx| done(tx, &claimed)).unwrap();
        assert_eq!(state(&book, id), None);
    }
}

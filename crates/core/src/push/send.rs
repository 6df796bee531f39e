//! Sending one claimed push: update or create the ticket (finding one an interrupted attempt
//! created), send the comments it has not seen, then record the push on the case. Each step is
//! committed as soon as the system confirmed it.

use serde_json::json;

use super::snapshot::{self, Snapshot};
use super::{LEASE, backoff, outbox};
use crate::activity::record;
use crate::cases::update_in;
use crate::connectors::{Call, Ticket};
use crate::model::*;
use crate::row::{json, ms};
use crate::{Casebook, Result, Tx};

impl Casebook {
    fn lease_until(&self) -> i64 {
        ms(self.now()) + LEASE.as_millis() as i64
    }

    /// Sends the push `id` if it is not being sent already, and reports the outcome: sent, or
    /// back in the outbox (queued for a retry, or failed) with the reason.
    pub async fn send_push(&self, id: i64) -> Result<PushOutcome> {
        let until = self.lease_until();
        if !self.write(|tx| outbox::claim(tx, id, until))? {
            return self.outbox_item(id).map(waiting);
        }
        match self.send_claimed(id).await {
            Ok(report) => Ok(PushOutcome::Sent { report }),
            Err(failure) => {
                tracing::info!(push = id, code = failure.error.code(), "push not sent: {}", failure.error);
                let after = failure.retry_after;
                self.write(|tx| outbox::failed(tx, id, &failure, |n| backoff(n, after)))?;
                self.outbox_item(id).map(waiting)
            }
        }
    }

    async fn send_claimed(&self, id: i64) -> Call<PushReport> {
        let snap = self.read(|c| snapshot::take(c, id))?;
        let client = self.connector_client(&snap.connector)?;
        let (ticket, created, adopted) = match &snap.ticket {
            Some(t) => (client.update(t, &snap.incident).await?, false, false),
            None => match client.find_ticket(&snap.case.id).await? {
                // An earlier attempt created it and its answer was lost: use it.
                Some(found) => {
                    self.write(|tx| keep_ticket(tx, &snap, &found, id, self.lease_until()))?;
                    (client.update(&found, &snap.incident).await?, true, true)
                }
                None => {
                    let made = client.create(&snap.incident).await?;
                    self.write(|tx| keep_ticket(tx, &snap, &made, id, self.lease_until()))?;
                    (made, true, false)
                }
            },
        };
        let mut comments_sent = 0;
        for comment in &snap.comments {
            client.comment(&ticket, &snap.incident, &comment.text).await?;
            self.write(|tx| {
                tx.execute(
                    "INSERT INTO comment_pushes (comment_id, connector_id, version, pushed_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (comment_id, connector_id) DO UPDATE SET version = ?3, pushed_at = ?4",
                    (comment.rowid, snap.connector.rowid, comment.version, ms(tx.now)),
                )?;
                tx.execute(
                    "UPDATE comments SET pushed_at = ?2, pushed_by = ?3 WHERE id = ?1",
                    (comment.rowid, ms(tx.now), json(&tx.actor)),
                )?;
                outbox::extend_lease(tx, id, self.lease_until())
            })?;
            comments_sent += 1;
        }
        let closed_case = self.write(|tx| finish(tx, &snap, &ticket, id))?;
        Ok(PushReport {
            case_id: snap.case.id.clone(),
            connector_name: snap.connector.connector.name.clone(),
            external_id: ticket.id,
            external_title: ticket.title,
            external_url: ticket.url,
            created,
            adopted,
            comments_sent,
            closed_case,
        })
    }
}

fn waiting(item: OutboxItem) -> PushOutcome {
    match item.state {
        OutboxState::Failed => PushOutcome::Failed { item },
        _ => PushOutcome::Queued { item },
    }
}

/// The ticket is the case's from now on, before anything else is sent to it.
fn keep_ticket(tx: &Tx<'_>, snap: &Snapshot, ticket: &Ticket, id: i64, lease_until: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO case_pushes (case_id, connector_id, external_id, external_title, external_url)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (case_id, connector_id) DO UPDATE SET external_id = ?3, external_title = ?4, external_url = ?5",
        (snap.case_rowid, snap.connector.rowid, &ticket.id, &ticket.title, &ticket.url),
    )?;
    outbox::extend_lease(tx, id, lease_until)
}

/// Records the push on the case (Kibana's `external_service` and `pushed` activity), closes it
/// when the space closes cases by pushing, and takes the push out of the outbox.
fn finish(tx: &Tx<'_>, snap: &Snapshot, ticket: &Ticket, id: i64) -> Result<bool> {
    let now = ms(tx.now);
    let current: Option<(i64, i64)> = rusqlite::OptionalExtension::optional(tx.query_row(
        "SELECT version, coalesce(updated_at, created_at) FROM cases WHERE id = ?1",
        [snap.case_rowid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ))?;
    let Some((version, _)) = current else {
        return Ok(false); // deleted meanwhile; its outbox row went with it
    };
    let connector = &snap.connector.connector;
    let external = ExternalService {
        connector_id: connector.id.clone(),
        connector_name: connector.name.clone(),
        external_id: ticket.id.clone(),
        external_title: ticket.title.clone(),
        external_url: ticket.url.clone(),
        pushed_at: tx.now,
        pushed_by: tx.actor.clone(),
    };
    tx.execute(
        "UPDATE case_pushes SET external_id = ?3, external_title = ?4, external_url = ?5, pushed_at = ?6,
            pushed_by = ?7, fields = ?8 WHERE case_id = ?1 AND connector_id = ?2",
        (
            snap.case_rowid,
            snap.connector.rowid,
            &ticket.id,
            &ticket.title,
            &ticket.url,
            now,
            json(&tx.actor),
            json(&snap.incident.fields),
        ),
    )?;
    let unchanged = snap.case.version == version.to_string();
    if unchanged {
        tx.execute(
            "UPDATE cases SET external_service = ?2, pushed_at = ?3, updated_at = ?3, updated_by = ?4,
                version = version + 1 WHERE id = ?1",
            (snap.case_rowid, json(&external), now, json(&tx.actor)),
        )?;
    } else {
        // Edited while the push was under way: what was sent is as of the snapshot, so the
        // case still requires an update.
        let sent_as_of = snap.case.updated_at.unwrap_or(snap.case.created_at);
        tx.execute(
            "UPDATE cases SET external_service = ?2, pushed_at = ?3, version = version + 1 WHERE id = ?1",
            (snap.case_rowid, json(&external), ms(sent_as_of)),
        )?;
    }
    record(
        tx,
        &snap.case.id,
        &snap.case.owner,
        ActionVerb::PushToService,
        ActionType::Pushed,
        json!({ "externalService": external }),
        None,
    )?;
    let config = crate::configure::load(tx, &snap.case.space)?;
    let mut closed = false;
    if config.closure_type == ClosureType::CloseByPushing {
        let (version, status): (i64, i64) =
            tx.query_row("SELECT version, status FROM cases WHERE id = ?1", [snap.case_rowid], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if Status::from_db(status) != Status::Closed {
            update_in(
                tx,
                &CasePatch {
                    id: snap.case.id.clone(),
                    version: version.to_string(),
                    status: Some(Status::Closed),
                    ..Default::default()
                },
            )?;
            closed = true;
        }
    }
    outbox::done(tx, id)?;
    Ok(closed)
}

//! Sending one claimed push: update or create the ticket (finding one an interrupted attempt
//! created), send the comments it has not seen, then record the push on the case. Each step is
//! committed as soon as the system confirmed it, under the claim that makes this process the
//! push's only sender.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::outbox::{self, Claim};
use super::snapshot::{self, PendingComment, Snapshot};
use super::{LEASE, backoff, unsure_create_wait};
use crate::activity::record;
use crate::cases::update_in;
use crate::connectors::fields::{self, Resolved};
use crate::connectors::{Call, Client, Ticket};
use crate::model::*;
use crate::row::{json, ms};
use crate::{Casebook, Error, Result, Tx};

/// How often search is asked again for a ticket an interrupted create may have made.
const SEARCH_AGAIN: Duration = Duration::from_secs(2);

impl Casebook {
    fn lease_until(&self) -> i64 {
        ms(self.now()) + LEASE.as_millis() as i64
    }

    /// Sends the push `id` if it is not being sent already, and reports the outcome: sent, or
    /// back in the outbox (queued for a retry, or failed) with the reason.
    pub async fn send_push(&self, id: i64) -> Result<PushOutcome> {
        let until = self.lease_until();
        let claim = self.blocking(move |b| b.write(|tx| outbox::claim(tx, id, until))).await?;
        let Some(claim) = claim.map(Arc::new) else {
            return self.blocking(move |b| b.outbox_item(id)).await.map(waiting);
        };
        match self.send_claimed(&claim).await {
            Ok(report) => Ok(PushOutcome::Sent { report }),
            Err(failure) => {
                tracing::info!(push = id, code = failure.error.code(), "push not sent: {}", failure.error);
                let after = failure.retry_after;
                self.blocking(move |b| {
                    b.write(|tx| outbox::failed(tx, &claim, &failure, |n| backoff(n, after)))?;
                    b.outbox_item(id)
                })
                .await
                .map(waiting)
            }
        }
    }

    /// Still this process's push? Pushes the lease out; a lost claim stops the send.
    async fn hold(&self, claim: &Arc<Claim>) -> Result<()> {
        let claim = claim.clone();
        let held = self.blocking(move |b| b.write(|tx| outbox::extend_lease(tx, &claim, b.lease_until()))).await?;
        if held {
            Ok(())
        } else {
            Err(Error::Storage(
                "this push was taken over by another Casebook process after a long pause; it finishes it".into(),
            ))
        }
    }

    async fn send_claimed(&self, claim: &Arc<Claim>) -> Call<PushReport> {
        let taken_at = self.now();
        let claim_id = claim.id;
        let (mut snap, client) = self
            .blocking(move |b| {
                let snap = b.read(|c| snapshot::take(c, claim_id, taken_at))?;
                // The secret comes from the keychain: blocking too.
                let client = b.connector_client(&snap.connector)?;
                Ok((snap, client))
            })
            .await?;
        snap.incident.fields = self.push_fields(&client, &snap).await?;
        let snap = Arc::new(snap);
        let (ticket, created, adopted) = match &snap.ticket {
            Some(t) => (client.update(t, &snap.incident).await?, false, false),
            None => match self.find_ticket(&client, &snap, claim).await? {
                // An earlier attempt created it and its answer was lost: use it.
                Some(found) => {
                    self.keep_ticket(&snap, &found, claim).await?;
                    (client.update(&found, &snap.incident).await?, true, true)
                }
                // A create whose answer was lost, and no way to look for what it made: the
                // user checks the system first (retrying anyway clears the mark).
                None if snap.unsure_create.is_some() && !client.can_find() => {
                    return Err(needs_check(&snap, snap.unsure_create.unwrap_or_default()).into());
                }
                None => (self.create_ticket(&client, &snap, claim).await?, true, false),
            },
        };
        let mut comments_sent = 0;
        for (i, comment) in snap.comments.iter().enumerate() {
            client.comment(&ticket, &snap.incident, &comment.text).await?;
            let shared = snap.clone();
            self.blocking(move |b| b.write(|tx| sent_comment(tx, &shared, &shared.comments[i]))).await?;
            self.hold(claim).await?;
            comments_sent += i64::from(comment.rowid.is_some());
        }
        let (shared, sent, held) = (snap.clone(), ticket.clone(), claim.clone());
        let closed_case = self.blocking(move |b| b.write(|tx| finish(tx, &shared, &sent, &held, created))).await?;
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

    /// The case's fields with each choice as the system takes it (an id, not the name typed
    /// while the choices were not fetched). Choices missing or outdated are fetched, and kept
    /// for the case form.
    async fn push_fields(&self, client: &Client, snap: &Snapshot) -> Call<Value> {
        let row = &snap.connector;
        let given = &snap.incident.fields;
        if let Resolved::Fields(fields) =
            fields::resolve(&row.connector, row.connector.metadata.as_ref(), given, false)?
        {
            return Ok(fields);
        }
        let fresh = match client.metadata().await {
            Ok(fresh) => fresh,
            // Choices the account may not read (ServiceNow's sys_choice needs a role): the
            // values go as given, as they did before; Jira takes an issue type by name.
            Err(f) if !f.retryable() => {
                tracing::info!(
                    code = f.error.code(),
                    "the choices could not be read; fields sent as given: {}",
                    f.error
                );
                return Ok(given.clone());
            }
            Err(f) => return Err(f),
        };
        let (kept_row, kept) = (row.clone(), fresh.clone());
        self.blocking(move |b| b.keep_metadata(&kept_row, &kept)).await?;
        match fields::resolve(&row.connector, Some(&fresh), given, true)? {
            Resolved::Fields(fields) => Ok(fields),
            // Fresh choices are never asked to be fetched again; sent as given if they were.
            Resolved::Fetch => Ok(given.clone()),
        }
    }

    /// The ticket an earlier attempt made, by the case's mark. After a create that got no
    /// answer, search may lag behind (Jira's index does): it is asked again until a while after
    /// that create, so a lagging search never leads to a second ticket.
    async fn find_ticket(&self, client: &Client, snap: &Snapshot, claim: &Arc<Claim>) -> Call<Option<Ticket>> {
        if !client.can_find() {
            return Ok(None);
        }
        loop {
            if let Some(found) = client.find_ticket(&snap.incident).await? {
                return Ok(Some(found));
            }
            let Some(started) = snap.unsure_create else { return Ok(None) };
            let waited = Duration::from_millis((ms(self.now()) - started).max(0) as u64);
            let Some(left) = unsure_create_wait().checked_sub(waited).filter(|d| !d.is_zero()) else {
                return Ok(None);
            };
            tokio::time::sleep(left.min(SEARCH_AGAIN).min(unsure_create_wait() / 10)).await;
            self.hold(claim).await?;
        }
    }

    /// Creates the ticket, noting before the request that one may come to exist, and keeping
    /// its id the moment the answer arrives.
    async fn create_ticket(&self, client: &Client, snap: &Arc<Snapshot>, claim: &Arc<Claim>) -> Call<Ticket> {
        let held = claim.clone();
        self.blocking(move |b| b.write(|tx| outbox::create_started(tx, &held, Some(ms(tx.now))))).await?;
        match client.create(&snap.incident).await {
            Ok(made) => {
                self.keep_ticket(snap, &made, claim).await?;
                Ok(made)
            }
            Err(f) => {
                // The system answered, so it made nothing (a gateway's 502/504 says nothing
                // about what the system behind it did); or the request was refused before it
                // was sent (a webhook template that does not fill in).
                let answered = f.status.is_some_and(|s| !matches!(s, 502 | 504));
                if answered || matches!(f.error, Error::Validation { .. }) {
                    let held = claim.clone();
                    self.blocking(move |b| b.write(|tx| outbox::create_started(tx, &held, None))).await?;
                }
                Err(f)
            }
        }
    }

    /// The ticket is the case's from now on, before anything else is sent to it. The id exists
    /// only in memory until this commits, so a busy database is waited for.
    async fn keep_ticket(&self, snap: &Arc<Snapshot>, ticket: &Ticket, claim: &Arc<Claim>) -> Result<()> {
        let mut tries = 0;
        loop {
            let (snap, ticket, claim) = (snap.clone(), ticket.clone(), claim.clone());
            let kept = self
                .blocking(move |b| {
                    b.write(|tx| {
                        tx.execute(
                            "INSERT INTO case_pushes (case_id, connector_id, external_id, external_title, external_url)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (case_id, connector_id) DO UPDATE SET external_id = ?3, external_title = ?4,
                        external_url = ?5",
                            (snap.case_rowid, snap.connector.rowid, &ticket.id, &ticket.title, &ticket.url),
                        )?;
                        outbox::create_started(tx, &claim, None)
                    })
                })
                .await;
            match kept {
                Err(Error::Busy) if tries < 4 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                other => return other,
            }
        }
    }
}

/// What the user is asked to do when a create's answer was lost and the system cannot be
/// searched for the ticket it may have made.
fn needs_check(snap: &Snapshot, started: i64) -> Error {
    let at = chrono::DateTime::from_timestamp_millis(started).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string());
    let connector = &snap.connector.connector.name;
    Error::NeedsCheck {
        message: format!(
            "Needs your check: a create request to {connector} was sent{} and its answer was lost, so a ticket may exist for this case already. {connector} has no find request to look for it. Check the system for a ticket of case {:?}: if there is none, retry anyway (Outbox → Retry anyway, or `casebook outbox retry ID --anyway`); if there is one, linking it to the case is not possible yet, so cancel this push rather than make a second ticket (or add a find request to the connector and retry).",
            at.map(|t| format!(" at {t}")).unwrap_or_default(),
            snap.case.title
        ),
    }
}

fn waiting(item: OutboxItem) -> PushOutcome {
    match item.state {
        OutboxState::Failed => PushOutcome::Failed { item },
        _ => PushOutcome::Queued { item },
    }
}

/// A comment (or the alerts note) reached the ticket.
fn sent_comment(tx: &Tx<'_>, snap: &Snapshot, comment: &PendingComment) -> Result<()> {
    match comment.rowid {
        Some(rowid) => {
            tx.execute(
                "INSERT INTO comment_pushes (comment_id, connector_id, version, pushed_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (comment_id, connector_id) DO UPDATE SET version = ?3, pushed_at = ?4",
                (rowid, snap.connector.rowid, comment.version, ms(tx.now)),
            )?;
            tx.execute(
                "UPDATE comments SET pushed_at = ?2, pushed_by = ?3 WHERE id = ?1",
                (rowid, ms(tx.now), json(&tx.actor)),
            )?;
        }
        None => {
            tx.execute(
                "UPDATE case_pushes SET alerts_pushed = ?3 WHERE case_id = ?1 AND connector_id = ?2",
                (snap.case_rowid, snap.connector.rowid, snap.alerts_to_announce.unwrap_or(0)),
            )?;
        }
    }
    Ok(())
}

/// Records the push on the case (Kibana's `external_service` and `pushed` activity, which also
/// says whether this push made the ticket, so the feed can word it without looking back),
/// closes it when the space closes cases by pushing, and takes the push out of the outbox.
fn finish(tx: &Tx<'_>, snap: &Snapshot, ticket: &Ticket, claim: &Claim, created: bool) -> Result<bool> {
    let now = ms(tx.now);
    let exists: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1)", [snap.case_rowid], |r| r.get(0))?;
    if !exists {
        return Ok(false); // deleted meanwhile; its outbox row went with it
    }
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
    crate::cases::mark_pushed(tx, snap.case_rowid, &external, ms(snap.taken_at))?;
    record(
        tx,
        &snap.case.id,
        &snap.case.owner,
        ActionVerb::PushToService,
        ActionType::Pushed,
        json!({ "externalService": external, "created": created }),
        None,
    )?;
    let config = crate::settings::load(tx, &snap.case.space)?;
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
            if snap.incident.status == Status::Closed {
                // The ticket was closed by this very push: the close is not a change it lacks.
                tx.execute("UPDATE cases SET pushed_at = ?2 WHERE id = ?1", (snap.case_rowid, now))?;
            }
        }
    }
    outbox::done(tx, claim)?;
    Ok(closed)
}

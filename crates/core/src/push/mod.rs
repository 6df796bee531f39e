//! Pushing cases to incident systems through a durable outbox.
//!
//! A push request is a row in `outbox` before any network traffic, so a push asked for on a
//! plane is sent when the network returns, also after a restart. Sending claims the row with a
//! lease, sends, and writes each step as soon as the system confirms it: the ticket's id right
//! after its creation, each comment right after it was accepted. A retry therefore updates the
//! ticket instead of creating another, and a create whose answer was lost is found again by the
//! mark every ticket carries (see `connectors::jira` and `connectors::servicenow`).

mod outbox;
mod send;
mod snapshot;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::cases::{load_by_uuid, uuid_of};
use crate::connectors::load_row;
use crate::model::*;
use crate::{Casebook, Error, Result, Tx};

/// The first retry's wait in milliseconds; each later one doubles, up to [`MAX_BACKOFF`].
/// `CASEBOOK_PUSH_RETRY_BASE_MS` overrides the default 5 s (tests, and impatient users).
static RETRY_BASE_MS: AtomicU64 = AtomicU64::new(0);
const DEFAULT_RETRY_BASE: Duration = Duration::from_secs(5);
/// The longest wait between two attempts, unless the server asks for more.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// How long a claimed push stays claimed without progress; a process that died mid-push
/// leaves a claim that runs out after this and is then taken over. Longer than the slowest
/// step (a SecOps create through the app is five requests of up to 60 s each).
const LEASE: Duration = Duration::from_secs(10 * 60);

/// After a create that got no answer, how long search is given to show the ticket it may have
/// made before another create is sent (Jira Cloud's search index lags by seconds).
static UNSURE_CREATE_WAIT_MS: AtomicU64 = AtomicU64::new(60_000);

pub(crate) fn unsure_create_wait() -> Duration {
    Duration::from_millis(UNSURE_CREATE_WAIT_MS.load(Ordering::Relaxed))
}

/// Sets that wait for this process (tests).
pub fn set_unsure_create_wait(wait: Duration) {
    UNSURE_CREATE_WAIT_MS.store(wait.as_millis() as u64, Ordering::Relaxed);
}

fn retry_base() -> Duration {
    match RETRY_BASE_MS.load(Ordering::Relaxed) {
        0 => std::env::var("CASEBOOK_PUSH_RETRY_BASE_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_millis)
            .unwrap_or(DEFAULT_RETRY_BASE),
        ms => Duration::from_millis(ms),
    }
}

/// Sets the first retry's wait for this process (tests).
pub fn set_retry_base(base: Duration) {
    RETRY_BASE_MS.store(base.as_millis().max(1) as u64, Ordering::Relaxed);
}

/// The wait after `attempts` failures: base × 2^(attempts−1), capped, and never shorter than
/// what the server asked for with `Retry-After`.
pub(crate) fn backoff(attempts: i64, retry_after: Option<Duration>) -> Duration {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    let wait = retry_base().saturating_mul(2u32.saturating_pow(exp)).min(MAX_BACKOFF);
    wait.max(retry_after.unwrap_or_default())
}

impl Casebook {
    /// Chooses the connector of a case and its fields (issue type, priority, urgency…), checked
    /// against the connector's cached choices. `None` clears it.
    pub fn set_case_connector(
        &self,
        case_id: &str,
        version: &str,
        connector: Option<&str>,
        given: &Value,
    ) -> Result<Case> {
        let uuid = uuid_of(case_id)?;
        let space = self.read(|c| Ok(load_by_uuid(c, &uuid)?.case.space))?;
        let chosen = match connector.map(str::trim).filter(|c| !c.is_empty() && *c != "none") {
            None => CaseConnector::default(),
            // The fields are checked against the cached choices by the update.
            Some(name) => {
                crate::connectors::case_connector(&self.read(|c| load_row(c, &space, name))?.connector, given.clone())
            }
        };
        self.update_case(&CasePatch {
            id: uuid,
            version: version.to_string(),
            connector: Some(chosen),
            ..Default::default()
        })
    }

    /// Queues a push of the case to its connector (or to `connector`, by name or id) and
    /// returns the outbox entry. Nothing is sent here; see [`Casebook::push_case`].
    pub fn request_push(&self, case_id: &str, connector: Option<&str>) -> Result<OutboxItem> {
        let uuid = uuid_of(case_id)?;
        let id = self.write(|tx| queue_push(tx, &uuid, connector))?;
        self.outbox_item(id)
    }

    /// Creates the case and queues its push to the case's connector in one transaction, then
    /// tries the push once, as Kibana's "Create case" with its connector does. A case without
    /// a connector (or one that cannot be pushed) is refused and nothing is created; once
    /// created, the case is kept whatever the push does (offline, it waits in the outbox).
    pub async fn create_and_push(&self, space: &str, input: &CaseCreate) -> Result<CreatedAndPushed> {
        let (space, input) = (space.to_string(), input.clone());
        let queued = self
            .blocking(move |b| {
                b.write(|tx| {
                    let case = crate::cases::create_in(tx, &space, &input)?;
                    queue_push(tx, &case.id, None)
                })
            })
            .await?;
        let push = self.send_push(queued).await?;
        let case_id = match &push {
            PushOutcome::Sent { report } => report.case_id.clone(),
            PushOutcome::Queued { item } | PushOutcome::Failed { item } => item.case_id.clone(),
        };
        let case = self.blocking(move |b| b.get_case(&case_id)).await?;
        Ok(CreatedAndPushed { case, push })
    }

    /// Queues the push and tries it once now. Offline or throttled, the push stays queued and is
    /// retried by [`Casebook::run_due_pushes`]; refused (bad credentials, a field the system
    /// rejects), it waits in the outbox as failed until retried or cancelled.
    pub async fn push_case(&self, case_id: &str, connector: Option<&str>) -> Result<PushOutcome> {
        let (case_id, connector) = (case_id.to_string(), connector.map(str::to_string));
        let item = self.blocking(move |b| b.request_push(&case_id, connector.as_deref())).await?;
        self.send_push(item.id).await
    }

    /// The exact request a push of the case to `connector` would send, secrets masked; nothing
    /// is sent (the OAuth token is not fetched either).
    pub fn preview_connector_request(
        &self,
        space: &str,
        connector: &str,
        case_id: &str,
        request: PreviewRequest,
    ) -> Result<RequestPreview> {
        let uuid = uuid_of(case_id)?;
        let (row, parts) = self.read(|c| {
            let row = load_row(c, space, connector)?;
            let case = load_by_uuid(c, &uuid)?.case;
            if case.space != space {
                return Err(Error::not_found("case", format!("{case_id} in space {space}")));
            }
            Ok((row.clone(), snapshot::preview(c, &uuid, &row)?))
        })?;
        let (incident, ticket, comment) = parts;
        let client = self.connector_client(&row)?;
        client.preview(request, &incident, ticket.as_ref(), comment.as_deref())
    }

    /// Sends every queued push that is due, oldest first, and reports what each did.
    pub async fn run_due_pushes(&self) -> Result<Vec<PushOutcome>> {
        let mut outcomes = Vec::new();
        let due = self
            .blocking(|b| {
                b.write(outbox::release_dead_claims)?;
                b.read(|c| outbox::due(c, crate::row::ms(b.now())))
            })
            .await?;
        for id in due {
            match self.send_push(id).await {
                Ok(outcome) => outcomes.push(outcome),
                // Cancelled, or its case deleted, meanwhile (by the user or another process).
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(outcomes)
    }
}

/// Queues a push of the case `uuid` (to its connector, or to `connector` by name or id) in the
/// caller's transaction; returns the outbox id.
fn queue_push(tx: &Tx<'_>, uuid: &str, connector: Option<&str>) -> Result<i64> {
    let loaded = load_by_uuid(tx, uuid)?;
    let case = &loaded.case;
    let wanted = match connector.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None if case.connector.connector_type == ".none" => {
            return Err(Error::validation(
                "connector",
                "the case has no connector; choose one in the case's External incident panel or with `casebook case set-connector`",
            ));
        }
        None => case.connector.id.clone(),
    };
    let row = load_row(tx, &case.space, &wanted)?;
    // A ticket that carries the status is closed by pushing the closed case; others are not
    // pushed once closed, as in Kibana.
    if case.status == Status::Closed && !crate::connectors::spec(row.connector.kind).sends_status {
        return Err(Error::validation(
            "status",
            "closed cases are not pushed; reopen the case to create or update its ticket",
        ));
    }
    outbox::enqueue(tx, loaded.rowid, row.rowid)
}

//! Sends queued pushes: after a network loss, a throttling answer or a restart, pushes wait in
//! the database's outbox and go out when they are due, from the desktop app's job or from
//! `casebook case push --wait` ([`Casebook::send_until_done`]).

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{LogOnce, pause};
use crate::model::{OutboxItem, PushOutcome};
use crate::{Casebook, Result};

/// How often the outbox is looked at. A due push waits at most this long; the query is cheap.
pub const INTERVAL: Duration = Duration::from_secs(2);

/// The shortest and the default wait between two attempts of one push (a push queued without
/// a due time is tried again soon).
const MIN_WAIT: Duration = Duration::from_millis(50);
const DEFAULT_WAIT: Duration = Duration::from_millis(200);

/// How long a queued push waits before its next attempt.
pub fn retry_wait(item: &OutboxItem) -> Duration {
    let due = item.next_attempt_at.map(|t| (t - chrono::Utc::now()).to_std().unwrap_or_default());
    due.unwrap_or(DEFAULT_WAIT).max(MIN_WAIT)
}

impl Casebook {
    /// Keeps sending a queued push until it is sent or refused, waiting out each retry's delay;
    /// `on_wait` is told of each wait before it starts. Any other outcome is returned as is.
    /// `not_found` means the push left the outbox meanwhile: another process sent or cancelled it.
    pub async fn send_until_done(
        &self,
        mut outcome: PushOutcome,
        mut on_wait: impl FnMut(&OutboxItem, Duration),
    ) -> Result<PushOutcome> {
        while let PushOutcome::Queued { item } = &outcome {
            let wait = retry_wait(item);
            on_wait(item, wait);
            tokio::time::sleep(wait).await;
            outcome = self.send_push(item.id).await?;
        }
        Ok(outcome)
    }
}

/// The job: every `every`, sends what is due and logs what each push did.
pub(super) async fn run(book: Casebook, every: Duration, cancel: CancellationToken) {
    let mut log = LogOnce::new("push outbox");
    loop {
        match book.run_due_pushes().await {
            Ok(outcomes) => {
                log.recovered();
                outcomes.into_iter().for_each(report);
            }
            Err(e) => {
                log.failed("sending due pushes", &format!("{}: {e}", e.code()));
            }
        }
        if !pause(&cancel, every).await {
            return;
        }
    }
}

/// Error texts never carry the secret (the core cuts it out of server text).
fn report(outcome: PushOutcome) {
    match outcome {
        PushOutcome::Sent { report: r } => {
            tracing::info!(case = %r.case_id, ticket = %r.external_title, "pushed from the outbox")
        }
        PushOutcome::Queued { item: i } => {
            tracing::info!(case = %i.case_id, attempts = i.attempts, "push waits: {}", i.last_error.unwrap_or_default())
        }
        PushOutcome::Failed { item: i } => {
            tracing::warn!(case = %i.case_id, "push refused: {}", i.last_error.unwrap_or_default())
        }
    }
}

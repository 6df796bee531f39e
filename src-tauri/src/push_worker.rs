//! Sends queued pushes in the background: after a network loss, a throttling answer or a
//! restart, pushes wait in the database's outbox and go out here when they are due.

use std::sync::Arc;
use std::time::Duration;

use casebook_core::Casebook;
use casebook_core::model::PushOutcome;

/// How often the outbox is looked at. A due push waits at most this long; the query is cheap.
pub const INTERVAL: Duration = Duration::from_secs(2);

pub fn spawn(book: Arc<Casebook>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match book.run_due_pushes().await {
                Ok(outcomes) => {
                    // Error texts never carry the secret (the core cuts it out of server text).
                    for o in outcomes {
                        match o {
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
                }
                Err(e) => tracing::warn!(code = e.code(), "push outbox: {e}"),
            }
            tokio::time::sleep(INTERVAL).await;
        }
    });
}

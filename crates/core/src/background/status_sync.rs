//! Syncs alert statuses with Elasticsearch: statuses changed with their case wait in the
//! database until the source answers, so they survive a restart or a network loss.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{LogOnce, pause};
use crate::Casebook;

/// How often waiting statuses are retried.
pub const INTERVAL: Duration = Duration::from_secs(30);

/// The job: every `every`, sends the waiting statuses.
pub(super) async fn run(book: Casebook, every: Duration, cancel: CancellationToken) {
    let mut log = LogOnce::new("alert status sync");
    loop {
        match book.sync_alert_statuses().await {
            Ok(r) => {
                if r.updated > 0 || r.waiting > 0 {
                    tracing::info!(updated = r.updated, waiting = r.waiting, "alert status sync");
                }
                // Messages never carry the key (the core cuts it out of server text).
                if r.waiting > 0 && !r.errors.is_empty() {
                    log.failed("sending statuses", &r.errors.join("; "));
                } else if r.waiting == 0 {
                    log.recovered();
                }
            }
            Err(e) => {
                log.failed("sending statuses", &format!("{}: {e}", e.code()));
            }
        }
        if !pause(&cancel, every).await {
            return;
        }
    }
}

//! Sync alerts with Elasticsearch in the background: alert statuses changed with their case
//! wait in the database until the source answers, so they survive a restart or a network loss.

use std::sync::Arc;
use std::time::Duration;

use casebook_core::Casebook;

/// How often waiting statuses are retried.
pub const INTERVAL: Duration = Duration::from_secs(30);

pub fn spawn(book: Arc<Casebook>) {
    tauri::async_runtime::spawn(async move {
        let mut failing = false;
        loop {
            match book.sync_alert_statuses().await {
                Ok(r) if r.updated > 0 || r.waiting > 0 => {
                    tracing::info!(updated = r.updated, waiting = r.waiting, "alert status sync");
                    for e in &r.errors {
                        // Messages never carry the key (the core cuts it out of server text).
                        if !failing {
                            tracing::warn!("alert status sync: {e}");
                        }
                    }
                    failing = r.waiting > 0;
                }
                Ok(_) => failing = false,
                Err(e) => tracing::warn!(code = e.code(), "alert status sync: {e}"),
            }
            tokio::time::sleep(INTERVAL).await;
        }
    });
}

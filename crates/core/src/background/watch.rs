//! Tells a hook when the database changed, whoever changed it (this process, a `casebook`
//! CLI, a script): the job polls a [`ChangeWatcher`](crate::watch::ChangeWatcher).

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{LogOnce, OnChange, pause};
use crate::Casebook;

/// How often the watcher looks at `PRAGMA data_version`: one cheap read on its own connection.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The job: every `every`, one look; `on_change` after one or more commits.
pub(super) async fn run(book: Casebook, every: Duration, on_change: OnChange, cancel: CancellationToken) {
    let mut log = LogOnce::new("change watcher");
    // Changes from now on are reported; the caller loaded what was there before.
    let mut watcher = match book.blocking(Casebook::watcher).await {
        Ok(w) => Some(w),
        Err(e) => {
            log.failed("opening", &format!("{}: {e}", e.code()));
            None
        }
    };
    loop {
        if !pause(&cancel, every).await {
            return;
        }
        let held = watcher.take();
        let round = book
            .blocking(move |b| {
                // A watcher opened again cannot tell what happened while there was none: that
                // counts as a change.
                let (mut w, reopened) = match held {
                    Some(w) => (w, false),
                    None => (b.watcher()?, true),
                };
                let changed = w.changed().map(|c| c || reopened);
                Ok((w, changed))
            })
            .await;
        let changed = match round {
            Ok((w, changed)) => {
                watcher = Some(w);
                changed
            }
            Err(e) => Err(e),
        };
        match changed {
            Ok(changed) => {
                log.recovered();
                if changed {
                    on_change();
                }
            }
            Err(e) => {
                log.failed("polling", &format!("{}: {e}", e.code()));
            }
        }
    }
}

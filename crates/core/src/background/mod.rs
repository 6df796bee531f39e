//! The desktop app's background work, in one place and one style: a scheduler that runs each
//! job on tokio's timers until it is stopped.
//!
//! - [`ids`]: the numbering pass every `id_interval_minutes`, woken at once when the interval
//!   changes or a pass is asked for ([`IdTask`]);
//! - [`outbox`]: queued pushes sent when they are due (also what `casebook case push --wait`
//!   uses to wait out retries);
//! - [`status_sync`]: alert workflow statuses waiting for Elasticsearch;
//! - [`watch`]: commits by any process, reported to a hook (the desktop shell emits its
//!   `db-changed` event from it).
//!
//! Every blocking step (SQLite, the keychain) runs through [`Casebook::blocking`], never on the
//! runtime's workers. A job that fails the same way every round logs it once ([`LogOnce`]).

pub mod ids;
pub mod outbox;
pub mod status_sync;
pub mod watch;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use ids::{IdTask, IdTaskStatus};

use crate::Casebook;

/// Called by the change watcher after one or more commits (at most once per poll).
pub type OnChange = Arc<dyn Fn() + Send + Sync>;

/// How long [`Handle::stop`] lets a job finish the round it is in (a push being sent) before
/// it is dropped; a dropped push is taken over later (its claim runs out).
pub const STOP_GRACE: Duration = Duration::from_secs(3);

/// Which jobs to run and how often. `None` leaves a job out.
#[derive(Clone, Default)]
pub struct Jobs {
    /// The numbering task (its schedule is shared with the commands that show and change it).
    pub ids: Option<IdTask>,
    /// How often due pushes are looked for ([`outbox::INTERVAL`]).
    pub outbox: Option<Duration>,
    /// How often waiting alert statuses are retried ([`status_sync::INTERVAL`]).
    pub status_sync: Option<Duration>,
    /// How often the change watcher polls ([`watch::POLL_INTERVAL`]), and whom it tells.
    pub watch: Option<(Duration, OnChange)>,
}

impl Jobs {
    /// The desktop app's jobs, at their default intervals.
    pub fn all(ids: IdTask, on_change: OnChange) -> Self {
        Jobs {
            ids: Some(ids),
            outbox: Some(outbox::INTERVAL),
            status_sync: Some(status_sync::INTERVAL),
            watch: Some((watch::POLL_INTERVAL, on_change)),
        }
    }
}

/// Starts and stops the background jobs.
pub struct Scheduler;

impl Scheduler {
    /// Starts `jobs` on `book`, on the current tokio runtime (call it inside one: a task, or
    /// under `Runtime::enter`). They run until the handle is stopped or dropped.
    pub fn start(book: &Casebook, jobs: Jobs) -> Handle {
        let cancel = CancellationToken::new();
        let mut tasks = Vec::new();
        let mut spawn = |f: std::pin::Pin<Box<dyn Future<Output = ()> + Send>>| tasks.push(tokio::spawn(f));
        if let Some(task) = jobs.ids {
            spawn(Box::pin(ids::run(book.clone(), task, cancel.clone())));
        }
        if let Some(every) = jobs.outbox {
            spawn(Box::pin(outbox::run(book.clone(), every, cancel.clone())));
        }
        if let Some(every) = jobs.status_sync {
            spawn(Box::pin(status_sync::run(book.clone(), every, cancel.clone())));
        }
        if let Some((every, hook)) = jobs.watch {
            spawn(Box::pin(watch::run(book.clone(), every, hook, cancel.clone())));
        }
        Handle { cancel, tasks }
    }
}

/// The running jobs. Dropping it stops them too (without waiting).
pub struct Handle {
    cancel: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Handle {
    /// Stops every job: a job waiting for its next round ends at once, one in a round gets
    /// [`STOP_GRACE`] to finish it.
    pub async fn stop(mut self) {
        self.cancel.cancel();
        let tasks = std::mem::take(&mut self.tasks);
        let aborts: Vec<_> = tasks.iter().map(JoinHandle::abort_handle).collect();
        let all = async {
            for t in tasks {
                // A panicked job has nothing left to stop.
                let _ = t.await;
            }
        };
        if tokio::time::timeout(STOP_GRACE, all).await.is_err() {
            tracing::warn!("background work did not stop within {} s; dropped", STOP_GRACE.as_secs());
            aborts.iter().for_each(tokio::task::AbortHandle::abort);
        }
    }

    /// Whether every job has ended.
    pub fn is_finished(&self) -> bool {
        self.tasks.iter().all(JoinHandle::is_finished)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// Waits `wait`, or less if cancelled; false when cancelled (the job should end).
pub(crate) async fn pause(cancel: &CancellationToken, wait: Duration) -> bool {
    tokio::select! {
        _ = cancel.cancelled() => false,
        _ = tokio::time::sleep(wait) => true,
    }
}

/// One job's failure log: the same failure every round (a locked or vanished file, a server
/// that is down) is logged once, not every interval, and its end is logged once too.
#[derive(Debug)]
pub struct LogOnce {
    job: &'static str,
    last: Option<String>,
}

impl LogOnce {
    pub fn new(job: &'static str) -> Self {
        LogOnce { job, last: None }
    }

    /// Logs `what failed: text` unless it is the failure logged last; true when it logged.
    pub fn failed(&mut self, what: &str, text: &str) -> bool {
        let line = format!("{what} failed: {text}");
        if self.last.as_deref() == Some(line.as_str()) {
            return false;
        }
        tracing::warn!("{}: {line}", self.job);
        self.last = Some(line);
        true
    }

    /// A round went well: the next failure is logged again. True when this ends a failure.
    pub fn recovered(&mut self) -> bool {
        let was = self.last.take().is_some();
        if was {
            tracing::info!("{}: working again", self.job);
        }
        was
    }

    pub fn is_failing(&self) -> bool {
        self.last.is_some()
    }
}

#[cfg(test)]
mod tests;

//! The background numbering task (Kibana's incremental-id task): the core's numbering pass
//! shortly after start-up, then every interval. The pass's commit reaches the window through
//! the change watcher, so nothing is reported here.
//!
//! The interval is the `id_interval_minutes` setting, re-read every [`RECHECK`] (the CLI or
//! another window may change it) and at once when this window changes it, unless
//! `CASEBOOK_ID_INTERVAL` overrides it: `N` minutes (1–60), or `Ns` seconds (1–3600). The
//! seconds form is for tests: with it the first pass also waits one interval instead of
//! [`STARTUP_DELAY`], so a test decides exactly when passes happen.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::LogOnce;
use crate::ids::{DEFAULT_ID_INTERVAL_MINUTES, MAX_ID_INTERVAL_MINUTES, MIN_ID_INTERVAL_MINUTES};
use crate::{AssignReport, Casebook};

/// The environment variable that overrides the interval setting.
pub const ENV_INTERVAL: &str = "CASEBOOK_ID_INTERVAL";
/// The first pass waits this long: the window's first queries go first.
pub const STARTUP_DELAY: Duration = Duration::from_secs(3);
/// How often a sleeping task re-reads the setting, so a change made by the CLI applies soon.
pub const RECHECK: Duration = Duration::from_secs(30);

/// The numbering task's schedule, as the desktop app's `id_task_status` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdTaskStatus {
    /// Minutes between passes (CASEBOOK_ID_INTERVAL in seconds is rounded up).
    pub interval_minutes: u32,
    pub interval_seconds: u64,
    /// CASEBOOK_ID_INTERVAL sets the interval; the saved setting applies when it is unset.
    pub from_env: bool,
    /// The saved setting (minutes).
    pub setting_minutes: u32,
    /// RFC 3339, UTC.
    pub next_run_at: String,
    pub last_run_at: Option<String>,
    /// Cases numbered by the last pass (background or "Assign IDs now").
    pub last_assigned: Option<u64>,
}

/// Parses `CASEBOOK_ID_INTERVAL`: `N` (minutes, 1–60) or `Ns` (seconds, 1–3600).
pub fn parse_env_interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (digits, unit) = match text.strip_suffix('s') {
        Some(d) => (d, 1),
        None => (text, 60),
    };
    let n: u64 =
        digits.parse().map_err(|_| format!("{ENV_INTERVAL}={text:?}: expected minutes (10) or seconds (30s)"))?;
    let max = u64::from(MAX_ID_INTERVAL_MINUTES) * 60;
    let min = if unit == 1 { 1 } else { u64::from(MIN_ID_INTERVAL_MINUTES) * 60 };
    let secs = n.saturating_mul(unit);
    if !(min..=max).contains(&secs) {
        return Err(format!(
            "{ENV_INTERVAL}={text:?}: between {MIN_ID_INTERVAL_MINUTES} and {MAX_ID_INTERVAL_MINUTES} minutes"
        ));
    }
    Ok(Duration::from_secs(secs))
}

/// The task's schedule, shared by its job and the commands that show and change it.
#[derive(Clone)]
pub struct IdTask {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<Schedule>,
    /// Wakes the sleeping job: the interval changed, or a pass is wanted now. A wake-up that
    /// comes while the job is busy is kept for its next sleep (Notify's permit).
    wake: Notify,
}

struct Schedule {
    interval: Duration,
    /// Set from `CASEBOOK_ID_INTERVAL`: the setting is ignored.
    env: Option<Duration>,
    /// Seconds form: the first pass waits one interval (tests).
    exact: bool,
    setting_minutes: u32,
    /// The last background pass ended (or the task started) then.
    anchor: Instant,
    first: bool,
    /// A pass was asked for ([`IdTask::run_now`]).
    now: bool,
    last_run_at: Option<DateTime<Utc>>,
    last_assigned: Option<u64>,
}

impl Schedule {
    fn due(&self) -> Instant {
        if self.now {
            return self.anchor;
        }
        let wait = if self.first && !self.exact { STARTUP_DELAY.min(self.interval) } else { self.interval };
        self.anchor + wait
    }
}

impl IdTask {
    /// A schedule starting now, with the given override (see [`IdTask::from_env`]).
    pub fn new(env: Option<Duration>, exact: bool) -> Self {
        let setting = DEFAULT_ID_INTERVAL_MINUTES;
        let schedule = Schedule {
            interval: env.unwrap_or(Duration::from_secs(u64::from(setting) * 60)),
            env,
            exact: exact && env.is_some(),
            setting_minutes: setting,
            anchor: Instant::now(),
            first: true,
            now: false,
            last_run_at: None,
            last_assigned: None,
        };
        IdTask { shared: Arc::new(Shared { state: Mutex::new(schedule), wake: Notify::new() }) }
    }

    /// The schedule `CASEBOOK_ID_INTERVAL` asks for; an invalid value is logged and ignored.
    pub fn from_env() -> Self {
        let Ok(text) = std::env::var(ENV_INTERVAL) else { return Self::new(None, false) };
        match parse_env_interval(&text) {
            Ok(d) => {
                tracing::info!(seconds = d.as_secs(), "case numbering interval set by {ENV_INTERVAL}");
                Self::new(Some(d), text.trim().ends_with('s'))
            }
            Err(e) => {
                tracing::error!("{e}; using the setting instead");
                Self::new(None, false)
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Schedule> {
        // A panic while holding the lock cannot leave the schedule half-written: keep using it.
        self.shared.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the saved setting into account (at once: the sleeping job is woken).
    pub fn observe_setting(&self, minutes: u32) {
        let mut s = self.lock();
        s.setting_minutes = minutes;
        if s.env.is_none() {
            let interval = Duration::from_secs(u64::from(minutes) * 60);
            if interval != s.interval {
                s.interval = interval;
                self.shared.wake.notify_one();
            }
        }
    }

    /// Asks the job for a pass now; the interval then counts from its end.
    pub fn run_now(&self) {
        self.lock().now = true;
        self.shared.wake.notify_one();
    }

    /// Notes a pass that ran outside the schedule ("Assign IDs now"); the next run stays put.
    pub fn record_manual(&self, report: AssignReport) {
        let mut s = self.lock();
        s.last_run_at = Some(Utc::now());
        s.last_assigned = Some(report.assigned);
    }

    pub fn status(&self) -> IdTaskStatus {
        let s = self.lock();
        let left = s.due().saturating_duration_since(Instant::now());
        let next = Utc::now() + chrono::Duration::from_std(left).unwrap_or_default();
        let secs = s.interval.as_secs();
        IdTaskStatus {
            interval_minutes: u32::try_from(secs.div_ceil(60)).unwrap_or(u32::MAX),
            interval_seconds: secs,
            from_env: s.env.is_some(),
            setting_minutes: s.setting_minutes,
            next_run_at: rfc3339(next),
            last_run_at: s.last_run_at.map(rfc3339),
            last_assigned: s.last_assigned,
        }
    }
}

/// The job: sleeps until the next pass is due (woken early by the commands), runs it, repeats.
pub(super) async fn run(book: Casebook, task: IdTask, cancel: CancellationToken) {
    let mut log = LogOnce::new("case numbering");
    loop {
        if task.lock().env.is_none() {
            match book.blocking(Casebook::id_interval_minutes).await {
                Ok(m) => task.observe_setting(m),
                Err(e) => {
                    log.failed("reading the interval", &e.to_string());
                }
            }
        }
        let left = task.lock().due().saturating_duration_since(Instant::now());
        if !left.is_zero() {
            // Then the due time is recomputed (the interval may have changed).
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = task.shared.wake.notified() => {}
                _ = tokio::time::sleep(left.min(RECHECK)) => {}
            }
            continue;
        }
        // A panic in the core does not end the task (it comes back as an error): the next
        // pass may well succeed.
        let outcome = tokio::select! {
            _ = cancel.cancelled() => return,
            outcome = book.blocking(Casebook::assign_ids) => outcome,
        };
        let assigned = match outcome {
            Ok(report) => {
                log.recovered();
                Some(report.assigned)
            }
            Err(e) => {
                log.failed("numbering pass", &format!("{}: {e}", e.code()));
                None
            }
        };
        let mut s = task.lock();
        s.anchor = Instant::now();
        s.first = false;
        s.now = false;
        if let Some(n) = assigned {
            s.last_run_at = Some(Utc::now());
            s.last_assigned = Some(n);
        }
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_takes_minutes_or_seconds_within_one_to_sixty_minutes() {
        assert_eq!(parse_env_interval("10"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_env_interval(" 60 "), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_env_interval("1"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_env_interval("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_env_interval("3600s"), Ok(Duration::from_secs(3600)));
        for bad in ["0", "61", "0s", "3601s", "", "s", "ten", "-1", "5m", "99999999999999999999"] {
            assert!(parse_env_interval(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn the_first_run_is_shortly_after_start_up_then_every_interval() {
        let task = IdTask::new(None, false);
        let status = task.status();
        assert_eq!((status.interval_minutes, status.from_env, status.last_run_at), (10, false, None));
        let next = DateTime::parse_from_rfc3339(&status.next_run_at).unwrap();
        let left = next.signed_duration_since(Utc::now()).num_seconds();
        assert!((0..=STARTUP_DELAY.as_secs() as i64).contains(&left), "{left}");

        task.observe_setting(25);
        assert_eq!(task.status().interval_minutes, 25);
        task.record_manual(AssignReport { assigned: 3 });
        let status = task.status();
        assert_eq!(status.last_assigned, Some(3));
        assert!(status.last_run_at.is_some());
    }

    #[test]
    fn the_variable_wins_over_the_setting() {
        let task = IdTask::new(Some(Duration::from_secs(90)), true);
        task.observe_setting(25);
        let status = task.status();
        assert_eq!((status.interval_seconds, status.interval_minutes, status.from_env), (90, 2, true));
        assert_eq!(status.setting_minutes, 25);
        // The seconds form: the first run waits a whole interval.
        let next = DateTime::parse_from_rfc3339(&status.next_run_at).unwrap();
        assert!(next.signed_duration_since(Utc::now()).num_seconds() > 60);
    }
}

//! The background numbering task (Kibana's incremental-id task): a thread that runs the core's
//! numbering pass shortly after start-up, then every interval. The pass's commit reaches the
//! window through the change watcher ("db-changed"), so nothing is emitted here.
//!
//! The interval is the `id_interval_minutes` setting, re-read every [`RECHECK`] (the CLI or
//! another window may change it) and at once when this window changes it, unless
//! `CASEBOOK_ID_INTERVAL` overrides it: `N` minutes (1–60), or `Ns` seconds (1–3600). The
//! seconds form is for tests: with it the first pass also waits one interval instead of
//! [`STARTUP_DELAY`], so a test decides exactly when passes happen.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use casebook_core::ids::{MAX_ID_INTERVAL_MINUTES, MIN_ID_INTERVAL_MINUTES};
use casebook_core::{AssignReport, Casebook};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

/// The environment variable that overrides the interval setting.
pub const ENV_INTERVAL: &str = "CASEBOOK_ID_INTERVAL";
/// The first pass waits this long: the window's first queries go first.
pub const STARTUP_DELAY: Duration = Duration::from_secs(3);
/// How often a sleeping task re-reads the setting, so a change made by the CLI applies soon.
pub const RECHECK: Duration = Duration::from_secs(30);

/// What `id_task_status` returns (ui/src/lib/api/client.ts declares the same shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdTaskStatus {
    /// Minutes between passes (the seconds form of the variable is rounded up).
    pub interval_minutes: u32,
    pub interval_seconds: u64,
    /// `CASEBOOK_ID_INTERVAL` sets the interval; the saved setting applies when it is unset.
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

/// The task's schedule, shared by its thread and the commands (managed as Tauri state).
#[derive(Clone)]
pub struct IdTask {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<Schedule>,
    wake: Condvar,
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
    last_run_at: Option<DateTime<Utc>>,
    last_assigned: Option<u64>,
}

impl Schedule {
    fn due(&self) -> Instant {
        let wait = if self.first && !self.exact { STARTUP_DELAY.min(self.interval) } else { self.interval };
        self.anchor + wait
    }
}

impl IdTask {
    /// A schedule starting now, with the given override (see [`IdTask::from_env`]).
    pub fn new(env: Option<Duration>, exact: bool) -> Self {
        let setting = casebook_core::ids::DEFAULT_ID_INTERVAL_MINUTES;
        let schedule = Schedule {
            interval: env.unwrap_or(Duration::from_secs(u64::from(setting) * 60)),
            env,
            exact: exact && env.is_some(),
            setting_minutes: setting,
            anchor: Instant::now(),
            first: true,
            last_run_at: None,
            last_assigned: None,
        };
        IdTask { shared: Arc::new(Shared { state: Mutex::new(schedule), wake: Condvar::new() }) }
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

    /// Takes the saved setting into account (at once: the sleeping thread is woken).
    pub fn observe_setting(&self, minutes: u32) {
        let mut s = self.lock();
        s.setting_minutes = minutes;
        if s.env.is_none() {
            let interval = Duration::from_secs(u64::from(minutes) * 60);
            if interval != s.interval {
                s.interval = interval;
                self.shared.wake.notify_all();
            }
        }
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

    /// Starts the task's thread on `book`. It runs until the process exits.
    pub fn spawn(&self, book: Arc<Casebook>) -> std::io::Result<()> {
        let task = self.clone();
        std::thread::Builder::new().name("casebook-numbering".into()).spawn(move || task.run(&book))?;
        Ok(())
    }

    fn run(&self, book: &Casebook) {
        let mut last_error = None;
        loop {
            if self.lock().env.is_none() {
                match book.id_interval_minutes() {
                    Ok(m) => self.observe_setting(m),
                    Err(e) => log_once(&mut last_error, "reading the interval", &e.to_string()),
                }
            }
            let s = self.lock();
            let left = s.due().saturating_duration_since(Instant::now());
            if !left.is_zero() {
                // Woken early by observe_setting (same lock, so no wake-up is missed); then the
                // due time is recomputed.
                drop(self.shared.wake.wait_timeout(s, left.min(RECHECK)).unwrap_or_else(PoisonError::into_inner));
                continue;
            }
            drop(s);
            // A panic in the core must not end the task: the next pass may well succeed.
            let outcome = catch_unwind(AssertUnwindSafe(|| book.assign_numbers()));
            let assigned = match outcome {
                Ok(Ok(report)) => {
                    last_error = None;
                    Some(report.assigned)
                }
                Ok(Err(e)) => {
                    log_once(&mut last_error, "numbering pass", &format!("{}: {e}", e.code()));
                    None
                }
                Err(_) => {
                    log_once(&mut last_error, "numbering pass", "panicked");
                    None
                }
            };
            let mut s = self.lock();
            s.anchor = Instant::now();
            s.first = false;
            if let Some(n) = assigned {
                s.last_run_at = Some(Utc::now());
                s.last_assigned = Some(n);
            }
        }
    }
}

/// The same failure every pass (a locked or vanished file) is logged once, not every interval.
fn log_once(last: &mut Option<String>, what: &str, text: &str) {
    if last.as_deref() != Some(text) {
        tracing::error!("case numbering: {what} failed: {text}");
        *last = Some(text.to_owned());
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

//! The e2e harness: [`scenario`] runs one test against the real app, [`App`] drives it.
//!
//! Each scenario gets a fresh temporary folder holding its database (`CASEBOOK_DB`) and a home
//! folder (`HOME`, `XDG_*`), so nothing touches the user's data; its own Xvfb display when
//! `DISPLAY` is unset; a private D-Bus session bus when `dbus-daemon` exists; tauri-driver on
//! free ports. Everything is stopped when the scenario ends, fails or panics.
//!
//! Skip policy: without tauri-driver, WebKitWebDriver, a display (or Xvfb) or the built app,
//! every scenario prints a `SKIP` line to stderr and passes, unless `CASEBOOK_E2E=require`,
//! which turns the skip into a failure (CI sets it).

mod app;
mod procs;
mod tools;

use std::io::Write;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

pub use app::{App, CONTROL, ENTER, ESCAPE, RELEASE, Row};

/// One app at a time: the app is single-instance, and one display and one set of ports keep
/// the run predictable. Cargo runs tests on several threads; this makes scenarios take turns.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `body` against a freshly launched app, then stops everything. Panics with the page's
/// text, the app's log and (with `CASEBOOK_E2E_SCREENSHOTS`) a screenshot when `body` fails.
pub fn scenario(name: &str, body: impl AsyncFnOnce(&mut App) -> anyhow::Result<()>) {
    scenario_with_env(name, &[], body)
}

/// [`scenario`] with extra environment variables for the app and the CLI (e.g. a short
/// `CASEBOOK_ID_INTERVAL`).
pub fn scenario_with_env(name: &str, env: &[(&str, &str)], body: impl AsyncFnOnce(&mut App) -> anyhow::Result<()>) {
    run(name, env, Launch::Plain, body)
}

/// [`scenario`] on a first start: the analyst's profile not yet confirmed.
pub fn scenario_first_run(name: &str, body: impl AsyncFnOnce(&mut App) -> anyhow::Result<()>) {
    run(name, &[], Launch::FirstRun, body)
}

/// How a scenario's app starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Launch {
    Plain,
    Keychain,
    FirstRun,
}

/// [`scenario_with_env`] with a real Secret Service (gnome-keyring) on the app's session bus,
/// for scenarios that store a connector's token in the keychain.
pub fn scenario_with_keychain(
    name: &str,
    env: &[(&str, &str)],
    body: impl AsyncFnOnce(&mut App) -> anyhow::Result<()>,
) {
    run(name, env, Launch::Keychain, body)
}

fn run(name: &str, env: &[(&str, &str)], launch: Launch, body: impl AsyncFnOnce(&mut App) -> anyhow::Result<()>) {
    let keychain = launch == Launch::Keychain;
    let _turn = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let tools = match tools::tools() {
        Ok(tools) => tools,
        Err(reason) => return skip(name, reason),
    };
    if keychain && (tools.gnome_keyring.is_none() || tools.dbus_daemon.is_none()) {
        return skip(name, "this scenario needs a Secret Service: apt-get install gnome-keyring dbus");
    }
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let mut launched = 0.0;
    let result: Result<(), String> = runtime.block_on(async {
        let launched_app = match launch {
            Launch::Keychain => App::launch_with_keychain(tools, name, env).await,
            Launch::FirstRun => App::launch_first_run(tools, name).await,
            Launch::Plain => App::launch(tools, name, env).await,
        };
        let mut app = launched_app.map_err(|e| format!("{e:#}"))?;
        launched = started.elapsed().as_secs_f64();
        match body(&mut app).await {
            Ok(()) => {
                app.shutdown().await;
                Ok(())
            }
            Err(e) => {
                let report = app.failure_report().await;
                app.shutdown().await;
                Err(format!("{e:#}\n{report}"))
            }
        }
    });
    if let Err(e) = result {
        panic!("e2e scenario {name} failed after {:.1} s: {e}", started.elapsed().as_secs_f64());
    }
    // Written to stderr directly, not captured by the test runner: the time of each scenario.
    let total = started.elapsed().as_secs_f64();
    let _ = writeln!(std::io::stderr(), "e2e {name}: ok in {total:.1} s (app up after {launched:.1} s)");
}

fn skip(name: &str, reason: &str) {
    if std::env::var("CASEBOOK_E2E").is_ok_and(|v| v == "require") {
        panic!("e2e scenario {name} cannot run and CASEBOOK_E2E=require: {reason}");
    }
    // Straight to stderr (the test runner captures print! but not this), so a skip is never silent.
    let _ = writeln!(std::io::stderr(), "e2e SKIP {name}: {reason} (set CASEBOOK_E2E=require to make this a failure)");
}

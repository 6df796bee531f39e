//! End-to-end tests of the real Casebook desktop app: the binary built with
//! `--features custom-protocol`, started by tauri-driver and driven through WebKitWebDriver.
//!
//! Run: `cargo build -p casebook-desktop --features custom-protocol && cargo test -p casebook-tests --test e2e`
//! (scripts/test does it). Scenarios act by visible text, labels and roles, never CSS classes.
//! One file per area of the app; a new area gets a new file and a `mod` line here.

mod harness;

// The fakes of the contract tests, on their scriptable HTTP server.
#[allow(dead_code)]
#[path = "../contract/fake_jira/mod.rs"]
mod fake_jira;
#[allow(dead_code)]
#[path = "../contract/fake_resilient/mod.rs"]
mod fake_resilient;
#[allow(dead_code)]
#[path = "../contract/fake_support.rs"]
mod fake_support;
#[allow(dead_code)]
#[path = "../contract/fake_swimlane.rs"]
mod fake_swimlane;
#[allow(dead_code)]
#[path = "../contract/fake_thehive/mod.rs"]
mod fake_thehive;
#[allow(dead_code)]
#[path = "../contract/fake_webhook.rs"]
mod fake_webhook;
#[allow(dead_code)]
#[path = "../contract/server.rs"]
mod server;

mod alerts;
mod analytics;
mod bulk_actions;
mod case_numbers;
mod case_view;
mod cases_home;
mod filters;
mod first_run;
mod layout;
mod live_updates;
mod persistence;
mod push;
mod push_systems;
mod screenshots;
mod secrets_file;
mod security;

/// Helpers shared by the scenario files.
mod seed {
    use anyhow::{Context, Result};

    use crate::harness::App;

    /// Creates a case with the CLI and returns its id.
    pub fn case(app: &App, title: &str, severity: &str, tags: &[&str], category: Option<&str>) -> Result<String> {
        let mut args = vec!["case", "create", "--title", title, "--severity", severity];
        for t in tags {
            args.extend(["--tag", t]);
        }
        if let Some(c) = category {
            args.extend(["--category", c]);
        }
        let created = app.cli_json(&args)?;
        created["id"].as_str().map(str::to_owned).context("the created case has no id")
    }

    /// Sets the status of case `id` with the CLI (reading its version first).
    pub fn status(app: &App, id: &str, status: &str) -> Result<()> {
        let case = app.cli_json(&["case", "get", id])?;
        let version = case["version"].as_str().context("the case has no version")?;
        app.cli(&["case", "update", id, "--version", version, "--status", status])?;
        Ok(())
    }
}

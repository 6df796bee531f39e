//! The contract tests' fake Elasticsearch, Jira (Cloud) and ServiceNow as one standalone
//! process, so that tests outside Rust can use them: the UI page tests in `ui/tests` start it
//! (`cargo run -p casebook-tests --example contract-fakes`) and point the app at the fakes.
//!
//! Each fake listens on its own OS-chosen port of 127.0.0.1. Once all are up, the process prints
//! exactly one line of JSON to stdout, keyed after the core's inputs (`AlertSourceInput`,
//! `ConnectorInput`):
//!
//! ```text
//! {"elasticsearch":{"url":"http://127.0.0.1:…","api_key":"…"},
//!  "jira":{"url":"…","project_key":"SEC","username":"<email>","secret":"<API token>"},
//!  "servicenow":{"url":"…","username":"…","secret":"<password>"}}
//! ```
//!
//! (on one line). Elasticsearch holds the contract tests' `sample_alerts()`. The process then
//! runs until its stdin reaches EOF, so it stops when the test that started it goes away, or
//! until it is killed. Logs go to stderr only.

// The fakes are the contract tests' own modules, not copies; this process uses only part of them.
#[allow(dead_code)]
#[path = "fake_elasticsearch.rs"]
mod fake_elasticsearch;
#[allow(dead_code)]
#[path = "fake_jira/mod.rs"]
mod fake_jira;
#[allow(dead_code)]
#[path = "fake_servicenow/mod.rs"]
mod fake_servicenow;
#[allow(dead_code)]
#[path = "fake_support.rs"]
mod fake_support;
#[allow(dead_code)]
#[path = "server.rs"]
mod server;

use std::io::Write;

use serde_json::json;

use fake_elasticsearch::{API_KEY, FakeElasticsearch, sample_alerts};
use fake_jira::{FakeJira, Flavour, JiraAuth};
use fake_servicenow::FakeServiceNow;

const JIRA_PROJECT: &str = "SEC";
/// Jira Cloud signs in with the account's email and an API token.
const JIRA_EMAIL: &str = "casey@example.com";
const JIRA_TOKEN: &str = "ATATT3xFfGF0-jira-token-5f1e";
const SERVICENOW_USER: &str = "casebook.integration";
const SERVICENOW_PASSWORD: &str = "Sn0w-p@ss-9921";

fn main() {
    let alerts = sample_alerts();
    let alert_count = alerts.len();
    let es = FakeElasticsearch::start(alerts);
    let jira = FakeJira::start(Flavour::Cloud, JIRA_PROJECT, JiraAuth::basic(JIRA_EMAIL, JIRA_TOKEN));
    let servicenow = FakeServiceNow::start(SERVICENOW_USER, SERVICENOW_PASSWORD);

    let ready = json!({
        "elasticsearch": {"url": es.url(), "api_key": API_KEY},
        "jira": {"url": jira.url(), "project_key": JIRA_PROJECT, "username": JIRA_EMAIL, "secret": JIRA_TOKEN},
        "servicenow": {"url": servicenow.url(), "username": SERVICENOW_USER, "secret": SERVICENOW_PASSWORD},
    });
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{ready}").and_then(|()| stdout.flush()).expect("write the fakes' addresses to stdout");
    drop(stdout);
    eprintln!(
        "contract-fakes: Elasticsearch at {} ({alert_count} alerts), Jira Cloud at {} (project {JIRA_PROJECT}), \
         ServiceNow at {}; running until stdin closes",
        es.url(),
        jira.url(),
        servicenow.url()
    );

    // Whatever arrives on stdin is ignored; EOF (or a read error) means the parent is gone.
    if let Err(e) = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink()) {
        eprintln!("contract-fakes: reading stdin failed ({e}); stopping");
    } else {
        eprintln!("contract-fakes: stdin closed; stopping");
    }
}

//! The contract tests' fake Elasticsearch, Jira (Cloud), ServiceNow, IBM Resilient, Swimlane,
//! TheHive and webhook ticket API as one standalone process, so that tests outside Rust can use
//! them: the UI page tests in `ui/tests` start it (`cargo run -p casebook-tests --example
//! contract-fakes`) and point the app at the fakes.
//!
//! Each fake listens on its own OS-chosen port of 127.0.0.1. Once all are up, the process prints
//! exactly one line of JSON to stdout, keyed after the core's inputs (`AlertSourceInput`,
//! `ConnectorInput`):
//!
//! ```text
//! {"elasticsearch":{"url":"http://127.0.0.1:…","api_key":"…"},
//!  "jira":{"url":"…","project_key":"SEC","username":"<email>","secret":"<API token>"},
//!  "servicenow":{"url":"…","username":"…","secret":"<password>"},
//!  "resilient":{"url":"…","org_id":"201","api_key_id":"…","secret":"<API key secret>"},
//!  "swimlane":{"url":"…","app_id":"…","secret":"<Private-Token>",
//!              "fields":{"case_id":"…","name":"…","description":"…","severity":"…","status":"…",
//!                        "comments":"…"}},
//!  "thehive":{"url":"…","organisation":"SOC","secret":"<API key>"},
//!  "webhook":{"url":"…","username":"…","password":"…"}}
//! ```
//!
//! (on one line). Elasticsearch holds the contract tests' `sample_alerts()`. Swimlane's `fields`
//! are the application's field ids (its severity field is text; the app also has a numeric
//! "Priority Score" field, see `fake_swimlane.rs`). TheHive's key also belongs to the
//! organisation `CERT`. The webhook ticket API (`{url}/api/tickets`, see `fake_webhook.rs`)
//! takes Basic authentication with that username and password. The process then
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
#[path = "fake_resilient/mod.rs"]
mod fake_resilient;
#[allow(dead_code)]
#[path = "fake_servicenow/mod.rs"]
mod fake_servicenow;
#[allow(dead_code)]
#[path = "fake_support.rs"]
mod fake_support;
#[allow(dead_code)]
#[path = "fake_swimlane.rs"]
mod fake_swimlane;
#[allow(dead_code)]
#[path = "fake_thehive/mod.rs"]
mod fake_thehive;
#[allow(dead_code)]
#[path = "fake_webhook.rs"]
mod fake_webhook;
#[allow(dead_code)]
#[path = "server.rs"]
mod server;

use std::io::Write;

use serde_json::json;

use fake_elasticsearch::{API_KEY, FakeElasticsearch, sample_alerts};
use fake_jira::{FakeJira, Flavour, JiraAuth};
use fake_resilient::FakeResilient;
use fake_servicenow::FakeServiceNow;
use fake_swimlane::FakeSwimlane;
use fake_thehive::FakeTheHive;
use fake_webhook::{FakeWebhook, WebhookAuth};

const JIRA_PROJECT: &str = "SEC";
/// Jira Cloud signs in with the account's email and an API token.
const JIRA_EMAIL: &str = "casey@example.com";
const JIRA_TOKEN: &str = "ATATT3xFfGF0-jira-token-5f1e";
const SERVICENOW_USER: &str = "casebook.integration";
const SERVICENOW_PASSWORD: &str = "Sn0w-p@ss-9921";
const RESILIENT_ORG: u64 = 201;
const RESILIENT_KEY_ID: &str = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const RESILIENT_SECRET: &str = "Rs1-secret-Kq4vP9wT";
const SWIMLANE_APP: &str = "aBcD3fGh1JkLmN0pQ";
const SWIMLANE_TOKEN: &str = "sw-pat-6c2e91d0f4";
const THEHIVE_ORG: &str = "SOC";
const THEHIVE_KEY: &str = "hive-key-2b7e151628aed2a6";
const WEBHOOK_USER: &str = "casebook.tickets";
const WEBHOOK_PASSWORD: &str = "W3bh00k-p@ss-5512";

fn main() {
    let alerts = sample_alerts();
    let alert_count = alerts.len();
    let es = FakeElasticsearch::start(alerts);
    let jira = FakeJira::start(Flavour::Cloud, JIRA_PROJECT, JiraAuth::basic(JIRA_EMAIL, JIRA_TOKEN));
    let servicenow = FakeServiceNow::start(SERVICENOW_USER, SERVICENOW_PASSWORD);
    let resilient = FakeResilient::start(RESILIENT_ORG, RESILIENT_KEY_ID, RESILIENT_SECRET);
    let swimlane = FakeSwimlane::start(SWIMLANE_APP, SWIMLANE_TOKEN);
    let thehive = FakeTheHive::start(THEHIVE_KEY, &[THEHIVE_ORG, "CERT"]);
    let webhook = FakeWebhook::start(WebhookAuth::basic(WEBHOOK_USER, WEBHOOK_PASSWORD));

    let ready = json!({
        "elasticsearch": {"url": es.url(), "api_key": API_KEY},
        "jira": {"url": jira.url(), "project_key": JIRA_PROJECT, "username": JIRA_EMAIL, "secret": JIRA_TOKEN},
        "servicenow": {"url": servicenow.url(), "username": SERVICENOW_USER, "secret": SERVICENOW_PASSWORD},
        "resilient": {"url": resilient.url(), "org_id": RESILIENT_ORG.to_string(), "api_key_id": RESILIENT_KEY_ID,
            "secret": RESILIENT_SECRET},
        "swimlane": {"url": swimlane.url(), "app_id": SWIMLANE_APP, "secret": SWIMLANE_TOKEN, "fields": {
            "case_id": fake_swimlane::CASE_ID_FIELD,
            "name": fake_swimlane::CASE_NAME_FIELD,
            "description": fake_swimlane::DESCRIPTION_FIELD,
            "severity": fake_swimlane::SEVERITY_FIELD,
            "status": fake_swimlane::STATUS_FIELD,
            "comments": fake_swimlane::COMMENTS_FIELD,
        }},
        "thehive": {"url": thehive.url(), "organisation": THEHIVE_ORG, "secret": THEHIVE_KEY},
        "webhook": {"url": webhook.url(), "username": WEBHOOK_USER, "password": WEBHOOK_PASSWORD},
    });
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{ready}").and_then(|()| stdout.flush()).expect("write the fakes' addresses to stdout");
    drop(stdout);
    eprintln!(
        "contract-fakes: Elasticsearch at {} ({alert_count} alerts), Jira Cloud at {} (project {JIRA_PROJECT}), \
         ServiceNow at {}, Resilient at {} (org {RESILIENT_ORG}), Swimlane at {}, TheHive at {}, webhook tickets \
         at {}/api/tickets; running until stdin closes",
        es.url(),
        jira.url(),
        servicenow.url(),
        resilient.url(),
        swimlane.url(),
        thehive.url(),
        webhook.url()
    );

    // Whatever arrives on stdin is ignored; EOF (or a read error) means the parent is gone.
    if let Err(e) = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink()) {
        eprintln!("contract-fakes: reading stdin failed ({e}); stopping");
    } else {
        eprintln!("contract-fakes: stdin closed; stopping");
    }
}

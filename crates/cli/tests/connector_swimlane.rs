//! `casebook connector create --type swimlane` with its field mappings as JSON, and a case
//! pushed to the contract fakes' Swimlane (`cargo build -p casebook-tests --example
//! contract-fakes`) through the OS keychain. Without a keychain (or the fakes) the push test
//! says so and passes, unless CASEBOOK_KEYCHAIN=require; `scripts/test-keychain`'s throwaway
//! gnome-keyring gives it one: `dbus-run-session -- sh -c 'echo -n x | gnome-keyring-daemon
//! --unlock --components=secrets; cargo test -p casebook-cli --test connector_swimlane'`.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use serde_json::json;
use support::services::{fakes_and_keychain, http_get};
use support::*;

const APP: &str = "aBcD3fGh1JkLmN0pQ";

fn create_args<'a>(url: &'a str, app: &'a str, mappings: &'a str) -> Vec<&'a str> {
    vec![
        "connector",
        "create",
        "--name",
        "SOC Swimlane",
        "--type",
        "swimlane",
        "--url",
        url,
        "--set",
        app,
        "--set-json",
        mappings,
        "--secret-stdin",
    ]
}

#[test]
fn bad_swimlane_settings_name_the_setting_and_the_rule() {
    let cb = Cb::new();
    let url = "https://swimlane.example.com";
    let ok_app = format!("app_id={APP}");
    let (code, message) = cb.fails_stdin(&create_args(url, "app_id=../../admin", "mappings={}"), "tok");
    assert_eq!(code, "validation");
    assert!(message.starts_with("app_id: must be a Swimlane application id"), "{message}");

    let (_, message) = cb.fails_stdin(&create_args(url, &ok_app, r#"mappings={"case": "aCase"}"#), "tok");
    assert!(message.starts_with("case: is not a Swimlane setting; its settings are one of case_id, name"), "{message}");

    let (_, message) =
        cb.fails_stdin(&create_args(url, &ok_app, r#"mappings={"name": "aF1", "comments": "aF1"}"#), "tok");
    assert_eq!(message, "mappings.comments: field aF1 already gets the case name; choose another field");

    let (code, message) = cb.fails_stdin(&create_args(url, "org_id=201", "mappings={}"), "tok");
    assert_eq!(code, "validation");
    assert_eq!(message, "org_id: is not a Swimlane setting; its settings are app_id or mappings");

    let (_, message) = cb.fails_stdin(&create_args(url, &ok_app, "mappings={case_id: x}"), "tok");
    assert!(message.starts_with("set-json mappings: is not JSON"), "{message}");
    assert_eq!(cb.ok(&["connector", "list"]), json!([]));
}

#[test]
fn a_case_is_pushed_to_swimlane_from_the_command_line() {
    let Some((fakes, keychain)) = fakes_and_keychain("connector_swimlane") else { return };
    let sw = &fakes.ready["swimlane"];
    let (url, app, token) =
        (sw["url"].as_str().unwrap(), sw["app_id"].as_str().unwrap(), sw["secret"].as_str().unwrap());
    let fields = &sw["fields"];
    let cb = Cb::new();
    let app_arg = format!("app_id={app}");
    let mappings = format!("mappings={fields}");
    let ok = |args: &[&str]| keychain.ok(&cb, args, None, token);
    let c = keychain.ok(&cb, &create_args(url, &app_arg, &mappings), Some(token), token);
    assert_eq!(c["settings"]["mappings"], *fields);

    let tested = ok(&["connector", "test", "SOC Swimlane"]);
    let message = tested["message"].as_str().unwrap();
    assert!(message.contains("application Casebook Incidents (CBI) is reachable"), "{message}");
    let case = cb.create("Beaconing from WEB-01", &["--severity", "high"]);
    let id = id(&case);
    ok(&["case", "set-connector", &id, "--connector", "SOC Swimlane"]);
    ok(&["comment", "add", &id, "--body", "Isolated WEB-01"]);
    let out = ok(&["case", "push", &id]);
    assert_eq!(out["outcome"], "sent", "{out}");
    let report = &out["report"];
    assert_eq!(report["external_title"], "CBI-1");
    let record_id = report["external_id"].as_str().unwrap().to_string();
    assert_eq!(report["external_url"], format!("{url}/record/{app}/{record_id}"));
    assert_eq!(cb.get(&id)["external_service"]["external_title"], "CBI-1");

    let record = http_get(url, &format!("/api/app/{app}/record/{record_id}"), &[("Private-Token", token)]);
    let values = &record["values"];
    let field = |name: &str| values[fields[name].as_str().unwrap()].clone();
    assert_eq!(field("case_id"), json!(id));
    assert_eq!(field("name"), "Beaconing from WEB-01");
    assert_eq!(field("severity"), "high");
    assert_eq!(field("status"), "Open");
    let comments = field("comments");
    assert!(comments[0]["message"].as_str().unwrap().starts_with("Isolated WEB-01\n\nAdded by "), "{comments}");
    // The keychain entry goes with the connector.
    ok(&["connector", "delete", "SOC Swimlane"]);
}

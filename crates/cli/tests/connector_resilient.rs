//! An IBM Resilient connector from the command line: settings through `--set`, a bad one
//! refused with the field and the rule, and (with a keychain) a case pushed to the contract
//! tests' fake Resilient with `casebook case push`, its incident checked.
//!
//! The push needs the OS keychain and the fakes: it runs in a throwaway D-Bus session with an
//! unlocked gnome-keyring (as scripts/test-keychain does) against the `contract-fakes` example
//! (`cargo build -p casebook-tests --example contract-fakes`). Without them it says so and
//! passes, unless CASEBOOK_KEYCHAIN=require.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use serde_json::json;
use support::services::fakes_and_keychain;
use support::*;

fn create_args<'a>(org: &'a str, key: &'a str, url: &'a str) -> Vec<String> {
    [
        "connector",
        "create",
        "--name",
        "SOAR",
        "--type",
        "resilient",
        "--url",
        url,
        "--set",
        &format!("org_id={org}"),
        "--set",
        &format!("api_key_id={key}"),
        "--secret-stdin",
    ]
    .map(String::from)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn bad_resilient_settings_name_the_field_and_the_rule() {
    let cb = Cb::new();
    let url = "https://soar.example.com";
    let (code, message) = cb.fails_stdin(&strs(&create_args("acme", "key-1", url)), "s3cret");
    assert_eq!(code, "validation");
    assert_eq!(message, "org_id: must be the organisation's number, as in /rest/orgs/201 (got \"acme\")");

    let (_, message) = cb.fails_stdin(&strs(&create_args("201", " ", url)), "s3cret");
    assert!(message.starts_with("api_key_id: is required: the API key's id"), "{message}");

    let mut unknown = create_args("201", "key-1", url);
    unknown.extend(["--set".into(), "project_key=SEC".into()]);
    let (code, message) = cb.fails_stdin(&strs(&unknown), "s3cret");
    assert_eq!(code, "validation");
    assert_eq!(message, "project_key: is not a IBM Resilient setting; its settings are org_id or api_key_id");

    let (_, message) = cb.fails(&["connector", "create", "--name", "SOAR", "--type", "resilient", "--url", url]);
    assert!(message.starts_with("org_id: is required for IBM Resilient"), "{message}");
    assert_eq!(cb.ok(&["connector", "list"]), json!([]));
}

#[test]
fn a_case_is_pushed_to_resilient_from_the_command_line() {
    let Some((fakes, keychain)) = fakes_and_keychain("connector_resilient") else { return };
    let soar = &fakes.ready["resilient"];
    let (url, org, key, secret) = (
        soar["url"].as_str().unwrap(),
        soar["org_id"].as_str().unwrap(),
        soar["api_key_id"].as_str().unwrap(),
        soar["secret"].as_str().unwrap(),
    );
    let cb = Cb::new();
    let run = |args: &[&str], stdin: Option<&str>| keychain.ok(&cb, args, stdin, secret);

    let connector = run(&strs(&create_args(org, key, url)), Some(secret));
    assert_eq!(connector["kind"], "resilient");
    assert_eq!(connector["account"], key);
    assert_eq!(connector["secret_stored"], true);
    let check = run(&["connector", "test", "SOAR"], None);
    assert!(check["message"].as_str().unwrap().contains(&format!("organisation Casebook SOC ({org})")), "{check}");
    run(&["connector", "refresh", "SOAR"], None);

    let case = cb.create("Ransomware on FS-02", &[]);
    let id = case["id"].as_str().unwrap();
    let set = run(
        &[
            "case",
            "set-connector",
            id,
            "--connector",
            "SOAR",
            "--field",
            "incidentTypes=Malware,Ransomware",
            "--field",
            "severityCode=High",
            "--field",
            r#"additionalFields={"confirmed": true}"#,
        ],
        None,
    );
    assert_eq!(
        set["connector"]["fields"],
        json!({"incidentTypes": "19,1001", "severityCode": "6", "additionalFields": {"confirmed": true}})
    );
    run(&["comment", "add", id, "--body", "Isolated FS-02"], None);
    let pushed = run(&["case", "push", id], None);
    let report = &pushed["report"];
    assert_eq!(pushed["outcome"], "sent", "{pushed}");
    let ticket = report["external_id"].as_str().unwrap();
    assert!(ticket.parse::<i64>().is_ok(), "the incident id: {report}");
    assert_eq!(report["external_title"], ticket);
    assert_eq!(report["external_url"], format!("{url}/#incidents/{ticket}"));
    assert_eq!(report["comments_sent"], 1);
    let case = cb.get(id);
    assert_eq!(case["external_service"]["external_id"], ticket);
    let db = std::fs::read(&cb.db).unwrap();
    assert!(!db.windows(secret.len()).any(|w| w == secret.as_bytes()), "the secret reached the database");
}

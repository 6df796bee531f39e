//! `casebook connector …`, `case set-connector`, `case push` and `outbox …` as a script sees
//! them: bad input refused with the field and the rule, and no keychain meaning no connector
//! (never a token in the database). The pushes themselves are tested against fake Jira and
//! ServiceNow servers in tests/contract.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use support::*;

/// `casebook --json <args>` with no reachable Secret Service (and the token on stdin).
fn without_keychain(cb: &Cb, args: &[&str], stdin: &str) -> Run {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let mut cmd = cb.cmd(&all);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/casebook-test-bus");
    spawn(cmd, Some(stdin))
}

const JIRA: &[&str] = &[
    "connector",
    "create",
    "--name",
    "SOC Jira",
    "--type",
    "jira",
    "--url",
    "https://example.atlassian.net",
    "--project",
    "SEC",
    "--username",
    "casey@example.com",
    "--secret-stdin",
];

#[test]
fn without_a_keychain_no_connector_is_saved_and_the_message_says_what_to_do() {
    let cb = Cb::new();
    let token = "ATATT3x-cli-token-0042";
    let r = without_keychain(&cb, JIRA, token);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let e = &r.json()["error"];
    assert_eq!(e["code"], "keychain_unavailable", "{e}");
    let message = e["message"].as_str().unwrap();
    assert!(message.starts_with("No OS keychain is available"), "{message}");
    assert!(message.contains("Nothing was saved."), "{message}");
    assert!(!r.stdout.contains(token) && !r.stderr.contains(token));
    assert_eq!(cb.ok(&["connector", "list"]), serde_json::json!([]));
    let db = std::fs::read(&cb.db).unwrap();
    assert!(!db.windows(token.len()).any(|w| w == token.as_bytes()));
}

#[test]
fn bad_connector_input_names_the_field_and_the_rule() {
    let cb = Cb::new();
    let mut no_project: Vec<&str> = JIRA.to_vec();
    no_project.retain(|a| *a != "--project" && *a != "SEC");
    let (code, message) = cb.fails_stdin(&no_project, "tok");
    assert_eq!((code.as_str(), message.as_str()), ("validation", "project_key: is required for Jira (e.g. SEC)"));

    let mut bad_type = JIRA.to_vec();
    bad_type[5] = "remedy";
    let (_, message) = cb.fails_stdin(&bad_type, "tok");
    assert!(message.starts_with("type: must be one of jira, servicenow-itsm, servicenow-sir"), "{message}");
    assert!(message.ends_with("(got \"remedy\")"), "{message}");

    let mut unknown_setting = JIRA.to_vec();
    unknown_setting.extend(["--set", "org_id=201"]);
    let (code, message) = cb.fails_stdin(&unknown_setting, "tok");
    assert_eq!(code, "validation");
    assert_eq!(message, "org_id: is not a Jira setting; its settings are one of project_key, auth, username");

    let (_, message) = cb.fails_stdin(JIRA, "  \n");
    assert_eq!(message, "secret: standard input was empty; pipe the API token, password or key into the command");

    let mut plain_http = JIRA.to_vec();
    plain_http[7] = "http://jira.example.com";
    let (code, message) = cb.fails_stdin(&plain_http, "tok");
    assert_eq!(code, "validation");
    assert!(message.starts_with("url: "), "{message}");

    let mut snow = vec!["connector", "create", "--name", "SNOW", "--type", "servicenow-itsm"];
    snow.extend(["--url", "https://x.service-now.com", "--auth", "pat", "--secret-stdin"]);
    let (_, message) = cb.fails_stdin(&snow, "tok");
    assert_eq!(message, "auth: is not a ServiceNow ITSM setting; its settings are mode or username");
    let snow_mode = [
        "connector",
        "create",
        "--name",
        "SNOW",
        "--type",
        "servicenow-itsm",
        "--url",
        "https://x.service-now.com",
        "--mode",
        "rest",
    ];
    let (_, message) = cb.fails(&snow_mode);
    assert_eq!(message, "mode: must be import-set (the Elastic app) or table (got \"rest\")");
    assert_eq!(cb.ok(&["connector", "list"]), serde_json::json!([]));
}

#[test]
fn pushing_needs_a_connector_and_the_outbox_starts_empty() {
    let cb = Cb::new();
    let case = cb.create("Phishing wave", &[]);
    let id = case["id"].as_str().unwrap();
    let (code, message) = cb.fails(&["case", "push", id]);
    assert_eq!(code, "validation");
    assert!(message.starts_with("connector: the case has no connector; choose one"), "{message}");
    let (code, message) =
        cb.fails(&["case", "set-connector", id, "--connector", "SOC Jira", "--field", "priority=High"]);
    assert_eq!((code.as_str(), message.as_str()), ("not_found", "connector not found: SOC Jira in space default"));
    let (code, message) = cb.fails(&["case", "set-connector", id, "--connector", "none", "--field", "priority"]);
    assert_eq!(code, "validation");
    assert_eq!(message, "field: must be NAME=VALUE, e.g. priority=High (got \"priority\")");
    assert_eq!(cb.ok(&["outbox", "list"]), serde_json::json!([]));
    let (code, _) = cb.fails(&["outbox", "cancel", "7"]);
    assert_eq!(code, "not_found");
    let text = cb.run(&["outbox", "list"]);
    assert_eq!(text.stdout.trim(), "The outbox is empty: every push was sent.");
}

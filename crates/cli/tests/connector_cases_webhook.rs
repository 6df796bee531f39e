//! `casebook connector create --type cases-webhook` as a script sees it: the templates and
//! secrets are checked before anything is saved, with the field and the place in the template.
//! A push from the command line goes to the contract fake ticket API with a throwaway keychain
//! (see support/services.rs); the rest is tested in tests/contract/push_webhook.rs.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use support::services::fakes_and_keychain;
use support::*;

const URL: &str = "https://tickets.example.com";

fn create_args(create_json: &str) -> Vec<String> {
    create_args_at(URL, create_json)
}

fn create_args_at(url: &str, create_json: &str) -> Vec<String> {
    let create = serde_json::json!({
        "method": "post",
        "url": format!("{url}/api/tickets"),
        "json": create_json,
        "response_key": "ticket.id",
    });
    let get = serde_json::json!({
        "method": "get",
        "url": format!("{url}/api/tickets/{{{{{{external.system.id}}}}}}"),
        "title_key": "ticket.key",
    });
    let update = serde_json::json!({
        "method": "put",
        "url": format!("{url}/api/tickets/{{{{{{external.system.id}}}}}}"),
        "json": "{\"title\": {{{case.title}}}}",
    });
    [
        "connector",
        "create",
        "--name",
        "Tickets",
        "--type",
        "cases-webhook",
        "--url",
        url,
        "--set",
        &format!("view_incident_url={url}/browse/{{{{{{external.system.title}}}}}}"),
        "--set-json",
        &format!("create_incident={create}"),
        "--set-json",
        &format!("get_incident={get}"),
        "--set-json",
        &format!("update_incident={update}"),
        "--set-json",
        r#"auth={"type":"none"}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn fails(cb: &Cb, args: &[String], stdin: &str) -> (String, String) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cb.fails_stdin(&args, stdin)
}

#[test]
fn a_body_template_that_is_not_json_is_refused_with_its_line_and_column() {
    let cb = Cb::new();
    let (code, message) = fails(&cb, &create_args("{\n  \"title\": \"{{{case.title}}}\"\n}"), "");
    assert_eq!(code, "validation");
    assert!(message.starts_with("create_incident.json: create body: is not valid JSON"), "{message}");
    assert!(message.contains("at line 2, column "), "{message}");
    assert!(message.contains("without quotes"), "{message}");
    assert_eq!(cb.ok(&["connector", "list"]), serde_json::json!([]));
}

#[test]
fn missing_requests_and_unknown_settings_are_named() {
    let cb = Cb::new();
    let mut args = create_args("{\"title\": {{{case.title}}}}");
    let at = args.iter().position(|a| a.starts_with("get_incident=")).unwrap();
    args.drain(at - 1..=at);
    let (code, message) = fails(&cb, &args, "");
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("validation", "get_incident: is required for Webhook – Case Management")
    );

    let mut args = create_args("{\"title\": {{{case.title}}}}");
    args.extend(["--set".to_string(), "project_key=SEC".to_string()]);
    let (_, message) = fails(&cb, &args, "");
    assert!(message.starts_with("project_key: is not a Webhook – Case Management setting"), "{message}");
}

#[test]
fn extra_secrets_come_as_a_json_object_on_stdin_and_are_checked() {
    let cb = Cb::new();
    let mut args = create_args("{\"title\": {{{case.title}}}}");
    args.push("--secrets-json-stdin".into());
    let (code, message) = fails(&cb, &args, "not json s3cret");
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("validation", "secrets: standard input is not a JSON object of name → text")
    );

    let (_, message) = fails(&cb, &args, r#"{"client_key": "-----BEGIN PRIVATE KEY-----"}"#);
    assert_eq!(
        message,
        "secrets: client_key is only for a client certificate; choose that authentication or leave it out"
    );
    let (_, message) = fails(&cb, &args, r#"{"header:Bad Name": "v"}"#);
    assert_eq!(message, "secrets: \"Bad Name\" is not a valid header name");
}

#[test]
fn preview_names_an_unknown_connector() {
    let cb = Cb::new();
    let case = cb.create("Phishing wave", &[]);
    let id = case["id"].as_str().unwrap();
    let (code, message) = cb.fails(&["connector", "preview", "Tickets", "--case", id, "--request", "create"]);
    assert_eq!((code.as_str(), message.as_str()), ("not_found", "connector not found: Tickets in space default"));
    let (code, message) = cb.fails(&["connector", "preview", "Tickets", "--case", id, "--request", "delete"]);
    assert_eq!(code, "validation");
    assert_eq!(message, "request: must be create, update, comment, get or find (got \"delete\")");
}

#[test]
fn a_case_is_pushed_through_a_webhook_from_the_command_line() {
    let Some((fakes, keychain)) = fakes_and_keychain("connector_cases_webhook") else { return };
    let hook = &fakes.ready["webhook"];
    let (url, user, password) =
        (hook["url"].as_str().unwrap(), hook["username"].as_str().unwrap(), hook["password"].as_str().unwrap());
    let cb = Cb::new();
    let mut args = create_args_at(url, "{\"title\": {{{case.title}}}, \"case_id\": {{{case.id}}}}");
    let at = args.iter().position(|a| a.starts_with("auth=")).unwrap();
    args[at] = format!(r#"auth={{"type":"basic","username":"{user}"}}"#);
    args.push("--secrets-json-stdin".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let secrets = serde_json::json!({"secret": password}).to_string();
    let c = keychain.ok(&cb, &args, Some(&secrets), password);
    assert_eq!((c["kind"].as_str(), c["secret_stored"].as_bool()), (Some("cases-webhook"), Some(true)));
    assert_eq!(c["stored_secrets"], serde_json::json!(["secret"]));
    keychain.ok(&cb, &["connector", "test", "Tickets"], None, password);

    let case = cb.create("Beacon on WS-0142", &[]);
    let id = case["id"].as_str().unwrap();
    keychain.ok(&cb, &["case", "set-connector", id, "--connector", "Tickets"], None, password);
    let preview =
        keychain.ok(&cb, &["connector", "preview", "Tickets", "--case", id, "--request", "create"], None, password);
    assert_eq!(preview["url"], format!("{url}/api/tickets"));
    assert!(preview["body"].as_str().unwrap().contains("Beacon on WS-0142"));
    let pushed = keychain.ok(&cb, &["case", "push", id], None, password);
    assert_eq!(pushed["outcome"], "sent", "{pushed}");
    let title = pushed["report"]["external_title"].as_str().unwrap();
    assert!(title.starts_with("OPS-"), "{title}");
    assert_eq!(pushed["report"]["external_url"], format!("{url}/browse/{title}"));
}

//! `casebook connector create --type swimlane` with its field mappings as JSON, and a case
//! pushed to the contract fakes' Swimlane (`cargo build -p casebook-tests --example
//! contract-fakes`) through the OS keychain. Without a keychain (or the fakes) the push test
//! says so and passes, unless CASEBOOK_KEYCHAIN=require; `scripts/test-keychain`'s throwaway
//! gnome-keyring gives it one: `dbus-run-session -- sh -c 'echo -n x | gnome-keyring-daemon
//! --unlock --components=secrets; cargo test -p casebook-cli --test connector_swimlane'`.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};
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

/// The contract fakes as one process; stops when dropped (its stdin closes).
struct Fakes {
    child: Child,
    said: Value,
}

impl Fakes {
    fn start() -> Option<Fakes> {
        let bin = PathBuf::from(BIN).parent()?.join("examples/contract-fakes");
        if !bin.exists() {
            return None;
        }
        let mut child =
            Command::new(bin).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().ok()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take()?).read_line(&mut line).ok()?;
        Some(Fakes { said: serde_json::from_str(&line).ok()?, child })
    }
}

impl Drop for Fakes {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET to the fake with the token, its JSON answer (plain HTTP/1.1 on 127.0.0.1).
fn get(url: &str, path: &str, token: &str) -> Value {
    let addr = url.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nPrivate-Token: {token}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap()
}

fn skip(why: &str) {
    assert_ne!(std::env::var("CASEBOOK_KEYCHAIN").as_deref(), Ok("require"), "{why}");
    eprintln!("connector_swimlane SKIP: {why}");
}

#[test]
fn a_case_is_pushed_to_swimlane_from_the_command_line() {
    let Some(fakes) = Fakes::start() else {
        return skip("the contract fakes are not built (cargo build -p casebook-tests --example contract-fakes)");
    };
    let sw = &fakes.said["swimlane"];
    let (url, app, token) =
        (sw["url"].as_str().unwrap(), sw["app_id"].as_str().unwrap(), sw["secret"].as_str().unwrap());
    let fields = &sw["fields"];
    let cb = Cb::new();
    let app_arg = format!("app_id={app}");
    let mappings = format!("mappings={fields}");
    let r = cb.run_stdin(&with_json(&create_args(url, &app_arg, &mappings)), token);
    if r.code != 0 && r.json()["error"]["code"] == "keychain_unavailable" {
        return skip("no OS keychain answers");
    }
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let c = r.json();
    assert_eq!(c["settings"]["mappings"], *fields);
    assert!(!r.stdout.contains(token));

    let ok = cb.ok(&["connector", "test", "SOC Swimlane"]);
    let message = ok["message"].as_str().unwrap();
    assert!(message.contains("application Casebook Incidents (CBI) is reachable"), "{message}");
    let case = cb.create("Beaconing from WEB-01", &["--severity", "high"]);
    let id = id(&case);
    cb.ok(&["case", "set-connector", &id, "--connector", "SOC Swimlane"]);
    cb.ok(&["comment", "add", &id, "--body", "Isolated WEB-01"]);
    let out = cb.ok(&["case", "push", &id]);
    assert_eq!(out["outcome"], "sent", "{out}");
    let report = &out["report"];
    assert_eq!(report["external_title"], "CBI-1");
    let record_id = report["external_id"].as_str().unwrap().to_string();
    assert_eq!(report["external_url"], format!("{url}/record/{app}/{record_id}"));
    assert_eq!(cb.get(&id)["external_service"]["external_title"], "CBI-1");

    let record = get(url, &format!("/api/app/{app}/record/{record_id}"), token);
    let values = &record["values"];
    let field = |name: &str| values[fields[name].as_str().unwrap()].clone();
    assert_eq!(field("case_id"), json!(id));
    assert_eq!(field("name"), "Beaconing from WEB-01");
    assert_eq!(field("severity"), "high");
    assert_eq!(field("status"), "Open");
    let comments = field("comments");
    assert!(comments[0]["message"].as_str().unwrap().starts_with("Isolated WEB-01\n\nAdded by "), "{comments}");
    // The keychain entry goes with the connector.
    cb.ok(&["connector", "delete", "SOC Swimlane"]);
}

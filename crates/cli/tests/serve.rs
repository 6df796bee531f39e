//! `casebook serve --dev`: the window's API over HTTP, as the browser page tests use it.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use support::*;

struct Server {
    child: Child,
    addr: String,
    db: PathBuf,
}

impl Server {
    fn start() -> Server {
        let mut child = base_command()
            .args(["serve", "--dev", "--port", "0", "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        // The start line is pretty-printed JSON: read until it parses.
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut text = String::new();
        let started: Value = loop {
            assert!(reader.read_line(&mut text).unwrap() > 0, "the server stopped before it started: {text}");
            if let Ok(v) = serde_json::from_str(&text) {
                break v;
            }
        };
        let addr = started["url"].as_str().unwrap().trim_start_matches("http://").to_string();
        let db = PathBuf::from(started["db"].as_str().unwrap());
        Server { child, addr, db }
    }

    /// One request; the status and the body as JSON.
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&Value>) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        let status = reply[9..12].parse().unwrap();
        let (_, payload) = reply.split_once("\r\n\r\n").unwrap();
        (status, serde_json::from_str(payload).unwrap_or(Value::Null))
    }

    fn invoke(&self, command: &str, args: Value) -> (u16, Value) {
        self.request("POST", &format!("/api/invoke/{command}"), &[("Content-Type", "application/json")], Some(&args))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_windows_commands_answer_over_http_on_a_temporary_database() {
    let s = Server::start();
    assert!(s.db.exists(), "{}", s.db.display());
    let (status, case) = s.invoke("create_case", json!({"space": "default", "input": {"title": "Beacon on WS-0142"}}));
    assert_eq!(status, 200, "{case}");
    let (_, found) = s.invoke("find_cases", json!({"query": {"search": "beacon"}}));
    assert_eq!(found["total"], 1, "{found}");
    let (_, comment) = s.invoke("add_comment", json!({"caseId": case["id"], "body": "Isolated the host"}));
    assert_eq!(comment["comment"], "Isolated the host", "{comment}");

    // The window's error shape, with the field, and nothing written.
    let (status, err) = s.invoke("create_case", json!({"space": "default", "input": {"title": "x".repeat(161)}}));
    assert_eq!(
        (status, err["code"].as_str(), err["field"].as_str()),
        (400, Some("validation"), Some("title")),
        "{err}"
    );
    assert_eq!(s.invoke("find_cases", json!({"query": {}})).1["total"], 1);
    let (status, err) = s.invoke("drop_database", json!({}));
    assert_eq!((status, err["code"].as_str()), (404, Some("ipc")), "{err}");
}

#[test]
fn only_pages_on_this_machine_may_call_it() {
    let s = Server::start();
    let json_type = ("Content-Type", "application/json");
    let args = json!({});
    let (status, err) =
        s.request("POST", "/api/invoke/list_spaces", &[json_type, ("Origin", "https://evil.example")], Some(&args));
    assert_eq!((status, err["code"].as_str()), (403, Some("ipc")), "{err}");
    // A form post from another page cannot be JSON without a preflight, which is never granted.
    let (status, _) = s.request("POST", "/api/invoke/list_spaces", &[("Content-Type", "text/plain")], Some(&args));
    assert_eq!(status, 415);
    let (status, _) =
        s.request("POST", "/api/invoke/list_spaces", &[json_type, ("Origin", "http://localhost:5173")], Some(&args));
    assert_eq!(status, 200);
}

#[test]
fn the_database_is_deleted_when_the_server_stops() {
    let mut s = Server::start();
    let db = s.db.clone();
    Command::new("kill").arg("-TERM").arg(s.child.id().to_string()).status().unwrap();
    let status = s.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(!db.exists() && !db.parent().unwrap().exists(), "{} is left behind", db.display());
}

#[test]
fn serve_without_dev_is_refused() {
    let run = spawn(Cb::new().cmd(&["serve"]), None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--dev"), "{}", run.stderr);
}

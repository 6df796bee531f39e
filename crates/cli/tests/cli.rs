//! End-to-end tests of the real `casebook` binary: what a scripting analyst sees.
//!
//! Every test gets its own temporary directory and database (`--db`), and the child process
//! never inherits `CASEBOOK_DB` / `CASEBOOK_SPACE` from the developer's shell.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_casebook");

/// A UUID that no test ever creates.
const MISSING_ID: &str = "3f2b1d9e-0000-4000-8000-000000000000";

/// One scratch database in its own temporary directory.
struct Cb {
    dir: tempfile::TempDir,
    db: PathBuf,
}

/// What one run of the binary left behind.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

fn base_command() -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("CASEBOOK_DB").env_remove("CASEBOOK_SPACE");
    c
}

fn spawn(mut cmd: Command, stdin: Option<&str>) -> Run {
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn casebook");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    Run::from(child.wait_with_output().expect("wait for casebook"))
}

impl Cb {
    fn new() -> Cb {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("casebook.db");
        Cb { dir, db }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = base_command();
        c.arg("--db").arg(&self.db).args(args);
        c
    }

    /// Runs with `--db` and the given arguments (add `--json` yourself).
    fn run(&self, args: &[&str]) -> Run {
        spawn(self.cmd(args), None)
    }

    fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        spawn(self.cmd(args), Some(input))
    }

    /// `--json <args>`, which must succeed; returns the parsed stdout.
    fn ok(&self, args: &[&str]) -> Value {
        let r = self.run(&with_json(args));
        assert_eq!(r.code, 0, "casebook {args:?} failed:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        r.json()
    }

    fn ok_stdin(&self, args: &[&str], input: &str) -> Value {
        let r = self.run_stdin(&with_json(args), input);
        assert_eq!(r.code, 0, "casebook {args:?} failed:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        r.json()
    }

    /// `--json <args>`, which must fail with exit code 1 and the `{"error":{code,message}}` shape;
    /// returns (code, message).
    fn fails(&self, args: &[&str]) -> (String, String) {
        let r = self.run(&with_json(args));
        error_of(&r, 1, args)
    }

    fn fails_stdin(&self, args: &[&str], input: &str) -> (String, String) {
        let r = self.run_stdin(&with_json(args), input);
        error_of(&r, 1, args)
    }

    fn me(&self) -> String {
        self.ok(&["user", "me"])["username"].as_str().expect("username").to_string()
    }

    /// Creates a case from flags and returns it.
    fn create(&self, title: &str, extra: &[&str]) -> Value {
        let mut args = vec!["case", "create", "--title", title];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    fn get(&self, id: &str) -> Value {
        self.ok(&["case", "get", id])
    }

    /// `case list --json` with extra arguments.
    fn list(&self, extra: &[&str]) -> Value {
        let mut args = vec!["case", "list"];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// Titles of `case list` (sorted, for set comparisons).
    fn titles(&self, extra: &[&str]) -> Vec<String> {
        let mut t = titles_of(&self.list(extra));
        t.sort();
        t
    }

    fn total(&self) -> i64 {
        self.list(&[])["total"].as_i64().expect("total")
    }

    fn activity(&self, id: &str, types: &[&str]) -> Vec<Value> {
        let mut args = vec!["activity", id];
        for t in types {
            args.push("--type");
            args.push(t);
        }
        let page = self.ok(&args);
        assert_eq!(page["total"].as_i64(), Some(page["user_actions"].as_array().unwrap().len() as i64));
        page["user_actions"].as_array().unwrap().clone()
    }
}

fn with_json<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--json"];
    v.extend_from_slice(args);
    v
}

fn error_of(r: &Run, exit: i32, args: &[&str]) -> (String, String) {
    assert_eq!(r.code, exit, "casebook {args:?} should exit {exit}:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    let v = r.json();
    let obj = v.as_object().expect("error body is an object");
    assert_eq!(obj.keys().collect::<Vec<_>>(), vec!["error"], "only `error` at the top: {v}");
    let e = v["error"].as_object().expect("error is an object");
    let mut keys: Vec<_> = e.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, vec!["code", "message"], "error has code and message: {v}");
    let code = e["code"].as_str().expect("code is a string").to_string();
    let message = e["message"].as_str().expect("message is a string").to_string();
    assert!(!message.trim().is_empty(), "empty error message: {v}");
    (code, message)
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_string()
}

fn version(v: &Value) -> String {
    v["version"].as_str().unwrap_or_else(|| panic!("no version in {v}")).to_string()
}

fn titles_of(list: &Value) -> Vec<String> {
    list["cases"].as_array().expect("cases").iter().map(|c| c["title"].as_str().unwrap().to_string()).collect()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|s| s.as_str().expect("string").to_string()).collect()
}

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write file");
    p
}

// ---------------------------------------------------------------------------------------------
// Create and get
// ---------------------------------------------------------------------------------------------

#[test]
fn create_with_flags_prints_the_case_with_kibana_field_names() {
    let cb = Cb::new();
    let me = cb.me();
    let c = cb.create(
        "Phishing wave against finance",
        &[
            "--description",
            "Several users got **the same** mail",
            "--tag",
            "phishing",
            "--tag",
            "email",
            "--severity",
            "high",
            "--category",
            "Phishing",
            "--assignee",
            &me,
        ],
    );
    for key in [
        "id",
        "version",
        "incremental_id",
        "title",
        "description",
        "tags",
        "severity",
        "status",
        "assignees",
        "category",
        "custom_fields",
        "settings",
        "owner",
        "connector",
        "external_service",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "closed_at",
        "closed_by",
        "duration",
        "total_comment",
        "total_alerts",
    ] {
        assert!(c.get(key).is_some(), "field {key} missing from {c}");
    }
    for camel in ["incrementalId", "createdAt", "createdBy", "totalComment", "customFields", "closedAt"] {
        assert!(c.get(camel).is_none(), "camelCase field {camel} in {c}");
    }
    assert_eq!(c["title"], "Phishing wave against finance");
    assert_eq!(c["description"], "Several users got **the same** mail");
    assert_eq!(strs(&c["tags"]), vec!["phishing", "email"]);
    assert_eq!(c["severity"], "high");
    assert_eq!(c["status"], "open");
    assert_eq!(c["category"], "Phishing");
    assert_eq!(c["assignees"], json!([{ "uid": me }]));
    assert_eq!(c["created_by"]["username"], me.as_str());
    assert_eq!(c["total_comment"], 0);
    assert_eq!(c["total_alerts"], 0);
    assert_eq!(c["settings"]["sync_alerts"], true);
    assert_eq!(c["owner"], "securitySolution");
    assert_eq!(c["connector"]["id"], "none");
    assert!(c["closed_at"].is_null() && c["duration"].is_null());
    assert!(c["incremental_id"].is_null(), "cases are not numbered yet: {c}");
    assert!(!version(&c).is_empty());
    assert!(c["created_at"].as_str().unwrap().ends_with('Z'), "created_at is RFC 3339 UTC: {c}");

    // The defaults of a bare create.
    let bare = cb.create("Bare", &[]);
    assert_eq!(bare["severity"], "low");
    assert_eq!(bare["description"], "");
    assert_eq!(bare["tags"], json!([]));
    assert!(bare["category"].is_null());

    // get by UUID returns the same case.
    let got = cb.get(&id(&c));
    assert_eq!(got, c);
    // Uppercase UUIDs name the same case.
    assert_eq!(cb.get(&id(&c).to_uppercase())["id"], c["id"]);
    assert_eq!(cb.total(), 2);
}

#[test]
fn create_reads_description_from_stdin() {
    let cb = Cb::new();
    let c = cb.ok_stdin(&["case", "create", "--title", "From a pipe", "--description", "-"], "line one\nline two\n");
    assert!(c["description"].as_str().unwrap().starts_with("line one\nline two"), "{c}");
}

#[test]
fn create_from_json_file_and_stdin_accepts_the_kibana_body() {
    let cb = Cb::new();
    cb.ok(&["settings", "add-field", "--key", "triaged", "--label", "Triaged", "--type", "toggle"]);
    let body = json!({
        "title": "Kibana body",
        "description": "pasted from the Kibana API docs",
        "tags": ["kibana", "import"],
        "severity": "critical",
        "owner": "securitySolution",
        "connector": { "id": "none", "name": "none", "type": ".none", "fields": null },
        "settings": { "syncAlerts": false },
        "customFields": [{ "key": "triaged", "type": "toggle", "value": true }],
        "category": "Malware",
        "assignees": []
    });

    // From a file.
    let file = write_file(cb.dir.path(), "case.json", &body.to_string());
    let from_file = cb.ok(&["case", "create", "--from-json", file.to_str().unwrap()]);
    // From stdin.
    let mut body2 = body.clone();
    body2["title"] = json!("Kibana body via stdin");
    let from_stdin = cb.ok_stdin(&["case", "create", "--from-json", "-"], &body2.to_string());

    for (c, title) in [(&from_file, "Kibana body"), (&from_stdin, "Kibana body via stdin")] {
        assert_eq!(c["title"], title);
        assert_eq!(c["description"], "pasted from the Kibana API docs");
        assert_eq!(strs(&c["tags"]), vec!["kibana", "import"]);
        assert_eq!(c["severity"], "critical");
        assert_eq!(c["category"], "Malware");
        assert_eq!(c["settings"], json!({ "sync_alerts": false }));
        assert_eq!(c["custom_fields"], json!([{ "key": "triaged", "type": "toggle", "value": true }]));
        assert_eq!(c["owner"], "securitySolution");
        assert_eq!(c["connector"]["type"], ".none");
        // Stored, not just echoed.
        assert_eq!(&cb.get(&id(c)), c);
    }
    assert_eq!(cb.total(), 2);
}

#[test]
fn create_from_json_array_creates_all_or_none() {
    let cb = Cb::new();
    let arr =
        json!([{ "title": "First of many", "tags": ["bulk"] }, { "title": "Second of many", "severity": "medium" }]);
    let created = cb.ok_stdin(&["case", "create", "--from-json", "-"], &arr.to_string());
    let created = created.as_array().expect("an array of cases comes back");
    assert_eq!(created.len(), 2);
    assert_eq!(created[0]["title"], "First of many");
    assert_eq!(created[1]["severity"], "medium");
    assert_eq!(cb.titles(&[]), sorted(&["First of many", "Second of many"]));

    // One bad element: nothing is created.
    let bad = json!([{ "title": "Would be third" }, { "title": "" }]);
    let (code, msg) = cb.fails_stdin(&["case", "create", "--from-json", "-"], &bad.to_string());
    assert_eq!(code, "validation");
    assert!(msg.contains("title"), "{msg}");
    assert_eq!(cb.total(), 2);

    // An empty array is refused.
    let (code, _) = cb.fails_stdin(&["case", "create", "--from-json", "-"], "[]");
    assert_eq!(code, "validation");
}

#[test]
fn create_from_json_rejects_bad_input_with_validation_errors() {
    let cb = Cb::new();
    let (code, msg) = cb.fails_stdin(&["case", "create", "--from-json", "-"], "{\"title\":");
    assert_eq!(code, "validation");
    assert!(msg.contains("from_json"), "{msg}");

    let missing = cb.dir.path().join("nope.json");
    let (code, msg) = cb.fails(&["case", "create", "--from-json", missing.to_str().unwrap()]);
    assert_eq!(code, "validation");
    assert!(msg.contains("nope.json"), "{msg}");

    // An unknown field and a bad severity are refused (see the ignored test for the message).
    let (code, _) = cb.fails_stdin(&["case", "create", "--from-json", "-"], r#"{"title":"x","foo":1}"#);
    assert_eq!(code, "validation");
    let (code, _) = cb.fails_stdin(&["case", "create", "--from-json", "-"], r#"{"title":"x","severity":"urgent"}"#);
    assert_eq!(code, "validation");
    // A custom field the space does not define.
    let (code, msg) = cb.fails_stdin(
        &["case", "create", "--from-json", "-"],
        r#"{"title":"x","customFields":[{"key":"nope","type":"toggle","value":true}]}"#,
    );
    assert_eq!(code, "validation");
    assert!(msg.contains("nope"), "{msg}");
    assert_eq!(cb.total(), 0);
}

#[test]
fn create_from_json_names_the_offending_field() {
    let cb = Cb::new();
    let (_, msg) = cb.fails_stdin(&["case", "create", "--from-json", "-"], r#"{"title":"x","foo":1}"#);
    assert!(msg.contains("foo") && !msg.contains("untagged"), "{msg}");
    let (_, msg) = cb.fails_stdin(&["case", "create", "--from-json", "-"], r#"{"title":"x","severity":"urgent"}"#);
    assert!(msg.contains("urgent") && !msg.contains("untagged"), "{msg}");
}

#[test]
fn case_references_numbers_and_garbage() {
    let cb = Cb::new();
    cb.create("Only case", &[]);
    // Cases carry no number yet, so #1 names nothing.
    let (code, msg) = cb.fails(&["case", "get", "#1"]);
    assert_eq!(code, "not_found");
    assert!(msg.contains("#1"), "{msg}");
    let (code, _) = cb.fails(&["case", "get", "#0"]);
    assert_eq!(code, "validation");
    let (code, msg) = cb.fails(&["case", "get", "not-a-case"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("not-a-case"), "{msg}");
    let (code, msg) = cb.fails(&["case", "get", MISSING_ID]);
    assert_eq!(code, "not_found");
    assert!(msg.contains(MISSING_ID), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// List: filters, search, sort and paging
// ---------------------------------------------------------------------------------------------

#[test]
fn list_has_the_find_shape_and_counts() {
    let cb = Cb::new();
    let a = cb.create("Open one", &[]);
    let b = cb.create("In progress one", &[]);
    let c = cb.create("Closed one", &[]);
    cb.ok(&["case", "update", &id(&b), "--version", &version(&b), "--status", "in-progress"]);
    cb.ok(&["case", "update", &id(&c), "--version", &version(&c), "--status", "closed"]);
    let l = cb.list(&[]);
    for key in
        ["cases", "page", "per_page", "total", "count_open_cases", "count_in_progress_cases", "count_closed_cases"]
    {
        assert!(l.get(key).is_some(), "{key} missing from {l}");
    }
    assert_eq!(l["page"], 1);
    assert_eq!(l["per_page"], 20);
    assert_eq!(l["total"], 3);
    assert_eq!(l["count_open_cases"], 1);
    assert_eq!(l["count_in_progress_cases"], 1);
    assert_eq!(l["count_closed_cases"], 1);
    // Default order: newest first.
    assert_eq!(titles_of(&l), vec!["Closed one", "In progress one", "Open one"]);
    assert_eq!(l["cases"][2]["id"], a["id"]);
}

#[test]
fn list_filters_by_status_severity_tag_category() {
    let cb = Cb::new();
    let a =
        cb.create("Alpha", &["--severity", "critical", "--tag", "apt", "--tag", "lateral", "--category", "Intrusion"]);
    cb.create("Bravo", &["--severity", "high", "--tag", "phishing", "--category", "Phishing"]);
    let c = cb.create("Charlie", &["--severity", "low", "--tag", "apt"]);
    cb.create("Delta", &["--severity", "medium"]);
    cb.ok(&["case", "update", &id(&a), "--version", &version(&a), "--status", "in-progress"]);
    cb.ok(&["case", "update", &id(&c), "--version", &version(&c), "--status", "closed"]);

    assert_eq!(cb.titles(&["--status", "open"]), sorted(&["Bravo", "Delta"]));
    assert_eq!(cb.titles(&["--status", "in-progress"]), sorted(&["Alpha"]));
    assert_eq!(cb.titles(&["--status", "open", "--status", "closed"]), sorted(&["Bravo", "Charlie", "Delta"]));
    assert_eq!(cb.titles(&["--severity", "critical"]), sorted(&["Alpha"]));
    assert_eq!(cb.titles(&["--severity", "high", "--severity", "medium"]), sorted(&["Bravo", "Delta"]));
    assert_eq!(cb.titles(&["--tag", "apt"]), sorted(&["Alpha", "Charlie"]));
    assert_eq!(cb.titles(&["--tag", "lateral", "--tag", "phishing"]), sorted(&["Alpha", "Bravo"]));
    assert_eq!(cb.titles(&["--tag", "nothing-has-this"]), Vec::<String>::new());
    assert_eq!(cb.titles(&["--category", "Phishing"]), sorted(&["Bravo"]));
    // Filters combine with AND.
    assert_eq!(cb.titles(&["--tag", "apt", "--status", "closed"]), sorted(&["Charlie"]));
    assert_eq!(cb.titles(&["--tag", "apt", "--severity", "high"]), Vec::<String>::new());

    let l = cb.list(&["--tag", "apt"]);
    assert_eq!(l["total"], 2);
    assert_eq!(l["count_in_progress_cases"], 1);
    assert_eq!(l["count_closed_cases"], 1);
    assert_eq!(l["count_open_cases"], 0);

    // Bad filter values are validation errors naming the allowed values.
    let (code, msg) = cb.fails(&["case", "list", "--status", "bogus"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("status") && msg.contains("in-progress"), "{msg}");
    let (code, msg) = cb.fails(&["case", "list", "--severity", "urgent"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("severity") && msg.contains("critical"), "{msg}");
}

#[test]
fn list_filters_by_assignee_none_and_reporter() {
    let cb = Cb::new();
    let me = cb.me();
    let alice = cb.ok(&["user", "add", "alice", "--full-name", "Alice Analyst", "--email", "alice@example.com"]);
    assert_eq!(alice["username"], "alice");
    assert_eq!(alice["full_name"], "Alice Analyst");
    cb.ok(&["user", "add", "bob"]);
    let users: Vec<String> = cb
        .ok(&["user", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect();
    assert!(
        users.contains(&"alice".to_string()) && users.contains(&"bob".to_string()) && users.contains(&me),
        "{users:?}"
    );

    cb.create("For alice", &["--assignee", "alice"]);
    cb.create("For alice and bob", &["--assignee", "alice", "--assignee", "bob"]);
    cb.create("For me", &["--assignee", &me]);
    cb.create("Nobody's", &[]);

    assert_eq!(cb.titles(&["--assignee", "alice"]), sorted(&["For alice", "For alice and bob"]));
    assert_eq!(cb.titles(&["--assignee", "bob"]), sorted(&["For alice and bob"]));
    assert_eq!(cb.titles(&["--assignee", "none"]), sorted(&["Nobody's"]));
    assert_eq!(cb.titles(&["--assignee", "none", "--assignee", &me]), sorted(&["Nobody's", "For me"]));

    // Reporter: switch the profile and create one more.
    cb.ok(&["user", "me", "--username", "carol"]);
    assert_eq!(cb.me(), "carol");
    let by_carol = cb.create("Reported by carol", &[]);
    assert_eq!(by_carol["created_by"]["username"], "carol");
    assert_eq!(cb.titles(&["--reporter", "carol"]), sorted(&["Reported by carol"]));
    assert_eq!(cb.titles(&["--reporter", &me]).len(), 4);
    assert_eq!(cb.titles(&["--reporter", "alice"]), Vec::<String>::new());
    let reporters = strs(&cb.ok(&["reporters"]));
    assert!(reporters.contains(&"carol".to_string()) && reporters.contains(&me), "{reporters:?}");
}

#[test]
fn assigning_needs_a_known_user() {
    let cb = Cb::new();
    let (code, msg) = cb.fails(&["case", "create", "--title", "Assign a stranger", "--assignee", "mallory"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("mallory") && msg.contains("user add"), "{msg}");
    assert_eq!(cb.total(), 0);

    cb.ok(&["user", "add", "mallory"]);
    let c = cb.create("Assign a stranger", &["--assignee", "mallory"]);
    assert_eq!(c["assignees"], json!([{ "uid": "mallory" }]));

    // Adding an unknown assignee on update fails too, and changes nothing.
    let (code, msg) = cb.fails(&["case", "update", &id(&c), "--version", &version(&c), "--add-assignee", "eve"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("eve"), "{msg}");
    assert_eq!(cb.get(&id(&c)), c);

    // Adding a user twice.
    let (code, msg) = cb.fails(&["user", "add", "mallory"]);
    assert_eq!(code, "already_exists");
    assert!(msg.contains("mallory"), "{msg}");
}

#[test]
fn list_search_free_text_and_uuid() {
    let cb = Cb::new();
    let r = cb.create("Ransomware on host-42", &["--description", "Encrypted files on the finance share"]);
    let other = cb.create("Suspicious login", &["--description", "Impossible travel for a VPN account"]);
    cb.create("Unrelated noise", &[]);
    cb.ok(&["comment", "add", &id(&other), "--body", "Looks like credential stuffing from a botnet"]);

    assert_eq!(cb.titles(&["--search", "ransomware"]), sorted(&["Ransomware on host-42"]));
    assert_eq!(cb.titles(&["--search", "RANSOMWARE"]), sorted(&["Ransomware on host-42"]));
    assert_eq!(cb.titles(&["--search", "finance"]), sorted(&["Ransomware on host-42"]), "description is searched");
    assert_eq!(cb.titles(&["--search", "host-42"]), sorted(&["Ransomware on host-42"]));
    assert_eq!(cb.titles(&["--search", "botnet"]), sorted(&["Suspicious login"]), "comments are searched");
    assert_eq!(cb.titles(&["--search", "zebra"]), Vec::<String>::new());
    // Operators and quotes in the search box are text, not errors.
    assert_eq!(cb.titles(&["--search", "AND OR ("]), Vec::<String>::new());

    // A UUID finds exactly that case.
    let l = cb.list(&["--search", &id(&r)]);
    assert_eq!(l["total"], 1);
    assert_eq!(l["cases"][0]["id"], r["id"]);
    assert_eq!(cb.titles(&["--search", MISSING_ID]), Vec::<String>::new());

    // Search combines with the filters.
    assert_eq!(cb.titles(&["--search", "ransomware", "--status", "closed"]), Vec::<String>::new());
}

#[test]
fn list_sort_order_and_paging_are_stable() {
    let cb = Cb::new();
    // Created in one transaction: all twelve share created_at, so only a tie-breaker keeps
    // paging stable.
    let bodies: Vec<Value> = (0..12)
        .map(|i| {
            let severity = ["low", "medium", "high", "critical"][i % 4];
            json!({ "title": format!("Case {i:02}"), "severity": severity })
        })
        .collect();
    cb.ok_stdin(&["case", "create", "--from-json", "-"], &Value::Array(bodies).to_string());
    let all: HashSet<String> = cb.titles(&["--per-page", "100"]).into_iter().collect();
    assert_eq!(all.len(), 12);

    for sort in ["created", "updated", "title", "severity", "status", "category", "closed"] {
        for order in ["asc", "desc"] {
            let mut seen = Vec::new();
            for page in 1..=4 {
                let p = page.to_string();
                let l = cb.list(&["--sort", sort, "--order", order, "--per-page", "5", "--page", &p]);
                assert_eq!(l["total"], 12);
                assert_eq!(l["page"], page);
                assert_eq!(l["per_page"], 5);
                let expect = match page {
                    1 | 2 => 5,
                    3 => 2,
                    _ => 0,
                };
                assert_eq!(l["cases"].as_array().unwrap().len(), expect, "page {page} of {sort} {order}");
                seen.extend(titles_of(&l));
            }
            let unique: HashSet<String> = seen.iter().cloned().collect();
            assert_eq!(seen.len(), 12, "{sort} {order}: {seen:?}");
            assert_eq!(unique, all, "{sort} {order} repeats or skips cases: {seen:?}");
            // The same query twice gives the same order.
            let again: Vec<String> = (1..=3)
                .flat_map(|p| {
                    titles_of(&cb.list(&[
                        "--sort",
                        sort,
                        "--order",
                        order,
                        "--per-page",
                        "5",
                        "--page",
                        &p.to_string(),
                    ]))
                })
                .collect();
            assert_eq!(again, seen, "{sort} {order} is not deterministic");
        }
    }

    let by_title = titles_of(&cb.list(&["--sort", "title", "--order", "asc", "--per-page", "100"]));
    let mut expected: Vec<String> = all.iter().cloned().collect();
    expected.sort();
    assert_eq!(by_title, expected);
    let by_title_desc = titles_of(&cb.list(&["--sort", "title", "--order", "desc", "--per-page", "100"]));
    expected.reverse();
    assert_eq!(by_title_desc, expected);

    let rank = |s: &str| ["low", "medium", "high", "critical"].iter().position(|x| *x == s).unwrap();
    let sev: Vec<usize> = cb.list(&["--sort", "severity", "--order", "desc", "--per-page", "100"])["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| rank(c["severity"].as_str().unwrap()))
        .collect();
    assert!(sev.windows(2).all(|w| w[0] >= w[1]), "severity desc: {sev:?}");
    let sev: Vec<usize> = cb.list(&["--sort", "severity", "--order", "asc", "--per-page", "100"])["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| rank(c["severity"].as_str().unwrap()))
        .collect();
    assert!(sev.windows(2).all(|w| w[0] <= w[1]), "severity asc: {sev:?}");

    // Past the last page: empty, with the total.
    let far = cb.list(&["--per-page", "5", "--page", "9"]);
    assert_eq!(far["cases"], json!([]));
    assert_eq!(far["total"], 12);

    // Paging and sort mistakes.
    for (args, field) in [
        (vec!["case", "list", "--page", "0"], "page"),
        (vec!["case", "list", "--per-page", "0"], "per_page"),
        (vec!["case", "list", "--per-page", "1000"], "per_page"),
        (vec!["case", "list", "--sort", "bogus"], "sort"),
        (vec!["case", "list", "--order", "up"], "order"),
    ] {
        let (code, msg) = cb.fails(&args);
        assert_eq!(code, "validation", "{args:?}");
        assert!(msg.contains(field), "{args:?}: {msg}");
    }
}

#[test]
fn list_sorts_by_creation_time_across_separate_commands() {
    let cb = Cb::new();
    for t in ["first", "second", "third"] {
        cb.create(t, &[]);
        // created_at has millisecond precision; keep the three apart.
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(titles_of(&cb.list(&[])), vec!["third", "second", "first"]);
    assert_eq!(titles_of(&cb.list(&["--order", "asc"])), vec!["first", "second", "third"]);
    assert_eq!(titles_of(&cb.list(&["--sort", "created", "--order", "asc"])), vec!["first", "second", "third"]);
}

// ---------------------------------------------------------------------------------------------
// Update and delete
// ---------------------------------------------------------------------------------------------

#[test]
fn update_with_current_version_then_stale_version_conflicts_and_changes_nothing() {
    let cb = Cb::new();
    let me = cb.me();
    let c = cb.create("Original title", &["--tag", "keep", "--tag", "drop", "--severity", "low"]);
    let v1 = version(&c);

    let u = cb.ok(&[
        "case",
        "update",
        &id(&c),
        "--version",
        &v1,
        "--title",
        "Better title",
        "--severity",
        "high",
        "--category",
        "Malware",
        "--add-tag",
        "new",
        "--remove-tag",
        "drop",
    ]);
    let v2 = version(&u);
    assert_ne!(v1, v2, "the version changes on update");
    assert_eq!(u["title"], "Better title");
    assert_eq!(u["severity"], "high");
    assert_eq!(u["category"], "Malware");
    assert_eq!(sorted_strs(&u["tags"]), sorted(&["keep", "new"]));
    assert_eq!(u["updated_by"]["username"], me.as_str());
    assert!(u["updated_at"].is_string());
    assert_eq!(cb.get(&id(&c)), u);

    // A second writer still holding v1.
    let (code, msg) = cb.fails(&["case", "update", &id(&c), "--version", &v1, "--title", "Lost update"]);
    assert_eq!(code, "conflict");
    assert!(msg.contains(&v1) && msg.contains(&v2), "the message gives both versions: {msg}");
    assert_eq!(cb.get(&id(&c)), u, "a refused update changes nothing");

    // Text mode: exit 1, a sentence on stderr, nothing on stdout.
    let r = cb.run(&["case", "update", &id(&c), "--version", &v1, "--title", "Lost update"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty(), "stdout: {}", r.stdout);
    assert!(r.stderr.starts_with("casebook: ") && r.stderr.contains("changed since you loaded it"), "{}", r.stderr);
    assert!(!r.stderr.trim_start().starts_with('{'));
    assert_eq!(cb.get(&id(&c)), u);

    // Garbage versions are validation errors.
    let (code, msg) = cb.fails(&["case", "update", &id(&c), "--version", "abc", "--title", "x"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("version"), "{msg}");

    // Bad values change nothing either.
    let (code, _) = cb.fails(&["case", "update", &id(&c), "--version", &v2, "--severity", "urgent"]);
    assert_eq!(code, "validation");
    let (code, msg) = cb.fails(&["case", "update", &id(&c), "--version", &v2, "--title", &"t".repeat(161)]);
    assert_eq!(code, "validation");
    assert!(msg.contains("title") && msg.contains("160"), "{msg}");
    assert_eq!(cb.get(&id(&c)), u);

    // Unknown case.
    let (code, _) = cb.fails(&["case", "update", MISSING_ID, "--version", "1", "--title", "x"]);
    assert_eq!(code, "not_found");
}

fn sorted_strs(v: &Value) -> Vec<String> {
    let mut s = strs(v);
    s.sort();
    s
}

#[test]
fn update_tags_and_description_from_stdin() {
    let cb = Cb::new();
    let c = cb.create("Tags", &["--tag", "a"]);
    let u = cb.ok(&["case", "update", &id(&c), "--version", &version(&c), "--add-tag", "b", "--add-tag", "c"]);
    assert_eq!(sorted_strs(&u["tags"]), sorted(&["a", "b", "c"]));
    let u = cb.ok(&["case", "update", &id(&c), "--version", &version(&u), "--remove-tag", "a", "--remove-tag", "c"]);
    assert_eq!(strs(&u["tags"]), vec!["b"]);
    // Adding a tag the case has does not duplicate it.
    let u2 = cb.ok(&["case", "update", &id(&c), "--version", &version(&u), "--add-tag", "b"]);
    assert_eq!(strs(&u2["tags"]), vec!["b"]);
    assert_eq!(cb.titles(&["--tag", "b"]), vec!["Tags"]);
    assert_eq!(cb.titles(&["--tag", "a"]), Vec::<String>::new());
    let tags = strs(&cb.ok(&["tags"]));
    assert_eq!(tags, vec!["b"]);

    let v = version(&cb.get(&id(&c)));
    let u = cb
        .ok_stdin(&["case", "update", &id(&c), "--version", &v, "--description", "-"], "## Timeline\n- 09:00 alert\n");
    assert!(u["description"].as_str().unwrap().starts_with("## Timeline\n- 09:00 alert"), "{u}");
}

#[test]
fn closing_sets_closed_at_and_duration_and_reopening_clears_them() {
    let cb = Cb::new();
    let me = cb.me();
    let c = cb.create("To close", &[]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let p = cb.ok(&["case", "update", &id(&c), "--version", &version(&c), "--status", "in-progress"]);
    assert_eq!(p["status"], "in-progress");
    assert!(p["in_progress_at"].is_string(), "{p}");
    assert!(p["closed_at"].is_null() && p["duration"].is_null());

    let closed = cb.ok(&["case", "update", &id(&c), "--version", &version(&p), "--status", "closed"]);
    assert_eq!(closed["status"], "closed");
    assert!(closed["closed_at"].is_string(), "{closed}");
    assert_eq!(closed["closed_by"]["username"], me.as_str());
    let duration = closed["duration"].as_i64().unwrap_or_else(|| panic!("duration is an integer: {closed}"));
    assert!((1..3600).contains(&duration), "duration is seconds since creation: {duration}");
    assert!(closed["closed_at"].as_str().unwrap() >= closed["created_at"].as_str().unwrap());

    let l = cb.list(&["--status", "closed"]);
    assert_eq!(l["count_closed_cases"], 1);
    assert_eq!(l["total"], 1);

    let reopened = cb.ok(&["case", "update", &id(&c), "--version", &version(&closed), "--status", "open"]);
    assert_eq!(reopened["status"], "open");
    assert!(
        reopened["closed_at"].is_null() && reopened["closed_by"].is_null() && reopened["duration"].is_null(),
        "{reopened}"
    );

    let (code, msg) = cb.fails(&["case", "update", &id(&c), "--version", &version(&reopened), "--status", "done"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("status"), "{msg}");
}

#[test]
fn delete_several_cases_all_or_none() {
    let cb = Cb::new();
    let a = cb.create("A", &[]);
    let b = cb.create("B", &[]);
    let c = cb.create("C", &[]);
    cb.ok(&["comment", "add", &id(&a), "--body", "goes with the case"]);

    // One unknown id: nothing is deleted.
    let (code, msg) = cb.fails(&["case", "delete", &id(&a), MISSING_ID]);
    assert_eq!(code, "not_found");
    assert!(msg.contains(MISSING_ID), "{msg}");
    assert_eq!(cb.total(), 3);

    let out = cb.ok(&["case", "delete", &id(&a), &id(&b)]);
    assert_eq!(sorted_strs(&out["deleted"]), {
        let mut v = vec![id(&a), id(&b)];
        v.sort();
        v
    });
    assert_eq!(cb.titles(&[]), vec!["C"]);
    let (code, _) = cb.fails(&["case", "get", &id(&a)]);
    assert_eq!(code, "not_found");
    let (code, _) = cb.fails(&["comment", "list", &id(&a)]);
    assert_eq!(code, "not_found");
    let (code, _) = cb.fails(&["case", "delete", &id(&a)]);
    assert_eq!(code, "not_found");
    assert_eq!(cb.get(&id(&c))["title"], "C");

    // Text mode says how many.
    let r = cb.run(&["case", "delete", &id(&c)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Deleted 1 case"), "{}", r.stdout);
    assert_eq!(cb.total(), 0);
}

#[test]
fn delete_naming_a_case_twice_is_not_reported_as_not_found() {
    let cb = Cb::new();
    let a = cb.create("A", &[]);
    let r = cb.run(&["--json", "case", "delete", &id(&a), &id(&a)]);
    if r.code == 0 {
        assert_eq!(cb.total(), 0);
    } else {
        let (code, _) = error_of(&r, 1, &["case", "delete"]);
        assert_ne!(code, "not_found", "the case exists; say it was named twice");
    }
}

// ---------------------------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------------------------

#[test]
fn comments_add_edit_delete_list() {
    let cb = Cb::new();
    let me = cb.me();
    let c = cb.create("Commented", &[]);
    let cid = id(&c);

    let first = cb.ok(&["comment", "add", &cid, "--body", "First look: **benign**?"]);
    for key in ["id", "version", "case_id", "comment", "type", "owner", "created_at", "created_by", "updated_at"] {
        assert!(first.get(key).is_some(), "{key} missing from {first}");
    }
    assert_eq!(first["comment"], "First look: **benign**?");
    assert_eq!(first["case_id"], cid.as_str());
    assert_eq!(first["type"], "user");
    assert_eq!(first["created_by"]["username"], me.as_str());

    let piped = cb.ok_stdin(&["comment", "add", &cid, "--body", "-"], "Pasted from a terminal\nwith two lines\n");
    assert!(piped["comment"].as_str().unwrap().starts_with("Pasted from a terminal\nwith two lines"), "{piped}");
    assert_eq!(cb.get(&cid)["total_comment"], 2);

    // Edit with the version read.
    let v1 = version(&first);
    let edited = cb.ok(&["comment", "edit", &cid, &id(&first), "--version", &v1, "--body", "Second look: malicious"]);
    assert_eq!(edited["comment"], "Second look: malicious");
    assert_ne!(version(&edited), v1);
    assert!(edited["updated_at"].is_string());

    // A stale edit conflicts and leaves the text alone.
    let (code, msg) = cb.fails(&["comment", "edit", &cid, &id(&first), "--version", &v1, "--body", "Overwrite"]);
    assert_eq!(code, "conflict");
    assert!(msg.contains(&id(&first)), "{msg}");
    let list = cb.ok(&["comment", "list", &cid]);
    assert_eq!(list["total"], 2);
    assert_eq!(list["page"], 1);
    let bodies: Vec<&str> =
        list["comments"].as_array().unwrap().iter().map(|c| c["comment"].as_str().unwrap()).collect();
    assert_eq!(bodies[0], "Second look: malicious", "oldest first, edit kept");
    assert!(bodies[1].starts_with("Pasted from a terminal"));
    let newest_first = cb.ok(&["comment", "list", &cid, "--order", "desc"]);
    assert_eq!(newest_first["comments"][0]["id"], piped["id"]);

    // Empty bodies and unknown comments.
    let (code, msg) = cb.fails(&["comment", "add", &cid, "--body", ""]);
    assert_eq!(code, "validation");
    assert!(msg.contains("comment"), "{msg}");
    let (code, _) = cb.fails(&["comment", "edit", &cid, "no-such-comment", "--version", "1", "--body", "x"]);
    assert_eq!(code, "not_found");
    let (code, _) = cb.fails(&["comment", "add", MISSING_ID, "--body", "x"]);
    assert_eq!(code, "not_found");

    // Delete.
    let del = cb.ok(&["comment", "delete", &cid, &id(&first)]);
    assert_eq!(del["deleted"], first["id"]);
    let (code, _) = cb.fails(&["comment", "delete", &cid, &id(&first)]);
    assert_eq!(code, "not_found");
    let list = cb.ok(&["comment", "list", &cid]);
    assert_eq!(list["total"], 1);
    assert_eq!(list["comments"][0]["id"], piped["id"]);
    assert_eq!(cb.get(&cid)["total_comment"], 1);
}

// ---------------------------------------------------------------------------------------------
// Activity
// ---------------------------------------------------------------------------------------------

fn types_of(actions: &[Value]) -> Vec<String> {
    actions.iter().map(|a| a["type"].as_str().unwrap().to_string()).collect()
}

#[test]
fn activity_records_every_change_and_survives_deletion() {
    let cb = Cb::new();
    let me = cb.me();
    let c = cb.create("Before", &["--tag", "old"]);
    let cid = id(&c);
    let u = cb.ok(&["case", "update", &cid, "--version", &version(&c), "--title", "After"]);
    let u = cb.ok(&["case", "update", &cid, "--version", &version(&u), "--add-tag", "new", "--remove-tag", "old"]);
    cb.ok(&["case", "update", &cid, "--version", &version(&u), "--status", "closed"]);
    let com = cb.ok(&["comment", "add", &cid, "--body", "closing note"]);

    let all = cb.activity(&cid, &[]);
    let types = types_of(&all);
    assert_eq!(types.first().map(String::as_str), Some("create_case"), "{types:?}");
    for t in ["title", "tags", "status", "comment"] {
        assert!(types.iter().any(|x| x == t), "{t} missing from {types:?}");
    }
    for a in &all {
        assert_eq!(a["case_id"], cid.as_str());
        assert_eq!(a["created_by"]["username"], me.as_str());
        for key in ["id", "action", "type", "payload", "created_at", "comment_id", "owner"] {
            assert!(a.get(key).is_some(), "{key} missing from {a}");
        }
    }
    assert_eq!(all[0]["action"], "create");
    assert_eq!(all[0]["payload"]["title"], "Before");

    let titles = cb.activity(&cid, &["title"]);
    assert_eq!(titles.len(), 1);
    assert_eq!(titles[0]["action"], "update");
    assert_eq!(titles[0]["payload"], json!({ "title": "After" }));

    let tags = cb.activity(&cid, &["tags"]);
    let tag_changes: Vec<(String, Value)> =
        tags.iter().map(|a| (a["action"].as_str().unwrap().to_string(), a["payload"]["tags"].clone())).collect();
    assert!(tag_changes.contains(&("add".into(), json!(["new"]))), "{tag_changes:?}");
    assert!(tag_changes.contains(&("delete".into(), json!(["old"]))), "{tag_changes:?}");

    let status = cb.activity(&cid, &["status"]);
    assert_eq!(status.len(), 1);
    assert_eq!(status[0]["payload"], json!({ "status": "closed" }));

    let comments = cb.activity(&cid, &["comment"]);
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0]["action"], "create");
    assert_eq!(comments[0]["comment_id"], com["id"]);
    assert_eq!(comments[0]["payload"]["comment"]["comment"], "closing note");

    // Two types at once.
    let two = cb.activity(&cid, &["title", "status"]);
    assert_eq!(sorted_strs(&json!(types_of(&two))), sorted(&["title", "status"]));

    // Newest first.
    let desc = cb.ok(&["activity", &cid, "--order", "desc"]);
    assert_eq!(desc["user_actions"][0]["type"], "comment");

    // After deletion the case is gone but its history is readable by UUID.
    cb.ok(&["case", "delete", &cid]);
    let (code, _) = cb.fails(&["case", "get", &cid]);
    assert_eq!(code, "not_found");
    let after = cb.activity(&cid, &[]);
    assert_eq!(after.len(), all.len() + 1);
    assert_eq!(after.last().unwrap()["type"], "delete_case");
    assert_eq!(after.last().unwrap()["action"], "delete");
    let bookends = cb.activity(&cid, &["create_case", "delete_case"]);
    assert_eq!(types_of(&bookends), vec!["create_case", "delete_case"]);

    // Bad type names list the good ones.
    let (code, msg) = cb.fails(&["activity", &cid, "--type", "bogus"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("bogus") && msg.contains("create_case"), "{msg}");
    let (code, _) = cb.fails(&["activity", MISSING_ID]);
    assert_eq!(code, "not_found");
}

// ---------------------------------------------------------------------------------------------
// Spaces
// ---------------------------------------------------------------------------------------------

#[test]
fn spaces_keep_their_cases_apart() {
    let cb = Cb::new();
    let (code, msg) = cb.fails(&["--space", "red", "case", "create", "--title", "Too early"]);
    assert_eq!(code, "not_found");
    assert!(msg.contains("red"), "{msg}");

    let s = cb.ok(&["space", "create", "red"]);
    assert_eq!(s["name"], "red");
    let (code, _) = cb.fails(&["space", "create", "red"]);
    assert_eq!(code, "already_exists");
    let (code, msg) = cb.fails(&["space", "create", "Red Team"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("lowercase"), "{msg}");

    let red = cb.ok(&["--space", "red", "case", "create", "--title", "Red case", "--tag", "shared"]);
    assert_eq!(red["space"], "red");
    let blue = cb.create("Default case", &["--tag", "shared"]);
    assert_eq!(blue["space"], "default");

    assert_eq!(cb.titles(&[]), vec!["Default case"]);
    assert_eq!(cb.titles(&["--tag", "shared"]), vec!["Default case"]);
    assert_eq!(cb.titles(&["--search", "red"]), Vec::<String>::new());
    assert_eq!(cb.titles(&["--search", &id(&red)]), Vec::<String>::new(), "a UUID search stays in the space");
    assert_eq!(cb.list(&[])["count_open_cases"], 1);
    assert_eq!(cb.titles(&["--space", "red"]), vec!["Red case"]);
    assert_eq!(strs(&cb.ok(&["--space", "red", "tags"])), vec!["shared"]);

    // CASEBOOK_SPACE picks the space too.
    let mut cmd = cb.cmd(&["--json", "case", "list"]);
    cmd.env("CASEBOOK_SPACE", "red");
    let r = spawn(cmd, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(titles_of(&r.json()), vec!["Red case"]);

    let spaces = cb.ok(&["space", "list"]);
    let counts: Vec<(String, i64)> = spaces
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap().to_string(), s["total_cases"].as_i64().unwrap()))
        .collect();
    assert!(counts.contains(&("default".into(), 1)) && counts.contains(&("red".into(), 1)), "{counts:?}");

    let (code, msg) = cb.fails(&["--space", "blue", "case", "list"]);
    assert_eq!(code, "not_found");
    assert!(msg.contains("blue"), "{msg}");

    // Settings are per space.
    cb.ok(&["--space", "red", "settings", "add-field", "--key", "triaged", "--label", "Triaged", "--type", "toggle"]);
    assert_eq!(cb.ok(&["settings", "show"])["custom_fields"], json!([]));
    assert_eq!(cb.ok(&["--space", "red", "settings", "show"])["custom_fields"][0]["key"], "triaged");
}

#[test]
fn a_case_of_another_space_is_not_reachable_by_uuid() {
    let cb = Cb::new();
    cb.ok(&["space", "create", "red"]);
    let red = cb.ok(&["--space", "red", "case", "create", "--title", "Red case"]);
    let rid = id(&red);
    let (code, _) = cb.fails(&["case", "get", &rid]);
    assert_eq!(code, "not_found");
    let (code, _) = cb.fails(&["case", "update", &rid, "--version", &version(&red), "--title", "Renamed from default"]);
    assert_eq!(code, "not_found");
    let (code, _) = cb.fails(&["comment", "add", &rid, "--body", "from default"]);
    assert_eq!(code, "not_found");
    let (code, _) = cb.fails(&["case", "delete", &rid]);
    assert_eq!(code, "not_found");
    assert_eq!(cb.ok(&["--space", "red", "case", "get", &rid]), red);
}

// ---------------------------------------------------------------------------------------------
// Settings and custom fields
// ---------------------------------------------------------------------------------------------

#[test]
fn toggle_custom_field_create_and_filter() {
    let cb = Cb::new();
    let conf = cb.ok(&["settings", "add-field", "--key", "triaged", "--label", "Triaged", "--type", "toggle"]);
    assert_eq!(
        conf["custom_fields"],
        json!([{ "key": "triaged", "label": "Triaged", "type": "toggle", "required": false }])
    );
    assert_eq!(cb.ok(&["settings", "show"]), conf);

    let on = cb.create("Triaged case", &["--custom-field", "triaged=on"]);
    assert_eq!(on["custom_fields"], json!([{ "key": "triaged", "type": "toggle", "value": true }]));
    let off = cb.create("Untriaged case", &["--custom-field", "triaged=off"]);
    assert_eq!(off["custom_fields"][0]["value"], false);
    cb.create("Never set", &[]);

    assert_eq!(cb.titles(&["--custom-field", "triaged=on"]), vec!["Triaged case"]);
    assert_eq!(cb.titles(&["--custom-field", "triaged=true"]), vec!["Triaged case"]);
    let offs = cb.titles(&["--custom-field", "triaged=off"]);
    assert!(offs.contains(&"Untriaged case".to_string()) && !offs.contains(&"Triaged case".to_string()), "{offs:?}");

    // Turning it on later moves the case into the filter.
    let u = cb.ok(&["case", "update", &id(&off), "--version", &version(&off), "--custom-field", "triaged=on"]);
    assert_eq!(u["custom_fields"][0]["value"], true);
    assert_eq!(cb.titles(&["--custom-field", "triaged=on"]), sorted(&["Triaged case", "Untriaged case"]));
    let cf = cb.activity(&id(&off), &["custom_fields"]);
    assert_eq!(cf.len(), 1);

    // Mistakes.
    let (code, msg) = cb.fails(&["case", "create", "--title", "x", "--custom-field", "triaged=maybe"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("triaged"), "{msg}");
    let (code, msg) = cb.fails(&["case", "create", "--title", "x", "--custom-field", "nope=on"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("nope") && msg.contains("triaged"), "names the known fields: {msg}");
    let (code, _) = cb.fails(&["case", "list", "--custom-field", "triaged=maybe"]);
    assert_eq!(code, "validation");
    let (code, msg) = cb.fails(&["settings", "add-field", "--key", "x", "--label", "X", "--type", "bool"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("toggle"), "{msg}");
    assert_eq!(cb.total(), 3);
}

#[test]
fn filtering_on_an_undefined_custom_field_is_an_error() {
    let cb = Cb::new();
    cb.ok(&["settings", "add-field", "--key", "ticket", "--label", "Ticket", "--type", "text"]);
    let (code, msg) = cb.fails(&["case", "list", "--custom-field", "nope=on"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("nope"), "{msg}");
    let (code, msg) = cb.fails(&["case", "list", "--custom-field", "ticket=on"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("toggle"), "{msg}");
}

#[test]
fn required_custom_field_must_be_given() {
    let cb = Cb::new();
    cb.ok(&["settings", "add-field", "--key", "ticket", "--label", "Ticket number", "--type", "text", "--required"]);
    let (code, msg) = cb.fails(&["case", "create", "--title", "No ticket"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("ticket") && msg.contains("required"), "{msg}");
    let (code, _) = cb.fails_stdin(&["case", "create", "--from-json", "-"], r#"{"title":"No ticket either"}"#);
    assert_eq!(code, "validation");
    assert_eq!(cb.total(), 0);

    let c = cb.create("With ticket", &["--custom-field", "ticket=INC-1234"]);
    assert_eq!(c["custom_fields"], json!([{ "key": "ticket", "type": "text", "value": "INC-1234" }]));

    // Removing the definition lets cases be created without it again.
    cb.ok(&["settings", "remove-field", "ticket"]);
    cb.create("After removal", &[]);
    let (code, _) = cb.fails(&["settings", "remove-field", "ticket"]);
    assert_eq!(code, "not_found");
}

// ---------------------------------------------------------------------------------------------
// Validation and usage errors
// ---------------------------------------------------------------------------------------------

#[test]
fn title_longer_than_160_is_refused_and_nothing_is_written() {
    let cb = Cb::new();
    cb.create("Existing", &[]);
    let long = "x".repeat(161);
    let (code, msg) = cb.fails(&["case", "create", "--title", &long]);
    assert_eq!(code, "validation");
    assert!(msg.contains("title") && msg.contains("160"), "{msg}");
    assert_eq!(cb.total(), 1);

    // Text mode: exit 1, a plain sentence on stderr naming the field and the limit.
    let r = cb.run(&["case", "create", "--title", &long]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.starts_with("casebook: ") && r.stderr.contains("title") && r.stderr.contains("160"),
        "{}",
        r.stderr
    );
    assert!(serde_json::from_str::<Value>(&r.stderr).is_err(), "text mode prints no JSON");
    assert_eq!(cb.total(), 1);

    // 160 characters (not bytes) is fine.
    let ok = cb.create(&"é".repeat(160), &[]);
    assert_eq!(ok["title"].as_str().unwrap().chars().count(), 160);
    assert_eq!(cb.total(), 2);

    // Blank titles and empty tags.
    let (code, msg) = cb.fails(&["case", "create", "--title", "   "]);
    assert_eq!(code, "validation");
    assert!(msg.contains("title"), "{msg}");
    let (code, msg) = cb.fails(&["case", "create", "--title", "x", "--tag", ""]);
    assert_eq!(code, "validation");
    assert!(msg.contains("tags"), "{msg}");
    assert_eq!(cb.total(), 2);
}

#[test]
fn bad_severity_is_a_validation_error() {
    let cb = Cb::new();
    let (code, msg) = cb.fails(&["case", "create", "--title", "x", "--severity", "urgent"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("severity") && msg.contains("urgent") && msg.contains("critical"), "{msg}");
    assert_eq!(cb.total(), 0);
    // Severities are case-insensitive on the command line.
    assert_eq!(cb.create("x", &["--severity", "HIGH"])["severity"], "high");
}

#[test]
fn usage_errors_with_json_are_json_and_exit_2() {
    let cb = Cb::new();
    for args in [
        vec!["--json", "case", "lsit"],
        vec!["--json", "case", "create"],
        vec!["--json", "case", "list", "--page", "x"],
        vec!["case", "list", "--json", "--frobnicate"],
        vec!["--json", "case", "create", "--title", "x", "--from-json", "-"],
    ] {
        let r = cb.run(&args);
        let (code, _) = error_of(&r, 2, &args);
        assert_eq!(code, "usage", "{args:?}");
    }
    // Without --json, clap's own text on stderr, still exit 2.
    let r = cb.run(&["case", "lsit"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("lsit"), "{}", r.stderr);
    // --help is not an error.
    let r = cb.run(&["--json", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Usage"), "{}", r.stdout);
}

#[test]
fn json_usage_errors_name_the_missing_argument() {
    let cb = Cb::new();
    let r = cb.run(&["--json", "case", "create"]);
    let (_, msg) = error_of(&r, 2, &["case", "create"]);
    assert!(msg.contains("--title"), "{msg}");
    let r = cb.run(&["--json", "case", "delete"]);
    let (_, msg) = error_of(&r, 2, &["case", "delete"]);
    assert!(msg.to_lowercase().contains("case"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// The database file
// ---------------------------------------------------------------------------------------------

fn assert_refused_untouched(dir: &Path, file: &Path) {
    let before = std::fs::read(file).expect("read");
    let entries_before: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    for args in [vec!["--json", "case", "list"], vec!["--json", "case", "create", "--title", "x"]] {
        let mut cmd = base_command();
        cmd.arg("--db").arg(file).args(&args);
        let r = spawn(cmd, None);
        let (code, msg) = error_of(&r, 1, &args);
        assert_eq!(code, "not_a_casebook_database", "{msg}");
        assert!(msg.contains(&*file.file_name().unwrap().to_string_lossy()), "names the file: {msg}");
        assert!(msg.contains("not modified"), "{msg}");
    }
    // Text mode.
    let mut cmd = base_command();
    cmd.arg("--db").arg(file).args(["case", "list"]);
    let r = spawn(cmd, None);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not a Casebook database"), "{}", r.stderr);

    assert_eq!(std::fs::read(file).unwrap(), before, "the file's bytes are unchanged");
    let entries_after: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(entries_before, entries_after, "no -wal/-shm/journal files appear next to it");
}

#[test]
fn a_text_file_is_not_a_casebook_database() {
    let dir = tempfile::tempdir().unwrap();
    let f = write_file(dir.path(), "notes.txt", "My shopping list\n- milk\n- eggs\n");
    assert_refused_untouched(dir.path(), &f);
}

#[test]
fn sqlite_header_garbage_is_not_a_casebook_database() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("garbage.db");
    std::fs::write(&f, b"SQLite format 3\0garbage garbage garbage").unwrap();
    assert_refused_untouched(dir.path(), &f);
}

#[test]
fn an_sqlite_file_of_another_application_is_not_a_casebook_database() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("other-app.sqlite");
    // A full 100-byte SQLite header whose application_id (bytes 68..72) is not Casebook's.
    let mut bytes = vec![0u8; 4096];
    bytes[..16].copy_from_slice(b"SQLite format 3\0");
    bytes[16] = 0x10; // page size 4096
    bytes[18] = 1;
    bytes[19] = 1;
    bytes[68..72].copy_from_slice(b"ABCD");
    std::fs::write(&f, &bytes).unwrap();
    assert_refused_untouched(dir.path(), &f);
}

#[test]
fn a_directory_is_not_a_casebook_database() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("adir");
    std::fs::create_dir(&sub).unwrap();
    let mut cmd = base_command();
    cmd.arg("--db").arg(&sub).args(["--json", "case", "list"]);
    let r = spawn(cmd, None);
    let (code, _) = error_of(&r, 1, &["case", "list"]);
    assert_eq!(code, "not_a_casebook_database");
}

#[test]
fn casebook_db_env_sets_the_database_and_db_flag_wins() {
    let dir = tempfile::tempdir().unwrap();
    let env_db = dir.path().join("from-env.db");
    let flag_db = dir.path().join("from-flag.db");

    let mut cmd = base_command();
    cmd.env("CASEBOOK_DB", &env_db).args(["--json", "case", "create", "--title", "Via env"]);
    let r = spawn(cmd, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(env_db.exists(), "the database is created at CASEBOOK_DB");

    let mut cmd = base_command();
    cmd.env("CASEBOOK_DB", &env_db).arg("--db").arg(&flag_db).args(["--json", "case", "list"]);
    let r = spawn(cmd, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["total"], 0, "--db wins over CASEBOOK_DB");

    let mut cmd = base_command();
    cmd.env("CASEBOOK_DB", &env_db).args(["--json", "case", "list"]);
    let r = spawn(cmd, None);
    assert_eq!(titles_of(&r.json()), vec!["Via env"]);
}

#[test]
fn the_database_is_reopened_between_commands() {
    // Every command is a separate process; what one writes the next one reads.
    let cb = Cb::new();
    let c = cb.create("Persisted", &["--tag", "disk"]);
    assert!(cb.db.exists());
    assert_eq!(cb.get(&id(&c))["tags"], json!(["disk"]));
    let first = std::fs::read(&cb.db).unwrap();
    assert!(first.starts_with(b"SQLite format 3\0"));
}

// ---------------------------------------------------------------------------------------------
// Text output (for people)
// ---------------------------------------------------------------------------------------------

#[test]
fn text_output_shows_the_case() {
    let cb = Cb::new();
    let c = cb.create("Readable", &["--tag", "one", "--severity", "critical", "--description", "Body text"]);
    let r = cb.run(&["case", "get", &id(&c)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Readable"));
    assert!(r.stdout.contains(&id(&c)));
    assert!(r.stdout.contains("critical"));
    assert!(r.stdout.contains("Body text"));
    assert!(serde_json::from_str::<Value>(&r.stdout).is_err());

    let r = cb.run(&["case", "list"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Readable") && r.stdout.contains("1 of 1"), "{}", r.stdout);

    let r = cb.run(&["case", "list", "--tag", "missing"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("No cases match"), "{}", r.stdout);
}

#[test]
fn text_list_shows_a_usable_reference() {
    let cb = Cb::new();
    let c = cb.create("Find me", &[]);
    let r = cb.run(&["case", "list"]);
    assert!(r.stdout.contains(&id(&c)[..8]), "{}", r.stdout);
}

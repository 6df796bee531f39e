//! End-to-end tests of the `casebook` binary: alerts from files, observables, similar cases.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use std::path::PathBuf;

use serde_json::Value;

use support::*;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/alerts")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn ids(page: &Value) -> Vec<String> {
    page["alerts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn alerts_import_list_show_remove() {
    let cb = Cb::new();
    let c = cb.create("SSH brute force", &[]);
    let cid = id(&c);
    let modern = fixture("modern.ndjson");

    let report = cb.ok(&["alert", "import", &modern, "--case", &cid]);
    assert_eq!(report["attached"], 6, "{report}");
    assert_eq!(report["issue_count"], 0);
    assert!(report["observables_added"].as_u64().unwrap() > 0, "{report}");
    assert_eq!(cb.get(&cid)["total_alerts"], 6);

    // The same file again: stored once.
    let again = cb.ok(&["alert", "import", &modern, "--case", &cid]);
    assert_eq!((again["attached"].as_u64(), again["already_attached"].as_u64()), (Some(0), Some(6)));

    let page = cb.ok(&["alert", "list", "--case", &cid]);
    assert_eq!(page["total"], 6);
    let listed = ids(&page);
    let first = &listed[0];
    let shown = cb.ok(&["alert", "show", "--case", &cid, first]);
    assert_eq!(&shown["alert"]["id"], first.as_str());
    assert!(shown["fields"].as_array().unwrap().iter().any(|f| f["field"] == "kibana.alert.rule.name"));

    let summary = cb.ok(&["alert", "summary", "--case", &cid]);
    assert_eq!(summary["total"], 6);
    assert!(summary["hosts"].as_i64().unwrap() >= 1);

    let by_time = cb.ok(&["alert", "list", "--case", &cid, "--sort", "time", "--per-page", "2"]);
    assert_eq!(ids(&by_time).len(), 2);
    let (code, msg) = cb.fails(&["alert", "list", "--case", &cid, "--sort", "colour"]);
    assert_eq!(code, "validation");
    assert!(msg.starts_with("sort:"), "{msg}");

    let removed = cb.ok(&["alert", "remove", "--case", &cid, first]);
    assert_eq!(removed["removed"], 1);
    assert_eq!(cb.get(&cid)["total_alerts"], 5);
    let (code, _) = cb.fails(&["alert", "remove", "--case", &cid, first]);
    assert_eq!(code, "not_found");

    // The activity log has the attach and the removal, in Kibana's alert attachment shape.
    let actions = cb.activity(&cid, &["comment"]);
    assert!(actions.iter().any(|a| a["action"] == "create" && a["payload"]["comment"]["type"] == "alert"));
    assert!(actions.iter().any(|a| a["action"] == "delete" && a["payload"]["comment"]["type"] == "alert"));
}

#[test]
fn bad_lines_are_named_and_the_rest_attached() {
    let cb = Cb::new();
    let cid = id(&cb.create("Broken export", &[]));
    let report = cb.ok(&["alert", "import", &fixture("broken-lines.ndjson"), "--case", &cid]);
    assert!(report["attached"].as_u64().unwrap() >= 1, "{report}");
    let issues = report["issues"].as_array().unwrap();
    assert!(!issues.is_empty());
    assert!(issues.iter().all(|i| i["line"].as_u64().is_some() && i["reason"].as_str().is_some()), "{report}");

    // In text form every issue names its line.
    let text = cb.run(&["alert", "import", &fixture("broken-lines.ndjson"), "--case", &cid]);
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("line "), "{}", text.stdout);
    assert!(text.stdout.contains("could not be read"), "{}", text.stdout);

    let (code, msg) = cb.fails(&["alert", "import", "/nonexistent/alerts.ndjson", "--case", &cid]);
    assert_eq!(code, "validation");
    assert!(msg.starts_with("file:"), "{msg}");
    let (code, _) = cb.fails(&["alert", "import", &fixture("modern.ndjson"), "--case", MISSING_ID]);
    assert_eq!(code, "not_found");
    let (code, msg) = cb.fails(&["alert", "import", &fixture("no-id-column.csv"), "--case", &cid]);
    assert_eq!(code, "validation");
    assert!(msg.contains("_id"), "{msg}");
}

#[test]
fn observables_add_list_edit_delete_and_limits() {
    let cb = Cb::new();
    let cid = id(&cb.create("Phishing", &[]));
    let ip = cb.ok(&["observable", "add", &cid, "--type", "ipv4", "--value", "192.0.2.7", "--description", "sender"]);
    assert_eq!(ip["type_key"], "observable-type-ipv4");
    assert_eq!(ip["type_label"], "IPv4");
    let (code, msg) = cb.fails(&["observable", "add", &cid, "--type", "ipv4", "--value", "192.0.2.300"]);
    assert_eq!(code, "validation");
    assert!(msg.starts_with("value:") && msg.contains("IPv4"), "{msg}");
    let (code, _) = cb.fails(&["observable", "add", &cid, "--type", "ipv4", "--value", "192.0.2.7"]);
    assert_eq!(code, "already_exists");

    let edited = cb.ok(&["observable", "edit", &cid, &id(&ip), "--value", "192.0.2.8"]);
    assert_eq!(edited["value"], "192.0.2.8");
    assert_eq!(edited["description"], "sender", "fields not given keep their value");
    let listed = cb.ok(&["observable", "list", &cid]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    cb.ok(&["observable", "delete", &cid, &id(&ip)]);
    assert!(cb.ok(&["observable", "list", &cid]).as_array().unwrap().is_empty());

    for i in 0..50 {
        cb.ok(&["observable", "add", &cid, "--type", "domain", "--value", &format!("d{i}.example.com")]);
    }
    let (code, msg) = cb.fails(&["observable", "add", &cid, "--type", "domain", "--value", "one-more.example.com"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("at most 50"), "{msg}");
    assert_eq!(cb.get(&cid)["total_observables"], 50);

    // Custom types live in the space settings.
    cb.ok(&["settings", "add-observable-type", "--key", "mac", "--label", "MAC address"]);
    let types = cb.ok(&["observable", "types"]);
    assert!(types.as_array().unwrap().iter().any(|t| t["key"] == "mac"));
    let (code, msg) = cb.fails(&["settings", "add-observable-type", "--key", "Bad Key", "--label", "x"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("observable_types"), "{msg}");
}

#[test]
fn similar_cases_share_observables() {
    let cb = Cb::new();
    let a = id(&cb.create("First sighting", &[]));
    let b = id(&cb.create("Second sighting", &[]));
    let c = id(&cb.create("Unrelated", &[]));
    for case in [&a, &b] {
        cb.ok(&["observable", "add", case, "--type", "domain", "--value", "login-example.com"]);
    }
    cb.ok(&["observable", "add", &c, "--type", "domain", "--value", "other.example.com"]);
    let similar = cb.ok(&["case", "similar", &a]);
    assert_eq!(similar["total"], 1);
    assert_eq!(similar["cases"][0]["case"]["title"], "Second sighting");
    assert_eq!(similar["cases"][0]["shared"][0]["value"], "login-example.com");
    let text = cb.run(&["case", "similar", &c]);
    assert!(text.stdout.contains("No other case"), "{}", text.stdout);
}

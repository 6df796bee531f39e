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

/// A file of the genuine Kibana fixtures kept beside the repository, or `None` after a SKIP
/// line in a clone without them (`CASEBOOK_FIXTURES=require` makes that a failure).
fn real(name: &str) -> Option<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/real");
    if !dir.is_dir() {
        let why = format!("{} is absent", dir.display());
        assert!(std::env::var("CASEBOOK_FIXTURES").as_deref() != Ok("require"), "CASEBOOK_FIXTURES=require: {why}");
        // Straight to stderr: the test harness would swallow eprintln! of a passing test.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "fixtures SKIP {name}: {why}");
        return None;
    }
    Some(dir.join(name).to_string_lossy().into_owned())
}

#[test]
fn real_alerts_list_their_timestamp_and_event_time() {
    let Some(hits) = real("alerts/all.hits.ndjson") else { return };
    let cb = Cb::new();
    let cid = id(&cb.create("Real alerts", &[]));
    cb.ok(&["alert", "import", &hits, "--case", &cid]);
    let page = cb.ok(&["alert", "list", "--case", &cid, "--sort", "time", "--per-page", "100"]);
    let alerts = page["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 11);
    let stamps: Vec<&str> = alerts.iter().map(|a| a["@timestamp"].as_str().unwrap()).collect();
    assert!(stamps.windows(2).all(|w| w[0] >= w[1]), "newest @timestamp first: {stamps:?}");
    let endpoint = alerts.iter().find(|a| a["rule_name"] == "Endpoint Security").unwrap();
    assert_eq!(endpoint["@timestamp"], "2023-04-27T11:03:57.906Z");
    assert_eq!(endpoint["original_time"], "2023-04-29T07:17:32.103Z");
    let text = cb.run(&["alert", "list", "--case", &cid, "--sort", "time"]);
    assert!(text.stdout.contains("EVENT TIME"), "{}", text.stdout);
    let row = text.stdout.lines().find(|l| l.contains("Endpoint Security")).unwrap();
    assert!(row.starts_with("2023-04-27 11:03:57  2023-04-29 07:17:32"), "{row}");
}

#[test]
fn real_legacy_source_lines_attach_once_and_a_file_of_failures_exits_1() {
    let Some(source) = real("alerts/legacy_cti_signals.source.ndjson") else { return };
    let cb = Cb::new();
    let cid = id(&cb.create("Legacy", &[]));
    let first = cb.ok(&["alert", "import", &source, "--case", &cid]);
    assert_eq!((first["attached"].as_u64(), first["issue_count"].as_u64()), (Some(2), Some(0)), "{first}");
    let again = cb.ok(&["alert", "import", &source, "--case", &cid]);
    assert_eq!((again["attached"].as_u64(), again["already_attached"].as_u64()), (Some(0), Some(2)));

    // Nothing in the file is an alert: exit 1, naming the lines.
    let bad = write_file(cb.dir.path(), "events.ndjson", "{\"message\":\"an event\"}\n[1]\n");
    let (code, msg) = cb.fails(&["alert", "import", bad.to_str().unwrap(), "--case", &cid]);
    assert_eq!(code, "validation");
    assert!(
        msg.starts_with("file: nothing was attached") && msg.contains("line 1:") && msg.contains("line 2:"),
        "{msg}"
    );
    let text = cb.run(&["alert", "import", bad.to_str().unwrap(), "--case", &cid]);
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains("2 lines or documents could not be read"), "{}", text.stdout);
    assert_eq!(cb.get(&cid)["total_alerts"], 2);
}

#[test]
fn real_repeats_in_a_file_and_counts_read_as_english() {
    let Some(hits) = real("alerts/all.hits.ndjson") else { return };
    let cb = Cb::new();
    let cid = id(&cb.create("Counts", &[]));
    let text = cb.run(&["alert", "import", &hits, "--case", &cid]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.starts_with("Attached 11 alerts (2 repeated in the file).\n"), "{}", text.stdout);
    let again = cb.run(&["alert", "import", &hits, "--case", &cid]);
    assert!(
        again.stdout.starts_with("Attached 0 alerts (11 already in the case, 2 repeated in the file).\n"),
        "{}",
        again.stdout
    );

    let one = id(&cb.create("One", &[]));
    let endpoint = real("alerts/endpoint-8.8.0.hits.ndjson").unwrap();
    let text = cb.run(&["alert", "import", &endpoint, "--case", &one]);
    assert!(text.stdout.starts_with("Attached 1 alert (2 repeated in the file).\n"), "{}", text.stdout);
    let summary = cb.run(&["alert", "summary", "--case", &one]);
    assert!(summary.stdout.starts_with("1 alert · 1 host · 1 user\n"), "{}", summary.stdout);
    let shown = cb.ok(&["alert", "list", "--case", &one]);
    let alert = shown["alerts"][0]["id"].as_str().unwrap().to_string();
    let removed = cb.run(&["alert", "remove", "--case", &one, &alert]);
    assert_eq!(removed.stdout.trim(), "Removed 1 alert from the case.");
}

#[test]
fn kibana_status_spelling_semicolon_csv_gzip_and_empty_search_responses() {
    let cb = Cb::new();
    // Not syncing, so the alerts keep the statuses of the file.
    let cid = id(&cb.create("Formats", &["--no-sync-alerts"]));
    cb.ok(&["alert", "import", &fixture("modern.ndjson"), "--case", &cid]);
    let acknowledged = cb.ok(&["alert", "list", "--case", &cid, "--status", "acknowledged"]);
    assert_eq!(acknowledged["total"], 1);
    for spelling in ["in-progress", "In progress", "in_progress"] {
        let page = cb.ok(&["alert", "list", "--case", &cid, "--status", spelling]);
        assert_eq!(ids(&page), ids(&acknowledged), "--status {spelling}");
    }
    let (code, msg) = cb.fails(&["alert", "list", "--case", &cid, "--status", "triaged"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("open") && msg.contains("acknowledged") && msg.contains("closed"), "{msg}");

    let Some(csv) = real("alerts/discover.csv") else { return };
    let semicolons = std::fs::read_to_string(csv).unwrap().replace("\",\"", "\";\"");
    let semi = write_file(cb.dir.path(), "discover-semicolons.csv", &semicolons);
    let other = id(&cb.create("Semicolons", &[]));
    let r = cb.ok(&["alert", "import", semi.to_str().unwrap(), "--case", &other]);
    assert_eq!((r["attached"].as_u64(), r["issue_count"].as_u64()), (Some(11), Some(0)), "{r}");

    // A gzip file named like anything: told by its first bytes.
    let mut zip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut zip, &std::fs::read(real("alerts/all.hits.ndjson").unwrap()).unwrap()).unwrap();
    let gz = cb.dir.path().join("alerts-export");
    std::fs::write(&gz, zip.finish().unwrap()).unwrap();
    let zipped = id(&cb.create("Gzip", &[]));
    let r = cb.ok(&["alert", "import", gz.to_str().unwrap(), "--case", &zipped]);
    assert_eq!((r["attached"].as_u64(), r["repeated_in_file"].as_u64()), (Some(11), Some(2)), "{r}");

    // A saved search run with "size": 0 has no hits: said so, and exit 1.
    let empty = real("original/elastic-docs-7.7-signals-search-response-example.json").unwrap();
    let (code, msg) = cb.fails(&["alert", "import", &empty, "--case", &zipped]);
    assert_eq!(code, "validation");
    assert!(msg.contains("no hits") && msg.contains("8794"), "{msg}");
}

//! `casebook metrics` and `casebook export`: the Analytics figures and the analytics rows on
//! the command line, their refusals, and a file export that replaces its target only whole.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use support::*;

/// Three cases: one closed, one in progress, one open; one tagged phishing and high.
fn three(cb: &Cb) -> Vec<String> {
    let a = cb.create("Phish A", &["--tag", "phishing", "--severity", "high"]);
    let b = cb.create("Malware B", &["--tag", "malware"]);
    let c = cb.create("VPN C", &["--tag", "vpn", "--category", "Intrusion"]);
    cb.ok(&["case", "update", &id(&a), "--version", &version(&a), "--status", "closed"]);
    cb.ok(&["case", "update", &id(&b), "--version", &version(&b), "--status", "in-progress"]);
    vec![id(&a), id(&b), id(&c)]
}

#[test]
fn metrics_prints_trends_timing_backlog_and_top_lists() {
    let cb = Cb::new();
    three(&cb);
    let m = cb.ok(&["metrics", "--interval", "day", "--last", "7d"]);
    let trend = m["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 8, "7 days back and today: {m}");
    let today = trend.last().unwrap();
    assert_eq!((today["opened"].as_i64(), today["closed"].as_i64()), (Some(3), Some(1)));
    assert_eq!((today["open"].as_i64(), today["in_progress"].as_i64()), (Some(1), Some(1)));
    assert_eq!(m["timing"]["resolve"]["cases"], 1);
    assert_eq!(m["timing"]["acknowledge"]["cases"], 2, "closed and in progress: {m}");
    assert_eq!(m["oldest_open"].as_array().unwrap().len(), 2);
    assert_eq!(m["top"]["tags"].as_array().unwrap().len(), 3);

    let text = cb.run(&["metrics", "--by", "severity", "--severity", "high"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    for want in ["Space default", "Trend", "Timing (median / p90)", "By severity", "high", "Open backlog by age"] {
        assert!(text.stdout.contains(want), "{want} missing:\n{}", text.stdout);
    }
    assert!(!text.stdout.contains("Malware B"), "the severity filter keeps only the high case:\n{}", text.stdout);
    let rebuilt = cb.run(&["metrics", "--rebuild"]);
    assert!(rebuilt.stdout.starts_with("Rebuilt the roll-ups: 1 day, 3 cases."), "{}", rebuilt.stdout);
    let all = cb.ok(&["metrics", "--all-spaces"]);
    assert_eq!(all["trend"].as_array().unwrap().iter().map(|b| b["opened"].as_i64().unwrap()).sum::<i64>(), 3);
}

#[test]
fn bad_metrics_input_names_the_field() {
    let cb = Cb::new();
    for (args, field) in [
        (vec!["metrics", "--interval", "hourly"], "interval"),
        (vec!["metrics", "--by", "planet"], "by"),
        (vec!["metrics", "--last", "7x"], "last"),
        (vec!["metrics", "--from", "2026-03-02", "--to", "2026-03-01"], "from"),
        (vec!["metrics", "--from", "yesterday"], "from"),
        (vec!["metrics", "--from", "2001-01-01", "--interval", "day"], "interval"),
        (vec!["export", "planets"], "kind"),
        (vec!["export", "cases", "--format", "xml"], "format"),
    ] {
        let (code, message) = cb.fails(&args);
        assert_eq!(code, "validation", "{args:?}: {message}");
        assert!(message.starts_with(field) || message.contains(field), "{args:?}: {message}");
    }
    let (code, message) = cb.fails(&["metrics", "--space", "nope"]);
    assert_eq!((code.as_str(), message.contains("nope")), ("not_found", true), "{message}");
}

#[test]
fn exports_use_the_analytics_field_names_in_csv_and_ndjson() {
    let cb = Cb::new();
    let ids = three(&cb);
    let csv = cb.run(&["export", "cases", "--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let mut lines = csv.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for f in [
        "@timestamp",
        "case_id",
        "title",
        "status",
        "status_sort",
        "severity_sort",
        "created_at_ms",
        "time_to_resolve",
        "space_ids",
    ] {
        assert!(header.contains(&f), "{f} missing from {header:?}");
    }
    assert_eq!(lines.count(), 3);

    let nd = cb.run(&["export", "cases", "--tag", "phishing"]);
    let rows: Vec<serde_json::Value> = nd.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["case_id"].as_str(), rows[0]["status"].as_str()), (Some(ids[0].as_str()), Some("closed")));
    assert_eq!(rows[0]["status_sort"], 20);
    assert!(rows[0]["time_to_resolve"].is_i64());

    let activity = cb.run(&["export", "activity"]);
    let types: Vec<String> = activity
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(types.iter().filter(|t| *t == "create_case").count(), 3);
    assert_eq!(types.iter().filter(|t| *t == "status").count(), 2);

    let metrics = cb.run(&["export", "metrics", "--format", "csv", "--last", "2d"]);
    assert!(metrics.stdout.starts_with("@timestamp,interval,opened,closed"), "{}", metrics.stdout);
    assert_eq!(metrics.stdout.lines().count(), 4, "header and three days: {}", metrics.stdout);
}

#[test]
fn an_export_to_a_file_replaces_it_only_when_complete() {
    let cb = Cb::new();
    three(&cb);
    let path = cb.dir.path().join("cases.csv");
    std::fs::write(&path, "kept").unwrap();
    let (code, _) = cb.fails(&["export", "cases", "--space", "nope", "--output", path.to_str().unwrap()]);
    assert_eq!(code, "not_found");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept", "a failed export leaves the file as it was");
    let done = cb.ok(&["export", "comments", "--format", "csv", "--output", path.to_str().unwrap()]);
    assert_eq!(done["rows"], 0);
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("@timestamp,comment_id,case_id,comment"));
}

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Alerts attached to a case on a real SQLite file: import, identity, bad input, cancel,
//! listing, removal, status sync and observable extraction.

use std::ops::ControlFlow;

use casebook_core::alerts::AlertFileFormat;
use casebook_core::model::*;
use serde_json::{Value, json};

#[path = "support/fixture.rs"]
mod fixture;
use fixture::{Fixture, fixture};

/// A modern alert: literal dotted `kibana.alert.*` keys beside nested ECS objects.
fn alert(id: &str, rule: &str, minute: u32, host: &str, user: &str, severity: &str, risk: f64) -> Value {
    json!({
        "@timestamp": format!("2026-03-01T10:{minute:02}:30.000Z"),
        "kibana.alert.uuid": id,
        "kibana.alert.rule.name": rule,
        "kibana.alert.rule.uuid": format!("rule-{rule}"),
        "kibana.alert.severity": severity,
        "kibana.alert.risk_score": risk,
        "kibana.alert.reason": format!("event on {host} created {severity} alert {rule}."),
        "kibana.alert.workflow_status": "open",
        "kibana.alert.original_time": format!("2026-03-01T10:{minute:02}:00.000Z"),
        "host": { "name": host, "ip": ["192.0.2.10"] },
        "user": { "name": user },
        "source": { "ip": format!("198.51.100.{minute}") },
    })
}

fn ndjson(docs: &[Value]) -> String {
    docs.iter().map(Value::to_string).collect::<Vec<_>>().join("\n")
}

impl Fixture {
    fn case(&self, title: &str) -> Case {
        self.book.create_case("default", &CaseCreate { title: title.into(), ..Default::default() }).unwrap()
    }
    fn import(&self, case: &Case, text: &str) -> AlertImportReport {
        self.book
            .import_alerts(&case.id, text.as_bytes(), AlertFileFormat::Ndjson, text.len() as u64, &mut |_| {
                ControlFlow::Continue(())
            })
            .unwrap()
    }
    fn list(&self, case: &Case, q: AlertListQuery) -> AlertPage {
        self.book.list_alerts(&case.id, &q).unwrap()
    }
    fn ids(&self, case: &Case, q: AlertListQuery) -> Vec<String> {
        self.list(case, q).alerts.into_iter().map(|a| a.id).collect()
    }
    fn alert_actions(&self, case: &Case) -> Vec<UserAction> {
        let q = ActivityQuery { types: vec![ActionType::Comment], ..Default::default() };
        self.book.find_activity(&case.space, &case.id, &q).unwrap().user_actions
    }
}

fn three_alerts() -> String {
    ndjson(&[
        alert("a1", "Brute force", 1, "web-1", "alice", "high", 73.0),
        alert("a2", "Brute force", 5, "web-2", "alice", "medium", 47.0),
        alert("a3", "Malware", 3, "db-1", "bob", "critical", 99.0),
    ])
}

#[test]
fn an_import_attaches_alerts_grouped_by_rule_newest_first() {
    let f = fixture();
    let c = f.case("Credential stuffing");
    let r = f.import(&c, &three_alerts());
    assert_eq!((r.attached, r.already_attached, r.issue_count, r.cancelled), (3, 0, 0, false));
    assert_eq!(f.book.get_case(&c.id).unwrap().total_alerts, 3);
    assert_eq!(f.book.get_case(&c.id).unwrap().version, c.version, "alerts do not bump the case version");

    assert_eq!(f.ids(&c, AlertListQuery::default()), ["a2", "a1", "a3"]);
    let first = &f.list(&c, AlertListQuery::default()).alerts[0];
    assert_eq!(first.rule_name.as_deref(), Some("Brute force"));
    assert_eq!(first.severity, Some(Severity::Medium));
    assert_eq!(first.risk_score, Some(47.0));
    assert_eq!(first.host.as_deref(), Some("web-2"));
    assert_eq!(first.user.as_deref(), Some("alice"));
    assert_eq!(first.original_time.unwrap().to_rfc3339(), "2026-03-01T10:05:00+00:00");
    assert_eq!(first.origin, AlertOrigin::File);

    let o = f.book.alert_overview(&c.id).unwrap();
    assert_eq!((o.total, o.hosts, o.users), (3, 3, 2));
    let rules: Vec<_> = o.rules.iter().map(|r| (r.rule_name.clone().unwrap(), r.alerts)).collect();
    assert_eq!(rules, [("Brute force".to_string(), 2), ("Malware".to_string(), 1)]);

    // One activity record per rule, in Kibana's alert attachment shape.
    let actions = f.alert_actions(&c);
    assert_eq!(actions.len(), 2);
    let brute = actions.iter().find(|a| a.payload["comment"]["rule"]["name"] == "Brute force").unwrap();
    assert_eq!(brute.payload["comment"]["type"], "alert");
    assert_eq!(brute.payload["comment"]["alertId"], json!(["a1", "a2"]));
    assert_eq!(brute.payload["total"], 2);
}

#[test]
fn the_same_alert_is_stored_once() {
    let f = fixture();
    let c = f.case("Dedup");
    f.import(&c, &three_alerts());
    let before = f.book.get_case(&c.id).unwrap();
    let again = format!("{}\n{}", three_alerts(), alert("a1", "Brute force", 1, "web-1", "alice", "high", 73.0));
    let r = f.import(&c, &again);
    assert_eq!((r.attached, r.already_attached, r.repeated_in_file), (0, 3, 1), "a1 twice in the file");
    assert_eq!(f.book.get_case(&c.id).unwrap(), before, "nothing about the case changed");
    assert_eq!(f.alert_actions(&c).len(), 2, "no new activity");
    // The same alert may sit in two cases.
    let other = f.case("Other");
    assert_eq!(f.import(&other, &three_alerts()).attached, 3);
}

#[test]
fn bad_lines_are_reported_and_the_good_ones_attached() {
    let f = fixture();
    let c = f.case("Messy export");
    f.import(&c, &ndjson(&[alert("old", "Old rule", 1, "h", "u", "low", 1.0)]));
    let text = [
        alert("g1", "R", 1, "h1", "u1", "low", 10.0).to_string(),
        "{not json".to_string(),
        json!({"kibana.alert.rule.name": "no id"}).to_string(),
        "[1,2]".to_string(),
        alert("g2", "R", 2, "h2", "u2", "low", 10.0).to_string(),
    ]
    .join("\n");
    let r = f.import(&c, &text);
    assert_eq!(r.attached, 2);
    assert_eq!(r.issue_count, 3);
    let lines: Vec<_> = r.issues.iter().map(|i| i.line).collect();
    assert_eq!(lines, [Some(2), Some(3), Some(4)]);
    assert!(r.issues[1].reason.contains("_id"), "{}", r.issues[1].reason);
    let ids = f.ids(&c, AlertListQuery { sort: Some(AlertSortField::Time), ..Default::default() });
    assert_eq!(ids.len(), 3, "the alert already in the case is untouched");
}

#[test]
fn a_cancelled_import_attaches_nothing() {
    let f = fixture();
    let c = f.case("Cancel");
    let docs: Vec<Value> = (0..12_000).map(|i| alert(&format!("x{i}"), "R", i % 60, "h", "u", "low", 1.0)).collect();
    let text = ndjson(&docs);
    // Cancelled while reading.
    let r = f
        .book
        .import_alerts(&c.id, text.as_bytes(), AlertFileFormat::Ndjson, text.len() as u64, &mut |_| {
            ControlFlow::Break(())
        })
        .unwrap();
    assert!(r.cancelled);
    // Cancelled while saving, after some rows were written inside the transaction.
    let r = f
        .book
        .import_alerts(&c.id, text.as_bytes(), AlertFileFormat::Ndjson, text.len() as u64, &mut |p| {
            if p.phase == ImportPhase::Saving { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .unwrap();
    assert!(r.cancelled);
    assert_eq!(r.attached, 0);
    assert_eq!(f.book.get_case(&c.id).unwrap().total_alerts, 0);
    assert_eq!(f.list(&c, AlertListQuery::default()).total, 0);
    assert!(f.book.list_observables(&c.id).unwrap().is_empty());
    // And a full import reports progress up to the whole size.
    let mut last = None;
    f.book
        .import_alerts(&c.id, text.as_bytes(), AlertFileFormat::Ndjson, text.len() as u64, &mut |p| {
            last = Some(p.clone());
            ControlFlow::Continue(())
        })
        .unwrap();
    let last = last.unwrap();
    assert_eq!(last.bytes_read, text.len() as u64);
    assert_eq!(f.book.get_case(&c.id).unwrap().total_alerts, 12_000);
}

#[test]
fn filters_sorts_and_pages() {
    let f = fixture();
    let c = f.case("Many");
    let docs: Vec<Value> = (0..130)
        .map(|i| {
            let sev = ["low", "medium", "high", "critical"][i % 4];
            alert(
                &format!("id-{i:03}"),
                ["Alpha", "Beta"][i % 2],
                (i % 60) as u32,
                &format!("host-{}", i % 7),
                "u",
                sev,
                i as f64,
            )
        })
        .collect();
    f.import(&c, &ndjson(&docs));
    let page2 = f.list(&c, AlertListQuery { page: Some(2), per_page: Some(50), ..Default::default() });
    assert_eq!((page2.total, page2.alerts.len()), (130, 50));
    let last = f.list(&c, AlertListQuery { page: Some(3), per_page: Some(50), ..Default::default() });
    assert_eq!(last.alerts.len(), 30);
    assert!(last.alerts.iter().all(|a| a.rule_name.as_deref() == Some("Beta")));

    let crit = f.list(&c, AlertListQuery { severity: Some(Severity::Critical), ..Default::default() });
    assert_eq!(crit.total, 32);
    assert!(crit.alerts.iter().all(|a| a.severity == Some(Severity::Critical)));

    let risky =
        f.ids(&c, AlertListQuery { sort: Some(AlertSortField::RiskScore), per_page: Some(3), ..Default::default() });
    assert_eq!(risky, ["id-129", "id-128", "id-127"]);
    let by_host = f.list(&c, AlertListQuery { search: Some("HOST-3".into()), ..Default::default() });
    assert!(by_host.total > 0 && by_host.alerts.iter().all(|a| a.host.as_deref() == Some("host-3")));
    let beta = f.list(&c, AlertListQuery { rule: Some("Beta".into()), ..Default::default() });
    assert_eq!(beta.total, 65);
    // LIKE wildcards typed by the user are taken literally.
    assert_eq!(f.list(&c, AlertListQuery { search: Some("%".into()), ..Default::default() }).total, 0);

    let err = f.book.list_alerts(&c.id, &AlertListQuery { per_page: Some(101), ..Default::default() }).unwrap_err();
    assert_eq!(err.code(), "validation");
    assert!(err.to_string().contains("per_page"));
}

#[test]
fn an_alert_opens_with_every_field_and_its_original_document() {
    let f = fixture();
    let c = f.case("Detail");
    f.import(&c, &three_alerts());
    let d = f.book.get_alert(&c.id, "a3").unwrap();
    assert_eq!(d.document, alert("a3", "Malware", 3, "db-1", "bob", "critical", 99.0));
    let host = d.fields.iter().find(|x| x.field == "host.name").unwrap();
    assert_eq!(host.values, [json!("db-1")]);
    assert!(d.fields.windows(2).all(|w| w[0].field < w[1].field), "sorted by field");
    assert_eq!(f.book.get_alert(&c.id, "nope").unwrap_err().code(), "not_found");
}

#[test]
fn removing_alerts_is_logged_and_all_or_nothing() {
    let f = fixture();
    let c = f.case("Remove");
    f.import(&c, &three_alerts());
    let err = f.book.remove_alerts(&c.id, &["a1".into(), "ghost".into()]).unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(f.book.get_case(&c.id).unwrap().total_alerts, 3);
    assert_eq!(f.book.remove_alerts(&c.id, &["a1".into()]).unwrap(), 1);
    assert_eq!(f.book.get_case(&c.id).unwrap().total_alerts, 2);
    let removed = f.alert_actions(&c).into_iter().find(|a| a.action == ActionVerb::Delete).unwrap();
    assert_eq!(removed.payload["comment"]["alertId"], json!(["a1"]));
    // Deleting the case takes its alerts with it.
    f.book.delete_cases(std::slice::from_ref(&c.id)).unwrap();
    assert_eq!(f.book.list_alerts(&c.id, &AlertListQuery::default()).unwrap_err().code(), "not_found");
}

#[test]
fn alerts_follow_the_case_status_when_it_syncs_them() {
    let f = fixture();
    let c = f.case("Sync");
    f.import(&c, &three_alerts());
    let es =
        json!({"kibana.alert.uuid": "es-1", "kibana.alert.workflow_status": "open", "kibana.alert.rule.name": "R"});
    f.book
        .attach_alert_documents(
            &c.id,
            &[("es-1".into(), Some(".internal.alerts-security.alerts-default-000001".into()), es)],
            AlertOrigin::Elasticsearch,
        )
        .unwrap();
    let statuses = |f: &Fixture| -> Vec<(String, WorkflowStatus, bool)> {
        f.list(&c, AlertListQuery { sort: Some(AlertSortField::Host), ..Default::default() })
            .alerts
            .into_iter()
            .map(|a| (a.id, a.workflow_status, a.status_sync_pending))
            .collect()
    };
    let c1 = f
        .book
        .update_case(&CasePatch {
            id: c.id.clone(),
            version: c.version.clone(),
            status: Some(Status::InProgress),
            ..Default::default()
        })
        .unwrap();
    assert!(statuses(&f).iter().all(|(_, s, _)| *s == WorkflowStatus::Acknowledged));
    let pending: Vec<_> = statuses(&f).into_iter().filter(|(_, _, p)| *p).map(|(id, ..)| id).collect();
    assert_eq!(pending, ["es-1"], "only the alert from Elasticsearch waits to be synced there");
    assert_eq!(f.book.alert_overview(&c.id).unwrap().status_sync_pending, 1);

    // Sync off: the alerts keep their status.
    let off = CaseSettings { sync_alerts: false, extract_observables: true };
    let c2 = f
        .book
        .update_case(&CasePatch { id: c.id.clone(), version: c1.version, settings: Some(off), ..Default::default() })
        .unwrap();
    let c3 = f
        .book
        .update_case(&CasePatch {
            id: c.id.clone(),
            version: c2.version,
            status: Some(Status::Closed),
            ..Default::default()
        })
        .unwrap();
    assert!(statuses(&f).iter().all(|(_, s, _)| *s == WorkflowStatus::Acknowledged));
    // Switching sync back on brings them in line.
    let on = CaseSettings { sync_alerts: true, extract_observables: true };
    f.book
        .update_case(&CasePatch { id: c.id.clone(), version: c3.version, settings: Some(on), ..Default::default() })
        .unwrap();
    assert!(statuses(&f).iter().all(|(_, s, _)| *s == WorkflowStatus::Closed));
    // Alerts attached to a closed case that syncs take its status.
    f.import(&c, &ndjson(&[alert("late", "R", 9, "h", "u", "low", 1.0)]));
    let late = f.book.get_alert(&c.id, "late").unwrap();
    assert_eq!(late.alert.workflow_status, WorkflowStatus::Closed);
}

#[test]
fn observables_are_extracted_when_the_case_asks_for_it() {
    let f = fixture();
    let c = f.case("Extract");
    let r = f.import(&c, &three_alerts());
    // 3 hosts + 3 source IPs.
    assert_eq!(r.observables_added, 6);
    let obs = f.book.list_observables(&c.id).unwrap();
    assert!(obs.iter().any(|o| o.type_key == "observable-type-hostname" && o.value == "web-1"));
    assert!(obs.iter().all(|o| o.description.as_deref() == Some("Auto extracted observable")));
    assert_eq!(f.book.get_case(&c.id).unwrap().total_observables, 6);

    let off = f
        .book
        .create_case(
            "default",
            &CaseCreate {
                title: "No extract".into(),
                settings: Some(CaseSettings { sync_alerts: true, extract_observables: false }),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(f.import(&off, &three_alerts()).observables_added, 0);
    assert!(f.book.list_observables(&off.id).unwrap().is_empty());

    // Past the case limit of 50 the rest is counted, not added.
    let big = f.case("Big");
    let docs: Vec<Value> =
        (0..40).map(|i| alert(&format!("b{i}"), "R", i, &format!("h{i}"), "u", "low", 1.0)).collect();
    let r = f.import(&big, &ndjson(&docs));
    assert_eq!((r.observables_added, r.observables_over_limit), (50, 30));
    assert_eq!(f.book.list_observables(&big.id).unwrap().len(), 50);
}

/// The Alerts table reads an alert's row; its detail shows the row's status in the document's
/// own fields too, so a synced status never sits beside the stale one it was exported with.
#[test]
fn an_alerts_detail_shows_the_status_its_row_has() {
    let f = fixture();
    let c = f.case("Synced");
    f.import(&c, &three_alerts());
    let closed =
        CasePatch { id: c.id.clone(), version: c.version.clone(), status: Some(Status::Closed), ..Default::default() };
    f.book.update_case(&closed).unwrap();
    let id = f.book.list_alerts(&c.id, &AlertListQuery::default()).unwrap().alerts[0].id.clone();
    let d = f.book.get_alert(&c.id, &id).unwrap();
    assert_eq!(d.alert.workflow_status, WorkflowStatus::Closed);
    let field = d.fields.iter().find(|x| x.field == "kibana.alert.workflow_status").unwrap();
    assert_eq!(field.values, vec![json!("closed")]);
    assert_eq!(d.document["kibana.alert.workflow_status"], json!("closed"));

    // Nested and legacy spellings too.
    let c2 = f.case("Nested");
    let nested = json!({"kibana": {"alert": {"uuid": "n", "workflow_status": "open"}}, "signal": {"status": "open"}});
    f.import(&c2, &nested.to_string());
    let progress = CasePatch {
        id: c2.id.clone(),
        version: c2.version.clone(),
        status: Some(Status::InProgress),
        ..Default::default()
    };
    f.book.update_case(&progress).unwrap();
    let d = f.book.get_alert(&c2.id, "n").unwrap();
    assert_eq!(d.document["kibana"]["alert"]["workflow_status"], json!("acknowledged"));
    assert_eq!(d.document["signal"]["status"], json!("in-progress"));
}

// ---- Genuine Kibana exports (../shared/fixtures/real, see its PROVENANCE.md) ----

mod real_fixtures;
use real_fixtures::real;

impl Fixture {
    fn import_file(&self, case: &Case, path: &std::path::Path) -> AlertImportReport {
        self.book.import_alerts_file(&case.id, path, &mut |_| ControlFlow::Continue(())).unwrap()
    }
    /// Every alert of the case, newest (by its time) first.
    fn by_time(&self, case: &Case) -> Vec<CaseAlert> {
        let q = AlertListQuery { sort: Some(AlertSortField::Time), per_page: Some(100), ..Default::default() };
        self.list(case, q).alerts
    }
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[test]
fn real_alerts_are_timed_by_their_timestamp_whatever_the_format() {
    let Some(hits) = real("alerts/all.hits.ndjson") else { return };
    let f = fixture();
    let cases: Vec<Case> = ["ndjson", "json", "csv"].iter().map(|t| f.case(t)).collect();
    for (case, file) in
        cases.iter().zip([hits, real("alerts/all.array.json").unwrap(), real("alerts/discover.csv").unwrap()])
    {
        assert_eq!(f.import_file(case, &file).attached, 11);
    }
    let times = |c: &Case| f.by_time(c).into_iter().map(|a| (a.id, a.timestamp)).collect::<Vec<_>>();
    let ndjson = times(&cases[0]);
    assert_eq!(ndjson.len(), 11);
    assert!(ndjson.windows(2).all(|w| w[0].1 >= w[1].1), "newest @timestamp first: {ndjson:?}");
    assert_eq!(times(&cases[1]), ndjson);
    assert_eq!(times(&cases[2]), ndjson, "a CSV gives the same times");

    // The Endpoint alert's event is dated after the alert itself: each time keeps its own name.
    let endpoint =
        f.by_time(&cases[0]).into_iter().find(|a| a.rule_name.as_deref() == Some("Endpoint Security")).unwrap();
    assert_eq!(endpoint.timestamp, Some(at("2023-04-27T11:03:57.906Z")));
    assert_eq!(endpoint.original_time, Some(at("2023-04-29T07:17:32.103Z")));
    let from_csv = f.book.get_alert(&cases[2].id, &endpoint.id).unwrap().alert;
    assert_eq!((from_csv.timestamp, from_csv.original_time), (endpoint.timestamp, None), "the CSV has no event time");
    // A rule group's newest alert is dated by @timestamp too.
    let groups = f.book.alert_overview(&cases[0].id).unwrap().rules;
    let endpoint_group = groups.iter().find(|g| g.rule_name.as_deref() == Some("Endpoint Security")).unwrap();
    assert_eq!(endpoint_group.newest, endpoint.timestamp);
}

#[test]
fn real_legacy_signals_exported_as_bare_source_attach_once() {
    let Some(path) = real("alerts/legacy_cti_signals.source.ndjson") else { return };
    let f = fixture();
    let c = f.case("Legacy CTI");
    let first = f.import_file(&c, &path);
    assert_eq!((first.attached, first.issue_count), (2, 0), "{:?}", first.issues);
    let again = f.import_file(&c, &path);
    assert_eq!((again.attached, again.already_attached), (0, 2));
    assert_eq!(f.book.get_case(&c.id).unwrap().total_alerts, 2);
    let alerts = f.by_time(&c);
    assert_eq!(alerts[0].rule_name.as_deref(), Some("Indicator Match on host.name"));
    assert_eq!(alerts[0].timestamp, Some(at("2021-08-04T04:14:58.974Z")));
}

#[test]
fn real_repeats_inside_one_file_are_not_counted_as_already_attached() {
    let Some(path) = real("alerts/endpoint-8.8.0.hits.ndjson") else { return };
    let f = fixture();
    let c = f.case("Endpoint");
    // Three records of one kibana.alert.uuid (see PROVENANCE.md).
    let r = f.import_file(&c, &path);
    assert_eq!((r.attached, r.already_attached, r.repeated_in_file), (1, 0, 2));
    let r = f.import_file(&c, &path);
    assert_eq!((r.attached, r.already_attached, r.repeated_in_file), (0, 1, 2));
}

#[test]
fn real_rules_group_by_id_whatever_the_format() {
    let Some(hits) = real("alerts/alerts-7.16.0.hits.ndjson") else { return };
    let hits = std::fs::read_to_string(hits).unwrap();
    let lines: Vec<&str> = hits.lines().collect();
    let third: Value = serde_json::from_str(lines[2]).unwrap();
    let csv = std::fs::read_to_string(real("alerts/discover.csv").unwrap()).unwrap();
    let mut rows = csv.lines();
    let header = rows.next().unwrap();
    let row = rows.find(|r| r.starts_with(&format!("\"{}\"", third["_id"].as_str().unwrap()))).unwrap();

    // Two alerts of the rule from NDJSON, the third from a CSV without a rule id column.
    let f = fixture();
    let c = f.case("Threat match");
    assert_eq!(f.import(&c, &lines[..2].join("\n")).attached, 2);
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("third.csv");
    std::fs::write(&csv_path, format!("{header}\n{row}\n")).unwrap();
    assert_eq!(f.import_file(&c, &csv_path).attached, 1);
    let groups = f.book.alert_overview(&c.id).unwrap().rules;
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0].rule_id.as_deref(), Some("62f9a8c0-aac9-11ec-aa31-c9ea2cb79db7"));
    assert_eq!((groups[0].rule_name.as_deref(), groups[0].alerts), (Some("threat-match-rule"), 3));

    // A rule renamed between two alerts is one group, labelled with its newest alert's name.
    let renamed = f.case("Renamed");
    let mut old = alert("r1", "Old name", 1, "h", "u", "low", 1.0);
    old["kibana.alert.rule.uuid"] = json!("rule-x");
    let mut new = alert("r2", "New name", 2, "h", "u", "low", 1.0);
    new["kibana.alert.rule.uuid"] = json!("rule-x");
    f.import(&renamed, &ndjson(&[old, new]));
    let groups = f.book.alert_overview(&renamed.id).unwrap().rules;
    let summary: Vec<_> = groups.iter().map(|g| (g.rule_id.as_deref(), g.rule_name.as_deref(), g.alerts)).collect();
    assert_eq!(summary, [(Some("rule-x"), Some("New name"), 2)]);
}

#[test]
fn real_gzip_exports_are_read_by_their_magic_bytes() {
    use std::io::Write;
    let Some(hits) = real("alerts/all.hits.ndjson") else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(hits).unwrap()).unwrap();
    let gz = gz.finish().unwrap();
    let f = fixture();
    for name in ["alerts.ndjson.gz", "download"] {
        let path = dir.path().join(name);
        std::fs::write(&path, &gz).unwrap();
        let c = f.case(name);
        let mut last = None;
        let r = f
            .book
            .import_alerts_file(&c.id, &path, &mut |p| {
                last = Some(p.clone());
                ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!((r.attached, r.repeated_in_file, r.issue_count), (11, 2, 0), "{name}");
        let last = last.unwrap();
        assert_eq!((last.bytes_read, last.total_bytes), (gz.len() as u64, gz.len() as u64), "{name}: progress");
    }
    // A damaged gzip file is refused and attaches nothing.
    let broken = dir.path().join("broken.ndjson.gz");
    std::fs::write(&broken, &gz[..gz.len() / 2]).unwrap();
    let c = f.case("broken");
    assert!(f.book.import_alerts_file(&c.id, &broken, &mut |_| ControlFlow::Continue(())).is_err());
    assert_eq!(f.book.get_case(&c.id).unwrap().total_alerts, 0);
}

#[test]
fn alerts_attached_before_schema_6_are_timed_by_their_timestamp() {
    let f = fixture();
    let c = f.case("Old file");
    let mut csv_like = alert("c1", "R", 9, "h", "u", "low", 1.0);
    let doc = csv_like.as_object_mut().unwrap();
    doc.remove("kibana.alert.original_time");
    doc.insert("@timestamp".into(), json!("Mar 1, 2026 @ 10:09:30.000"));
    let fields_form = json!({"kibana.alert.uuid": ["f1"], "@timestamp": ["2026-03-01T10:07:30.250Z"],
        "kibana.alert.original_time": ["2026-03-01T10:07:00.000Z"], "kibana.alert.rule.name": ["R"]});
    // A Discover time SQLite cannot read, beside an event time: the migration falls back to the
    // time the row had rather than leaving the alert without one.
    let mut unreadable = alert("c2", "R", 5, "h", "u", "low", 1.0);
    unreadable["@timestamp"] = json!("Mar 1, 2026 @ 10:05:30.000");
    f.import(&c, &ndjson(&[alert("a1", "R", 1, "h", "u", "low", 1.0), csv_like, fields_form, unreadable]));
    drop(f.book);
    // The file as schema 5 left it: one time column, the event time else @timestamp.
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute_batch(casebook_core::store::BACK_TO_11).unwrap();
    conn.execute_batch(
        "DROP TABLE case_observables_left_out;
         ALTER TABLE case_observables DROP COLUMN auto; ALTER TABLE case_observables DROP COLUMN alerts;
         ALTER TABLE case_configure DROP COLUMN max_observables;
         ALTER TABLE case_configure DROP COLUMN observable_type_priority;
         DROP INDEX case_alerts_by_rule; DROP INDEX case_alerts_by_time;
         UPDATE case_alerts SET original_time = coalesce(original_time, alert_time);
         ALTER TABLE case_alerts DROP COLUMN alert_time;
         CREATE INDEX case_alerts_by_rule ON case_alerts (case_id, rule_name, rule_id, original_time DESC, id DESC);
         CREATE INDEX case_alerts_by_time ON case_alerts (case_id, original_time, id);
         DROP TRIGGER case_tags_totals_insert; DROP TRIGGER case_tags_totals_delete;
         DROP TRIGGER case_tags_totals_update; DROP TRIGGER case_assignees_totals_insert;
         DROP TRIGGER case_assignees_totals_delete; DROP TRIGGER case_assignees_totals_update;
         DROP TABLE facet_totals;
         DROP TRIGGER cases_facts_insert; DROP TRIGGER cases_facts_update; DROP TRIGGER cases_facts_delete;
         DROP TABLE case_facts;
         DELETE FROM schema_migrations WHERE version >= 6; PRAGMA user_version = 5;",
    )
    .unwrap();
    drop(conn);
    let book = casebook_core::Casebook::open(&f.path).unwrap();
    let q = AlertListQuery { sort: Some(AlertSortField::Time), ..Default::default() };
    let alerts = book.list_alerts(&c.id, &q).unwrap().alerts;
    let times: Vec<_> = alerts.iter().map(|a| (a.id.as_str(), a.timestamp, a.original_time)).collect();
    assert_eq!(
        times,
        [
            ("c1", Some(at("2026-03-01T10:09:30Z")), None),
            ("f1", Some(at("2026-03-01T10:07:30.250Z")), Some(at("2026-03-01T10:07:00Z"))),
            ("c2", Some(at("2026-03-01T10:05:00Z")), Some(at("2026-03-01T10:05:00Z"))),
            ("a1", Some(at("2026-03-01T10:01:30Z")), Some(at("2026-03-01T10:01:00Z"))),
        ]
    );
    let groups = book.alert_overview(&c.id).unwrap().rules;
    assert_eq!(groups[0].newest, Some(at("2026-03-01T10:09:30Z")), "rule groups worked out again");
}

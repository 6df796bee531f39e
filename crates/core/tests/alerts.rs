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
    assert_eq!((r.attached, r.already_attached), (0, 4));
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

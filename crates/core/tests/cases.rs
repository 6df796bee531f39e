#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Behaviour of cases, comments and the activity log on a real SQLite file.

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use chrono::Duration;
use serde_json::json;

#[path = "support/fixture.rs"]
mod fixture;
use fixture::{Fixture, fixture};

impl Fixture {
    fn advance(&self, seconds: i64) {
        *self.now.lock().unwrap() += Duration::seconds(seconds);
    }
    fn create(&self, title: &str) -> Case {
        self.book.create_case("default", &CaseCreate { title: title.into(), ..Default::default() }).unwrap()
    }
    fn count(&self) -> i64 {
        self.book.find_cases(&FindQuery::default()).unwrap().total
    }
    fn patch(&self, c: &Case) -> CasePatch {
        CasePatch { id: c.id.clone(), version: c.version.clone(), ..Default::default() }
    }
}

#[test]
fn create_fills_kibana_defaults() {
    let f = fixture();
    let me = f.book.profile().unwrap();
    let c = f
        .book
        .create_case(
            "default",
            &CaseCreate { title: "  Phishing wave  ".into(), tags: vec!["phishing".into()], ..Default::default() },
        )
        .unwrap();
    assert_eq!(c.title, "Phishing wave");
    assert_eq!((c.status, c.severity), (Status::Open, Severity::Low));
    assert_eq!(c.owner, "securitySolution");
    assert!(c.settings.sync_alerts);
    assert_eq!(c.connector.connector_type, ".none");
    assert_eq!(c.incremental_id, None, "numbers come from the ID task");
    assert_eq!(c.created_by, me);
    assert_eq!(c.version, "1");
    assert!(uuid::Uuid::parse_str(&c.id).unwrap().get_version_num() == 4);
    assert_eq!(f.book.get_case(&c.id).unwrap(), c);
    let json = serde_json::to_value(&c).unwrap();
    for key in [
        "id",
        "version",
        "incremental_id",
        "title",
        "description",
        "tags",
        "severity",
        "status",
        "created_at",
        "created_by",
        "total_comment",
        "total_alerts",
        "closed_at",
        "duration",
        "time_to_acknowledge",
    ] {
        assert!(json.get(key).is_some(), "missing Kibana field {key}");
    }
}

#[test]
fn kibana_create_body_is_accepted() {
    let f = fixture();
    let body: CaseCreate = serde_json::from_value(json!({
        "title": "From Kibana", "description": "desc", "tags": ["a"], "owner": "securitySolution",
        "settings": {"syncAlerts": false}, "connector": {"id": "none", "name": "none", "type": ".none", "fields": null},
        "severity": "critical", "customFields": []
    }))
    .unwrap();
    let c = f.book.create_case("default", &body).unwrap();
    assert!(!c.settings.sync_alerts);
    assert_eq!(c.severity, Severity::Critical);
}

#[test]
fn invalid_input_writes_nothing() {
    let f = fixture();
    let a = f.create("kept");
    let before = f.book.find_activity(&a.space, &a.id, &ActivityQuery::default()).unwrap().total;
    let e = f.book.create_case("default", &CaseCreate { title: "t".repeat(161), ..Default::default() }).unwrap_err();
    assert_eq!(e.code(), "validation");
    let e = f
        .book
        .create_cases(
            "default",
            &[
                CaseCreate { title: "ok".into(), ..Default::default() },
                CaseCreate { title: " ".into(), ..Default::default() },
            ],
        )
        .unwrap_err();
    assert!(e.to_string().starts_with("cases[1].title:"), "the message names the bad element: {e}");
    assert_eq!(f.count(), 1, "the valid first case of the batch was not kept either");

    // A bulk update whose second patch is bad leaves the first case as it was.
    let b = f.create("other");
    let good = CasePatch { title: Some("renamed".into()), ..f.patch(&a) };
    let bad = CasePatch { category: Some(Some("c".repeat(51))), ..f.patch(&b) };
    let e = f.book.update_cases("default", &[good, bad]).unwrap_err();
    assert!(e.to_string().contains("category") && e.to_string().contains("50"), "{e}");
    assert_eq!(f.book.get_case(&a.id).unwrap(), a);
    assert_eq!(f.book.find_activity(&a.space, &a.id, &ActivityQuery::default()).unwrap().total, before);
}

#[test]
fn stale_version_is_a_conflict_and_changes_nothing() {
    let f = fixture();
    let c = f.create("one");
    // Two windows (two connections) load the same version.
    let other = Casebook::open(&f.path).unwrap();
    let loaded_elsewhere = other.get_case(&c.id).unwrap();
    let mine = f.book.update_case(&CasePatch { title: Some("mine".into()), ..f.patch(&c) }).unwrap();
    assert_eq!(mine.version, "2");
    let e = other.update_case(&CasePatch { title: Some("theirs".into()), ..f.patch(&loaded_elsewhere) }).unwrap_err();
    assert_eq!(e.code(), "conflict");
    assert!(e.to_string().contains("Reload"), "{e}");
    assert_eq!(f.book.get_case(&c.id).unwrap().title, "mine");
    let e = f.book.update_case(&CasePatch { version: "abc".into(), ..f.patch(&c) }).unwrap_err();
    assert_eq!(e.code(), "validation");
}

#[test]
fn unchanged_patch_keeps_version() {
    let f = fixture();
    let c = f.create("same");
    let out = f.book.update_case(&CasePatch { title: Some(" same ".into()), ..f.patch(&c) }).unwrap();
    assert_eq!(out.version, "1");
    assert_eq!(f.book.find_activity(&c.space, &c.id, &ActivityQuery::default()).unwrap().total, 1);
}

#[test]
fn status_changes_follow_kibana_timing() {
    let f = fixture();
    let c = f.create("timed");
    f.advance(60);
    let c = f.book.update_case(&CasePatch { status: Some(Status::InProgress), ..f.patch(&c) }).unwrap();
    assert_eq!(c.time_to_acknowledge, Some(60));
    assert!(c.in_progress_at.is_some());
    f.advance(240);
    let c = f.book.update_case(&CasePatch { status: Some(Status::Closed), ..f.patch(&c) }).unwrap();
    assert_eq!(
        (c.duration, c.time_to_resolve, c.time_to_investigate, c.time_to_acknowledge),
        (Some(300), Some(300), Some(240), Some(60))
    );
    assert_eq!(c.closed_by, Some(f.book.profile().unwrap()));
    f.advance(10);
    let c = f.book.update_case(&CasePatch { status: Some(Status::Open), ..f.patch(&c) }).unwrap();
    assert_eq!((c.closed_at, c.duration, c.in_progress_at, c.time_to_acknowledge), (None, None, None, None));
}

#[test]
fn every_change_is_logged_with_kibana_types() {
    let f = fixture();
    f.book.add_user(&UserInput { username: "ana".into(), ..Default::default() }).unwrap();
    let c = f
        .book
        .create_case("default", &CaseCreate { title: "a".into(), tags: vec!["x".into()], ..Default::default() })
        .unwrap();
    let c = f
        .book
        .update_case(&CasePatch {
            title: Some("b".into()),
            description: Some("d".into()),
            severity: Some(Severity::High),
            status: Some(Status::InProgress),
            category: Some(Some("Malware".into())),
            add_tags: vec!["y".into()],
            remove_tags: vec!["x".into()],
            add_assignees: vec![Assignee { uid: "ana".into() }],
            ..f.patch(&c)
        })
        .unwrap();
    let m = f.book.add_comment(&c.id, "first").unwrap();
    f.book.edit_comment(&c.id, &m.id, &m.version, "first, edited").unwrap();
    f.book.delete_comment(&c.id, &m.id).unwrap();
    f.book.delete_cases(std::slice::from_ref(&c.id)).unwrap();

    let all = f.book.find_activity(&c.space, &c.id, &ActivityQuery::default()).unwrap();
    let seen: Vec<(&str, &str)> =
        all.user_actions.iter().map(|a| (a.action.as_str(), a.action_type.as_str())).collect();
    assert_eq!(
        seen,
        vec![
            ("create", "create_case"),
            ("update", "title"),
            ("update", "description"),
            ("update", "category"),
            ("update", "severity"),
            ("add", "tags"),
            ("delete", "tags"),
            ("add", "assignees"),
            ("update", "status"),
            ("create", "comment"),
            ("update", "comment"),
            ("delete", "comment"),
            ("delete", "delete_case"),
        ]
    );
    assert_eq!(all.user_actions[5].payload, json!({"tags": ["y"]}));
    assert_eq!(all.user_actions[10].comment_id.as_deref(), Some(m.id.as_str()));
    assert_eq!(all.user_actions[0].payload["title"], "a");

    let only = f
        .book
        .find_activity(
            &c.space,
            &c.id,
            &ActivityQuery { types: vec![ActionType::Comment, ActionType::Status], ..Default::default() },
        )
        .unwrap();
    assert_eq!(only.total, 4);
    let newest = f
        .book
        .find_activity(
            &c.space,
            &c.id,
            &ActivityQuery { sort_order: SortOrder::Desc, per_page: Some(2), page: Some(1), ..Default::default() },
        )
        .unwrap();
    assert_eq!(newest.user_actions[0].action_type, ActionType::DeleteCase);
    assert_eq!((newest.user_actions.len(), newest.total), (2, 13));
}

#[test]
fn activity_log_is_append_only() {
    let f = fixture();
    let c = f.create("a");
    let e = f.book.with_connection(|conn| conn.execute("UPDATE user_actions SET type = 'title'", []).unwrap_err());
    assert!(e.to_string().contains("append-only"));
    let e = f.book.with_connection(|conn| conn.execute("DELETE FROM user_actions", []).unwrap_err());
    assert!(e.to_string().contains("append-only"));
    assert_eq!(f.book.find_activity(&c.space, &c.id, &ActivityQuery::default()).unwrap().total, 1);
}

#[test]
fn comments_have_their_own_versions() {
    let f = fixture();
    let c = f.create("commented");
    f.advance(5);
    let m = f.book.add_comment(&c.id, "  **bold** finding  ").unwrap();
    assert_eq!(m.comment, "**bold** finding");
    let after = f.book.get_case(&c.id).unwrap();
    assert_eq!(after.total_comment, 1);
    assert_eq!(after.updated_at, Some(m.created_at));
    assert_eq!(after.version, c.version, "a comment does not make the case's own edit stale");

    let edited = f.book.edit_comment(&c.id, &m.id, &m.version, "second thoughts").unwrap();
    assert_eq!(edited.version, "2");
    let e = f.book.edit_comment(&c.id, &m.id, &m.version, "lost update").unwrap_err();
    assert_eq!(e.code(), "conflict");
    assert_eq!(f.book.get_comment(&c.id, &m.id).unwrap().comment, "second thoughts");
    assert_eq!(f.book.add_comment(&c.id, " ").unwrap_err().code(), "validation");
    assert_eq!(f.book.add_comment(&c.id, &"x".repeat(30_001)).unwrap_err().code(), "validation");

    f.book.add_comment(&c.id, "later").unwrap();
    let (list, total) = f.book.list_comments(&c.id, SortOrder::Asc, 1, 100).unwrap();
    assert_eq!(total, 2);
    assert_eq!(list.iter().map(|m| m.comment.as_str()).collect::<Vec<_>>(), vec!["second thoughts", "later"]);
    f.book.delete_comment(&c.id, &m.id).unwrap();
    assert_eq!(f.book.get_case(&c.id).unwrap().total_comment, 1);
    assert_eq!(f.book.get_comment(&c.id, &m.id).unwrap_err().code(), "not_found");
}

#[test]
fn delete_removes_case_comments_and_search_entry() {
    let f = fixture();
    let a = f.create("zebra incident");
    f.book.add_comment(&a.id, "quokka sighting").unwrap();
    let b = f.create("keep me");
    f.book.delete_cases(std::slice::from_ref(&a.id)).unwrap();
    assert_eq!(f.book.get_case(&a.id).unwrap_err().code(), "not_found");
    for q in ["zebra", "quokka"] {
        let r = f.book.find_cases(&FindQuery { search: Some(q.into()), ..Default::default() }).unwrap();
        assert_eq!(r.total, 0, "{q} still found after delete");
    }
    let e = f.book.delete_cases(&[b.id.clone(), uuid::Uuid::new_v4().to_string()]).unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(f.book.get_case(&b.id).is_ok(), "a failed batch deletes nothing");
    let orphan_comments: i64 =
        f.book.with_connection(|c| c.query_row("SELECT count(*) FROM comments", [], |r| r.get(0)).unwrap());
    assert_eq!(orphan_comments, 0);
}

#[test]
fn assignees_must_be_known_people() {
    let f = fixture();
    let e = f
        .book
        .create_case(
            "default",
            &CaseCreate { title: "x".into(), assignees: vec![Assignee { uid: "ghost".into() }], ..Default::default() },
        )
        .unwrap_err();
    assert!(e.to_string().contains("ghost") && e.to_string().starts_with("assignees[0]"), "{e}");
    let me = f.book.profile().unwrap();
    let c = f
        .book
        .create_case(
            "default",
            &CaseCreate {
                title: "x".into(),
                assignees: vec![Assignee { uid: me.username.clone() }],
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(c.assignees.len(), 1);
}

#[test]
fn custom_fields_from_space_settings() {
    let f = fixture();
    let cfg = f.book.configuration("default").unwrap();
    let cfg = f
        .book
        .update_configuration(
            "default",
            &ConfigurationPatch {
                version: cfg.version,
                custom_fields: Some(vec![
                    CustomFieldDefinition {
                        key: "escalated".into(),
                        label: "Escalated".into(),
                        field_type: CustomFieldType::Toggle,
                        required: false,
                        default_value: Some(json!(false)),
                    },
                    CustomFieldDefinition {
                        key: "ticket".into(),
                        label: "Ticket".into(),
                        field_type: CustomFieldType::Text,
                        required: true,
                        default_value: Some(json!("none")),
                    },
                ]),
                ..Default::default()
            },
        )
        .unwrap();
    let c = f.create("needs defaults");
    assert_eq!(c.custom_fields.len(), 2);
    let stale = f
        .book
        .update_configuration("default", &ConfigurationPatch { version: "1".into(), ..Default::default() })
        .unwrap_err();
    assert_eq!(stale.code(), "conflict");
    let change_type = f
        .book
        .update_configuration(
            "default",
            &ConfigurationPatch {
                version: cfg.version.clone(),
                custom_fields: Some(vec![CustomFieldDefinition {
                    key: "escalated".into(),
                    label: "E".into(),
                    field_type: CustomFieldType::Number,
                    required: false,
                    default_value: None,
                }]),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(change_type.to_string().contains("cannot change"), "{change_type}");

    let on = CustomFieldValue { key: "escalated".into(), field_type: CustomFieldType::Toggle, value: json!(true) };
    let d = f
        .book
        .create_case(
            "default",
            &CaseCreate { title: "escalated one".into(), custom_fields: vec![on], ..Default::default() },
        )
        .unwrap();
    let q = |value| FindQuery {
        custom_toggles: vec![ToggleFilter { key: "escalated".into(), value }],
        ..Default::default()
    };
    let r = f.book.find_cases(&q(true)).unwrap();
    assert_eq!(r.cases.iter().map(|c| &c.id).collect::<Vec<_>>(), vec![&d.id]);
    assert_eq!(f.book.find_cases(&q(false)).unwrap().cases[0].id, c.id);
}

#[test]
fn spaces_keep_their_cases_apart() {
    let f = fixture();
    f.book.create_space("red-team").unwrap();
    assert_eq!(f.book.create_space("red-team").unwrap_err().code(), "already_exists");
    assert_eq!(f.book.create_space("Red Team").unwrap_err().code(), "validation");
    let red = f.book.create_case("red-team", &CaseCreate { title: "red only".into(), ..Default::default() }).unwrap();
    f.create("blue only");
    let in_red = f.book.find_cases(&FindQuery { space: "red-team".into(), ..Default::default() }).unwrap();
    assert_eq!(in_red.cases.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec![red.id.as_str()]);
    let search_default = f.book.find_cases(&FindQuery { search: Some("red".into()), ..Default::default() }).unwrap();
    assert_eq!(search_default.total, 0, "search stays in its space");
    let spaces = f.book.list_spaces().unwrap();
    assert_eq!(
        spaces.iter().map(|s| (s.name.as_str(), s.total_cases)).collect::<Vec<_>>(),
        vec![("default", 1), ("red-team", 1)]
    );
    assert_eq!(
        f.book.create_case("nope", &CaseCreate { title: "x".into(), ..Default::default() }).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn a_case_id_from_another_space_is_not_found() {
    let f = fixture();
    f.book.create_space("red-team").unwrap();
    let red = f.book.create_case("red-team", &CaseCreate { title: "red only".into(), ..Default::default() }).unwrap();
    let patch = CasePatch { title: Some("taken over".into()), ..f.patch(&red) };
    let e = f.book.update_cases("default", std::slice::from_ref(&patch)).unwrap_err();
    assert_eq!(e.code(), "not_found", "{e}");
    assert!(e.to_string().contains("in space default"), "{e}");
    assert_eq!(f.book.get_case(&red.id).unwrap(), red, "nothing changed");
    assert_eq!(f.book.update_cases("red-team", &[patch]).unwrap()[0].title, "taken over");

    let q = ActivityQuery::default();
    assert_eq!(f.book.find_activity("default", &red.id, &q).unwrap_err().code(), "not_found");
    assert_eq!(f.book.find_activity("red-team", &red.id, &q).unwrap().total, 2);
    // A deleted case's history stays readable, in its own space only.
    f.book.delete_cases(std::slice::from_ref(&red.id)).unwrap();
    assert_eq!(f.book.find_activity("default", &red.id, &q).unwrap_err().code(), "not_found");
    assert_eq!(f.book.find_activity("red-team", &red.id, &q).unwrap().total, 3);
}

#[test]
fn errors_carry_stable_codes() {
    for code in Error::CODES {
        assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{code}");
    }
}

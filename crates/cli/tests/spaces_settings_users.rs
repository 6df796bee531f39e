//! End-to-end tests of the `casebook` binary: spaces, settings and custom fields, users.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use serde_json::json;

use support::*;

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
    assert_eq!(cb.ok(&["--space", "red", "tags"]), json!([{ "tag": "shared", "cases": 1 }]));

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

/// Every command that takes a case id answers not_found for a case outside --space, and
/// changes nothing (issue 13, item 3).
#[test]
fn every_command_that_takes_a_case_id_stays_in_its_space() {
    let cb = Cb::new();
    cb.ok(&["space", "create", "red"]);
    let red = cb.ok(&["--space", "red", "case", "create", "--title", "Red case"]);
    let rid = id(&red);
    let comment = cb.ok(&["--space", "red", "comment", "add", &rid, "--body", "red note"]);
    let cid = id(&comment);
    let obs = cb.ok(&["--space", "red", "observable", "add", &rid, "--type", "ipv4", "--value", "192.0.2.7"]);
    let oid = id(&obs);
    let alerts = cb.dir.path().join("a.ndjson");
    std::fs::write(
        &alerts,
        "{\"_id\": \"al-1\", \"@timestamp\": \"2026-11-01T00:00:00Z\", \"kibana.alert.rule.name\": \"R\"}\n",
    )
    .unwrap();
    let alerts = alerts.to_str().unwrap();
    cb.ok(&["--space", "red", "alert", "import", alerts, "--case", &rid]);
    let red = cb.ok(&["--space", "red", "case", "get", &rid]);
    let v = version(&red);
    let patch = cb.dir.path().join("patch.json");
    std::fs::write(&patch, json!({"cases": [{"id": rid, "version": v, "title": "Taken over"}]}).to_string()).unwrap();
    let patch = patch.to_str().unwrap();

    let commands: Vec<Vec<&str>> = vec![
        vec!["case", "get", &rid],
        vec!["case", "update", &rid, "--version", &v, "--title", "Taken over"],
        vec!["case", "update", "--from-json", patch],
        vec!["case", "delete", &rid],
        vec!["case", "similar", &rid],
        vec!["case", "push", &rid],
        vec!["comment", "add", &rid, "--body", "x"],
        vec!["comment", "list", &rid],
        vec!["comment", "edit", &rid, &cid, "--version", "1", "--body", "x"],
        vec!["comment", "delete", &rid, &cid],
        vec!["activity", &rid],
        vec!["alert", "import", alerts, "--case", &rid],
        vec!["alert", "list", "--case", &rid],
        vec!["alert", "show", "--case", &rid, "al-1"],
        vec!["alert", "summary", "--case", &rid],
        vec!["alert", "remove", "--case", &rid, "al-1"],
        vec!["observable", "add", &rid, "--type", "ipv4", "--value", "192.0.2.8"],
        vec!["observable", "list", &rid],
        vec!["observable", "edit", &rid, &oid, "--value", "192.0.2.9"],
        vec!["observable", "delete", &rid, &oid],
    ];
    for args in &commands {
        let (code, message) = cb.fails(args);
        assert_eq!(code, "not_found", "{args:?}: {message}");
    }
    assert_eq!(cb.ok(&["--space", "red", "case", "get", &rid]), red, "nothing changed");
    assert_eq!(cb.ok(&["--space", "red", "comment", "list", &rid])["total"], 1);

    // A deleted case's history stays in its space too.
    cb.ok(&["--space", "red", "case", "delete", &rid]);
    assert_eq!(cb.fails(&["activity", &rid]).0, "not_found");
    let history = cb.ok(&["--space", "red", "activity", &rid]);
    assert_eq!(history["user_actions"].as_array().unwrap().last().unwrap()["type"], "delete_case");
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
// Users
// ---------------------------------------------------------------------------------------------

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
fn user_me_shows_whether_the_profile_is_confirmed_and_confirm_keeps_it_as_is() {
    let cb = Cb::new();
    let me = cb.ok(&["user", "me"]);
    assert_eq!(me["confirmed"], false, "{me}");
    // Text says what is missing and how to answer it.
    let text = cb.run(&["user", "me"]);
    assert!(text.stdout.contains("Not confirmed") && text.stdout.contains("--confirm"), "{}", text.stdout);

    let confirmed = cb.ok(&["user", "me", "--confirm"]);
    assert_eq!(confirmed["confirmed"], true);
    assert_eq!(confirmed["username"], me["username"]);
    assert_eq!(confirmed["full_name"], me["full_name"]);
    assert!(!cb.run(&["user", "me"]).stdout.contains("Not confirmed"));

    // A refused change confirms nothing on a new database.
    let fresh = Cb::new();
    let (code, _) = fresh.fails(&["user", "me", "--email", "not-an-address"]);
    assert_eq!(code, "validation");
    assert_eq!(fresh.ok(&["user", "me"])["confirmed"], false);
    fresh.ok(&["user", "me", "--full-name", "Ana Lytic"]);
    assert_eq!(fresh.ok(&["user", "me"])["confirmed"], true);
}

// ---------------------------------------------------------------------------------------------
// Case numbers
// ---------------------------------------------------------------------------------------------

#[test]
fn ids_assign_numbers_cases_and_reports_how_many() {
    let cb = Cb::new();
    let first = cb.create("First", &[]);
    let second = cb.create("Second", &[]);
    assert!(cb.get(&id(&second))["incremental_id"].is_null());
    assert_eq!(cb.ok(&["ids", "assign"]), json!({"assigned": 2}));
    assert_eq!(cb.get(&id(&first))["incremental_id"], 1);
    assert_eq!(cb.get("#2")["id"], second["id"]);
    assert_eq!(cb.ok(&["ids", "assign"]), json!({"assigned": 0}));
    let text = cb.run(&["ids", "assign"]);
    assert!(text.stdout.contains("Every case already has a number"), "{}", text.stdout);
    // The list shows the numbers.
    let listed = cb.run(&["case", "list"]).stdout;
    assert!(listed.contains("#1") && listed.contains("#2"), "{listed}");
}

#[test]
fn ids_interval_is_a_setting_from_1_to_60_minutes() {
    let cb = Cb::new();
    assert_eq!(cb.ok(&["ids", "interval"]), json!({"interval_minutes": 10}));
    assert_eq!(cb.ok(&["ids", "interval", "15"]), json!({"interval_minutes": 15}));
    let (code, msg) = cb.fails(&["ids", "interval", "0"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("interval: between 1 and 60 minutes (got 0)"), "{msg}");
    assert_eq!(cb.ok(&["ids", "interval"]), json!({"interval_minutes": 15}), "a refused value changes nothing");
}

#[test]
fn cases_imported_from_kibana_get_fresh_numbers_in_their_space() {
    let cb = Cb::new();
    cb.create("Already here", &[]);
    cb.ok(&["ids", "assign"]);
    // Kibana's bulk body, as exported (the export strips incremental_id).
    let body = r#"[{"title":"From Kibana A","description":"x","tags":["imported"],"owner":"securitySolution"},
                   {"title":"From Kibana B","description":"y","tags":["imported"],"owner":"securitySolution"}]"#;
    cb.ok_stdin(&["case", "create", "--from-json", "-"], body);
    assert_eq!(cb.ok(&["ids", "assign"]), json!({"assigned": 2}));
    let listed = cb.list(&["--tag", "imported", "--sort", "created_at", "--order", "asc"]);
    let numbers: Vec<_> = listed["cases"].as_array().unwrap().iter().map(|c| c["incremental_id"].clone()).collect();
    assert_eq!(numbers, [json!(2), json!(3)]);
}

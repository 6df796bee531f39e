//! Control characters never reach the terminal (issue 13, item 1): single-line fields refuse
//! them, multi-line fields keep only line breaks and tabs, and every text printer shows what
//! Casebook does not own (alert documents, rows an older version wrote) escaped. `--json`
//! output carries the values as they are.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::{Value, json};
use support::*;

/// One sample of each class that a terminal acts on instead of showing.
const CLASSES: &[(&str, &str)] = &[
    ("ESC (colour)", "\u{1b}[31mred"),
    ("OSC 52 clipboard write", "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}"),
    ("CR", "ok\rstatus closed"),
    ("LF (forged line)", "ok\n  status       closed"),
    ("NUL", "a\0b"),
    ("BEL", "a\u{7}b"),
    ("C1 CSI", "a\u{9b}2Jb"),
    ("RLO (bidi override)", "invoice\u{202e}fdp.exe"),
    ("FSI (bidi isolate)", "a\u{2068}b\u{2069}"),
];

/// Characters no line of text output may hold raw (the tab is allowed).
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn single_line_fields_refuse_control_characters_and_nothing_is_saved() {
    let cb = Cb::new();
    cb.ok(&["settings", "add-field", "--key", "ticket", "--label", "Ticket", "--type", "text"]);
    // A command line cannot carry NUL; --from-json can.
    for (class, v) in CLASSES.iter().filter(|(_, v)| !v.contains('\0')) {
        let tag = format!("t{v}");
        let cf = format!("ticket={v}");
        let attempts: [(&str, Vec<&str>); 6] = [
            ("title", vec!["case", "create", "--title", v]),
            ("tags[0]", vec!["case", "create", "--title", "ok", "--tag", &tag]),
            ("category", vec!["case", "create", "--title", "ok", "--category", v]),
            ("custom_fields.ticket", vec!["case", "create", "--title", "ok", "--custom-field", &cf]),
            ("full_name", vec!["user", "add", "bob", "--full-name", v]),
            ("full_name", vec!["user", "me", "--full-name", v]),
        ];
        for (field, args) in attempts {
            let (code, message) = cb.fails(&args);
            assert_eq!(code, "validation", "{class} in {field}: {message}");
            assert!(message.starts_with(&format!("{field}: may not contain control characters")), "{class}: {message}");
        }
    }
    let body = cb.dir.path().join("nul.json");
    std::fs::write(&body, r#"{"title": "a\u0000b", "tags": ["ok"]}"#).unwrap();
    let (code, message) = cb.fails(&["case", "create", "--from-json", body.to_str().unwrap()]);
    assert_eq!(code, "validation");
    assert!(message.starts_with("title: may not contain control characters (U+0000"), "{message}");
    assert_eq!(cb.total(), 0, "no case was created");
    assert_eq!(cb.ok(&["user", "list"]).as_array().unwrap().len(), 1, "no user was added");

    // Text that shows nothing is empty.
    for invisible in ["\u{200b}", "\u{feff}\u{200d}", "\u{2060}"] {
        let (code, message) = cb.fails(&["case", "create", "--title", invisible]);
        assert_eq!((code.as_str(), message.as_str()), ("validation", "title: cannot be an empty string"));
    }
}

#[test]
fn multi_line_fields_keep_line_breaks_and_tabs_only() {
    let cb = Cb::new();
    let c = cb.create("Notes", &["--description", "step 1\n\tcheck logs\r\nstep 2"]);
    assert_eq!(c["description"], "step 1\n\tcheck logs\nstep 2", "CRLF becomes LF");
    let (code, message) = cb.fails(&["case", "create", "--title", "x", "--description", "a\u{1b}[2Jb"]);
    assert_eq!(code, "validation");
    assert!(message.starts_with("description: may not contain control characters"), "{message}");
    let (code, message) = cb.fails_stdin(&["comment", "add", &id(&c), "--body", "-"], "bell\u{7}\n");
    assert_eq!(code, "validation");
    assert!(message.contains("only line breaks and tabs"), "{message}");
    assert_eq!(cb.ok(&["comment", "list", &id(&c)])["total"], 0);
}

/// A database with every class of character in every printed field, as an older Casebook or
/// an imported alert file could leave it.
fn hostile_database() -> (Cb, String, String) {
    let cb = Cb::new();
    let c = cb.create("Placeholder", &["--tag", "placeholder", "--category", "Placeholder"]);
    let case = id(&c);
    cb.ok(&["comment", "add", &case, "--body", "placeholder"]);
    cb.ok(&["user", "add", "bob", "--full-name", "Placeholder"]);
    let all: String = CLASSES.iter().map(|(_, v)| *v).collect::<Vec<_>>().join(" ");
    {
        let conn = rusqlite::Connection::open(&cb.db).unwrap();
        conn.execute("UPDATE cases SET title = ?1, category = ?1, tags = ?2", (&all, json!([all]).to_string()))
            .unwrap();
        conn.execute("UPDATE case_tags SET tag = ?1", [&all]).unwrap();
        conn.execute("UPDATE comments SET body = ?1", [&all]).unwrap();
        conn.execute("UPDATE users SET full_name = ?1 WHERE username = 'bob'", [&all]).unwrap();
        // The activity log is append-only: add a record as an older version would have.
        conn.execute(
            "INSERT INTO user_actions (uuid, case_uuid, action, type, payload, created_at, created_by, owner)
             SELECT 'a0000000-0000-4000-8000-000000000001', case_uuid, 'update', 'title', ?1, created_at + 1,
                    created_by, owner FROM user_actions LIMIT 1",
            [json!({ "title": all }).to_string()],
        )
        .unwrap();
    }
    // Alert documents are stored as they came: the file is the attacker's.
    let alert = json!({
        "@timestamp": "2026-11-02T10:00:00.000Z",
        "kibana.alert.uuid": "0e0e0e0e-1111-4222-8333-444455556666",
        "kibana.alert.rule.uuid": "rule-1",
        "kibana.alert.rule.name": all,
        "kibana.alert.reason": all,
        "kibana.alert.severity": "high",
        "kibana.alert.workflow_status": "open",
        "host": { "name": all },
        "user": { "name": all },
    });
    let file = cb.dir.path().join("hostile.ndjson");
    std::fs::write(&file, format!("{alert}\n")).unwrap();
    cb.ok(&["alert", "import", file.to_str().unwrap(), "--case", &case]);
    (cb, case, all)
}

#[test]
fn every_printing_command_shows_control_characters_escaped() {
    let (cb, case, all) = hostile_database();
    let alert = "0e0e0e0e-1111-4222-8333-444455556666";
    let commands: [Vec<&str>; 10] = [
        vec!["case", "list"],
        vec!["case", "get", &case],
        vec!["comment", "list", &case],
        vec!["activity", &case],
        vec!["tags"],
        vec!["categories"],
        vec!["user", "list"],
        vec!["alert", "list", "--case", &case],
        vec!["alert", "show", "--case", &case, alert],
        vec!["alert", "summary", "--case", &case],
    ];
    for args in &commands {
        let r = cb.run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_eq!(
            raw_controls(&r.stdout),
            Vec::<char>::new(),
            "{args:?} printed raw control characters:\n{}",
            r.stdout
        );
        assert!(r.stdout.contains("\\x1b"), "{args:?} shows ESC as \\x1b:\n{}", r.stdout);
        assert!(
            !r.stdout.lines().any(|l| l.starts_with("  status       closed")),
            "{args:?}: a line break in a value forged a line:\n{}",
            r.stdout
        );
    }
    // The bidi override and the clipboard write, as a reader sees them in `case get`.
    let get = cb.run(&["case", "get", &case]).stdout;
    assert!(get.contains("\\x1b]52;c;ZWNobyBwd25lZA==\\x07"), "{get}");
    assert!(get.contains("invoice\\u{202e}fdp.exe"), "{get}");
    assert!(get.contains("ok\\rstatus closed"), "{get}");

    // --json is unchanged: the values as stored, for scripts.
    let v: Value = cb.ok(&["case", "get", &case]);
    assert_eq!(v["title"], all.as_str());
    let alerts = cb.ok(&["alert", "list", "--case", &case]);
    assert_eq!(alerts["alerts"][0]["user"], all.as_str(), "{alerts}");
}

#[test]
fn errors_quoting_a_hostile_value_are_escaped_on_stderr() {
    let cb = Cb::new();
    let case = id(&cb.create("Target", &[]));
    // A file name is quoted as it is (Display, not Debug): only the printer escapes it.
    let file = cb.dir.path().join("x\u{1b}]52;c;aGk=\u{7}.ndjson");
    let r = cb.run(&["alert", "import", file.to_str().unwrap(), "--case", &case]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(raw_controls(&r.stderr), Vec::<char>::new(), "{}", r.stderr);
    assert!(r.stderr.contains("x\\x1b]52;c;aGk=\\x07.ndjson"), "{}", r.stderr);
}

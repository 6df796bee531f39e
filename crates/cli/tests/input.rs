//! What the user hands over: `--from-json` documents, standard input, values that start with
//! `-` (issue 13, item 9).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::*;

fn write(cb: &Cb, name: &str, bytes: &[u8]) -> String {
    let path = cb.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn from_json_accepts_a_byte_order_mark() {
    let cb = Cb::new();
    let file = write(&cb, "bom.json", b"\xef\xbb\xbf{\"title\": \"Saved by Notepad\", \"tags\": [\"win\"]}");
    let c = cb.ok(&["case", "create", "--from-json", &file]);
    assert_eq!(c["title"], "Saved by Notepad");
    let patch = format!(
        "\u{feff}{{\"cases\": [{{\"id\": \"{}\", \"version\": \"{}\", \"title\": \"Renamed\"}}]}}",
        id(&c),
        version(&c)
    );
    let file = write(&cb, "patch.json", patch.as_bytes());
    assert_eq!(cb.ok(&["case", "update", "--from-json", &file])[0]["title"], "Renamed");
    // From standard input too.
    let c = cb.ok_stdin(&["case", "create", "--from-json", "-"], "\u{feff}{\"title\": \"piped\"}");
    assert_eq!(c["title"], "piped");
}

#[test]
fn from_json_refuses_a_key_given_twice_at_any_depth() {
    let cb = Cb::new();
    for body in [
        r#"{"title": "first", "title": "second"}"#,
        r#"{"title": "t", "settings": {"sync_alerts": true, "sync_alerts": false, "extract_observables": true}}"#,
        r#"[{"title": "ok"}, {"title": "t", "connector": {"id": "none", "name": "none", "type": ".none", "fields": {"a": 1, "a": 2}}}]"#,
    ] {
        let file = write(&cb, "dup.json", body.as_bytes());
        let (code, message) = cb.fails(&["case", "create", "--from-json", &file]);
        assert_eq!(code, "validation", "{body}");
        assert!(message.contains("is given twice in one object"), "{body}: {message}");
    }
    assert_eq!(cb.total(), 0);
}

#[test]
fn from_json_refuses_unknown_keys_at_every_depth() {
    let cb = Cb::new();
    for (body, path) in [
        (r#"{"title": "t", "tilte": "typo"}"#, "tilte"),
        (
            r#"{"title": "t", "settings": {"syncAlerts": true, "extract_observables": true, "syncAlert": false}}"#,
            "settings.syncAlert",
        ),
        (r#"{"title": "t", "assignees": [{"uid": "root", "name": "x"}]}"#, "assignees.0.name"),
        (
            r#"{"title": "t", "customFields": [{"key": "k", "type": "text", "value": "v", "label": "L"}]}"#,
            "customFields.0.label",
        ),
    ] {
        let file = write(&cb, "unknown.json", body.as_bytes());
        let (code, message) = cb.fails(&["case", "create", "--from-json", &file]);
        assert_eq!(code, "validation", "{body}: {message}");
        assert!(message.contains(&format!("`{path}`")), "{body}: {message}");
    }
    assert_eq!(cb.total(), 0);

    let c = cb.create("Known", &[]);
    let body = format!(
        r#"{{"cases": [{{"id": "{}", "version": "{}", "title": "x"}}], "refresh": true}}"#,
        id(&c),
        version(&c)
    );
    let file = write(&cb, "bulk.json", body.as_bytes());
    let (code, message) = cb.fails(&["case", "update", "--from-json", &file]);
    assert_eq!(code, "validation");
    assert!(message.contains("`refresh`"), "{message}");
    let body = format!(
        r#"[{{"id": "{}", "version": "{}", "settings": {{"sync_alerts": false, "extract_observables": true, "x": 1}}}}]"#,
        id(&c),
        version(&c)
    );
    let file = write(&cb, "bulk.json", body.as_bytes());
    let (_, message) = cb.fails(&["case", "update", "--from-json", &file]);
    assert!(message.contains("[0]") && message.contains("`settings.x`"), "{message}");
    assert_eq!(cb.get(&id(&c))["title"], "Known", "nothing changed");

    // `settings show --json` round-trips: everything it prints is known to `settings set`.
    let shown = cb.ok(&["settings", "show"]);
    let file = write(&cb, "settings.json", shown.to_string().as_bytes());
    cb.ok(&["settings", "set", "--from-json", &file]);
}

#[test]
fn standard_input_is_read_up_to_the_limit_only() {
    let cb = Cb::new();
    let c = cb.create("Long notes", &[]);
    let exact = "a".repeat(30_000);
    assert_eq!(
        cb.ok_stdin(&["comment", "add", &id(&c), "--body", "-"], &exact)["comment"].as_str().unwrap().len(),
        30_000
    );
    // Far past the limit: refused with the limit named, without reading it all.
    let huge = "a".repeat(5_000_000);
    let (code, message) = cb.fails_stdin(&["comment", "add", &id(&c), "--body", "-"], &huge);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("validation", "comment: standard input holds more than 30000 characters")
    );
    let (code, message) = cb.fails_stdin(&["case", "create", "--title", "x", "--description", "-"], &huge);
    assert_eq!(code, "validation");
    assert!(message.starts_with("description: standard input holds more than 30000 characters"), "{message}");
    // Just past it (in characters, not bytes): the core's exact count.
    let (_, message) = cb.fails_stdin(&["comment", "add", &id(&c), "--body", "-"], &"é".repeat(30_001));
    assert_eq!(message, "comment: at most 30000 characters (got 30001)");
    assert_eq!(cb.ok(&["comment", "list", &id(&c)])["total"], 1);
}

#[test]
fn values_may_start_with_a_hyphen() {
    let cb = Cb::new();
    let c = cb.create(
        "-1 day: Okta brute force",
        &["--tag", "-okta", "--category", "-none-", "--description", "-- see logs"],
    );
    assert_eq!(c["tags"][0], "-okta");
    assert_eq!(c["description"], "-- see logs");
    let found = cb.list(&["--search", "-okta"]);
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(cb.list(&["--tag", "-okta"])["total"], 1);
    cb.ok(&["comment", "add", &id(&c), "--body", "-v is verbose"]);
    let updated = cb.ok(&["case", "update", &id(&c), "--version", &version(&c), "--add-tag", "-x", "--title", "-2"]);
    assert_eq!(updated["title"], "-2");
}

#[test]
fn from_json_refuses_what_is_not_a_regular_file_without_waiting() {
    let cb = Cb::new();
    let fifo = cb.dir.path().join("pipe.json");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    // Opening a FIFO would wait for a writer forever; it is refused first.
    let (code, message) = cb.fails(&["case", "create", "--from-json", fifo.to_str().unwrap()]);
    assert_eq!(code, "validation");
    assert!(message.contains("is not a regular file"), "{message}");
    let (_, message) = cb.fails(&["case", "create", "--from-json", "/dev/zero"]);
    assert!(message.contains("is not a regular file"), "{message}");
}

#[test]
fn a_from_json_path_need_not_be_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let cb = Cb::new();
    let path = cb.dir.path().join(std::ffi::OsStr::from_bytes(b"r\xe9sum\xe9.json"));
    std::fs::write(&path, r#"{"title": "From a Latin-1 file name"}"#).unwrap();
    let mut cmd = cb.cmd(&["--json", "case", "create", "--from-json"]);
    cmd.arg(&path);
    let r = spawn(cmd, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["title"], "From a Latin-1 file name");
}

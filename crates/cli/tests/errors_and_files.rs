//! End-to-end tests of the `casebook` binary: validation and usage errors, the database file,
//! and text output for people.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use std::path::Path;

use serde_json::{Value, json};

use support::*;

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

//! End-to-end tests of the `casebook` binary: validation and usage errors, the database file,
//! and text output for people.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

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

// ---------------------------------------------------------------------------------------------
// Who writes the file, and who waits
// ---------------------------------------------------------------------------------------------

/// Runs `cmd`, killing it (and failing the test) if it has not finished after `limit`: a hang
/// must fail the test, not stall the suite.
fn spawn_within(mut cmd: std::process::Command, limit: Duration) -> Run {
    use std::process::Stdio;
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("casebook {cmd:?} was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run::from(child.wait_with_output().unwrap())
}

#[test]
fn reads_do_not_wait_for_another_process_writing() {
    let cb = Cb::new();
    let c = cb.create("Readable while locked", &[]);
    // Another process in the middle of a write transaction, as the desktop app can be.
    let writer = rusqlite::Connection::open(&cb.db).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();

    // Each of these used to wait the whole 10 s busy timeout (an open wrote statistics).
    let started = Instant::now();
    assert_eq!(cb.total(), 1);
    assert_eq!(cb.get(&id(&c))["title"], "Readable while locked");
    let reads = started.elapsed();
    assert!(reads < Duration::from_secs(10), "two reads took {reads:?}: they waited for the writer");

    // A write waits the README's 10 s, once (it used to be 10 s at open plus 10 s to write).
    let started = Instant::now();
    let (code, msg) = cb.fails(&["case", "create", "--title", "Waits"]);
    let waited = started.elapsed();
    assert_eq!(code, "busy", "{msg}");
    assert!(waited < Duration::from_secs(15), "a write gave up after {waited:?}, not about 10 s");

    writer.execute_batch("ROLLBACK").unwrap();
    drop(writer);
    cb.create("After the writer", &[]);
    assert_eq!(cb.total(), 2);
}

#[test]
fn a_damaged_file_is_not_written_by_any_command() {
    let cb = Cb::new();
    cb.create("One", &[]);
    let page = {
        let c = rusqlite::Connection::open(&cb.db).unwrap();
        // Statistics that an open used to refresh (the table grew since it was analyzed).
        c.execute_batch("BEGIN").unwrap();
        for i in 0..3000 {
            c.execute("INSERT INTO users (username, created_at) VALUES (?1, 0)", [format!("u{i}")]).unwrap();
        }
        c.execute_batch("COMMIT").unwrap();
        let root: i64 = c
            .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'sqlite_autoindex_spaces_1'", [], |r| r.get(0))
            .unwrap();
        let size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
        ((root - 1) * size) as usize..(root * size) as usize
    };
    // Damage the index that finds a space by name: the header and schema still read fine.
    let mut data = std::fs::read(&cb.db).unwrap();
    data[page].fill(0xA5);
    std::fs::write(&cb.db, &data).unwrap();

    let shown = cb.db.display().to_string();
    for args in [vec!["case", "list"], vec!["case", "create", "--title", "x"], vec!["tags"]] {
        let (code, msg) = cb.fails(&args);
        assert_eq!(code, "database_corrupt", "{args:?}: {msg}");
        assert!(msg.contains(&shown), "{args:?}: the message names the file: {msg}");
        assert_eq!(std::fs::read(&cb.db).unwrap(), data, "{args:?} changed a damaged file");
    }
}

#[test]
fn a_read_only_file_is_listed_and_a_write_says_which_file_and_why() {
    let cb = Cb::new();
    cb.create("Kept", &[]);
    let mut perms = std::fs::metadata(&cb.db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&cb.db, perms).unwrap();
    let before = std::fs::read(&cb.db).unwrap();

    assert_eq!(cb.titles(&[]), vec!["Kept"]);
    let (code, msg) = cb.fails(&["case", "create", "--title", "New"]);
    assert_eq!(code, "storage");
    assert!(msg.contains(&format!("cannot write {}: the file is read-only", cb.db.display())), "{msg}");
    let r = cb.run(&["case", "create", "--title", "New"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("read-only") && r.stderr.contains(&cb.db.display().to_string()), "{}", r.stderr);
    assert_eq!(std::fs::read(&cb.db).unwrap(), before);
    assert_eq!(cb.titles(&[]), vec!["Kept"]);
}

/// Says (straight to stderr, past the test harness, as `root-tests SKIP`, which scripts/test
/// counts) that a test that needs root powers cannot run here; with
/// `CASEBOOK_ROOT_TESTS=require` (CI, which runs as root) that is a failure instead.
fn skip_root_test(name: &str, why: &str) {
    assert!(
        std::env::var("CASEBOOK_ROOT_TESTS").as_deref() != Ok("require"),
        "CASEBOOK_ROOT_TESTS=require, but {name} cannot run here: {why}"
    );
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "root-tests SKIP {name}: {why}");
}

/// A folder and file this user cannot write, as on a read-only file system (or a read-only
/// mount): SQLite cannot create the `-shm` index beside a WAL database. Root ignores
/// permissions, so as root the command runs as `nobody`.
#[cfg(unix)]
#[test]
fn a_database_in_a_read_only_folder_can_be_read() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;

    let cb = Cb::new();
    cb.create("On a read-only disk", &[]);
    assert!(!cb.dir.path().join("casebook.db-shm").exists(), "the writer cleaned up its -shm");
    let as_root = std::fs::metadata(&cb.db).unwrap().uid() == 0;
    if as_root {
        // `nobody` must be able to run the binary and reach the temporary folder.
        let runs = base_command().arg("--version").uid(65534).gid(65534).output().is_ok_and(|o| o.status.success());
        let reachable = cb
            .dir
            .path()
            .ancestors()
            .skip(1)
            .all(|d| std::fs::metadata(d).is_ok_and(|m| m.permissions().mode() & 0o001 != 0));
        if !runs || !reachable {
            let why = format!("user nobody cannot run {BIN} or reach {}", cb.dir.path().display());
            skip_root_test("a_database_in_a_read_only_folder_can_be_read", &why);
            return;
        }
    }
    std::fs::set_permissions(&cb.db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(cb.dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = std::fs::read(&cb.db).unwrap();
    let mut cmd = cb.cmd(&["--json", "case", "list"]);
    if as_root {
        cmd.uid(65534).gid(65534);
    }
    let r = spawn(cmd, None);
    std::fs::set_permissions(cb.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(titles_of(&r.json()), vec!["On a read-only disk"]);
    assert_eq!(std::fs::read(&cb.db).unwrap(), before);
}

/// A read-only bind mount of a folder, undone on drop (also when the test fails).
#[cfg(target_os = "linux")]
struct ReadOnlyMount(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl ReadOnlyMount {
    /// `None` where mounting is not allowed (not root, no CAP_SYS_ADMIN, no `mount`).
    fn new(src: &Path, dst: &Path) -> Option<ReadOnlyMount> {
        let mount = |args: &[&std::ffi::OsStr]| {
            std::process::Command::new("mount")
                .args(args)
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if !mount(&["--bind".as_ref(), src.as_os_str(), dst.as_os_str()]) {
            return None;
        }
        let guard = ReadOnlyMount(dst.to_path_buf());
        mount(&["-o".as_ref(), "remount,bind,ro".as_ref(), dst.as_os_str()]).then_some(guard)
    }
}

#[cfg(target_os = "linux")]
impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_read_only_file_system_is_read_and_a_write_says_why() {
    let cb = Cb::new();
    cb.create("On a read-only mount", &[]);
    let mnt = tempfile::tempdir().unwrap();
    let Some(_mount) = ReadOnlyMount::new(cb.dir.path(), mnt.path()) else {
        let why = "cannot bind-mount a folder read-only here (needs root or CAP_SYS_ADMIN)";
        skip_root_test("a_read_only_file_system_is_read_and_a_write_says_why", why);
        return;
    };
    let run = |db: &Path, args: &[&str]| {
        let mut cmd = base_command();
        cmd.arg("--db").arg(db).args(args);
        spawn(cmd, None)
    };
    let db = mnt.path().join("casebook.db");
    let r = run(&db, &["--json", "case", "list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(titles_of(&r.json()), vec!["On a read-only mount"]);

    let r = run(&db, &["--json", "case", "create", "--title", "x"]);
    let (code, msg) = error_of(&r, 1, &["case", "create"]);
    assert_eq!(code, "storage");
    assert!(msg.contains(&format!("cannot write {}: it is on a read-only file system", db.display())), "{msg}");

    // A new file cannot be created there either, for a read as for a write.
    let new = mnt.path().join("new.db");
    for args in [&["--json", "case", "list"][..], &["--json", "case", "create", "--title", "x"]] {
        let (code, msg) = error_of(&run(&new, args), 1, args);
        assert_eq!(code, "storage");
        assert!(
            msg.contains(&format!("cannot create {}", new.display())) && msg.contains("read-only file system"),
            "{msg}"
        );
    }
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_are_refused_without_opening_them() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.db");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for args in [&["--json", "case", "list"][..], &["--json", "case", "create", "--title", "x"]] {
        let mut cmd = base_command();
        cmd.arg("--db").arg(&fifo).args(args);
        // Opening a FIFO waits for a writer that never comes: that used to hang forever.
        let r = spawn_within(cmd, Duration::from_secs(60));
        let (code, msg) = error_of(&r, 1, args);
        assert_eq!(code, "not_a_casebook_database");
        assert!(msg.contains(&fifo.display().to_string()) && msg.contains("pipe"), "{msg}");
    }

    let journal_before = Path::new("/dev/null-journal").exists();
    let mut cmd = base_command();
    cmd.arg("--db").arg("/dev/null").args(["--json", "case", "create", "--title", "x"]);
    let r = spawn_within(cmd, Duration::from_secs(60));
    let (code, msg) = error_of(&r, 1, &["case", "create"]);
    assert_eq!(code, "not_a_casebook_database");
    assert!(msg.contains("/dev/null") && msg.contains("device"), "{msg}");
    assert!(journal_before || !Path::new("/dev/null-journal").exists(), "nothing is created beside a device");
}

#[test]
fn a_schema_mismatch_is_one_sentence() {
    let cb = Cb::new();
    cb.create("One", &[]);
    rusqlite::Connection::open(&cb.db).unwrap().pragma_update(None, "user_version", 2).unwrap();
    let before = std::fs::read(&cb.db).unwrap();
    for args in [vec!["case", "list"], vec!["case", "create", "--title", "x"]] {
        let (code, msg) = cb.fails(&args);
        assert_eq!(code, "database_corrupt", "{msg}");
        assert!(msg.len() < 300 && !msg.contains("CREATE"), "one sentence, no SQL: {msg}");
        assert!(msg.contains(&cb.db.display().to_string()) && msg.contains("migration"), "{msg}");
    }
    assert_eq!(std::fs::read(&cb.db).unwrap(), before);
}

// ---------------------------------------------------------------------------------------------
// Arguments that are not UTF-8
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
fn latin1(bytes: &[u8]) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes).to_owned()
}

#[cfg(unix)]
#[test]
fn a_latin1_database_path_works() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(latin1(b"caf\xe9.db"));
    let run = |args: &[&str]| {
        let mut cmd = base_command();
        cmd.arg("--db").arg(&db).args(args);
        spawn(cmd, None)
    };
    let r = run(&["--json", "case", "create", "--title", "Café"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(db.exists(), "the file has the name it was given");
    let r = run(&["--json", "case", "list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(titles_of(&r.json()), vec!["Café"]);
}

#[cfg(unix)]
#[test]
fn text_that_is_not_utf8_is_a_usage_error() {
    let cb = Cb::new();
    for json in [true, false] {
        let mut cmd = cb.cmd(if json { &["--json"][..] } else { &[] });
        cmd.args(["case", "create", "--title"]).arg(latin1(b"bad\xff"));
        let r = spawn(cmd, None);
        if json {
            let (code, msg) = error_of(&r, 2, &["case", "create"]);
            assert_eq!(code, "usage", "{msg}");
            assert!(msg.starts_with("--title: not UTF-8 text"), "the flag is named: {msg}");
        } else {
            assert_eq!(r.code, 2, "{}", r.stderr);
            assert!(r.stderr.starts_with("casebook: --title: not UTF-8 text"), "{}", r.stderr);
        }
    }
    assert!(!cb.db.exists(), "nothing was written");
}

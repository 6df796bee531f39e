use std::path::Path;

use rusqlite::OptionalExtension;

use super::*;
use crate::Casebook;

fn schema(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn fresh_database_is_migrated_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/casebook.db");
    let e = open(&path).expect_err("a missing folder is an error");
    assert!(e.to_string().contains("does not exist"), "{e}");
    create_default_dir(&path).unwrap();
    let conn = open(&path).unwrap();
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    let ledger: Vec<(i64, String)> = conn
        .prepare("SELECT version, name FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected: Vec<(i64, String)> = MIGRATIONS.iter().map(|(v, n, _)| (*v, n.to_string())).collect();
    assert_eq!(ledger, expected);
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(app, APPLICATION_ID);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    let spaces: Vec<String> = conn
        .prepare("SELECT name FROM spaces")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(spaces, vec!["default"]);
}

#[test]
fn header_names_casebook_even_before_a_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let _conn = open(&path).unwrap();
    // The connection is still open: nothing has been checkpointed into the main file.
    let header = bytes(&path);
    assert_eq!(&header[68..72], &APPLICATION_ID.to_be_bytes());
}

#[test]
fn reopening_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let before = schema(&open(&path).unwrap());
    let conn = open(&path).unwrap();
    assert_eq!(schema(&conn), before);
    let rows: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, MIGRATIONS.len() as i64);
}

#[test]
fn newer_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let conn = open(&path).unwrap();
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01', 'casebook 9')", [])
            .unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    let before = bytes(&path);
    let err = Casebook::open(&path).expect_err("a newer database must be refused");
    assert_eq!(err.code(), "database_too_new");
    assert!(err.to_string().contains("newer Casebook"), "{err}");
    assert_eq!(bytes(&path), before, "the file must not change");
}

#[test]
fn foreign_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "these are my notes, not a database\n".repeat(10)).unwrap();
    let err = Casebook::open(&text).err().unwrap();
    assert_eq!(err.code(), "not_a_casebook_database");
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "these are my notes, not a database\n".repeat(10));

    let other = dir.path().join("other.sqlite");
    {
        let c = Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    }
    let before = bytes(&other);
    let err = Casebook::open(&other).err().unwrap();
    assert_eq!(err.code(), "not_a_casebook_database");
    assert!(err.to_string().contains("another application"), "{err}");
    assert_eq!(bytes(&other), before);
    assert!(!dir.path().join("other.sqlite-wal").exists(), "not even a WAL file is created");

    let err = Casebook::open(dir.path()).err().unwrap();
    assert_eq!(err.code(), "not_a_casebook_database");
}

#[test]
fn damaged_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let book = Casebook::open(&path).unwrap();
        book.with_connection(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap());
    }
    // Keep the header (so it still says Casebook) and scribble over the schema page.
    let mut data = bytes(&path);
    for b in &mut data[100..4096] {
        *b = 0xA5;
    }
    std::fs::write(&path, &data).unwrap();
    let err = Casebook::open(&path).expect_err("a damaged database must be refused");
    assert_eq!(err.code(), "database_corrupt", "{err}");
    assert!(err.to_string().contains("c.db"), "the message names the file: {err}");
    assert_eq!(bytes(&path), data);
}

#[test]
fn empty_file_becomes_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    std::fs::write(&path, b"").unwrap();
    assert!(Casebook::open(&path).is_ok());
}

#[test]
fn two_processes_worth_of_connections_migrate_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let p = path.clone();
            std::thread::spawn(move || open(&p).map(|_| ()))
        })
        .collect();
    for h in handles {
        if let Err(e) = h.join().unwrap() {
            panic!("open failed: {e} ({})", e.code());
        }
    }
    let conn = open(&path).unwrap();
    let rows: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, MIGRATIONS.len() as i64);
}

/// A Casebook file on disk with every write checkpointed into the main file.
fn settled(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("c.db");
    let book = Casebook::open(&path).unwrap();
    book.create_space("soc").unwrap();
    book.with_connection(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap());
    drop(book);
    path
}

#[test]
fn read_only_open_reads_and_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = settled(dir.path());
    let before = bytes(&path);
    let book = Casebook::open_read_only(&path).unwrap().expect("an up-to-date file opens read-only");
    assert!(book.is_read_only());
    assert!(book.list_spaces().unwrap().iter().any(|s| s.name == "soc"));
    let err = book.create_space("blue").expect_err("a read-only open refuses writes");
    assert_eq!(err.code(), "storage");
    assert!(err.to_string().contains("c.db") && err.to_string().contains("read-only"), "{err}");
    book.with_connection(|c| assert!(c.is_readonly(rusqlite::MAIN_DB).unwrap()));
    drop(book);
    assert_eq!(bytes(&path), before, "reading changed the file");
}

#[test]
fn read_only_open_leaves_missing_and_old_files_to_the_normal_open() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("new.db");
    assert!(Casebook::open_read_only(&missing).unwrap().is_none());
    assert!(!missing.exists(), "a read-only open creates nothing");

    // A file at an older schema: the read-only open does not migrate it, the normal open does.
    let path = settled(dir.path());
    {
        let conn = Connection::open(&path).unwrap();
        let last = SCHEMA_VERSION;
        conn.execute("DELETE FROM schema_migrations WHERE version = ?1", [last]).unwrap();
        conn.pragma_update(None, "user_version", last - 1).unwrap();
    }
    let before = bytes(&path);
    assert!(Casebook::open_read_only(&path).unwrap().is_none());
    assert_eq!(bytes(&path), before);

    // Refusals are the same as the normal open's.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database, just notes".repeat(10)).unwrap();
    assert_eq!(Casebook::open_read_only(&text).err().unwrap().code(), "not_a_casebook_database");
}

#[test]
fn a_read_only_file_is_read_and_a_write_says_which_file_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = settled(dir.path());
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let before = bytes(&path);
    // Tests run as root, whom permissions do not stop: the file's read-only mark is what counts.
    let err = Casebook::open(&path).expect_err("a read-only file is not opened for writing");
    assert_eq!(err.code(), "storage");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()) && msg.contains("the file is read-only"), "{msg}");
    let book = Casebook::open_read_only(&path).unwrap().expect("readable");
    assert_eq!(book.list_spaces().unwrap().len(), 2);
    drop(book);
    assert_eq!(bytes(&path), before);
}

#[test]
fn schema_version_and_migration_ledger_must_agree() {
    let dir = tempfile::tempdir().unwrap();
    let path = settled(dir.path());
    {
        // As if `user_version` had been set back by hand: migrating again would fail on tables
        // that already exist, with thousands of characters of migration SQL as the message.
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    let before = bytes(&path);
    for err in [Casebook::open(&path).err().unwrap(), Casebook::open_read_only(&path).err().unwrap()] {
        assert_eq!(err.code(), "database_corrupt", "{err}");
        let msg = err.to_string();
        assert!(msg.len() < 300, "one sentence, not the migration's SQL: {msg}");
        assert!(msg.contains("c.db") && msg.contains("schema version is 2"), "{msg}");
        assert!(!msg.contains("CREATE"), "{msg}");
    }
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_failed_migration_is_one_sentence_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let path = settled(dir.path());
    {
        // Ledger and version agree (nothing applied), but the tables are there: migration 1
        // fails on its first CREATE TABLE.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE schema_migrations; PRAGMA user_version = 0;").unwrap();
    }
    let before = bytes(&path);
    let err = Casebook::open(&path).err().unwrap();
    let msg = err.to_string();
    assert_eq!(err.code(), "storage", "{msg}");
    assert!(msg.len() < 300 && msg.contains("cannot upgrade") && msg.contains("c.db"), "{msg}");
    assert!(!msg.contains("CREATE"), "{msg}");
    assert_eq!(bytes(&path), before);
}

#[cfg(unix)]
#[test]
fn devices_and_pipes_are_refused_before_they_are_opened() {
    // (A journal left there by something else, such as an older Casebook, is not ours to judge.)
    let journal_before = Path::new("/dev/null-journal").exists();
    let err = Casebook::open("/dev/null").err().unwrap();
    assert_eq!(err.code(), "not_a_casebook_database");
    assert!(err.to_string().contains("/dev/null") && err.to_string().contains("device"), "{err}");
    assert!(journal_before || !Path::new("/dev/null-journal").exists(), "nothing is created beside it");
    assert_eq!(Casebook::open_read_only("/dev/null").err().unwrap().code(), "not_a_casebook_database");

    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available; the FIFO case is covered by the CLI tests");
        return;
    }
    // Opening a FIFO blocks until a writer appears: the check must not open it at all.
    let (tx, rx) = std::sync::mpsc::channel();
    let p = fifo.clone();
    std::thread::spawn(move || tx.send(Casebook::open(&p).err().map(|e| (e.code(), e.to_string()))));
    let (code, msg) = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("opening a FIFO hung").unwrap();
    assert_eq!(code, "not_a_casebook_database");
    assert!(msg.contains("pipe") && msg.contains(&fifo.display().to_string()), "{msg}");
}

#[test]
fn statistics_are_refreshed_by_a_writer_never_by_a_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = settled(dir.path());
    let users_rows = |path: &Path| -> Option<String> {
        let c = Connection::open(path).unwrap();
        c.query_row("SELECT stat FROM sqlite_stat1 WHERE idx = 'sqlite_autoindex_users_1'", [], |r| r.get(0))
            .optional()
            .unwrap()
    };
    // Many rows appear behind the statistics' back.
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("BEGIN").unwrap();
        for i in 0..3000 {
            c.execute("INSERT INTO users (username, created_at) VALUES (?1, 0)", [format!("u{i}")]).unwrap();
        }
        c.execute_batch("COMMIT; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    let stale = users_rows(&path);
    // A reader leaves them alone...
    drop(Casebook::open_read_only(&path).unwrap().unwrap());
    assert_eq!(users_rows(&path), stale);
    // ...and so does opening for writing without writing...
    drop(Casebook::open(&path).unwrap());
    assert_eq!(users_rows(&path), stale);
    // ...but a connection that writes refreshes them (after its first write, then hourly and
    // when it closes), without waiting for anyone.
    let book = Casebook::open(&path).unwrap();
    book.create_space("blue").unwrap();
    let fresh = users_rows(&path).expect("the users table was analyzed");
    assert!(fresh.starts_with("3001 "), "{fresh}");
    drop(book);
}

#[test]
fn another_applications_journal_is_not_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    {
        let c = Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE notes (x); INSERT INTO notes VALUES ('keep me');").unwrap();
    }
    // A journal as that application would leave it when killed mid-write: the file had 2
    // pages before. Replaying it is that application's business, not Casebook's.
    let mut journal = vec![0u8; 512];
    journal[..8].copy_from_slice(&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
    journal[8..12].copy_from_slice(&1u32.to_be_bytes());
    journal[16..20].copy_from_slice(&2u32.to_be_bytes());
    journal[20..24].copy_from_slice(&512u32.to_be_bytes());
    journal[24..28].copy_from_slice(&4096u32.to_be_bytes());
    let journal_path = dir.path().join("other.sqlite-journal");
    std::fs::write(&journal_path, &journal).unwrap();
    let before = bytes(&other);
    for err in [Casebook::open(&other).err().unwrap(), Casebook::open_read_only(&other).err().unwrap()] {
        assert_eq!(err.code(), "not_a_casebook_database", "{err}");
    }
    assert_eq!(bytes(&other), before);
    assert_eq!(bytes(&journal_path), journal, "the journal is left for its application");
}

#[test]
fn a_creation_killed_after_its_header_was_written_is_set_up_again() {
    // A process killed while creating the file: the first page (naming Casebook) is on disk,
    // the journal that undoes it (the file had 0 pages before) is still beside it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        c.execute_batch("CREATE TABLE half_made (x)").unwrap();
    }
    let mut journal = vec![0u8; 512];
    journal[..8].copy_from_slice(&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
    journal[20..24].copy_from_slice(&512u32.to_be_bytes());
    journal[24..28].copy_from_slice(&4096u32.to_be_bytes());
    std::fs::write(dir.path().join("new.db-journal"), &journal).unwrap();

    let book = Casebook::open(&path).unwrap_or_else(|e| panic!("{e} ({})", e.code()));
    book.create_space("blue").unwrap();
    drop(book);
    // The file is a whole Casebook database: another process opens it, and its header says so.
    assert_eq!(&bytes(&path)[68..72], &APPLICATION_ID.to_be_bytes());
    let again = Casebook::open(&path).unwrap_or_else(|e| panic!("reopen: {e} ({})", e.code()));
    assert!(again.list_spaces().unwrap().iter().any(|s| s.name == "blue"));
    let c = Connection::open(&path).unwrap();
    let half: i64 =
        c.query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'half_made'", [], |r| r.get(0)).unwrap();
    assert_eq!(half, 0, "the interrupted creation was rolled back");
}

/// A file whose version and migration record say the schema before this build's (only they:
/// its tables are this build's, so it cannot really be migrated).
fn one_schema_behind(dir: &Path) -> std::path::PathBuf {
    let path = settled(dir);
    let c = Connection::open(&path).unwrap();
    c.execute("DELETE FROM schema_migrations WHERE version = ?1", [SCHEMA_VERSION]).unwrap();
    c.pragma_update(None, "user_version", SCHEMA_VERSION - 1).unwrap();
    path
}

#[test]
fn a_check_sees_one_snapshot_while_another_process_upgrades_the_file() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};

    use rusqlite::trace::{TraceEvent, TraceEventCodes};

    let dir = tempfile::tempdir().unwrap();
    let path = one_schema_behind(dir.path());
    let mut conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    // Another process commits the upgrade just before the check reads the migration record.
    let (tried, upgraded) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
    let (p, t, u) = (path.clone(), tried.clone(), upgraded.clone());
    let upgrade = move |event: TraceEvent<'_>| {
        if let TraceEvent::Stmt(_, sql) = event
            && sql.contains("FROM schema_migrations")
            && !t.swap(true, SeqCst)
        {
            let other = Connection::open(&p).unwrap();
            other
                .execute_batch(&format!(
                    "BEGIN IMMEDIATE;
                     INSERT INTO schema_migrations VALUES ({SCHEMA_VERSION}, 'next', '2026-01-01', 'test');
                     PRAGMA user_version = {SCHEMA_VERSION};
                     COMMIT;"
                ))
                .unwrap();
            u.store(true, SeqCst);
        }
    };
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(upgrade)).unwrap();
    let found = check(&conn, &path);
    assert!(upgraded.load(SeqCst), "the other process's upgrade did not happen during the check");
    match found {
        Ok(v) => assert_eq!(v, SCHEMA_VERSION - 1, "the check saw the file before the upgrade"),
        Err(e) => panic!("a healthy file was refused while it was upgraded: {e} ({})", e.code()),
    }
    // The next check sees the upgrade, whole.
    assert_eq!(check(&conn, &path).unwrap(), SCHEMA_VERSION);
}

#[test]
fn an_unfinished_write_is_rolled_back_never_read_around() {
    let dir = tempfile::tempdir().unwrap();
    let path = settled(dir.path());
    let crashed = dir.path().join("crashed");
    std::fs::create_dir(&crashed).unwrap();
    let copy = crashed.join("c.db");
    let journal = crashed.join("c.db-journal");
    let users = |p: &Path| -> i64 {
        Connection::open(p).unwrap().query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap()
    };
    {
        // A write in rollback-journal mode, big enough to spill pages into the file before
        // its commit; the file and its journal are copied as a process killed then leaves them.
        let c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA cache_size = 5; BEGIN;").unwrap();
        for i in 0..3000 {
            c.execute("INSERT INTO users (username, created_at) VALUES (?1, 0)", [format!("user number {i}")]).unwrap();
        }
        std::fs::copy(&path, &copy).unwrap();
        std::fs::copy(dir.path().join("c.db-journal"), &journal).unwrap();
        c.execute_batch("ROLLBACK").unwrap();
    }
    let torn = bytes(&copy);
    assert!(!bytes(&journal).is_empty());
    assert_ne!(torn, bytes(&path), "the unfinished write did not reach the file: nothing to test");

    // Reading it as it is would show half a write: the read-only open leaves it to the normal
    // open, and the read-only connection (used where the file cannot be written) says why.
    match Casebook::open_read_only(&copy) {
        Ok(None) => {}
        Ok(Some(_)) => panic!("a file with a hot journal was read without rolling it back"),
        Err(e) => panic!("{e} ({})", e.code()),
    }
    let err = read_only_connection(&copy).expect_err("a hot journal was ignored");
    assert!(err.to_string().contains("unfinished write") && err.to_string().contains("c.db"), "{err}");
    assert_eq!(bytes(&copy), torn, "a read-only open changed the file");

    // The normal open rolls the write back, as any SQLite writer would.
    drop(Casebook::open(&copy).unwrap());
    assert_eq!(users(&copy), users(&path));
    assert!(!journal.exists());
}

#[test]
fn a_file_filled_after_it_was_found_empty_is_checked_not_set_up() {
    // `inspect` found the path empty, then another process wrote it before this one opened it.
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.db");
    {
        let conn = open(&newer).unwrap();
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01', 'casebook 9')", [])
            .unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    let before = bytes(&newer);
    let err = open_as(&newer, FileKind::New).expect_err("a newer Casebook's file was used");
    assert_eq!(err.code(), "database_too_new", "{err}");
    assert_eq!(bytes(&newer), before);

    let other = dir.path().join("other.sqlite");
    Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let before = bytes(&other);
    let err = open_as(&other, FileKind::New).expect_err("another application's file was taken over");
    assert_eq!(err.code(), "not_a_casebook_database", "{err}");
    assert_eq!(bytes(&other), before);

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "these are my notes, not a database\n".repeat(10)).unwrap();
    let err = open_as(&text, FileKind::New).expect_err("a text file was opened");
    assert_eq!(err.code(), "not_a_casebook_database", "{err}");
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "these are my notes, not a database\n".repeat(10));

    // A Casebook file is checked and used as it is.
    let path = settled(dir.path());
    let conn = open_as(&path, FileKind::New).unwrap();
    let rows: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, MIGRATIONS.len() as i64);
    drop(conn);
    Connection::open(&path).unwrap().pragma_update(None, "user_version", 2).unwrap();
    let err = open_as(&path, FileKind::New).expect_err("a damaged file was used");
    assert_eq!(err.code(), "database_corrupt", "{err}");
}

#[test]
fn a_migration_that_meets_damage_or_a_writer_says_so() {
    let path = Path::new("/data/c.db");
    let sqlite =
        |code: i32, msg: &str| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some(msg.into()));
    for code in [rusqlite::ffi::SQLITE_CORRUPT, rusqlite::ffi::SQLITE_NOTADB] {
        let err = migrations::failed(sqlite(code, "database disk image is malformed"), path, 6, "alert_time");
        assert_eq!(err.code(), "database_corrupt", "{err}");
        assert!(err.to_string().contains("/data/c.db"), "{err}");
    }
    let err = migrations::failed(sqlite(rusqlite::ffi::SQLITE_BUSY, "database is locked"), path, 6, "alert_time");
    assert_eq!(err.code(), "busy", "{err}");
    let err = migrations::failed(sqlite(rusqlite::ffi::SQLITE_ERROR, "table t already exists"), path, 6, "alert_time");
    assert_eq!(err.code(), "storage");
    assert!(err.to_string().contains("cannot upgrade /data/c.db to schema 6"), "{err}");
}

#[cfg(unix)]
#[test]
fn finding_out_why_a_create_failed_touches_nothing_in_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let cantopen = || {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some("unable to open database file".into()),
        )
    };
    // An old time on the folder: creating or removing anything in it would change it.
    let old = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    std::fs::File::open(dir.path()).unwrap().set_modified(old).unwrap();
    let missing = dir.path().join("new.db");
    let err = cannot_create(cantopen(), &missing);
    assert!(err.to_string().contains(&format!("cannot create {}", missing.display())), "{err}");
    assert!(!missing.exists());
    assert_eq!(std::fs::metadata(dir.path()).unwrap().modified().unwrap(), old, "something was made in the folder");

    // A file that exists was not being created, and is left alone.
    let existing = dir.path().join("c.db");
    std::fs::write(&existing, b"keep").unwrap();
    let err = cannot_create(cantopen(), &existing);
    let msg = err.to_string();
    assert!(!msg.contains("cannot create") && msg.contains(&existing.display().to_string()), "{msg}");
    assert_eq!(bytes(&existing), b"keep");
}

/// Not a test: the other process of `deciding_whether_a_file_may_be_written_keeps_its_locks`.
/// Exits 3 if some process holds a POSIX lock on the file, 0 if none does.
#[cfg(unix)]
#[test]
#[ignore = "a store test runs this as its child process"]
fn lock_probe_child() {
    let Some(path) = std::env::var_os("CASEBOOK_LOCK_PROBE") else { return };
    let file = std::fs::OpenOptions::new().read(true).write(true).open(path).unwrap();
    let code = match rustix::fs::fcntl_lock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => 0,
        Err(e) if e == rustix::io::Errno::AGAIN || e == rustix::io::Errno::ACCESS => 3,
        Err(_) => 4,
    };
    std::process::exit(code);
}

/// Whether a process other than this one would find the file locked.
#[cfg(unix)]
fn locked_for_other_processes(path: &Path) -> bool {
    use std::process::Stdio;
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "store::tests::lock_probe_child", "--ignored", "--quiet"])
        .env("CASEBOOK_LOCK_PROBE", path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    match status.code() {
        Some(3) => true,
        Some(0) => false,
        other => panic!("the lock probe failed: {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn deciding_whether_a_file_may_be_written_keeps_its_locks() {
    let dir = tempfile::tempdir().unwrap();
    let path = settled(dir.path());
    // A connection of this process (the desktop app keeps one open): its shared lock tells
    // other processes that they are not the last connection, so they leave the -wal alone.
    let conn = Connection::open(&path).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap();
    assert!(locked_for_other_processes(&path), "the connection holds no lock: nothing to test");
    assert_eq!(write_refusal(&path), None);
    assert!(locked_for_other_processes(&path), "deciding whether the file may be written dropped this process's locks");
    drop(conn);
    assert!(!locked_for_other_processes(&path));
}

/// Migration 7: push records written before it learn whether they made their ticket (the first
/// push of a case to a connector did), and the activity log is append-only again afterwards.
#[test]
fn old_push_records_learn_whether_they_created_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    drop(open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let push = |n: i64, case: &str, connector: &str| {
        let payload = format!(r#"{{"externalService":{{"connector_id":"{connector}","external_id":"X-{n}"}}}}"#);
        conn.execute(
            "INSERT INTO user_actions (uuid, case_uuid, action, type, payload, created_at, created_by, owner)
             VALUES (?1, ?2, 'push_to_service', 'pushed', ?3, ?4, '{}', 'securitySolution')",
            (format!("ua-{n}"), case, payload, n),
        )
        .unwrap();
    };
    push(1, "case-a", "jira");
    push(2, "case-a", "jira");
    push(3, "case-a", "snow");
    push(4, "case-b", "jira");
    // Back to schema 6: the objects of migrations 8, 9, 11 and 12 go too, so they can run again.
    conn.execute_batch(super::migrations::BACK_TO_11).unwrap();
    conn.execute_batch(
        "DROP TABLE case_observables_left_out;
         ALTER TABLE case_observables DROP COLUMN auto; ALTER TABLE case_observables DROP COLUMN alerts;
         ALTER TABLE case_configure DROP COLUMN max_observables;
         ALTER TABLE case_configure DROP COLUMN observable_type_priority;
         DROP TRIGGER case_tags_totals_insert; DROP TRIGGER case_tags_totals_delete;
         DROP TRIGGER case_tags_totals_update; DROP TRIGGER case_assignees_totals_insert;
         DROP TRIGGER case_assignees_totals_delete; DROP TRIGGER case_assignees_totals_update;
         DROP TABLE facet_totals;
         DROP TRIGGER cases_facts_insert; DROP TRIGGER cases_facts_update; DROP TRIGGER cases_facts_delete;
         DROP TABLE case_facts;
         DELETE FROM schema_migrations WHERE version >= 7; PRAGMA user_version = 6;",
    )
    .unwrap();
    drop(conn);

    let conn = open(&path).unwrap();
    let created: Vec<(String, String)> = conn
        .prepare("SELECT uuid, json_extract(payload, '$.created') FROM user_actions ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.to_string())))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected = [("ua-1", "1"), ("ua-2", "0"), ("ua-3", "1"), ("ua-4", "1")];
    assert_eq!(created, expected.map(|(u, c)| (u.to_string(), c.to_string())));
    let e = conn.execute("UPDATE user_actions SET payload = '{}'", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
}

use std::path::Path;

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

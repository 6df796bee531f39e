//! A connector or alert source change that the database refuses (name taken, database busy,
//! gone meanwhile) leaves the keychain as it was; one the keychain refuses leaves the database as
//! it was; and a commit that fails after the keychain was changed puts the previous secret back.
//! The keychain is the in-memory store, the database a real SQLite file, and "busy" is another
//! connection holding `BEGIN IMMEDIATE` on it, as another Casebook process would.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use casebook_core::alerts::AlertSourceInput;
use casebook_core::model::*;
use casebook_core::secrets::{MemorySecrets, SecretStore};
use casebook_core::{Casebook, Error, Result};
use rusqlite::Connection;

struct Book {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    book: Casebook,
    secrets: Arc<MemorySecrets>,
}

fn book() -> Book {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("casebook.db");
    let mut book = Casebook::open(&path).unwrap();
    let secrets = Arc::new(MemorySecrets::new());
    book.set_secrets(secrets.clone());
    Book { _dir: dir, path, book, secrets }
}

fn jira(name: &str, secret: Option<&str>) -> ConnectorInput {
    ConnectorInput {
        name: name.into(),
        url: "https://example.atlassian.net".into(),
        settings: ConnectorSettings::Jira(JiraSettings {
            project_key: "SEC".into(),
            auth: ConnectorAuth::Basic,
            username: Some("casey@example.com".into()),
        }),
        secret: secret.map(str::to_string),
        secrets: None,
    }
}

impl Book {
    fn secret_of(&self, c: &Connector) -> Option<String> {
        self.secrets.get(&format!("connector:{}", c.id)).unwrap()
    }

    fn names(&self) -> Vec<String> {
        self.book.list_connectors("default").unwrap().into_iter().map(|c| c.name).collect()
    }

    /// Another process's write transaction on the same file, held until dropped.
    fn hold_write_lock(&self) -> Connection {
        let other = Connection::open(&self.path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        other
    }

    /// Makes the next commit that fires `event` on `table` fail (a deferred foreign key that
    /// SQLite checks only at COMMIT), after every statement of the change succeeded.
    fn fail_commits_on(&self, table: &str, event: &str) {
        let other = Connection::open(&self.path).unwrap();
        other
            .execute_batch(&format!(
                "CREATE TABLE test_parent (id INTEGER PRIMARY KEY);
                 CREATE TABLE test_child (parent INTEGER REFERENCES test_parent (id) DEFERRABLE INITIALLY DEFERRED);
                 CREATE TRIGGER test_commit_fails AFTER {event} ON {table} BEGIN INSERT INTO test_child VALUES (1); END;"
            ))
            .unwrap();
    }
}

#[test]
fn a_rename_to_a_taken_name_keeps_the_stored_token() {
    let b = book();
    b.book.create_connector("default", &jira("SOC Jira", Some("token-soc"))).unwrap();
    let other = b.book.create_connector("default", &jira("Other Jira", Some("token-other"))).unwrap();
    // `casebook connector edit "Other Jira" --rename "SOC Jira" --secret-stdin`
    let e = b.book.update_connector("default", "Other Jira", &jira("SOC Jira", Some("token-new"))).unwrap_err();
    assert_eq!(e.code(), "already_exists", "{e}");
    assert_eq!(b.secret_of(&other).as_deref(), Some("token-other"), "the refused edit replaced the token");
    // A create under a taken name stores no secret at all.
    let e = b.book.create_connector("default", &jira("SOC Jira", Some("token-third"))).unwrap_err();
    assert_eq!(e.code(), "already_exists", "{e}");
    assert_eq!(b.secrets.names().len(), 2, "{:?}", b.secrets.names());
    assert_eq!(b.names(), ["Other Jira", "SOC Jira"]);
}

#[test]
fn a_busy_database_leaves_the_keychain_as_it_was() {
    let b = book();
    let c = b.book.create_connector("default", &jira("SOC Jira", Some("token-soc"))).unwrap();
    b.book.set_alert_source("default", &source(Some("es-key-1"))).unwrap();
    // One Casebook per command, as separate CLI runs would be, so their busy waits overlap.
    let others: Vec<Casebook> = (0..5)
        .map(|_| {
            let mut other = Casebook::open(&b.path).unwrap();
            other.set_secrets(b.secrets.clone());
            other
        })
        .collect();
    let lock = b.hold_write_lock();
    let codes: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = others
            .iter()
            .enumerate()
            .map(|(i, other)| {
                s.spawn(move || {
                    let e = match i {
                        0 => other.delete_connector("default", "SOC Jira").unwrap_err(),
                        1 => other
                            .update_connector("default", "SOC Jira", &jira("SOC Jira", Some("token-new")))
                            .unwrap_err(),
                        2 => other.create_connector("default", &jira("Second", Some("token-second"))).unwrap_err(),
                        3 => other.set_alert_source("default", &source(Some("es-key-2"))).unwrap_err(),
                        _ => other.remove_alert_source("default").unwrap_err(),
                    };
                    e.code().to_string()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    drop(lock);
    assert_eq!(codes, ["busy"; 5]);

    assert_eq!(b.secret_of(&c).as_deref(), Some("token-soc"));
    assert_eq!(b.secrets.get("elasticsearch:default").unwrap().as_deref(), Some("es-key-1"));
    assert_eq!(b.secrets.names().len(), 2, "{:?}", b.secrets.names());
    assert_eq!(b.names(), ["SOC Jira"]);
    // Once the database is free the same commands go through.
    b.book.delete_connector("default", "SOC Jira").unwrap();
    assert_eq!(b.secret_of(&c), None);
    b.book.remove_alert_source("default").unwrap();
    assert!(b.secrets.names().is_empty());
}

#[test]
fn a_failed_commit_puts_the_previous_secret_back() {
    let b = book();
    let c = b.book.create_connector("default", &jira("SOC Jira", Some("token-soc"))).unwrap();
    b.fail_commits_on("connectors", "UPDATE");
    let e = b.book.update_connector("default", "SOC Jira", &jira("Renamed", Some("token-new"))).unwrap_err();
    assert_eq!(e.code(), "storage", "{e}");
    assert_eq!(b.secret_of(&c).as_deref(), Some("token-soc"));
    assert_eq!(b.names(), ["SOC Jira"]);

    let b = book();
    let c = b.book.create_connector("default", &jira("SOC Jira", Some("token-soc"))).unwrap();
    b.fail_commits_on("connectors", "DELETE");
    assert_eq!(b.book.delete_connector("default", "SOC Jira").unwrap_err().code(), "storage");
    assert_eq!(b.secret_of(&c).as_deref(), Some("token-soc"));
    assert_eq!(b.names(), ["SOC Jira"]);

    let b = book();
    b.fail_commits_on("connectors", "INSERT");
    assert_eq!(b.book.create_connector("default", &jira("SOC Jira", Some("token-soc"))).unwrap_err().code(), "storage");
    assert!(b.secrets.names().is_empty(), "{:?}", b.secrets.names());
    assert!(b.names().is_empty());

    let b = book();
    b.book.set_alert_source("default", &source(Some("es-key-1"))).unwrap();
    b.fail_commits_on("alert_sources", "UPDATE");
    assert_eq!(b.book.set_alert_source("default", &source(Some("es-key-2"))).unwrap_err().code(), "storage");
    assert_eq!(b.secrets.get("elasticsearch:default").unwrap().as_deref(), Some("es-key-1"));
}

/// A keychain that refuses to store (locked) and counts what it was asked.
#[derive(Debug, Default)]
struct LockedKeychain(MemorySecrets);

impl SecretStore for LockedKeychain {
    fn get(&self, name: &str) -> Result<Option<String>> {
        self.0.get(name)
    }
    fn set(&self, _: &str, _: &str) -> Result<()> {
        Err(Error::KeychainLocked)
    }
    fn delete(&self, _: &str) -> Result<()> {
        Err(Error::KeychainLocked)
    }
}

#[test]
fn a_locked_keychain_leaves_the_database_as_it_was() {
    let mut b = book();
    b.book.create_connector("default", &jira("SOC Jira", Some("token-soc"))).unwrap();
    let locked = Arc::new(LockedKeychain::default());
    let c = b.book.connector("default", "SOC Jira").unwrap();
    locked.0.set(&format!("connector:{}", c.id), "token-soc").unwrap();
    b.book.set_secrets(locked);
    let e = b.book.update_connector("default", "SOC Jira", &jira("Renamed", Some("token-new"))).unwrap_err();
    assert_eq!(e.code(), "keychain_locked");
    assert_eq!(b.names(), ["SOC Jira"], "the rename was kept although the token was not");
    assert_eq!(b.book.delete_connector("default", "SOC Jira").unwrap_err().code(), "keychain_locked");
    assert_eq!(b.names(), ["SOC Jira"]);
    assert_eq!(b.book.create_connector("default", &jira("New", Some("t"))).unwrap_err().code(), "keychain_locked");
    assert_eq!(b.names(), ["SOC Jira"]);
}

fn source(key: Option<&str>) -> AlertSourceInput {
    AlertSourceInput { url: "https://es.example.com:9200".into(), kibana_space: None, api_key: key.map(str::to_string) }
}

#[test]
fn a_secret_that_cannot_be_read_can_be_replaced_or_deleted() {
    let b = book();
    let c = b.book.create_connector("default", &jira("SOC Jira", Some("token-soc"))).unwrap();
    let name = format!("connector:{}", c.id);
    // Another program stored bytes that are not text: reading says to delete it and save again.
    b.secrets.set_unreadable(&name);
    assert_eq!(b.secrets.get(&name).unwrap_err().code(), "keychain_unavailable");
    b.book.update_connector("default", "SOC Jira", &jira("SOC Jira", Some("token-new"))).unwrap();
    assert_eq!(b.secret_of(&c).as_deref(), Some("token-new"));
    b.secrets.set_unreadable(&name);
    b.book.delete_connector("default", "SOC Jira").unwrap();
    assert!(b.secrets.names().is_empty(), "{:?}", b.secrets.names());
    assert!(b.names().is_empty());

    // The same for an alert source's API key.
    b.book.set_alert_source("default", &source(Some("es-key-1"))).unwrap();
    b.secrets.set_unreadable("elasticsearch:default");
    b.book.set_alert_source("default", &source(Some("es-key-2"))).unwrap();
    assert_eq!(b.secrets.get("elasticsearch:default").unwrap().as_deref(), Some("es-key-2"));
    b.secrets.set_unreadable("elasticsearch:default");
    b.book.remove_alert_source("default").unwrap();
    assert!(b.secrets.names().is_empty(), "{:?}", b.secrets.names());

    // A commit that fails cannot put back what could not be read: the new token stays (the
    // failure is logged), and the database is as it was.
    let b = book();
    let c = b.book.create_connector("default", &jira("SOC Jira", Some("token-soc"))).unwrap();
    b.secrets.set_unreadable(&format!("connector:{}", c.id));
    b.fail_commits_on("connectors", "UPDATE");
    let e = b.book.update_connector("default", "SOC Jira", &jira("Renamed", Some("token-new"))).unwrap_err();
    assert_eq!(e.code(), "storage", "{e}");
    assert_eq!(b.secret_of(&c).as_deref(), Some("token-new"));
    assert_eq!(b.names(), ["SOC Jira"]);
}

/// A keychain whose reads fail with `error` and that counts the writes it was asked for.
#[derive(Debug)]
struct FailingReads {
    inner: MemorySecrets,
    error: fn() -> Error,
    writes: std::sync::atomic::AtomicUsize,
}

impl SecretStore for FailingReads {
    fn get(&self, _: &str) -> Result<Option<String>> {
        Err((self.error)())
    }
    fn set(&self, name: &str, secret: &str) -> Result<()> {
        self.writes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.set(name, secret)
    }
    fn delete(&self, name: &str) -> Result<()> {
        self.writes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.delete(name)
    }
}

#[test]
fn a_locked_or_missing_keychain_on_read_still_stops_the_change() {
    let errors: [fn() -> Error; 2] =
        [|| Error::KeychainLocked, || Error::KeychainUnavailable { detail: Some("D-Bus is not running.".into()) }];
    for error in errors {
        let mut b = book();
        b.book.create_connector("default", &jira("SOC Jira", Some("token-soc"))).unwrap();
        let store = Arc::new(FailingReads { inner: MemorySecrets::new(), error, writes: Default::default() });
        b.book.set_secrets(store.clone());
        let code = error().code();
        let e = b.book.update_connector("default", "SOC Jira", &jira("Renamed", Some("token-new"))).unwrap_err();
        assert_eq!(e.code(), code);
        assert_eq!(b.book.delete_connector("default", "SOC Jira").unwrap_err().code(), code);
        b.book.set_secrets(b.secrets.clone());
        assert_eq!(b.names(), ["SOC Jira"]);
        assert_eq!(store.writes.load(std::sync::atomic::Ordering::SeqCst), 0, "{code}: the keychain was written");
    }
}

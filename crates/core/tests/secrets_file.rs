//! The opt-in encrypted file store: chosen explicitly per database, opened with a passphrase
//! once per session, written atomically, and switching to or from it moves the secrets. The
//! keychain is the in-memory store; the file is real, with a cheap scrypt work factor.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::sync::Arc;

use casebook_core::model::*;
use casebook_core::secrets::{EncryptedFile, MemorySecrets, SecretStore, SecretStoreKind};
use casebook_core::{Casebook, Error, Result};

const PASSPHRASE: &str = "correct horse battery staple";
const TOKEN: &str = "cbTOKEN-file-7f3a9c";

/// scrypt's log2(N) for these tests: fast, and still read back through age's real code.
const CHEAP: u8 = 10;

struct Book {
    dir: tempfile::TempDir,
    path: PathBuf,
    book: Casebook,
    keychain: Arc<MemorySecrets>,
}

fn book() -> Book {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("casebook.db");
    let keychain = Arc::new(MemorySecrets::new());
    let book = session(&path, keychain.clone());
    Book { dir, path, book, keychain }
}

/// A new process on the same database: nothing unlocked yet.
fn session(path: &Path, keychain: Arc<dyn SecretStore>) -> Casebook {
    let mut book = Casebook::open(path).unwrap();
    book.set_secrets(keychain);
    book.set_secrets_file(EncryptedFile::beside(path).with_work_factor(CHEAP));
    book
}

fn jira(name: &str, secret: &str) -> ConnectorInput {
    ConnectorInput {
        name: name.into(),
        url: "https://example.atlassian.net".into(),
        settings: ConnectorSettings::Jira(JiraSettings {
            project_key: "SEC".into(),
            auth: ConnectorAuth::Basic,
            username: Some("casey@example.com".into()),
        }),
        secret: Some(secret.into()),
        secrets: None,
    }
}

fn secret_name(book: &Casebook, connector: &str) -> String {
    format!("connector:{}", book.connector("default", connector).unwrap().id)
}

fn file_path(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}.secrets.age", path.display()))
}

#[test]
fn the_keychain_is_the_default_and_the_file_is_not_created_until_chosen() {
    let b = book();
    let status = b.book.secret_store_status().unwrap();
    assert_eq!(status.store, SecretStoreKind::OsKeychain);
    assert_eq!((status.file_exists, status.unlocked, status.keychain_problem), (false, false, None));
    assert_eq!(PathBuf::from(&status.file_path), file_path(&b.path));
    b.book.create_connector("default", &jira("SOC Jira", TOKEN)).unwrap();
    assert_eq!(b.keychain.get(&secret_name(&b.book, "SOC Jira")).unwrap().as_deref(), Some(TOKEN));
    assert!(!file_path(&b.path).exists());
}

#[test]
fn secrets_round_trip_through_the_file_and_a_new_session_asks_for_the_passphrase() {
    let b = book();
    let switch = b.book.set_secret_store(SecretStoreKind::EncryptedFile, Some(PASSPHRASE)).unwrap();
    assert_eq!(
        (switch.status.store, switch.status.file_exists, switch.status.unlocked),
        (SecretStoreKind::EncryptedFile, true, true)
    );
    b.book.create_connector("default", &jira("SOC Jira", TOKEN)).unwrap();
    let name = secret_name(&b.book, "SOC Jira");
    assert_eq!(b.book.secrets_file().get(&name).unwrap().as_deref(), Some(TOKEN));
    assert!(b.keychain.names().is_empty(), "nothing went to the keychain: {:?}", b.keychain.names());

    // The file is an age file that does not show the secret.
    let bytes = std::fs::read(file_path(&b.path)).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    assert!(!contains(&bytes, TOKEN.as_bytes()));

    // The next session: locked until the passphrase is given; a wrong one changes nothing.
    let next = session(&b.path, b.keychain.clone());
    assert_eq!(next.secret_store_kind().unwrap(), SecretStoreKind::EncryptedFile);
    let locked = next.update_connector("default", "SOC Jira", &jira("SOC Jira", "token-new")).unwrap_err();
    assert_eq!(locked.code(), "secrets_locked");
    assert!(locked.to_string().contains("Settings → Secrets"), "{locked}");
    let wrong = next.unlock_secrets("not the passphrase at all").unwrap_err();
    assert_eq!(wrong.code(), "wrong_passphrase");
    assert!(!next.secret_store_status().unwrap().unlocked);
    assert_eq!(std::fs::read(file_path(&b.path)).unwrap(), bytes, "a wrong passphrase rewrote the file");
    let status = next.unlock_secrets(PASSPHRASE).unwrap();
    assert!(status.unlocked);
    assert_eq!(next.secrets_file().get(&name).unwrap().as_deref(), Some(TOKEN));

    // A change in one session is seen by the other (the file is read again when it changed).
    next.update_connector("default", "SOC Jira", &jira("SOC Jira", "token-new")).unwrap();
    assert_eq!(b.book.secrets_file().get(&name).unwrap().as_deref(), Some("token-new"));
    b.book.delete_connector("default", "SOC Jira").unwrap();
    assert_eq!(next.secrets_file().get(&name).unwrap(), None);
}

#[test]
fn writes_are_atomic_and_leave_no_temporary_file() {
    let b = book();
    b.book.set_secret_store(SecretStoreKind::EncryptedFile, Some(PASSPHRASE)).unwrap();
    for i in 0..3 {
        b.book.create_connector("default", &jira(&format!("Jira {i}"), &format!("{TOKEN}-{i}"))).unwrap();
    }
    let mut names: Vec<String> = std::fs::read_dir(b.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("casebook.db-")) // SQLite's -wal and -shm
        .collect();
    names.sort();
    assert_eq!(names, ["casebook.db", "casebook.db.secrets.age", "casebook.db.secrets.age.lock"]);
    let next = session(&b.path, b.keychain.clone());
    next.unlock_secrets(PASSPHRASE).unwrap();
    for i in 0..3 {
        let name = secret_name(&next, &format!("Jira {i}"));
        assert_eq!(next.secrets_file().get(&name).unwrap(), Some(format!("{TOKEN}-{i}")));
    }
}

#[test]
fn a_new_file_needs_a_long_passphrase_and_a_refusal_changes_nothing() {
    let b = book();
    let e = b.book.set_secret_store(SecretStoreKind::EncryptedFile, Some("short")).unwrap_err();
    assert_eq!((e.code(), e.field()), ("validation", Some("passphrase")));
    let e = b.book.set_secret_store(SecretStoreKind::EncryptedFile, None).unwrap_err();
    assert_eq!((e.code(), e.field()), ("validation", Some("passphrase")));
    assert_eq!(b.book.secret_store_kind().unwrap(), SecretStoreKind::OsKeychain);
    assert!(!file_path(&b.path).exists());
    // Unlocking needs a file to open.
    assert_eq!(b.book.unlock_secrets(PASSPHRASE).unwrap_err().code(), "validation");
}

#[test]
fn switching_moves_the_secrets_both_ways() {
    let b = book();
    b.book.create_connector("default", &jira("SOC Jira", TOKEN)).unwrap();
    b.book
        .set_alert_source(
            "default",
            &casebook_core::alerts::AlertSourceInput {
                url: "https://es.example.com:9200".into(),
                kibana_space: None,
                api_key: Some("es-key-1234".into()),
            },
        )
        .unwrap();
    let jira_name = secret_name(&b.book, "SOC Jira");
    assert_eq!(b.keychain.names().len(), 2);

    let to_file = b.book.set_secret_store(SecretStoreKind::EncryptedFile, Some(PASSPHRASE)).unwrap();
    assert_eq!((to_file.moved, to_file.not_moved.len(), to_file.status.secrets_in_use), (2, 0, 2));
    assert!(b.keychain.names().is_empty(), "moved secrets stayed in the keychain: {:?}", b.keychain.names());
    assert_eq!(b.book.secrets_file().get(&jira_name).unwrap().as_deref(), Some(TOKEN));
    assert_eq!(b.book.secrets_file().get("elasticsearch:default").unwrap().as_deref(), Some("es-key-1234"));
    assert!(b.book.alert_source("default").unwrap().unwrap().api_key_stored);

    // Back, from a new session: the file is opened with the passphrase given with the switch.
    let next = session(&b.path, b.keychain.clone());
    assert_eq!(next.set_secret_store(SecretStoreKind::OsKeychain, None).unwrap_err().code(), "secrets_locked");
    assert_eq!(
        next.set_secret_store(SecretStoreKind::OsKeychain, Some("wrong passphrase!")).unwrap_err().code(),
        "wrong_passphrase"
    );
    assert_eq!(next.secret_store_kind().unwrap(), SecretStoreKind::EncryptedFile);
    let back = next.set_secret_store(SecretStoreKind::OsKeychain, Some(PASSPHRASE)).unwrap();
    assert_eq!((back.moved, back.not_moved.len(), back.status.store), (2, 0, SecretStoreKind::OsKeychain));
    assert_eq!(b.keychain.get(&jira_name).unwrap().as_deref(), Some(TOKEN));
    assert_eq!(b.keychain.get("elasticsearch:default").unwrap().as_deref(), Some("es-key-1234"));
    assert_eq!(next.secrets_file().get(&jira_name).unwrap(), None, "a moved secret stayed in the file");
}

/// A keychain that answers nothing (no Secret Service): what it cannot give is reported.
#[derive(Debug)]
struct NoKeychain;

impl SecretStore for NoKeychain {
    fn get(&self, _: &str) -> Result<Option<String>> {
        Err(Error::KeychainUnavailable { detail: Some("D-Bus is not running.".into()) })
    }
    fn set(&self, _: &str, _: &str) -> Result<()> {
        self.get("x").map(|_| ())
    }
    fn delete(&self, _: &str) -> Result<()> {
        self.get("x").map(|_| ())
    }
}

#[test]
fn without_a_keychain_the_switch_to_the_file_says_what_it_could_not_move() {
    let b = book();
    b.book.create_connector("default", &jira("SOC Jira", TOKEN)).unwrap();
    let name = secret_name(&b.book, "SOC Jira");
    let none = session(&b.path, Arc::new(NoKeychain));
    let status = none.secret_store_status().unwrap();
    assert_eq!(status.keychain_problem.as_deref(), Some("D-Bus is not running."));
    let e = none.create_connector("default", &jira("Other", TOKEN)).unwrap_err();
    assert_eq!(e.code(), "keychain_unavailable");
    assert!(e.to_string().contains("casebook secrets store file"), "the error does not point at the file: {e}");

    let switch = none.set_secret_store(SecretStoreKind::EncryptedFile, Some(PASSPHRASE)).unwrap();
    assert_eq!(switch.moved, 0);
    assert_eq!(switch.not_moved.len(), 1);
    assert_eq!(switch.not_moved[0].label, "Connector “SOC Jira”");
    assert!(switch.not_moved[0].reason.contains("D-Bus is not running"));
    // Nothing was lost: the keychain still holds it, for a session where it answers.
    assert_eq!(b.keychain.get(&name).unwrap().as_deref(), Some(TOKEN));
    // And now secrets can be saved.
    none.create_connector("default", &jira("Other", "token-other")).unwrap();
    assert_eq!(none.secrets_file().get(&secret_name(&none, "Other")).unwrap().as_deref(), Some("token-other"));
    // Switching back to a keychain that does not answer is refused, and changes nothing.
    assert_eq!(none.set_secret_store(SecretStoreKind::OsKeychain, None).unwrap_err().code(), "keychain_unavailable");
    assert_eq!(none.secret_store_kind().unwrap(), SecretStoreKind::EncryptedFile);
}

#[test]
fn no_secret_or_passphrase_reaches_the_sqlite_files() {
    let b = book();
    b.book.create_connector("default", &jira("In keychain", "token-keychain-0001")).unwrap();
    b.book.set_secret_store(SecretStoreKind::EncryptedFile, Some(PASSPHRASE)).unwrap();
    b.book.create_connector("default", &jira("In file", TOKEN)).unwrap();
    b.book.set_secret_store(SecretStoreKind::OsKeychain, None).unwrap();
    for entry in std::fs::read_dir(b.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for needle in [TOKEN, "token-keychain-0001", PASSPHRASE] {
            assert!(!contains(&bytes, needle.as_bytes()), "{} holds {needle:?}", path.display());
        }
    }
    let debug = format!("{:?} {:?}", b.book, b.book.secrets_file());
    assert!(!debug.contains(PASSPHRASE) && !debug.contains(TOKEN), "{debug}");
}

#[test]
fn a_prompt_is_asked_once_when_a_secret_is_needed() {
    let b = book();
    b.book.set_secret_store(SecretStoreKind::EncryptedFile, Some(PASSPHRASE)).unwrap();
    b.book.create_connector("default", &jira("SOC Jira", TOKEN)).unwrap();
    let name = secret_name(&b.book, "SOC Jira");
    let asked = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let mut next = Casebook::open(&b.path).unwrap();
    let count = asked.clone();
    next.set_secrets_file(EncryptedFile::beside(&b.path).with_work_factor(CHEAP).with_prompt(Arc::new(move || {
        count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Some(PASSPHRASE.to_string())
    })));
    next.list_spaces().unwrap(); // reading cases and settings needs no secret
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 0, "asked before a secret was needed");
    assert_eq!(next.secrets_file().get(&name).unwrap().as_deref(), Some(TOKEN));
    assert_eq!(next.secrets_file().get(&name).unwrap().as_deref(), Some(TOKEN));
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 1);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn lock_forgets_the_passphrase_until_it_is_given_again() {
    let b = book();
    b.book.set_secret_store(SecretStoreKind::EncryptedFile, Some(PASSPHRASE)).unwrap();
    b.book.create_connector("default", &jira("SOC Jira", TOKEN)).unwrap();
    let name = secret_name(&b.book, "SOC Jira");

    let status = b.book.lock_secrets().unwrap();
    assert_eq!((status.file_exists, status.unlocked), (true, false));
    assert_eq!(b.book.secrets_file().get(&name).unwrap_err().code(), "secrets_locked");
    // Lists need no secret: they still show, saying the secret was not checked.
    let listed = b.book.list_connectors("default").unwrap();
    assert_eq!(listed[0].secret_unreadable.as_ref().map(|e| e.code.as_str()), Some("secrets_locked"));
    assert!(!listed[0].secret_stored);
    b.book.unlock_secrets(PASSPHRASE).unwrap();
    let listed = b.book.list_connectors("default").unwrap();
    assert_eq!((listed[0].secret_stored, listed[0].secret_unreadable.is_none()), (true, true));
    assert_eq!(b.book.secrets_file().get(&name).unwrap().as_deref(), Some(TOKEN));
}

#[test]
fn a_new_passphrase_opens_the_file_and_the_old_one_no_longer_does() {
    const NEW: &str = "purple elephant umbrella rain";
    let b = book();
    b.book.set_secret_store(SecretStoreKind::EncryptedFile, Some(PASSPHRASE)).unwrap();
    b.book.create_connector("default", &jira("SOC Jira", TOKEN)).unwrap();
    let name = secret_name(&b.book, "SOC Jira");
    // Another session (the app, while the CLI changes it) holds the old passphrase.
    let other = session(&b.path, b.keychain.clone());
    other.unlock_secrets(PASSPHRASE).unwrap();
    let before = std::fs::read(file_path(&b.path)).unwrap();

    // Refusals change nothing: a wrong current passphrase, a short new one.
    let wrong = b.book.change_secrets_passphrase("not the passphrase at all", NEW).unwrap_err();
    assert_eq!(wrong.code(), "wrong_passphrase");
    let short = b.book.change_secrets_passphrase(PASSPHRASE, "short").unwrap_err();
    assert!(matches!(&short, Error::Validation { field, .. } if field == "new_passphrase"), "{short:?}");
    assert!(short.to_string().contains("12 characters"), "{short}");
    assert_eq!(std::fs::read(file_path(&b.path)).unwrap(), before);

    let status = b.book.change_secrets_passphrase(PASSPHRASE, NEW).unwrap();
    assert!(status.unlocked);
    assert_eq!(b.book.secrets_file().get(&name).unwrap().as_deref(), Some(TOKEN));
    let bytes = std::fs::read(file_path(&b.path)).unwrap();
    assert!(!contains(&bytes, TOKEN.as_bytes()));

    // The other session finds the file locked and takes the new passphrase only.
    assert_eq!(other.secrets_file().get(&name).unwrap_err().code(), "secrets_locked");
    assert!(!other.secret_store_status().unwrap().unlocked);
    assert_eq!(other.unlock_secrets(PASSPHRASE).unwrap_err().code(), "wrong_passphrase");
    other.unlock_secrets(NEW).unwrap();
    assert_eq!(other.secrets_file().get(&name).unwrap().as_deref(), Some(TOKEN));
    // And a fresh one too.
    let next = session(&b.path, b.keychain.clone());
    next.unlock_secrets(NEW).unwrap();
    assert_eq!(next.secrets_file().get(&name).unwrap().as_deref(), Some(TOKEN));
}

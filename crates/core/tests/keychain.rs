//! The real OS keychain, end to end. Ignored in normal runs because it needs a running,
//! unlocked Secret Service; `scripts/test-keychain` provides a throwaway one and runs it.

use casebook_core::secrets::{Keychain, SecretStore, default_store};

#[test]
#[ignore = "needs an unlocked OS keychain: run scripts/test-keychain"]
fn keychain_round_trip_against_secret_service() {
    let id = uuid::Uuid::new_v4();
    let name = format!("test:{id}");
    let secret = format!("cb-secret-{id}");
    Keychain.probe().unwrap();
    assert_eq!(Keychain.get(&name).unwrap(), None);
    Keychain.set(&name, &secret).unwrap();
    // Each call opens its own keychain entry, so this reads what the keychain really stored.
    assert_eq!(default_store().get(&name).unwrap().as_deref(), Some(secret.as_str()));
    Keychain.set(&name, "replaced").unwrap();
    assert_eq!(default_store().get(&name).unwrap().as_deref(), Some("replaced"));
    Keychain.delete(&name).unwrap();
    assert_eq!(default_store().get(&name).unwrap(), None);
    Keychain.delete(&name).unwrap();
}

/// A connector's token goes to the real keychain, under `connector:<uuid>`, and nowhere else;
/// an edit without a token keeps it; deleting the connector deletes it.
#[test]
#[ignore = "needs an unlocked OS keychain: run scripts/test-keychain"]
fn connector_token_lives_in_the_keychain_only() {
    use casebook_core::Casebook;
    use casebook_core::model::{ConnectorAuth, ConnectorInput, ConnectorSettings, JiraSettings};

    let dir = tempfile::tempdir().unwrap();
    let book = Casebook::open(dir.path().join("casebook.db")).unwrap();
    let token = format!("ATATT-{}", uuid::Uuid::new_v4());
    let mut input = ConnectorInput {
        name: "SOC Jira".into(),
        url: "https://example.atlassian.net".into(),
        settings: ConnectorSettings::Jira(JiraSettings {
            project_key: "SEC".into(),
            auth: ConnectorAuth::Basic,
            username: Some("casey@example.com".into()),
        }),
        secret: Some(token.clone()),
        secrets: None,
    };
    let c = book.create_connector("default", &input).unwrap();
    let name = format!("connector:{}", c.id);
    assert!(c.secret_stored);
    assert_eq!(Keychain.get(&name).unwrap().as_deref(), Some(token.as_str()));
    input.secret = None;
    input.name = "SOC Jira (renamed)".into();
    assert!(book.update_connector("default", &c.id, &input).unwrap().secret_stored);
    assert_eq!(Keychain.get(&name).unwrap().as_deref(), Some(token.as_str()));
    drop(book);
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "{:?} holds the token", entry.path());
    }
    let book = Casebook::open(dir.path().join("casebook.db")).unwrap();
    book.delete_connector("default", &c.id).unwrap();
    assert_eq!(Keychain.get(&name).unwrap(), None);
}

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

/// Every system's secrets go to the real keychain, one item per connector, and nowhere else:
/// a Resilient key secret, a Swimlane token, a TheHive key, a ServiceNow password, and a
/// webhook's bearer token with a secret header. Deleting a connector deletes its item.
#[test]
#[ignore = "needs an unlocked OS keychain: run scripts/test-keychain"]
fn every_systems_secrets_live_in_the_keychain_only() {
    use casebook_core::Casebook;
    use casebook_core::model::ConnectorInput;
    use serde_json::json;

    let dir = tempfile::tempdir().unwrap();
    let book = Casebook::open(dir.path().join("casebook.db")).unwrap();
    let run = uuid::Uuid::new_v4().simple().to_string();
    let secret = |what: &str| format!("{what}-{run}");
    let webhook = json!({
        "kind": "cases-webhook",
        "create_incident": {"method": "post", "url": "https://tickets.example.com/api/tickets",
                            "json": "{\"title\": {{{case.title}}}}", "response_key": "id"},
        "get_incident": {"method": "get", "url": "https://tickets.example.com/api/tickets/{{{external.system.id}}}",
                         "title_key": "key"},
        "view_incident_url": "https://tickets.example.com/browse/{{{external.system.title}}}",
        "update_incident": {"method": "put", "url": "https://tickets.example.com/api/tickets/{{{external.system.id}}}",
                            "json": "{\"title\": {{{case.title}}}}"},
        "headers": {},
        "auth": {"type": "bearer"},
    });
    let systems = [
        (
            "SOAR",
            "https://soar.example.com",
            json!({"kind": "resilient", "org_id": "201", "api_key_id": "key-id"}),
            None,
        ),
        ("Swim", "https://swim.example.com", json!({"kind": "swimlane", "app_id": "aBcD3fGh1JkLmN0pQ"}), None),
        ("Hive", "https://hive.example.com", json!({"kind": "thehive", "organisation": "SOC"}), None),
        ("SNOW", "https://x.service-now.com", json!({"kind": "servicenow-sir", "username": "sn"}), None),
        ("Hook", "https://tickets.example.com", webhook, Some(("header:X-Api-Key", secret("header")))),
    ];
    let mut made = Vec::new();
    for (name, url, settings, extra) in systems {
        let main = secret(name);
        let mut input = json!({"name": name, "url": url, "settings": settings, "secret": main});
        if let Some((key, value)) = &extra {
            input["secrets"] = json!({ *key: value });
        }
        let input: ConnectorInput = serde_json::from_value(input).unwrap();
        let c = book.create_connector("default", &input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(c.secret_stored, "{name}");
        let shown = serde_json::to_string(&c).unwrap();
        assert!(!shown.contains(&run), "{name}: a secret came back: {shown}");
        let stored = Keychain.get(&format!("connector:{}", c.id)).unwrap().unwrap();
        assert!(stored.contains(&main), "{name}: the keychain item lacks the secret");
        if let Some((key, value)) = &extra {
            assert!(stored.contains(value.as_str()), "{name}: the keychain item lacks {key}");
            assert!(c.stored_secrets.contains(&key.to_string()), "{name}: {:?}", c.stored_secrets);
        }
        made.push(c.id);
    }
    drop(book);
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        assert!(!bytes.windows(run.len()).any(|w| w == run.as_bytes()), "{:?} holds a secret", entry.path());
    }
    let book = Casebook::open(dir.path().join("casebook.db")).unwrap();
    for id in made {
        book.delete_connector("default", &id).unwrap();
        assert_eq!(Keychain.get(&format!("connector:{id}")).unwrap(), None);
    }
}

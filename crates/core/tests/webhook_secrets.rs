//! A webhook connector's secrets: the main one, secret headers and a client key, all in one
//! keychain item, never in the database; listed by name only; kept on edit unless given again
//! (an empty value removes one); entered again when the URL moves to another host.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::sync::Arc;

use casebook_core::Casebook;
use casebook_core::model::*;
use casebook_core::secrets::{MemorySecrets, SecretStore};

/// A self-signed test certificate and its key (made for these tests; they protect nothing).
const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIBlDCCATugAwIBAgIUNWbcRqjtud95ZNMG+YDUgjp3NQ0wCgYIKoZIzj0EAwIw\nHzEdMBsGA1UEAwwUY2FzZWJvb2stdGVzdC1jbGllbnQwIBcNMjYxMjA3MDMyOTQ0\nWhgPMjEyNjExMTMwMzI5NDRaMB8xHTAbBgNVBAMMFGNhc2Vib29rLXRlc3QtY2xp\nZW50MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEla7VHsOofF2Xina2hhsg4Dax\nhprmW3SPMYmNVMjoIWRzCw9pqnwpJsRsfOigz6alZccD8zJfNNHCJXRBWlU+9KNT\nMFEwHQYDVR0OBBYEFPFlMNxS3YBSs34qshNx6XoxtPwuMB8GA1UdIwQYMBaAFPFl\nMNxS3YBSs34qshNx6XoxtPwuMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID\nRwAwRAIgKwqOR0Xuq5Dwrltxd8E6xxxnCGiYU1czs0eSdpJ3EVwCIEnnjWfEHfKt\nWC2ZAruGHYSIbtqLHURXPqM3YNDkgnAc\n-----END CERTIFICATE-----";
const KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrohY69mXh6/KB5n9\nAyLEpY4SdwNWIHkn78E8KeUZVlGhRANCAASVrtUew6h8XZeKdraGGyDgNrGGmuZb\ndI8xiY1UyOghZHMLD2mqfCkmxGx86KDPpqVlxwPzMl800cIldEFaVT70\n-----END PRIVATE KEY-----";
const HEADER_SECRET: &str = "hdr-s3cret-77f1";

fn book() -> (tempfile::TempDir, Casebook, Arc<MemorySecrets>) {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Casebook::open(dir.path().join("casebook.db")).unwrap();
    let secrets = Arc::new(MemorySecrets::new());
    book.set_secrets(secrets.clone());
    (dir, book, secrets)
}

fn settings(base: &str, auth: WebhookAuth) -> ConnectorSettings {
    ConnectorSettings::CasesWebhook(CasesWebhookSettings {
        create_incident: WebhookCreate {
            method: WebhookMethod::Post,
            url: format!("{base}/api/tickets"),
            json: "{\"title\": {{{case.title}}}}".into(),
            response_key: "id".into(),
        },
        get_incident: WebhookGet {
            method: WebhookMethod::Get,
            url: format!("{base}/api/tickets/{{{{{{external.system.id}}}}}}"),
            json: None,
            title_key: "key".into(),
        },
        view_incident_url: format!("{base}/browse/{{{{{{external.system.title}}}}}}"),
        update_incident: WebhookRequest {
            method: WebhookMethod::Put,
            url: format!("{base}/api/tickets/{{{{{{external.system.id}}}}}}"),
            json: "{\"title\": {{{case.title}}}}".into(),
        },
        create_comment: None,
        find_incident: None,
        headers: BTreeMap::new(),
        auth,
    })
}

fn certificate() -> WebhookAuth {
    WebhookAuth::Certificate {
        cert_type: CertType::Pem,
        certificate: Some(CERT.into()),
        ca: None,
        verification: Verification::Full,
    }
}

fn input(base: &str, secrets: &[(&str, &str)]) -> ConnectorInput {
    ConnectorInput {
        name: "Tickets".into(),
        url: base.into(),
        settings: settings(base, certificate()),
        secret: None,
        secrets: Some(secrets.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
    }
}

#[test]
fn every_secret_kind_goes_to_one_keychain_item_and_only_names_come_back() {
    let (dir, book, store) = book();
    let base = "https://tickets.example.com";
    let c = book
        .create_connector("default", &input(base, &[("client_key", KEY), ("header:X-Api-Key", HEADER_SECRET)]))
        .unwrap();
    assert_eq!(c.stored_secrets, vec!["client_key".to_string(), "header:X-Api-Key".to_string()]);
    let item = store.get(&format!("connector:{}", c.id)).unwrap().unwrap();
    assert!(item.contains(HEADER_SECRET) && item.contains("BEGIN PRIVATE KEY"));
    let shown = serde_json::to_string(&book.list_connectors("default").unwrap()).unwrap();
    assert!(!shown.contains(HEADER_SECRET) && !shown.contains("PRIVATE KEY"));
    let db = std::fs::read(dir.path().join("casebook.db")).unwrap();
    let db = String::from_utf8_lossy(&db);
    assert!(!db.contains(HEADER_SECRET) && !db.contains("PRIVATE KEY"));

    // Edited without secrets: all kept. An empty one removes that one only.
    let c = book.update_connector("default", "Tickets", &input(base, &[])).unwrap();
    assert_eq!(c.stored_secrets.len(), 2);
    let c = book.update_connector("default", "Tickets", &input(base, &[("header:X-Api-Key", "")])).unwrap();
    assert_eq!(c.stored_secrets, vec!["client_key".to_string()]);

    // Another host: every stored secret is entered again, or the change is refused.
    let moved = "https://other.example.com";
    let e = book.update_connector("default", "Tickets", &input(moved, &[])).unwrap_err();
    assert_eq!(e.code(), "validation");
    assert!(e.to_string().contains("client_key"), "{e}");
    book.update_connector("default", "Tickets", &input(moved, &[("client_key", KEY)])).unwrap();
}

#[test]
fn a_client_certificate_needs_its_key_and_secrets_must_fit_the_sign_in() {
    let (_dir, book, _) = book();
    let base = "https://tickets.example.com";
    let e = book.create_connector("default", &input(base, &[])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "secrets: client_key is required: the client certificate's private key (PEM), or the PFX file (base64)"
    );
    let e = book.create_connector("default", &input(base, &[("client_key", "not a key")])).unwrap_err();
    assert!(e.to_string().starts_with("secrets: the client certificate and key could not be read as PEM"), "{e}");
    let e = book.create_connector("default", &input(base, &[("client_key", KEY), ("token", "x")])).unwrap_err();
    assert!(e.to_string().starts_with("secrets: \"token\" is not a webhook secret"), "{e}");

    let mut basic = input(base, &[("client_key", KEY)]);
    basic.settings = settings(base, WebhookAuth::Basic { username: "svc".into() });
    basic.secret = Some("pw".into());
    let e = book.create_connector("default", &basic).unwrap_err();
    assert!(e.to_string().starts_with("secrets: client_key is only for a client certificate"), "{e}");

    let mut jira = input(base, &[("header:X-Api-Key", "k")]);
    jira.settings = ConnectorSettings::Jira(JiraSettings {
        project_key: "SEC".into(),
        auth: ConnectorAuth::Basic,
        username: Some("u@example.com".into()),
    });
    jira.secret = Some("t".into());
    let e = book.create_connector("default", &jira).unwrap_err();
    assert_eq!(e.to_string(), "secrets: \"header:X-Api-Key\": this system takes only the main secret");
}

#[test]
fn basic_bearer_and_oauth_need_the_main_secret_and_none_does_not() {
    let (_dir, book, _) = book();
    let base = "https://tickets.example.com";
    let mut i = input(base, &[]);
    i.secrets = None;
    i.settings = settings(base, WebhookAuth::Bearer);
    let e = book.create_connector("default", &i).unwrap_err();
    assert_eq!(e.to_string(), "secret: is required: the password, token or client secret");
    i.settings = settings(base, WebhookAuth::None);
    let c = book.create_connector("default", &i).unwrap();
    assert!(c.stored_secrets.is_empty());
    assert_eq!(c.secret_label, "Secret headers and keys");
}

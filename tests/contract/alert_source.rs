//! The Elasticsearch source through the core's `Casebook` API, against the fake cluster: the key
//! kept only in the secret store, search and attach, and sync alerts sending statuses back —
//! also after the cluster was unreachable for a while.

use std::sync::Arc;

use casebook_core::alerts::AlertSourceInput;
use casebook_core::elastic::AlertQuery;
use casebook_core::model::*;
use casebook_core::secrets::{MemorySecrets, SecretStore};
use casebook_core::{Casebook, Error, Result};

use crate::fake_elasticsearch::{API_KEY, API_KEY_SECRET, FakeElasticsearch, sample_alerts};

struct Book {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    book: Casebook,
    secrets: Arc<MemorySecrets>,
}

fn book() -> Book {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("casebook.db");
    let mut book = Casebook::open(&path).expect("open");
    let secrets = Arc::new(MemorySecrets::new());
    book.set_secrets(secrets.clone());
    Book { _dir: dir, path, book, secrets }
}

fn input(url: &str, key: Option<&str>) -> AlertSourceInput {
    AlertSourceInput { url: url.into(), kibana_space: None, api_key: key.map(Into::into) }
}

/// Every byte Casebook wrote to disk: the database, its WAL and the drafts folder.
pub(crate) fn files_contain(dir: &std::path::Path, needle: &str) -> bool {
    std::fs::read_dir(dir).expect("read dir").flatten().any(|e| {
        let p = e.path();
        if p.is_dir() {
            return files_contain(&p, needle);
        }
        let bytes = std::fs::read(&p).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}

#[tokio::test]
async fn search_attach_and_sync_statuses_back() {
    let es = FakeElasticsearch::start(sample_alerts());
    let b = book();
    let source = b.book.set_alert_source("default", &input(&es.url(), Some(API_KEY))).expect("set source");
    assert!(source.api_key_stored);
    assert_eq!(source.index, ".alerts-security.alerts-default");
    assert!(!serde_json::to_string(&source).unwrap().contains(API_KEY_SECRET));
    assert_eq!(b.secrets.get("elasticsearch:default").unwrap().as_deref(), Some(API_KEY));
    let info = b.book.test_alert_source("default").await.expect("test");
    assert!(!info.version.is_empty());

    let q = AlertQuery { rule: Some("Suspicious PowerShell".into()), ..Default::default() };
    let page = b.book.search_source_alerts("default", &q).await.expect("search");
    assert!(page.total >= 4, "{}", page.total);
    let case = b.book.create_case("default", &CaseCreate { title: "PowerShell".into(), ..Default::default() }).unwrap();
    let report = b.book.attach_source_alerts(&case.id, &page.hits).expect("attach");
    assert_eq!(report.attached, page.hits.len() as u64);
    assert!(report.observables_added > 0, "hosts, source IPs and hashes are extracted");
    let listed = b.book.list_alerts(&case.id, &AlertListQuery::default()).unwrap();
    assert!(listed.alerts.iter().all(|a| a.origin == AlertOrigin::Elasticsearch && a.index.is_some()));

    // Closing the case (sync alerts on) closes its alerts here and, by the sync, there.
    let closed = CasePatch {
        id: case.id.clone(),
        version: case.version.clone(),
        status: Some(Status::Closed),
        ..Default::default()
    };
    b.book.update_case(&closed).unwrap();
    let waiting = b.book.alert_overview(&case.id).unwrap().status_sync_pending;
    assert_eq!(waiting as usize, page.hits.len());
    let r = b.book.sync_alert_statuses().await.expect("sync");
    assert_eq!((r.updated as usize, r.waiting), (page.hits.len(), 0));
    for hit in &page.hits {
        assert_eq!(es.source(&hit.id)["kibana.alert.workflow_status"], "closed", "{}", hit.id);
    }
    assert_eq!(b.book.alert_overview(&case.id).unwrap().status_sync_pending, 0);
    let again = b.book.sync_alert_statuses().await.unwrap();
    assert_eq!((again.updated, again.waiting), (0, 0), "nothing is sent twice");

    // The key is nowhere on disk.
    assert!(!files_contain(b.path.parent().unwrap(), API_KEY));
    assert!(!files_contain(b.path.parent().unwrap(), API_KEY_SECRET));
}

#[tokio::test]
async fn statuses_wait_while_the_cluster_refuses_and_go_out_when_it_answers() {
    let es = FakeElasticsearch::start(sample_alerts());
    let b = book();
    b.book.set_alert_source("default", &input(&es.url(), Some(API_KEY))).unwrap();
    let page = b
        .book
        .search_source_alerts("default", &AlertQuery { host: Some("dc-01".into()), ..Default::default() })
        .await
        .unwrap();
    let case = b.book.create_case("default", &CaseCreate { title: "DC".into(), ..Default::default() }).unwrap();
    b.book.attach_source_alerts(&case.id, &page.hits).unwrap();
    let patch = CasePatch {
        id: case.id.clone(),
        version: case.version.clone(),
        status: Some(Status::InProgress),
        ..Default::default()
    };
    b.book.update_case(&patch).unwrap();

    // The key was rotated in Kibana: 401, the statuses wait and the case change stands.
    es.state().api_key = "rotated".into();
    let r = b.book.sync_alert_statuses().await.unwrap();
    assert_eq!(r.updated, 0);
    assert_eq!(r.waiting as usize, page.hits.len());
    assert!(r.errors[0].contains("401"), "{:?}", r.errors);
    assert!(!r.errors[0].contains(API_KEY_SECRET));
    assert_eq!(b.book.get_case(&case.id).unwrap().status, Status::InProgress);

    // The analyst enters the new key; the next pass sends them.
    es.state().api_key = API_KEY.into();
    let r = b.book.sync_alert_statuses().await.unwrap();
    assert_eq!((r.updated as usize, r.waiting), (page.hits.len(), 0));
    for hit in &page.hits {
        assert_eq!(es.source(&hit.id)["kibana.alert.workflow_status"], "acknowledged");
    }
}

#[tokio::test]
async fn the_form_is_checked_and_the_keychain_refusal_saves_nothing() {
    let b = book();
    let first = b.book.set_alert_source("default", &input("https://es.example.com:9200", None)).unwrap_err();
    assert!(first.to_string().starts_with("api_key:"), "{first}");
    let plain = b.book.set_alert_source("default", &input("http://es.example.com:9200", Some(API_KEY))).unwrap_err();
    assert!(plain.to_string().starts_with("url:"), "{plain}");
    let bad_space =
        AlertSourceInput { kibana_space: Some("Not A Space".into()), ..input("https://es.example.com", Some(API_KEY)) };
    assert!(b.book.set_alert_source("default", &bad_space).unwrap_err().to_string().starts_with("kibana_space:"));
    assert!(b.book.alert_source("default").unwrap().is_none());
    let missing = b.book.search_source_alerts("default", &AlertQuery::default()).await.unwrap_err();
    assert_eq!(missing.code(), "not_found");
    assert!(missing.to_string().contains("Settings"), "{missing}");

    // A locked keychain: a clear error, and no half-saved source.
    let dir = tempfile::tempdir().unwrap();
    let mut locked = Casebook::open(dir.path().join("c.db")).unwrap();
    locked.set_secrets(Arc::new(Locked));
    let err = locked.set_alert_source("default", &input("https://es.example.com", Some(API_KEY))).unwrap_err();
    assert_eq!(err.code(), "keychain_locked");
    assert!(!err.to_string().contains(API_KEY));
    assert!(locked.alert_source("default").unwrap().is_none(), "no half-saved source");
    assert!(!files_contain(dir.path(), API_KEY));
}

#[derive(Debug)]
struct Locked;

impl SecretStore for Locked {
    fn get(&self, _: &str) -> Result<Option<String>> {
        Err(Error::KeychainLocked)
    }
    fn set(&self, _: &str, _: &str) -> Result<()> {
        Err(Error::KeychainLocked)
    }
    fn delete(&self, _: &str) -> Result<()> {
        Err(Error::KeychainLocked)
    }
}

//! Migration 10 on a file schema 9 left: connector settings read back in each system's shape,
//! and the loosened `kind` CHECK in force.

use std::path::Path;

use super::*;
use crate::Casebook;

/// A file as schema 9 left it: connector settings in the old shared shape, and a CHECK that
/// allowed only three systems.
fn schema_9_with_connectors(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
    conn.execute_batch(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
            applied_at TEXT NOT NULL, applied_by TEXT NOT NULL)",
    )
    .unwrap();
    for (version, name, sql) in &MIGRATIONS[..9] {
        conn.execute_batch(sql).unwrap();
        conn.execute("INSERT INTO schema_migrations VALUES (?1, ?2, 'then', 'casebook 0')", (version, name)).unwrap();
    }
    conn.pragma_update(None, "user_version", 9).unwrap();
    conn.execute_batch(
        r#"INSERT INTO connectors (uuid, space_id, name, kind, url, config, created_at, updated_at) VALUES
           ('j', 1, 'SOC Jira', 'jira', 'https://x.atlassian.net', '{"project_key":"SEC","auth":"basic","username":"u@x"}', 0, 0),
           ('p', 1, 'DC Jira', 'jira', 'https://jira.corp', '{"project_key":"OPS","auth":"pat"}', 0, 0),
           ('s', 1, 'SNOW', 'servicenow-sir', 'https://x.service-now.com', '{"mode":"table","auth":"basic","username":"sn"}', 0, 0)"#,
    )
    .unwrap();
}

#[test]
fn connectors_of_schema_9_read_back_in_their_systems_shape_and_new_systems_fit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    schema_9_with_connectors(&path);
    let mut book = Casebook::open(&path).unwrap();
    book.set_secrets(std::sync::Arc::new(crate::secrets::MemorySecrets::new()));
    let list = book.list_connectors("default").unwrap();
    let shown: Vec<(String, serde_json::Value)> =
        list.iter().map(|c| (c.name.clone(), serde_json::to_value(&c.settings).unwrap())).collect();
    assert_eq!(
        shown,
        vec![
            ("DC Jira".into(), serde_json::json!({"kind": "jira", "project_key": "OPS", "auth": "pat"})),
            ("SNOW".into(), serde_json::json!({"kind": "servicenow-sir", "mode": "table", "username": "sn"})),
            (
                "SOC Jira".into(),
                serde_json::json!({"kind": "jira", "project_key": "SEC", "auth": "basic", "username": "u@x"})
            ),
        ]
    );
    drop(book);
    // The loosened CHECK is in force on a connection opened after the upgrade and on the one
    // that upgraded (which `open` returns).
    let conn = open(&path).unwrap();
    conn.execute(
        "INSERT INTO connectors (uuid, space_id, name, kind, url, config, created_at, updated_at)
         VALUES ('n', 1, 'New', 'some-new-system', 'https://n', '{}', 0, 0)",
        [],
    )
    .unwrap();
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let dir2 = tempfile::tempdir().unwrap();
    let path2 = dir2.path().join("c.db");
    schema_9_with_connectors(&path2);
    let upgrading = open(&path2).unwrap();
    upgrading
        .execute(
            "INSERT INTO connectors (uuid, space_id, name, kind, url, config, created_at, updated_at)
             VALUES ('n', 1, 'New', 'some-new-system', 'https://n', '{}', 0, 0)",
            [],
        )
        .unwrap();
}

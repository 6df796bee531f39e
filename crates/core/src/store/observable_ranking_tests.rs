//! Migration 11 on a file schema 10 left: observables extracted before it stay replaceable by
//! a promoted value, hand-added ones do not, and every space keeps Kibana's cap of 50.

use super::*;
use crate::{CaseCreate, Casebook};

#[test]
fn observables_of_schema_10_keep_their_origin_and_spaces_get_kibanas_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.db");
    let book = Casebook::open(&path).unwrap();
    let case = book.create_case("default", &CaseCreate { title: "Old".into(), ..Default::default() }).unwrap();
    drop(book);

    // Take the file back to schema 10 (this build's tables, less migration 11), write the
    // observables as schema 10 did, then upgrade.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(super::migrations::BACK_TO_11).unwrap();
    conn.pragma_update(None, "user_version", 10).unwrap();
    conn.execute("DELETE FROM schema_migrations WHERE version = 11", []).unwrap();
    conn.execute_batch(
        "DROP TABLE case_observables_left_out;
         ALTER TABLE case_observables DROP COLUMN auto;
         ALTER TABLE case_observables DROP COLUMN alerts;
         ALTER TABLE case_configure DROP COLUMN max_observables;
         ALTER TABLE case_configure DROP COLUMN observable_type_priority;",
    )
    .unwrap();
    let rowid: i64 = conn.query_row("SELECT id FROM cases WHERE uuid = ?1", [&case.id], |r| r.get(0)).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO case_observables (uuid, case_id, type_key, value, description, created_at, created_by) VALUES
           ('e', {rowid}, 'observable-type-ipv4', '192.0.2.1', 'Auto extracted observable', 1, '{{\"username\":\"a\"}}'),
           ('m', {rowid}, 'observable-type-ipv4', '192.0.2.2', 'seen in the proxy log', 2, '{{\"username\":\"a\"}}');
         INSERT INTO case_configure (space_id, closure_type, custom_fields, templates, version, observable_types)
           VALUES (1, 'close-by-user', '[]', '[]', 3, '[]');"
    ))
    .unwrap();
    drop(conn);

    let book = Casebook::open(&path).unwrap();
    let seen: Vec<(String, bool, Option<i64>)> =
        book.list_observables(&case.id).unwrap().into_iter().map(|o| (o.id, o.auto_extracted, o.alerts)).collect();
    assert_eq!(seen, vec![("e".into(), true, None), ("m".into(), false, None)]);
    let config = book.configuration("default").unwrap();
    assert_eq!((config.max_observables, config.version.as_str()), (50, "3"));
    assert!(config.observable_type_priority.is_empty());
    assert_eq!(book.left_out_observables(&case.id, 1, 10).unwrap().total, 0);
}

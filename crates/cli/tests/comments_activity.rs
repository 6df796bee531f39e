//! End-to-end tests of the `casebook` binary: comments and the activity log.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use serde_json::{Value, json};

use support::*;

// ---------------------------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------------------------

#[test]
fn comments_add_edit_delete_list() {
    let cb = Cb::new();
    let me = cb.me();
    let c = cb.create("Commented", &[]);
    let cid = id(&c);

    let first = cb.ok(&["comment", "add", &cid, "--body", "First look: **benign**?"]);
    for key in ["id", "version", "case_id", "comment", "type", "owner", "created_at", "created_by", "updated_at"] {
        assert!(first.get(key).is_some(), "{key} missing from {first}");
    }
    assert_eq!(first["comment"], "First look: **benign**?");
    assert_eq!(first["case_id"], cid.as_str());
    assert_eq!(first["type"], "user");
    assert_eq!(first["created_by"]["username"], me.as_str());

    let piped = cb.ok_stdin(&["comment", "add", &cid, "--body", "-"], "Pasted from a terminal\nwith two lines\n");
    assert!(piped["comment"].as_str().unwrap().starts_with("Pasted from a terminal\nwith two lines"), "{piped}");
    assert_eq!(cb.get(&cid)["total_comment"], 2);

    // Edit with the version read.
    let v1 = version(&first);
    let edited = cb.ok(&["comment", "edit", &cid, &id(&first), "--version", &v1, "--body", "Second look: malicious"]);
    assert_eq!(edited["comment"], "Second look: malicious");
    assert_ne!(version(&edited), v1);
    assert!(edited["updated_at"].is_string());

    // A stale edit conflicts and leaves the text alone.
    let (code, msg) = cb.fails(&["comment", "edit", &cid, &id(&first), "--version", &v1, "--body", "Overwrite"]);
    assert_eq!(code, "conflict");
    assert!(msg.contains(&id(&first)), "{msg}");
    let list = cb.ok(&["comment", "list", &cid]);
    assert_eq!(list["total"], 2);
    assert_eq!(list["page"], 1);
    let bodies: Vec<&str> =
        list["comments"].as_array().unwrap().iter().map(|c| c["comment"].as_str().unwrap()).collect();
    assert_eq!(bodies[0], "Second look: malicious", "oldest first, edit kept");
    assert!(bodies[1].starts_with("Pasted from a terminal"));
    let newest_first = cb.ok(&["comment", "list", &cid, "--order", "desc"]);
    assert_eq!(newest_first["comments"][0]["id"], piped["id"]);

    // Empty bodies and unknown comments.
    let (code, msg) = cb.fails(&["comment", "add", &cid, "--body", ""]);
    assert_eq!(code, "validation");
    assert!(msg.contains("comment"), "{msg}");
    let (code, _) = cb.fails(&["comment", "edit", &cid, "no-such-comment", "--version", "1", "--body", "x"]);
    assert_eq!(code, "not_found");
    let (code, _) = cb.fails(&["comment", "add", MISSING_ID, "--body", "x"]);
    assert_eq!(code, "not_found");

    // Delete.
    let del = cb.ok(&["comment", "delete", &cid, &id(&first)]);
    assert_eq!(del["deleted"], first["id"]);
    let (code, _) = cb.fails(&["comment", "delete", &cid, &id(&first)]);
    assert_eq!(code, "not_found");
    let list = cb.ok(&["comment", "list", &cid]);
    assert_eq!(list["total"], 1);
    assert_eq!(list["comments"][0]["id"], piped["id"]);
    assert_eq!(cb.get(&cid)["total_comment"], 1);
}

// ---------------------------------------------------------------------------------------------
// Activity
// ---------------------------------------------------------------------------------------------

fn types_of(actions: &[Value]) -> Vec<String> {
    actions.iter().map(|a| a["type"].as_str().unwrap().to_string()).collect()
}

#[test]
fn activity_records_every_change_and_survives_deletion() {
    let cb = Cb::new();
    let me = cb.me();
    let c = cb.create("Before", &["--tag", "old"]);
    let cid = id(&c);
    let u = cb.ok(&["case", "update", &cid, "--version", &version(&c), "--title", "After"]);
    let u = cb.ok(&["case", "update", &cid, "--version", &version(&u), "--add-tag", "new", "--remove-tag", "old"]);
    cb.ok(&["case", "update", &cid, "--version", &version(&u), "--status", "closed"]);
    let com = cb.ok(&["comment", "add", &cid, "--body", "closing note"]);

    let all = cb.activity(&cid, &[]);
    let types = types_of(&all);
    assert_eq!(types.first().map(String::as_str), Some("create_case"), "{types:?}");
    for t in ["title", "tags", "status", "comment"] {
        assert!(types.iter().any(|x| x == t), "{t} missing from {types:?}");
    }
    for a in &all {
        assert_eq!(a["case_id"], cid.as_str());
        assert_eq!(a["created_by"]["username"], me.as_str());
        for key in ["id", "action", "type", "payload", "created_at", "comment_id", "owner"] {
            assert!(a.get(key).is_some(), "{key} missing from {a}");
        }
    }
    assert_eq!(all[0]["action"], "create");
    assert_eq!(all[0]["payload"]["title"], "Before");

    let titles = cb.activity(&cid, &["title"]);
    assert_eq!(titles.len(), 1);
    assert_eq!(titles[0]["action"], "update");
    assert_eq!(titles[0]["payload"], json!({ "title": "After" }));

    let tags = cb.activity(&cid, &["tags"]);
    let tag_changes: Vec<(String, Value)> =
        tags.iter().map(|a| (a["action"].as_str().unwrap().to_string(), a["payload"]["tags"].clone())).collect();
    assert!(tag_changes.contains(&("add".into(), json!(["new"]))), "{tag_changes:?}");
    assert!(tag_changes.contains(&("delete".into(), json!(["old"]))), "{tag_changes:?}");

    let status = cb.activity(&cid, &["status"]);
    assert_eq!(status.len(), 1);
    assert_eq!(status[0]["payload"], json!({ "status": "closed" }));

    let comments = cb.activity(&cid, &["comment"]);
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0]["action"], "create");
    assert_eq!(comments[0]["comment_id"], com["id"]);
    assert_eq!(comments[0]["payload"]["comment"]["comment"], "closing note");

    // Two types at once.
    let two = cb.activity(&cid, &["title", "status"]);
    assert_eq!(sorted_strs(&json!(types_of(&two))), sorted(&["title", "status"]));

    // Newest first.
    let desc = cb.ok(&["activity", &cid, "--order", "desc"]);
    assert_eq!(desc["user_actions"][0]["type"], "comment");

    // After deletion the case is gone but its history is readable by UUID.
    cb.ok(&["case", "delete", &cid]);
    let (code, _) = cb.fails(&["case", "get", &cid]);
    assert_eq!(code, "not_found");
    let after = cb.activity(&cid, &[]);
    assert_eq!(after.len(), all.len() + 1);
    assert_eq!(after.last().unwrap()["type"], "delete_case");
    assert_eq!(after.last().unwrap()["action"], "delete");
    let bookends = cb.activity(&cid, &["create_case", "delete_case"]);
    assert_eq!(types_of(&bookends), vec!["create_case", "delete_case"]);

    // Bad type names list the good ones.
    let (code, msg) = cb.fails(&["activity", &cid, "--type", "bogus"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("bogus") && msg.contains("create_case"), "{msg}");
    let (code, _) = cb.fails(&["activity", MISSING_ID]);
    assert_eq!(code, "not_found");
}

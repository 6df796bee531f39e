//! `casebook case bulk`: change or delete every case the filters match, in batches.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use support::*;

#[test]
fn bulk_sets_status_and_tags_on_every_matching_case_over_several_batches() {
    let cb = Cb::new();
    let noisy: Vec<String> = (0..5).map(|i| id(&cb.create(&format!("Noise {i}"), &["--tag", "noise"]))).collect();
    let other = id(&cb.create("Real one", &["--tag", "real"]));

    let report =
        cb.ok(&["case", "bulk", "--tag", "noise", "--set-status", "closed", "--add-tag", "triaged", "--batch", "2"]);
    assert_eq!(report["total"], 5);
    assert_eq!(report["changed"], 5);
    assert_eq!(report["gone"], 0);
    assert_eq!(report["cancelled"], false);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 0);
    for id in &noisy {
        let c = cb.get(id);
        assert_eq!(c["status"], "closed");
        assert_eq!(sorted_strs(&c["tags"]), ["noise", "triaged"]);
    }
    assert_eq!(cb.get(&other)["status"], "open");

    // In text: the counts, with the cases that were already as asked.
    let text = cb.run(&["case", "bulk", "--tag", "noise", "--set-status", "closed"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("0 of 5 matching cases changed."), "{}", text.stdout);
    assert!(text.stdout.contains("5 already as asked."), "{}", text.stdout);
}

#[test]
fn bulk_delete_needs_yes_and_names_the_count() {
    let cb = Cb::new();
    for i in 0..3 {
        cb.create(&format!("Noise {i}"), &["--tag", "noise"]);
    }
    cb.create("Keep", &[]);

    let (code, message) = cb.fails(&["case", "bulk", "--tag", "noise", "--delete"]);
    assert_eq!(code, "validation");
    assert!(message.contains("this would delete 3 matching cases"), "{message}");
    assert_eq!(cb.total(), 4, "nothing was deleted without --yes");

    let report = cb.ok(&["case", "bulk", "--tag", "noise", "--delete", "--yes", "--batch", "2"]);
    assert_eq!((report["total"].as_i64(), report["changed"].as_i64()), (Some(3), Some(3)));
    assert_eq!(cb.titles(&[]), ["Keep"]);
}

#[test]
fn bulk_refuses_bad_input_naming_the_field() {
    let cb = Cb::new();
    cb.create("A", &[]);
    let (code, message) = cb.fails(&["case", "bulk"]);
    assert_eq!(code, "validation");
    assert!(message.starts_with("change:"), "{message}");
    let (code, message) = cb.fails(&["case", "bulk", "--add-assignee", "nobody-here"]);
    assert_eq!(code, "validation");
    assert!(message.starts_with("change.add_assignees[0]"), "{message}");
    let (code, message) = cb.fails(&["case", "bulk", "--set-status", "closed", "--batch", "0"]);
    assert_eq!(code, "validation");
    assert!(message.starts_with("batch:"), "{message}");
    assert_eq!(cb.list(&[])["cases"][0]["status"], "open");
}

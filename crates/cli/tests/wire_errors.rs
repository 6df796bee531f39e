//! `--json` errors are the core's wire error, field included.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use serde_json::json;

use support::*;

#[test]
fn a_validation_error_names_its_field_as_data() {
    let cb = Cb::new();
    let long = "x".repeat(161);
    let r = cb.run(&["--json", "case", "create", "--title", &long]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.json(),
        json!({"error": {
            "code": "validation",
            "message": "title: at most 160 characters (got 161)",
            "field": "title",
        }})
    );
    let r = cb.run(&["--json", "case", "create", "--title", "T", "--tag", "ok", "--tag", " "]);
    assert_eq!(r.json()["error"]["field"], "tags[1]");
    // Other errors have no field.
    let r = cb.run(&["--json", "case", "get", "#9"]);
    assert_eq!(r.json()["error"].as_object().unwrap().keys().collect::<Vec<_>>(), ["code", "message"]);
    // People read the same sentence, unchanged.
    let r = cb.run(&["case", "create", "--title", &long]);
    assert_eq!(r.stderr.trim(), "casebook: title: at most 160 characters (got 161)");
}

#[test]
fn usage_errors_are_wire_errors_with_a_declared_code() {
    let cb = Cb::new();
    let r = cb.run(&["--json", "case", "lsit"]);
    assert_eq!(r.code, 2);
    let (code, _) = error_of(&r, 2, &["case", "lsit"]);
    assert_eq!(code, "usage");
}

//! `--json` errors are the core's wire error, field included; `case create --dry-run` checks a
//! case with the core's rules and creates nothing.

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
    // Other errors have no field; a missing thing names its kind.
    let r = cb.run(&["--json", "case", "get", "#9"]);
    let e = &r.json()["error"];
    assert_eq!((&e["code"], &e["what"], e.get("field")), (&json!("not_found"), &json!("case"), None));
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

#[test]
fn dry_run_checks_with_the_core_and_creates_nothing() {
    let cb = Cb::new();
    let r = cb.run(&["case", "create", "--dry-run", "--title", "Phishing", "--tag", "mail"]);
    assert_eq!((r.code, r.stdout.trim()), (0, "ok: the case is valid (nothing was created)"), "{}", r.stderr);
    assert_eq!(cb.ok(&["case", "create", "--dry-run", "--title", "T"]), json!({"valid": true, "cases": 1}));
    assert_eq!(cb.total(), 0);

    // The error create would give, field included, and still nothing written.
    let r = cb.run(&["--json", "case", "create", "--dry-run", "--title", "T", "--assignee", "nobody"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["field"], "assignees[0]");
    let r = cb.run(&["case", "create", "--dry-run", "--title", "  "]);
    assert_eq!((r.code, r.stderr.trim()), (1, "casebook: title: cannot be an empty string"));
    assert_eq!(cb.total(), 0);

    // A batch names the body that fails.
    let body = r#"[{"title": "one"}, {"title": ""}]"#;
    let r = cb.run_stdin(&["--json", "case", "create", "--dry-run", "--from-json", "-"], body);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["field"], "cases[1].title");
    let body = r#"[{"title": "one"}, {"title": "two"}]"#;
    let r = cb.run_stdin(&["case", "create", "--dry-run", "--from-json", "-"], body);
    assert_eq!(r.stdout.trim(), "ok: the 2 cases are valid (nothing was created)");
    assert_eq!(cb.total(), 0);
}

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! `check_case_create` answers what `create_case` would, field included, and writes nothing.

use casebook_core::model::*;
use casebook_core::{Casebook, WireError};
use serde_json::json;

#[path = "support/fixture.rs"]
mod fixture;
use fixture::fixture;

fn case(title: &str) -> CaseCreate {
    CaseCreate { title: title.into(), ..Default::default() }
}

/// The check's error and the create's error, as the UI and `--json` would see them.
fn both(book: &Casebook, space: &str, input: &CaseCreate) -> (WireError, WireError) {
    let checked = book.check_case_create(space, input).unwrap_err().to_wire();
    let created = book.create_case(space, input).unwrap_err().to_wire();
    (checked, created)
}

fn with_required_field(book: &Casebook) {
    let cfg = book.configuration("default").unwrap();
    book.update_configuration(
        "default",
        &ConfigurationPatch {
            version: cfg.version,
            custom_fields: Some(vec![CustomFieldDefinition {
                key: "risk".into(),
                label: "Risk".into(),
                field_type: CustomFieldType::Number,
                required: true,
                default_value: None,
            }]),
            ..Default::default()
        },
    )
    .unwrap();
}

#[test]
fn a_valid_input_passes_and_nothing_is_written() {
    let f = fixture();
    let input = CaseCreate { tags: vec!["phishing".into()], category: Some("Email".into()), ..case("Phishing wave") };
    f.book.check_case_create("default", &input).unwrap();
    assert_eq!(f.book.find_cases(&FindQuery::default()).unwrap().total, 0);
    assert!(f.book.tags("default").unwrap().is_empty());
    // …and the create it vouched for succeeds.
    f.book.create_case("default", &input).unwrap();
}

#[test]
fn each_refusal_is_the_one_create_case_gives_with_its_field() {
    let f = fixture();
    with_required_field(&f.book);
    let risk =
        |v: serde_json::Value| CustomFieldValue { key: "risk".into(), field_type: CustomFieldType::Number, value: v };
    let cases: Vec<(CaseCreate, &str)> = vec![
        (case("  "), "title"),
        (CaseCreate { custom_fields: vec![risk(json!(1))], ..case(&"x".repeat(161)) }, "title"),
        (
            CaseCreate { tags: vec!["ok".into(), "t".repeat(257)], custom_fields: vec![risk(json!(1))], ..case("T") },
            "tags[1]",
        ),
        (
            CaseCreate {
                assignees: vec![Assignee { uid: "nobody".into() }],
                custom_fields: vec![risk(json!(1))],
                ..case("T")
            },
            "assignees[0]",
        ),
        (case("T"), "custom_fields.risk"),
        (CaseCreate { custom_fields: vec![risk(json!("high"))], ..case("T") }, "custom_fields.risk"),
    ];
    for (input, field) in cases {
        let (checked, created) = both(&f.book, "default", &input);
        assert_eq!(checked, created, "{input:?}");
        assert_eq!((checked.code.as_str(), checked.field.as_deref()), ("validation", Some(field)), "{input:?}");
    }
    // Errors without a field come back the same way too.
    let (checked, created) = both(&f.book, "nowhere", &case("T"));
    assert_eq!(checked, created);
    assert_eq!((checked.code.as_str(), checked.field), ("not_found", None));
    assert_eq!(f.book.find_cases(&FindQuery::default()).unwrap().total, 0);
}

#[test]
fn a_batch_names_the_input_that_fails() {
    let f = fixture();
    let inputs = [case("one"), case("two"), case("")];
    let e = f.book.check_case_creates("default", &inputs).unwrap_err();
    assert_eq!(e.field(), Some("cases[2].title"));
    assert_eq!(e.to_wire(), f.book.create_cases("default", &inputs).unwrap_err().to_wire());
    f.book.check_case_creates("default", &inputs[..2]).unwrap();
    assert_eq!(f.book.check_case_creates("default", &[]).unwrap_err().field(), Some("cases"));
}

#[test]
fn a_read_only_book_can_check() {
    let f = fixture();
    let path = f.path.clone();
    let ro = Casebook::open_read_only(&path).unwrap().unwrap();
    ro.check_case_create("default", &case("T")).unwrap();
    assert_eq!(ro.check_case_create("default", &case("")).unwrap_err().field(), Some("title"));
}

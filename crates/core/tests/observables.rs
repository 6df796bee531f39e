#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Observables on a real SQLite file: add, edit, delete, limits, custom types, similar cases.

use casebook_core::model::*;

#[path = "support/fixture.rs"]
mod fixture;
use fixture::{Fixture, fixture};

impl Fixture {
    fn case_in(&self, space: &str, title: &str) -> Case {
        self.book.create_case(space, &CaseCreate { title: title.into(), ..Default::default() }).unwrap()
    }
    fn add(&self, case: &Case, ty: &str, value: &str) -> casebook_core::Result<Observable> {
        self.book
            .add_observable(&case.id, &ObservableInput { type_key: ty.into(), value: value.into(), description: None })
    }
}

#[test]
fn add_edit_delete_with_values_checked_and_normalised() {
    let f = fixture();
    let c = f.case_in("default", "Phish");
    let ip = f.add(&c, "observable-type-ipv6", "2001:DB8:0::1").unwrap();
    assert_eq!((ip.value.as_str(), ip.type_label.as_str()), ("2001:db8::1", "IPv6"));
    // People may name a built-in type without its prefix, or by its label.
    f.add(&c, "ipv4", "192.0.2.1").unwrap();
    let hash = f.add(&c, "File hash", &"AB".repeat(32)).unwrap();
    assert_eq!(hash.type_key, "observable-type-file-hash");
    assert_eq!(hash.value, "ab".repeat(32));

    let dup = f.add(&c, "observable-type-ipv6", "2001:db8::1").unwrap_err();
    assert_eq!(dup.code(), "already_exists");
    let bad = f.add(&c, "ipv4", "999.1.1.1").unwrap_err();
    assert_eq!(bad.code(), "validation");
    assert!(bad.to_string().starts_with("value: "), "{bad}");
    let unknown = f.add(&c, "mac", "aa:bb").unwrap_err();
    assert!(unknown.to_string().contains("type_key") && unknown.to_string().contains("observable-type-ipv4"));

    let edited = f
        .book
        .update_observable(
            &c.id,
            &ip.id,
            &ObservableInput { type_key: ip.type_key.clone(), value: ip.value.clone(), description: Some("C2".into()) },
        )
        .unwrap();
    assert_eq!(edited.description.as_deref(), Some("C2"));
    assert!(edited.updated_at.is_some());
    let clash = ObservableInput { type_key: "ipv4".into(), value: "192.0.2.1".into(), description: None };
    assert_eq!(f.book.update_observable(&c.id, &ip.id, &clash).unwrap_err().code(), "already_exists");

    f.book.delete_observable(&c.id, &hash.id).unwrap();
    assert_eq!(f.book.list_observables(&c.id).unwrap().len(), 2);
    assert_eq!(f.book.get_case(&c.id).unwrap().total_observables, 2);
    assert_eq!(f.book.delete_observable(&c.id, &hash.id).unwrap_err().code(), "not_found");

    let q = ActivityQuery { types: vec![ActionType::Observables], ..Default::default() };
    let kinds: Vec<String> = f
        .book
        .find_activity(&c.space, &c.id, &q)
        .unwrap()
        .user_actions
        .iter()
        .map(|a| a.payload["observables"]["actionType"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["add", "add", "add", "update", "delete"]);
}

#[test]
fn a_case_holds_at_most_fifty() {
    let f = fixture();
    let c = f.case_in("default", "Full");
    for i in 0..50 {
        f.add(&c, "ipv4", &format!("192.0.2.{i}")).unwrap();
    }
    let err = f.add(&c, "ipv4", "198.51.100.1").unwrap_err();
    assert_eq!(err.code(), "validation");
    assert!(err.to_string().contains("at most 50"), "{err}");
    assert_eq!(f.book.list_observables(&c.id).unwrap().len(), 50);
}

#[test]
fn custom_types_come_and_go_with_their_observables() {
    let f = fixture();
    let c = f.case_in("default", "Custom");
    let cfg = f.book.configuration("default").unwrap();
    let types = vec![ObservableType { key: "mac".into(), label: "MAC address".into() }];
    let cfg = f
        .book
        .update_configuration(
            "default",
            &ConfigurationPatch { version: cfg.version, observable_types: Some(types), ..Default::default() },
        )
        .unwrap();
    assert_eq!(f.book.observable_types("default").unwrap().len(), 9);
    let mac = f.add(&c, "mac", "aa:bb:cc:dd:ee:ff").unwrap();
    assert_eq!(mac.type_label, "MAC address");
    f.add(&c, "ipv4", "192.0.2.1").unwrap();
    f.book
        .update_configuration(
            "default",
            &ConfigurationPatch { version: cfg.version, observable_types: Some(vec![]), ..Default::default() },
        )
        .unwrap();
    let left: Vec<String> = f.book.list_observables(&c.id).unwrap().into_iter().map(|o| o.value).collect();
    assert_eq!(left, ["192.0.2.1"]);
    assert_eq!(f.book.get_case(&c.id).unwrap().total_observables, 1);
}

#[test]
fn similar_cases_share_a_value_in_the_same_space() {
    let f = fixture();
    f.book.create_space("soc").unwrap();
    let me = f.case_in("default", "Me");
    let two = f.case_in("default", "Shares two");
    let one = f.case_in("default", "Shares one");
    let none = f.case_in("default", "Shares none");
    let elsewhere = f.case_in("soc", "Other space");
    for c in [&me, &two] {
        f.add(c, "ipv4", "192.0.2.1").unwrap();
        f.add(c, "domain", "evil.example.com").unwrap();
    }
    f.add(&one, "domain", "EVIL.example.com").unwrap();
    f.add(&none, "ipv4", "192.0.2.2").unwrap();
    f.add(&elsewhere, "ipv4", "192.0.2.1").unwrap();

    let page = f.book.similar_cases(&me.id, 1, 20).unwrap();
    let got: Vec<(&str, usize)> = page.cases.iter().map(|s| (s.case.title.as_str(), s.shared.len())).collect();
    assert_eq!(got, [("Shares two", 2), ("Shares one", 1)]);
    assert_eq!(page.total, 2);
    let shared = &page.cases[1].shared[0];
    assert_eq!((shared.type_label.as_str(), shared.value.as_str()), ("Domain", "evil.example.com"));

    f.book.delete_cases(std::slice::from_ref(&two.id)).unwrap();
    assert_eq!(f.book.similar_cases(&me.id, 1, 20).unwrap().total, 1);
    assert_eq!(f.book.similar_cases(&me.id, 0, 20).unwrap_err().code(), "validation");
}

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Extracted observables past a case's cap: ranked (most alerts, then the space's type
//! priority), the rest kept with counts, promoted on request, and the cap set per space.

use std::ops::ControlFlow;

use casebook_core::alerts::AlertFileFormat;
use casebook_core::model::*;
use serde_json::{Value, json};

#[path = "support/fixture.rs"]
mod fixture;
use fixture::{Fixture, fixture};

const HOST: &str = "observable-type-hostname";
const IPV4: &str = "observable-type-ipv4";

/// Alert `i` of 250: one of 10 hosts (25 alerts each), one of 100 source IPs (3 or 2 alerts
/// each) and a destination IP of its own (1 alert): 360 values.
fn alert(i: u32) -> Value {
    json!({
        "kibana.alert.uuid": format!("a{i}"),
        "kibana.alert.rule.name": "R",
        "kibana.alert.workflow_status": "open",
        "host": { "name": format!("h{}", i % 10) },
        "source": { "ip": format!("198.51.{}.1", i % 100) },
        "destination": { "ip": format!("10.0.{}.{}", i / 256, i % 256) },
    })
}

fn ndjson(docs: impl Iterator<Item = Value>) -> String {
    docs.map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

impl Fixture {
    fn case(&self, space: &str, title: &str) -> Case {
        self.book.create_case(space, &CaseCreate { title: title.into(), ..Default::default() }).unwrap()
    }
    fn import(&self, case: &Case, text: &str) -> AlertImportReport {
        self.book
            .import_alerts(&case.id, text.as_bytes(), AlertFileFormat::Ndjson, text.len() as u64, &mut |_| {
                ControlFlow::Continue(())
            })
            .unwrap()
    }
    fn kept(&self, case: &Case) -> Vec<(String, String, Option<i64>)> {
        let mut all: Vec<_> = self
            .book
            .list_observables(&case.id)
            .unwrap()
            .into_iter()
            .map(|o| (o.type_key, o.value, o.alerts))
            .collect();
        all.sort();
        all
    }
    fn left_out(&self, case: &Case) -> LeftOutPage {
        self.book.left_out_observables(&case.id, 1, 500).unwrap()
    }
    fn configure(&self, space: &str, patch: ConfigurationPatch) -> casebook_core::Result<CaseConfiguration> {
        let version = self.book.configuration(space).unwrap().version;
        self.book.update_configuration(space, &ConfigurationPatch { version, ..patch })
    }
}

/// The 40 source IPs that win the tie among the 50 carried by 3 alerts: by value.
fn best_source_ips() -> Vec<String> {
    let mut three: Vec<String> = (0..50).map(|n| format!("198.51.{n}.1")).collect();
    three.sort();
    three.truncate(40);
    three
}

#[test]
fn the_values_most_alerts_carry_are_kept_whatever_order_the_alerts_come_in() {
    let f = fixture();
    let forward = f.case("default", "Forward");
    let r = f.import(&forward, &ndjson((0..250).map(alert)));
    assert_eq!((r.attached, r.observables_added, r.observables_over_limit), (250, 50, 310));

    let mut want: Vec<(String, String, Option<i64>)> =
        (0..10).map(|h| (HOST.to_string(), format!("h{h}"), Some(25))).collect();
    want.extend(best_source_ips().into_iter().map(|ip| (IPV4.to_string(), ip, Some(3))));
    want.sort();
    assert_eq!(f.kept(&forward), want);

    // The same alerts in another order, in two files: the same 50 values.
    let backward = f.case("default", "Backward");
    let r1 = f.import(&backward, &ndjson((0..250).rev().map(alert)));
    assert_eq!(r1.observables_added, 50);
    assert_eq!(f.kept(&backward), want);

    // What was left out is kept with its counts, best ranked first.
    let page = f.left_out(&forward);
    assert_eq!((page.total, page.held, page.max_observables), (310, 50, 50));
    let first: Vec<(&str, i64)> = page.values.iter().take(11).map(|v| (v.type_label.as_str(), v.alerts)).collect();
    assert_eq!(first, [vec![("IPv4", 3); 10], vec![("IPv4", 2)]].concat());
    assert_eq!(page.values.iter().filter(|v| v.alerts == 1).count(), 250);
    let second = f.book.left_out_observables(&forward.id, 2, 300).unwrap();
    assert_eq!((second.values.len(), second.values[0].value.as_str()), (10, page.values[300].value.as_str()));

    // Attaching the same alerts again counts nothing twice.
    let again = f.import(&forward, &ndjson((0..250).map(alert)));
    assert_eq!((again.attached, again.observables_added, again.observables_over_limit), (0, 0, 0));
    assert_eq!(f.kept(&forward), want);
    assert_eq!(f.left_out(&forward).values[0].alerts, 3);

    // New alerts add to the counts of values kept and left out.
    f.import(&forward, &ndjson((250..260).map(alert)));
    assert!(f.kept(&forward).contains(&(HOST.to_string(), "h0".to_string(), Some(26))));
}

#[test]
fn the_space_type_priority_breaks_ties() {
    let f = fixture();
    f.configure("default", ConfigurationPatch { max_observables: Some(1), ..Default::default() }).unwrap();
    let one = json!({"kibana.alert.uuid": "x", "host.name": "web-1", "source.ip": "192.0.2.1"});
    let default_order = f.case("default", "Built-in order");
    f.import(&default_order, &one.to_string());
    assert_eq!(f.kept(&default_order), vec![(IPV4.into(), "192.0.2.1".into(), Some(1))]);

    let config = f
        .configure(
            "default",
            ConfigurationPatch { observable_type_priority: Some(vec![HOST.into()]), ..Default::default() },
        )
        .unwrap();
    assert_eq!(config.observable_type_priority, vec![HOST.to_string()]);
    let hosts_first = f.case("default", "Hosts first");
    f.import(&hosts_first, &one.to_string());
    assert_eq!(f.kept(&hosts_first), vec![(HOST.into(), "web-1".into(), Some(1))]);

    let bad = |keys: &[&str]| {
        let patch = ConfigurationPatch {
            observable_type_priority: Some(keys.iter().map(|k| k.to_string()).collect()),
            ..Default::default()
        };
        let e = f.configure("default", patch).unwrap_err();
        assert_eq!(e.code(), "validation");
        e.to_string()
    };
    assert!(bad(&["no-such-type"]).contains("observable_type_priority[0]"));
    assert!(bad(&[HOST, HOST]).contains("listed twice"));
}

#[test]
fn promoting_replaces_the_lowest_ranked_extracted_value_and_never_the_analysts() {
    let f = fixture();
    let c = f.case("default", "Promote");
    f.import(&c, &ndjson((0..250).map(alert)));
    let lowest_kept = best_source_ips().pop().unwrap();

    let p = f.book.promote_observable(&c.id, "ipv4", "10.0.0.7").unwrap();
    assert_eq!(
        (p.observable.value.as_str(), p.observable.alerts, p.observable.auto_extracted),
        ("10.0.0.7", Some(1), false)
    );
    let replaced = p.replaced.unwrap();
    assert_eq!((replaced.value.as_str(), replaced.alerts), (lowest_kept.as_str(), 3));
    let page = f.left_out(&c);
    assert_eq!((page.total, page.held), (310, 50));
    // The replaced value now heads the left-out list (it ties with 10 others on count and type).
    assert!(page.values.iter().take(11).any(|v| v.value == lowest_kept));
    assert!(!page.values.iter().any(|v| v.value == "10.0.0.7"));
    assert_eq!(f.book.get_case(&c.id).unwrap().total_observables, 50);

    // Only values extracted automatically make room.
    let e = f.book.promote_observable(&c.id, IPV4, "10.0.0.7").unwrap_err();
    assert_eq!(e.code(), "not_found");
    let small = f.case("default", "Full of the analyst's values");
    f.configure("default", ConfigurationPatch { max_observables: Some(1), ..Default::default() }).unwrap();
    f.import(&small, &json!({"kibana.alert.uuid": "s", "host.name": "web-1", "source.ip": "192.0.2.1"}).to_string());
    let kept = f.book.list_observables(&small.id).unwrap().remove(0);
    let input = ObservableInput {
        type_key: kept.type_key.clone(),
        value: kept.value.clone(),
        description: Some("mine".into()),
    };
    f.book.update_observable(&small.id, &kept.id, &input).unwrap();
    let e = f.book.promote_observable(&small.id, HOST, "web-1").unwrap_err();
    assert_eq!(e.code(), "validation");
    assert!(e.to_string().contains("none of them was extracted automatically"), "{e}");
    assert_eq!(f.left_out(&small).total, 1);
}

#[test]
fn the_cap_is_per_space_between_1_and_500_and_raising_it_fills_cases() {
    let f = fixture();
    assert_eq!(f.book.configuration("default").unwrap().max_observables, 50);
    for bad in [0, 501] {
        let e = f
            .configure("default", ConfigurationPatch { max_observables: Some(bad), ..Default::default() })
            .unwrap_err();
        assert!(e.to_string().contains("max_observables") && e.to_string().contains("500"), "{e}");
    }
    let c = f.case("default", "Grows");
    f.import(&c, &ndjson((0..250).map(alert)));
    f.configure("default", ConfigurationPatch { max_observables: Some(100), ..Default::default() }).unwrap();
    let page = f.left_out(&c);
    assert_eq!((page.total, page.held, page.max_observables), (260, 100, 100));
    // The 50 added are the best of the left-out: the other 10 three-alert IPs and 40 two-alert ones.
    let kept = f.kept(&c);
    assert_eq!(kept.iter().filter(|(_, _, n)| *n == Some(3)).count(), 50);
    assert_eq!(kept.iter().filter(|(_, _, n)| *n == Some(2)).count(), 40);

    // Another space keeps Kibana's 50; a lower cap stops adding by hand.
    f.book.create_space("other").unwrap();
    assert_eq!(f.book.configuration("other").unwrap().max_observables, 50);
    f.configure("other", ConfigurationPatch { max_observables: Some(1), ..Default::default() }).unwrap();
    let o = f.case("other", "Tiny");
    let add = |v: &str| {
        f.book.add_observable(&o.id, &ObservableInput { type_key: IPV4.into(), value: v.into(), description: None })
    };
    add("192.0.2.1").unwrap();
    let e = add("192.0.2.2").unwrap_err();
    assert!(e.to_string().contains("at most 1 observables"), "{e}");
}

#[test]
fn removing_alerts_takes_their_share_off_the_counts() {
    let f = fixture();
    let c = f.case("default", "Shrinks");
    f.import(&c, &ndjson((0..250).map(alert)));
    // Alert 7 carries host h7 (25 alerts, kept) and destination 10.0.0.7 (1 alert, left out).
    f.book.remove_alerts(&c.id, &["a7".to_string()]).unwrap();
    assert!(f.kept(&c).contains(&(HOST.to_string(), "h7".to_string(), Some(24))));
    let page = f.left_out(&c);
    assert_eq!(page.total, 309);
    assert!(!page.values.iter().any(|v| v.value == "10.0.0.7"));
    // Source IP 198.51.7.1 was carried by alerts 7, 107 and 207.
    let ip = page.values.iter().find(|v| v.value == "198.51.7.1").map(|v| v.alerts);
    let kept = f.kept(&c).into_iter().find(|(_, v, _)| v == "198.51.7.1").and_then(|(_, _, n)| n);
    assert_eq!(ip.or(kept), Some(2));
}

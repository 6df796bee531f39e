//! Reading the genuine Kibana exports kept beside the repository (../shared/fixtures/real, see
//! its PROVENANCE.md): legacy signals without an id, a search response without hits, a
//! semicolon CSV, and the same alert times from every format.

use std::path::Path;

use casebook_core::alerts::*;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Outcome, read_bytes, utc};

#[path = "../real_fixtures/mod.rs"]
mod real_fixtures;
use real_fixtures::real;

fn read_real(path: &Path) -> Outcome {
    let bytes = std::fs::read(path).unwrap();
    let format = detect_format(path, &bytes[..bytes.len().min(4096)]);
    read_bytes(&bytes, format).unwrap()
}

#[test]
fn real_legacy_signals_without_an_id_get_one_from_their_content() {
    let Some(path) = real("alerts/legacy_cti_signals.source.ndjson") else { return };
    let first = read_real(&path);
    assert!(first.issues.is_empty(), "bare _source signals are alerts: {:?}", first.issues);
    assert_eq!(first.alerts.len(), 2);
    let ids = first.ids();
    assert!(ids.iter().all(|id| id.starts_with("sha256-") && id.len() == 7 + 64), "{ids:?}");
    assert_ne!(ids[0], ids[1]);
    assert_eq!(read_real(&path).ids(), ids, "the same file gives the same ids");
    assert_eq!(first.alerts[0].summary.rule_name.as_deref(), Some("Indicator Match on host.name"));

    // The id does not depend on key order or on dotted versus nested spelling.
    let doc: Value = serde_json::from_str(std::fs::read_to_string(&path).unwrap().lines().next().unwrap()).unwrap();
    let Value::Object(map) = &doc else { panic!() };
    let mut reordered: Vec<(String, Value)> = map.clone().into_iter().collect();
    reordered.reverse();
    let mut reordered: serde_json::Map<String, Value> = reordered.into_iter().collect();
    let signal = reordered.remove("signal").unwrap();
    // Closed in Kibana since the first export: the triage status is not part of the id.
    reordered.insert("signal.status".into(), json!("closed"));
    let mut rest = signal.clone();
    rest.as_object_mut().unwrap().remove("status");
    reordered.insert("signal".into(), rest);
    let line = format!("{}\n", Value::Object(reordered));
    assert_eq!(read_bytes(line.as_bytes(), AlertFileFormat::Ndjson).unwrap().ids(), [ids[0]]);

    // A signal that carries its own id keeps it; a document that is no alert is still refused.
    let own = r#"{"signal":{"id":"sig-1","rule":{"name":"R"}},"@timestamp":"2021-08-04T04:14:58.974Z"}
{"message":"just an event"}
"#;
    let out = read_bytes(own.as_bytes(), AlertFileFormat::Ndjson).unwrap();
    assert_eq!(out.ids(), ["sig-1"]);
    assert_eq!(out.issues.len(), 1);
    assert_eq!(out.issues[0].reason, "no kibana.alert.uuid or _id");
}

#[test]
fn real_search_response_without_hits_says_so() {
    let Some(path) = real("original/elastic-docs-7.7-signals-search-response-example.json") else { return };
    let bytes = std::fs::read(&path).unwrap();
    let error = read_bytes(&bytes, AlertFileFormat::Json).unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("file:"), "{message}");
    assert!(message.contains("no hits") && message.contains("8794") && message.contains("size"), "{message}");
    // A response with hits is read as before.
    assert_eq!(read_real(&real("alerts/all.search.json").unwrap()).alerts.len(), 13);
}

#[test]
fn real_discover_csv_with_semicolons_reads_as_with_commas() {
    let Some(path) = real("alerts/discover.csv") else { return };
    let commas = read_real(&path);
    assert_eq!(commas.alerts.len(), 13);
    let text = std::fs::read_to_string(&path).unwrap().replace("\",\"", "\";\"");
    let semicolons = read_bytes(text.as_bytes(), AlertFileFormat::Csv).unwrap();
    assert!(semicolons.issues.is_empty(), "{:?}", semicolons.issues);
    assert_eq!(semicolons.ids(), commas.ids());
    let summaries = |o: &Outcome| o.alerts.iter().map(|a| a.summary.clone()).collect::<Vec<_>>();
    assert_eq!(summaries(&semicolons), summaries(&commas));
    assert_eq!(semicolons.alerts[2].summary.host.as_deref(), Some("security-linux-1"));
}

#[test]
fn real_alert_times_are_the_same_from_ndjson_json_and_csv() {
    let Some(hits) = real("alerts/all.hits.ndjson") else { return };
    let times = |o: Outcome| -> Vec<(String, Option<DateTime<Utc>>)> {
        o.alerts.into_iter().map(|a| (a.alert_id, a.summary.timestamp)).collect()
    };
    let from_ndjson = times(read_real(&hits));
    assert_eq!(from_ndjson.len(), 13);
    assert!(from_ndjson.iter().all(|(_, t)| t.is_some()));
    assert_eq!(times(read_real(&real("alerts/all.array.json").unwrap())), from_ndjson);
    assert_eq!(times(read_real(&real("alerts/discover.csv").unwrap())), from_ndjson);
    // The event time is kept apart: the first legacy signal was raised 5 s after its event.
    let legacy = &read_real(&hits).alerts[0].summary;
    assert_eq!(legacy.timestamp, Some(utc("2021-08-04T04:14:58.974Z")));
    assert_eq!(legacy.original_time, Some(utc("2021-08-04T04:14:53.490Z")));
    // The CSV has no event-time column: no event time, rather than @timestamp under its name.
    assert_eq!(read_real(&real("alerts/discover.csv").unwrap()).alerts[0].summary.original_time, None);
}

//! End-to-end tests of the `casebook` binary: extracted values past the space's cap are left
//! out with their counts, listed, promoted, and the cap is a space setting; counts in text
//! output have thousands separators.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use serde_json::json;

use support::*;

/// 1,000 alerts: alert `i` on host `h{i % 10}` (100 alerts each) from its own source IP.
fn write_alerts(cb: &Cb) -> String {
    let lines: Vec<String> = (0..1_000)
        .map(|i| {
            json!({"kibana.alert.uuid": format!("a{i}"), "host.name": format!("h{}", i % 10),
                   "source.ip": format!("10.0.{}.{}", i / 256, i % 256)})
            .to_string()
        })
        .collect();
    let path = cb.dir.path().join("wave.ndjson");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn left_out_values_are_listed_and_promoted_and_the_cap_is_a_space_setting() {
    let cb = Cb::new();
    let cid = id(&cb.create("Wave", &[]));
    let file = write_alerts(&cb);
    let text = cb.run(&["alert", "import", &file, "--case", &cid]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("Attached 1,000 alerts."), "{}", text.stdout);
    assert!(text.stdout.contains("Extracted 50 observables."), "{}", text.stdout);
    assert!(text.stdout.contains("960 more values were left out"), "{}", text.stdout);

    // The 10 hosts (100 alerts each) were kept; the IPs tie at 1 alert and are kept by value.
    let kept = cb.ok(&["observable", "list", &cid]);
    let hosts = kept.as_array().unwrap().iter().filter(|o| o["type_key"] == "observable-type-hostname").count();
    assert_eq!(hosts, 10);

    let page = cb.ok(&["observable", "left-out", &cid, "--per-page", "5"]);
    assert_eq!(
        (page["total"].as_u64(), page["held"].as_u64(), page["max_observables"].as_u64()),
        (Some(960), Some(50), Some(50))
    );
    let first = &page["values"][0];
    assert_eq!(first["alerts"], 1);
    let listing = cb.run(&["observable", "left-out", &cid, "--per-page", "5"]);
    assert!(listing.stdout.contains("50 of 50 observables held; 960 values left out."), "{}", listing.stdout);
    assert!(listing.stdout.contains("1–5 of 960 left-out values"), "{}", listing.stdout);

    let value = first["value"].as_str().unwrap();
    let promoted = cb.ok(&["observable", "promote", &cid, "--type", "ipv4", "--value", value]);
    assert_eq!(promoted["observable"]["value"], value);
    assert_eq!(promoted["replaced"]["type_key"], "observable-type-ipv4");
    let (code, _) = cb.fails(&["observable", "promote", &cid, "--type", "ipv4", "--value", value]);
    assert_eq!(code, "not_found");

    // The cap: Kibana's 50 by default, 500 at most; raising it fills the case.
    let (code, msg) = cb.fails(&["settings", "max-observables", "501"]);
    assert_eq!(code, "validation");
    assert!(msg.starts_with("max_observables:") && msg.contains("500"), "{msg}");
    let shown = cb.run(&["settings", "max-observables", "120"]);
    assert!(shown.stdout.contains("observables    at most 120 per case"), "{}", shown.stdout);
    assert_eq!(cb.get(&cid)["total_observables"], 120);
    assert_eq!(cb.ok(&["observable", "left-out", &cid])["total"], 890);

    let config = cb.ok(&["settings", "type-priority", "Hostname", "ipv4"]);
    assert_eq!(config["observable_type_priority"], json!(["observable-type-hostname", "observable-type-ipv4"]));
    let (code, msg) = cb.fails(&["settings", "type-priority", "nonsense"]);
    assert_eq!(code, "validation");
    assert!(msg.starts_with("observable_type_priority[0]:"), "{msg}");
}

//! A TheHive connector from the command line: `connector create --type thehive --set
//! organisation=…` with the API key on stdin, `connector test`, `case set-connector --field
//! tlp=…` and `case push`, against the contract fake TheHive (`cargo build -p casebook-tests
//! --example contract-fakes`, which scripts/test builds first) with a real Secret Service
//! (a throwaway gnome-keyring on a private D-Bus session). A bad `--set` needs neither.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use serde_json::json;
use support::services::{fakes_and_keychain, http_get};
use support::*;

#[test]
fn a_case_is_pushed_to_thehive_from_the_command_line() {
    let Some((fakes, keychain)) = fakes_and_keychain("connector_thehive") else { return };
    let hive = &fakes.ready["thehive"];
    let (url, org, key) =
        (hive["url"].as_str().unwrap(), hive["organisation"].as_str().unwrap(), hive["secret"].as_str().unwrap());
    let cb = Cb::new();

    let set_org = format!("organisation={org}");
    let create = ["connector", "create", "--name", "Hive", "--type", "thehive", "--url", url, "--set", &set_org];
    let mut create = create.to_vec();
    create.push("--secret-stdin");
    let ok = |cb: &Cb, keychain: &support::services::Keychain, args: &[&str], stdin: Option<&str>| {
        keychain.ok(cb, args, stdin, key)
    };
    let c = ok(&cb, &keychain, &create, Some(key));
    assert_eq!(c["kind"], "thehive");
    assert_eq!(c["settings"], json!({"kind": "thehive", "organisation": org}));
    assert_eq!(c["secret_stored"], true);
    let levels: Vec<&str> =
        c["metadata"]["tlps"].as_array().unwrap().iter().map(|t| t["label"].as_str().unwrap()).collect();
    assert_eq!(levels, ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"], "offered without a refresh");
    assert!(!c.to_string().contains(key));

    let tested = ok(&cb, &keychain, &["connector", "test", "Hive"], None);
    assert_eq!(
        tested["message"],
        format!(
            "Connected to TheHive at {url} as Casebook Integration (casebook@thehive.local) in organisation {org}."
        )
    );

    let case = cb.create("Beacon on WS-0142", &["--tag", "c2", "--severity", "critical"]);
    let id = case["id"].as_str().unwrap();
    let set =
        ok(&cb, &keychain, &["case", "set-connector", id, "--connector", "Hive", "--field", "tlp=amber+strict"], None);
    assert_eq!(set["connector"]["type"], ".thehive");
    assert_eq!(set["connector"]["fields"], json!({"tlp": "3"}));
    ok(&cb, &keychain, &["comment", "add", id, "--body", "Isolated WS-0142"], None);

    let pushed = ok(&cb, &keychain, &["case", "push", id], None);
    assert_eq!(pushed["outcome"], "sent", "{pushed}");
    let report = &pushed["report"];
    let title = report["external_title"].as_str().unwrap();
    assert!(title.starts_with('#') && title.ends_with(" Beacon on WS-0142"), "{title}");
    assert_eq!(report["comments_sent"], 1);
    let external = report["external_id"].as_str().unwrap();
    assert_eq!(report["external_url"], format!("{url}/cases/{external}/details"));

    // What TheHive keeps.
    let auth = format!("Bearer {key}");
    let headers = [("Authorization", auth.as_str()), ("X-Organisation", org)];
    let made = http_get(url, &format!("/api/v1/case/{external}"), &headers);
    assert_eq!((&made["title"], &made["severity"], &made["tlp"]), (&json!("Beacon on WS-0142"), &json!(4), &json!(3)));
    assert_eq!(made["tags"], json!(["c2", format!("casebook-{id}")]));
    assert_eq!(made["status"], "New");
    let db = std::fs::read(&cb.db).unwrap();
    assert!(!db.windows(key.len()).any(|w| w == key.as_bytes()), "the key reached the database");

    // A level TheHive does not have is refused with the levels.
    let r = keychain.run(&cb, &["case", "set-connector", id, "--connector", "Hive", "--field", "tlp=WHITE"], None);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let message = r.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(
        message.starts_with(
            "fields.tlp: \"WHITE\" is not offered by Hive; choose one of: CLEAR, GREEN, AMBER, AMBER+STRICT, RED"
        ),
        "{message}"
    );
}

#[test]
fn a_bad_set_names_thehives_settings() {
    let cb = Cb::new();
    let base = ["connector", "create", "--name", "Hive", "--type", "thehive", "--url", "https://hive.example.com"];
    let with = |extra: &[&'static str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        args.push("--secret-stdin");
        args
    };
    let (code, message) = cb.fails_stdin(&with(&["--set", "org=SOC"]), "key");
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("validation", "org: is not a TheHive setting; its settings are organisation")
    );
    let (_, message) = cb.fails_stdin(&with(&["--set", "organisation"]), "key");
    assert_eq!(message, "set: must be NAME=VALUE, e.g. org_id=201 (got \"organisation\")");
    let (_, message) = cb.fails_stdin(&with(&["--project", "SEC"]), "key");
    assert!(message.starts_with("project_key: is not a TheHive setting"), "{message}");
    let (code, message) = cb.fails(&["connector", "create", "--name", "Hive", "--type", ".thehive"]);
    assert_eq!((code.as_str(), message.as_str()), ("validation", "url: is required (--url https://…)"));
    assert_eq!(cb.ok(&["connector", "list"]), json!([]));
}

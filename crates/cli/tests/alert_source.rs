//! `casebook alert-source`: the space's Elasticsearch source, under its name in every layer,
//! and under `source`, the spelling scripts already use.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use support::*;

#[test]
fn alert_source_and_its_older_name_show_the_same() {
    let cb = Cb::new();
    for name in ["alert-source", "source"] {
        let run = cb.run(&[name, "show"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(run.stdout.contains("No Elasticsearch source in space default"), "{name}: {}", run.stdout);
        assert!(run.stdout.contains("casebook alert-source set"), "{name}: {}", run.stdout);
    }
    let help = cb.run(&["--help"]);
    assert!(help.stdout.contains("alert-source"), "{}", help.stdout);
}

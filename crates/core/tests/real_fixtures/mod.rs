//! The genuine Kibana exports kept beside the repository (`../shared/fixtures/real`, see its
//! PROVENANCE.md), for the tests that read them by that path; they are never copied in.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A file of the fixtures, or `None` after a SKIP line in a clone without them;
/// `CASEBOOK_FIXTURES=require` (set by .ci/run) makes their absence a failure instead.
pub fn real(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/real");
    if !dir.is_dir() {
        let why = format!("{} is absent", dir.display());
        assert!(std::env::var("CASEBOOK_FIXTURES").as_deref() != Ok("require"), "CASEBOOK_FIXTURES=require: {why}");
        // Straight to stderr: the test harness would swallow eprintln! of a passing test.
        let _ = writeln!(std::io::stderr(), "fixtures SKIP {name}: {why}");
        return None;
    }
    Some(dir.join(name))
}

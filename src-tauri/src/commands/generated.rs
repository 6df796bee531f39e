//! The permission set written from the command table, committed, and checked by the test below
//! so CI fails when it is stale: `permissions/casebook.toml`, which `capabilities/main.json`
//! grants. Regenerate it with `CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-desktop generated`.
//! (The table's TypeScript client is the core's: casebook_core::api::typescript.)

/// The permission set that capabilities/main.json grants, relative to the workspace root.
pub const PERMISSIONS_PATH: &str = "src-tauri/permissions/casebook.toml";

const REGENERATE: &str = "CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-desktop generated";

/// permissions/casebook.toml: `allow-<name>` (tauri-build's permission of each command) for all.
pub fn permissions() -> String {
    let mut out = format!(
        "# Generated from the command table (crates/core/src/api/table.rs). Do not edit by hand:\n\
         # run `{REGENERATE}`.\n\
         # capabilities/main.json grants this set to the window.\n\
         [[set]]\n\
         identifier = \"casebook-commands\"\n\
         description = \"Every command the Casebook window calls: cases, comments, activity, settings, people, \
         drafts, case numbers, alerts, observables, the Elasticsearch source, connectors and pushes.\"\n\
         permissions = [\n"
    );
    for name in casebook_core::api::COMMANDS {
        out.push_str(&format!("  \"allow-{}\",\n", name.replace('_', "-")));
    }
    out.push_str("]\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn generated_permissions_are_current() {
        let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(super::PERMISSIONS_PATH);
        let fresh = super::permissions();
        if std::env::var_os("CASEBOOK_UPDATE_BINDINGS").is_some() {
            std::fs::write(&file, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(committed == fresh, "{} is stale: run `{}` and commit it", super::PERMISSIONS_PATH, super::REGENERATE);
    }
}

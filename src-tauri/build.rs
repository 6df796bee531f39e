// The app's own commands go under the ACL: tauri-build generates `allow-<name>` for each command
// of the core's table (crates/core/src/api/table.rs), `permissions/casebook.toml` (generated from
// the same table) groups them, `capabilities/main.json` grants them.

/// Keeps only the names of the table; src/commands/mod.rs has the full macro.
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $module:ident :: $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty;
    )*) => {
        const COMMANDS: &[&str] = &[$(stringify!($name)),*];
    };
}

const TABLE: &str = "../crates/core/src/api/table.rs";
include!("../crates/core/src/api/table.rs");

fn main() {
    // The table is outside this package, where cargo does not look for changes by itself.
    println!("cargo:rerun-if-changed={TABLE}");
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}

// The app's own commands go under the ACL: tauri-build generates `allow-<name>` for each name
// in COMMANDS, `permissions/casebook.toml` groups them, `capabilities/main.json` grants them.
include!("src/commands/names.rs");

fn main() {
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}

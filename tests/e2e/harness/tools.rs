//! Finding what the suite runs: the app and CLI binaries of this checkout, tauri-driver,
//! WebKitWebDriver, and (without a `DISPLAY`) Xvfb. Missing pieces are a skip reason, not a panic.

use std::env;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Everything a scenario needs, found once per test process.
#[derive(Debug)]
pub struct Tools {
    /// `casebook-desktop`, built with `--features custom-protocol` (the UI embedded).
    pub app: PathBuf,
    /// The `casebook` CLI of the same checkout.
    pub cli: PathBuf,
    pub tauri_driver: PathBuf,
    pub webkit_driver: PathBuf,
    /// `None`: a `DISPLAY` is set and used as is.
    pub xvfb: Option<PathBuf>,
    /// `dbus-daemon`, for a private session bus per scenario (see `launch`); optional.
    pub dbus_daemon: Option<PathBuf>,
    /// `gnome-keyring-daemon`, the Secret Service of scenarios that store a connector's token.
    pub gnome_keyring: Option<PathBuf>,
}

/// The tools, or why the suite cannot run here (every missing piece, with how to get it).
pub fn tools() -> &'static Result<Tools, String> {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    TOOLS.get_or_init(find)
}

fn find() -> Result<Tools, String> {
    let profile_dir = profile_dir();
    let mut missing = Vec::new();

    let app = override_or("CASEBOOK_E2E_APP", profile_dir.join("casebook-desktop"));
    if !app.is_file() {
        missing.push(format!(
            "the app {} (build it: npm --prefix ui run build && cargo build -p casebook-desktop --features custom-protocol)",
            app.display()
        ));
    }
    let cli = override_or("CASEBOOK_E2E_CLI", profile_dir.join("casebook"));
    if !cli.is_file() {
        missing.push(format!("the CLI {} (build it: cargo build -p casebook-cli)", cli.display()));
    }
    let cargo_bin = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|d| d.join("bin/tauri-driver"));
    let tauri_driver = match env::var_os("TAURI_DRIVER").filter(|v| !v.is_empty()) {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => cargo_bin.filter(|p| p.is_file()).or_else(|| on_path("tauri-driver")),
    };
    if tauri_driver.is_none() {
        missing.push(
            "tauri-driver (install it: cargo install tauri-driver --locked --version '^2'; TAURI_DRIVER names another)"
                .into(),
        );
    }
    let webkit_driver = on_path("WebKitWebDriver").or_else(|| Some(PathBuf::from("/usr/bin/WebKitWebDriver")));
    let webkit_driver = webkit_driver.filter(|p| p.is_file());
    if webkit_driver.is_none() {
        missing.push("WebKitWebDriver (install it: apt-get install webkit2gtk-driver)".into());
    }
    let display_set = env::var_os("DISPLAY").is_some_and(|d| !d.is_empty());
    let xvfb = if display_set { None } else { on_path("Xvfb") };
    if !display_set && xvfb.is_none() {
        missing.push("an X display: DISPLAY is unset and Xvfb is missing (install it: apt-get install xvfb)".into());
    }

    match (tauri_driver, webkit_driver) {
        (Some(tauri_driver), Some(webkit_driver)) if missing.is_empty() => Ok(Tools {
            app,
            cli,
            tauri_driver,
            webkit_driver,
            xvfb,
            dbus_daemon: on_path("dbus-daemon"),
            gnome_keyring: on_path("gnome-keyring-daemon"),
        }),
        _ => Err(format!("missing {}", missing.join("; "))),
    }
}

/// `target/<profile>`: this test binary lives in `target/<profile>/deps/`, which also follows
/// `CARGO_TARGET_DIR` and `--release`.
fn profile_dir() -> PathBuf {
    let exe = env::current_exe().unwrap_or_default();
    exe.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default()
}

fn override_or(var: &str, default: PathBuf) -> PathBuf {
    env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from).unwrap_or(default)
}

fn on_path(name: &str) -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

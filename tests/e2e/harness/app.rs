//! [`App`]: the real Casebook window of one scenario, on its own database and home folder, with
//! helpers that act as a user would: by visible text, labels and roles.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use tempfile::TempDir;

use super::procs::{self, Driver, Owned};
use super::tools::Tools;

/// How long a `wait_*` helper waits before failing.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
/// A WebDriver screenshot taken right after a change can show the previous frame.
const SCREENSHOT_SETTLE: Duration = Duration::from_millis(500);
const PAGE_JS: &str = include_str!("page.js");
/// The W3C key code WebDriver sends for Enter.
pub const ENTER: &str = "\u{E007}";
pub const CONTROL: &str = "\u{E009}";
/// The W3C key code WebDriver sends for Escape.
pub const ESCAPE: &str = "\u{E00C}";
const BACKSPACE: &str = "\u{E003}";
/// Releases the modifier keys pressed so far in one "send keys".
pub const RELEASE: &str = "\u{E000}";

/// One row of the cases table: the case id (`data-case-id`) and each cell's text by column header.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub cells: BTreeMap<String, String>,
}

impl Row {
    /// The text of the column headed `header` ("Name", "Severity", "Status", "Tags"…), or "".
    pub fn cell(&self, header: &str) -> &str {
        self.cells.get(header).map(String::as_str).unwrap_or("")
    }
}

/// The app under test. Field order is drop order: the driver (and with it the app) stops first,
/// then the bus, the display, and last the temporary folder with the database.
pub struct App {
    client: Option<Client>,
    driver: Option<Driver>,
    /// The Secret Service on the bus, for scenarios launched with `launch_with_keychain`.
    keyring: Option<Owned>,
    bus: Option<Owned>,
    _xvfb: Option<Owned>,
    dir: TempDir,
    env: Vec<(String, String)>,
    tools: &'static Tools,
    name: String,
    launches: u32,
    with_keychain: bool,
}

impl App {
    /// A fresh database and home folder, a display, then (see `start`) a private D-Bus session
    /// bus when `dbus-daemon` exists, tauri-driver and a WebDriver session, which starts the app.
    /// `extra_env` is added to (or replaces entries of) the app's and the CLI's environment.
    pub async fn launch(tools: &'static Tools, name: &str, extra_env: &[(&str, &str)]) -> Result<Self> {
        Self::launch_opts(tools, name, extra_env, false, true).await
    }

    /// Like `launch`, with the profile made from the OS account left unconfirmed, as on a
    /// user's first start: the app opens on its first-run dialog.
    pub async fn launch_first_run(tools: &'static Tools, name: &str) -> Result<Self> {
        Self::launch_opts(tools, name, &[], false, false).await
    }

    /// Like `launch`, with a real Secret Service (gnome-keyring, unlocked, its keyring in the
    /// scenario's home folder) on the private bus, so the app can keep tokens in the keychain.
    pub async fn launch_with_keychain(tools: &'static Tools, name: &str, extra_env: &[(&str, &str)]) -> Result<Self> {
        if tools.gnome_keyring.is_none() || tools.dbus_daemon.is_none() {
            bail!("this scenario needs a Secret Service: apt-get install gnome-keyring dbus");
        }
        Self::launch_opts(tools, name, extra_env, true, true).await
    }

    async fn launch_opts(
        tools: &'static Tools,
        name: &str,
        extra_env: &[(&str, &str)],
        with_keychain: bool,
        confirm_profile: bool,
    ) -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("casebook-e2e-").tempdir()?;
        let root = dir.path();
        let home = root.join("home");
        let runtime = root.join("run");
        for d in [home.join(".config"), home.join(".local/share"), home.join(".cache"), runtime.clone()] {
            fs::create_dir_all(&d)?;
        }
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&runtime, fs::Permissions::from_mode(0o700))?;
        }

        let (display, xvfb) = match &tools.xvfb {
            Some(xvfb) => {
                let (display, owned) = procs::start_xvfb(xvfb)?;
                (display, Some(owned))
            }
            None => (std::env::var("DISPLAY").unwrap_or_default(), None),
        };
        let path = |p: &Path| p.display().to_string();
        let mut env: Vec<(String, String)> = vec![
            ("PATH".into(), std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into())),
            ("LANG".into(), "C.UTF-8".into()),
            ("HOME".into(), path(&home)),
            ("XDG_CONFIG_HOME".into(), path(&home.join(".config"))),
            ("XDG_DATA_HOME".into(), path(&home.join(".local/share"))),
            ("XDG_CACHE_HOME".into(), path(&home.join(".cache"))),
            ("XDG_STATE_HOME".into(), path(&home.join(".local/state"))),
            ("XDG_RUNTIME_DIR".into(), path(&runtime)),
            ("CASEBOOK_DB".into(), path(&root.join("casebook.db"))),
            ("DISPLAY".into(), display),
            ("GDK_BACKEND".into(), "x11".into()),
            // No accessibility bus: it would only add start-up time and warnings.
            ("NO_AT_BRIDGE".into(), "1".into()),
            ("RUST_BACKTRACE".into(), "1".into()),
            // No scheduled numbering pass during a scenario (the seconds form delays the first
            // pass too), so cases the CLI writes stay "ID pending" until the scenario numbers
            // them (a case the app creates is numbered at once); a scenario that tests the
            // schedule passes a short interval in `extra_env`.
            ("CASEBOOK_ID_INTERVAL".into(), "3600s".into()),
        ];
        for (key, value) in extra_env {
            env.retain(|(k, _)| k != key);
            env.push(((*key).into(), (*value).into()));
        }
        if let Ok(xauth) = std::env::var("XAUTHORITY")
            && tools.xvfb.is_none()
        {
            env.push(("XAUTHORITY".into(), xauth));
        }

        let mut app = App {
            client: None,
            driver: None,
            keyring: None,
            bus: None,
            _xvfb: xvfb,
            dir,
            env,
            tools,
            name: name.to_owned(),
            launches: 0,
            with_keychain,
        };
        // The profile made from the OS account, confirmed as it is: otherwise the app would
        // open on its first-run dialog asking for the analyst's name.
        if confirm_profile {
            app.cli(&["user", "me", "--confirm"])?;
        }
        app.start().await?;
        Ok(app)
    }

    async fn start(&mut self) -> Result<()> {
        self.launches += 1;
        // The single-instance plugin asks the D-Bus session bus for the app's name. A private
        // bus keeps it away from a Casebook the developer has open (which would take the
        // launch over) and lets a scenario check the hand-over. A new bus per launch: the old
        // bus may not have processed the quit app's disconnect yet, and would still give its
        // name to the quit app, so the relaunched one would hand over to nobody and exit.
        // Without dbus-daemon the variable stays unset: the plugin finds no bus and the app
        // starts without single-instance.
        self.env.retain(|(k, _)| k != "DBUS_SESSION_BUS_ADDRESS");
        if let Some(daemon) = &self.tools.dbus_daemon {
            let socket = self.dir.path().join(format!("run/bus-{}", self.launches));
            let (address, bus) = procs::start_dbus(daemon, &socket)?;
            self.env.push(("DBUS_SESSION_BUS_ADDRESS".into(), address));
            self.bus = Some(bus);
            if let (true, Some(daemon)) = (self.with_keychain, &self.tools.gnome_keyring) {
                // The keyring file stays in the home folder, so a relaunch finds its tokens.
                self.keyring = Some(procs::start_keyring(daemon, &self.env)?);
            }
        }
        let log = self.dir.path().join(format!("driver-{}.log", self.launches));
        let driver = Driver::start(&self.tools.tauri_driver, &self.tools.webkit_driver, &self.env, &log)?;
        let port = driver.port;
        self.driver = Some(driver);

        let mut caps = serde_json::Map::new();
        // No browserName: WebKitWebDriver refuses "wry" ("Failed to match capabilities").
        caps.insert("tauri:options".into(), json!({ "application": self.tools.app.display().to_string() }));
        let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(caps);
        let url = format!("http://127.0.0.1:{port}");
        let connect = builder.connect(&url);
        // A crashing app leaves the new-session request unanswered: bound it.
        let client = match tokio::time::timeout(Duration::from_secs(30), connect).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => bail!("no WebDriver session: {e}\n{}", self.driver_log()),
            Err(_) => bail!("the app did not start within 30 s\n{}", self.driver_log()),
        };
        let url = client.current_url().await?;
        self.client = Some(client);
        if url.scheme().starts_with("http") && url.port() == Some(5173) {
            bail!(
                "{} loads the Vite dev server ({url}): it was built without the UI embedded. \
                 Build it with: npm --prefix ui run build && cargo build -p casebook-desktop --features custom-protocol",
                self.tools.app.display()
            );
        }
        self.wait_for_button("Create case").await.context("the cases page did not appear")?;
        Ok(())
    }

    /// Quits the app (ends the WebDriver session, stops tauri-driver and everything it started,
    /// waiting until they are gone) and starts it again on the same database and home folder.
    pub async fn relaunch(&mut self) -> Result<()> {
        self.quit().await;
        self.start().await
    }

    async fn quit(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), client.close()).await;
        }
        if let Some(mut driver) = self.driver.take() {
            driver.stop();
        }
        self.keyring = None;
        self.bus = None;
    }

    /// Ends the scenario cleanly; dropping the app without it also stops everything.
    pub async fn shutdown(mut self) {
        self.quit().await;
    }

    /// The WebDriver client, for what the helpers don't cover.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the app is running")
    }

    /// The scenario's database file (`CASEBOOK_DB` of the app and of [`App::cli`]).
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("casebook.db")
    }

    /// Whether the app runs with a (private) session bus, so single-instance is active.
    pub fn has_session_bus(&self) -> bool {
        self.bus.is_some()
    }

    /// What tauri-driver, WebKitWebDriver and the app printed last.
    pub fn driver_log(&self) -> String {
        self.driver.as_ref().map(Driver::log_tail).unwrap_or_default()
    }

    // ---- the command line and the app binary on the same database ----

    /// Runs the `casebook` CLI on the scenario's database; fails with its stderr when it fails.
    pub fn cli(&self, args: &[&str]) -> Result<String> {
        let out = Command::new(&self.tools.cli)
            .args(args)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("cannot run {}", self.tools.cli.display()))?;
        if !out.status.success() {
            bail!("casebook {args:?} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr));
        }
        Ok(String::from_utf8(out.stdout)?)
    }

    /// [`App::cli`] with `--json`, parsed.
    pub fn cli_json(&self, args: &[&str]) -> Result<Value> {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.cli(&all)?;
        serde_json::from_str(&text).with_context(|| format!("casebook {args:?} printed no JSON: {text}"))
    }

    /// Starts the app binary a second time, directly (no WebDriver), with the scenario's
    /// environment; returns how it exited, or `None` if it still ran after 10 s (then killed).
    pub fn launch_second_instance(&self) -> Result<Option<ExitStatus>> {
        let mut child = Command::new(&self.tools.app)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        procs::wait_exit(&mut child, Duration::from_secs(10))
    }

    // ---- reading and waiting ----

    /// Runs `script` in the page (`arguments` are `args`) and returns its result.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client().execute(script, args).await?)
    }

    /// Polls `probe` until it returns `Some`, for at most [`TIMEOUT`]. Errors while polling
    /// count as "not yet" (the page may be re-rendering); the last one is reported on timeout.
    pub async fn wait_until<T>(&self, what: &str, mut probe: impl AsyncFnMut() -> Result<Option<T>>) -> Result<T> {
        let deadline = Instant::now() + TIMEOUT;
        let mut last_error = None;
        loop {
            match probe().await {
                Ok(Some(v)) => return Ok(v),
                Ok(None) => {}
                Err(e) => last_error = Some(e),
            }
            if Instant::now() > deadline {
                let why = last_error.map(|e| format!(" (last error: {e:#})")).unwrap_or_default();
                bail!("timed out after {TIMEOUT:?} waiting for {what}{why}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The page's visible text (`innerText` of the body).
    pub async fn page_text(&self) -> Result<String> {
        let v = self.js("return document.body.innerText;", vec![]).await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Waits until the page shows `text`.
    pub async fn wait_for_text(&self, text: &str) -> Result<()> {
        self.wait_until(&format!("the text {text:?}"), async || {
            Ok(self.page_text().await?.contains(text).then_some(()))
        })
        .await
    }

    /// Waits until the page no longer shows `text`.
    pub async fn wait_for_no_text(&self, text: &str) -> Result<()> {
        self.wait_until(&format!("the text {text:?} to go"), async || {
            Ok((!self.page_text().await?.contains(text)).then_some(()))
        })
        .await
    }

    async fn find(&self, kind: &str, name: &str, group: Option<&str>) -> Result<Option<Element>> {
        let script = format!("{PAGE_JS}\nreturn find(arguments[0], arguments[1], arguments[2]);");
        let v = self.js(&script, vec![json!(kind), json!(name), json!(group)]).await?;
        if v.is_null() {
            return Ok(None);
        }
        let id = v
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .ok_or_else(|| anyhow!("not an element: {v}"))?;
        Ok(Some(Element::from_element_id(self.client().clone(), ElementRef::from(id.to_owned()))))
    }

    /// Waits for a shown, enabled button (or tab, or link) named `name`: its `aria-label` or its
    /// text (a trailing count badge, as in "Open 3", is allowed). Outside `group` when `None`;
    /// else inside the group, fieldset, section or dialog named `group`. The page behind an open
    /// modal dialog is inert and never matches.
    pub async fn wait_for_button_in(&self, group: Option<&str>, name: &str) -> Result<Element> {
        let what = match group {
            Some(g) => format!("a button {name:?} in {g:?}"),
            None => format!("a button {name:?}"),
        };
        self.wait_until(&what, async || match self.find("button", name, group).await? {
            Some(b) if b.is_enabled().await? => Ok(Some(b)),
            _ => Ok(None),
        })
        .await
    }

    pub async fn wait_for_button(&self, name: &str) -> Result<Element> {
        self.wait_for_button_in(None, name).await
    }

    /// Clicks the button named `name` (see [`App::wait_for_button_in`]).
    pub async fn click_button(&self, name: &str) -> Result<()> {
        self.wait_for_button(name).await?.click().await.with_context(|| format!("click {name:?}"))
    }

    /// Clicks the button named `name` inside the group (or dialog, section…) named `group`.
    pub async fn click_button_in(&self, group: &str, name: &str) -> Result<()> {
        self.wait_for_button_in(Some(group), name)
            .await?
            .click()
            .await
            .with_context(|| format!("click {name:?} in {group:?}"))
    }

    /// Whether the toggle button `name` in `group` is pressed (`aria-pressed`).
    pub async fn is_pressed(&self, group: &str, name: &str) -> Result<bool> {
        let b = self.wait_for_button_in(Some(group), name).await?;
        Ok(b.attr("aria-pressed").await?.as_deref() == Some("true"))
    }

    /// Waits for the form field labelled `label` (a `<label>`, `aria-label` or `aria-labelledby`).
    pub async fn field(&self, label: &str) -> Result<Element> {
        self.wait_until(&format!("a field labelled {label:?}"), async || self.find("field", label, None).await).await
    }

    /// Replaces the content of the field labelled `label` with `text`, typed key by key
    /// (a `\n` is typed as Enter, so only put newlines in text areas).
    pub async fn type_into(&self, label: &str, text: &str) -> Result<()> {
        let field = self.field(label).await?;
        // Select all, then delete, as a user would: WebDriver's "clear" sets the value behind
        // React's back, and React puts the old value back on the next render.
        if !field.prop("value").await?.unwrap_or_default().is_empty() {
            field
                .send_keys(&format!("{CONTROL}a{RELEASE}{BACKSPACE}"))
                .await
                .with_context(|| format!("clear {label:?}"))?;
        }
        // WebDriver's "send keys" focuses the field itself; a newline is the Enter key.
        field.send_keys(&text.replace('\n', ENTER)).await.with_context(|| format!("type into {label:?}"))?;
        let value = field.prop("value").await?.unwrap_or_default();
        if value != text {
            bail!("the field {label:?} holds {value:?} after typing {text:?}");
        }
        Ok(())
    }

    /// Types `keys` at the end of the field labelled `label` (e.g. a tag, then [`ENTER`]).
    pub async fn press_keys(&self, label: &str, keys: &str) -> Result<()> {
        let field = self.field(label).await?;
        field.send_keys(keys).await.with_context(|| format!("type into {label:?}"))
    }

    /// Chooses the option shown as `option` in the select labelled `label`.
    pub async fn select(&self, label: &str, option: &str) -> Result<()> {
        let field = self.field(label).await?;
        field.select_by_label(option).await.with_context(|| format!("choose {option:?} in {label:?}"))
    }

    /// The rows of the table shown now (none when no table is shown, e.g. the empty state).
    pub async fn rows(&self) -> Result<Vec<Row>> {
        let script = format!("{PAGE_JS}\nreturn table();");
        let v = self.js(&script, vec![]).await?;
        let Some(rows) = v.get("rows").and_then(Value::as_array) else { return Ok(Vec::new()) };
        Ok(rows
            .iter()
            .map(|r| Row {
                id: r["id"].as_str().unwrap_or_default().to_owned(),
                cells: r["cells"]
                    .as_object()
                    .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
                    .unwrap_or_default(),
            })
            .collect())
    }

    /// Waits until the table's rows satisfy `ok`, and returns them.
    pub async fn wait_for_rows(&self, what: &str, ok: impl Fn(&[Row]) -> bool) -> Result<Vec<Row>> {
        let rows = self
            .wait_until(what, async || {
                let rows = self.rows().await?;
                Ok(ok(&rows).then_some(rows))
            })
            .await;
        match rows {
            Ok(rows) => Ok(rows),
            Err(e) => Err(e.context(format!("the table shows: {:?}", self.rows_summary().await))),
        }
    }

    /// Waits until the table shows exactly the cases whose titles are `titles` (any order).
    pub async fn wait_for_titles(&self, titles: &[&str]) -> Result<Vec<Row>> {
        let mut want: Vec<&str> = titles.to_vec();
        want.sort_unstable();
        let what = format!("the table to show exactly {want:?}");
        let rows = self
            .wait_until(&what, async || {
                let rows = self.rows().await?;
                let mut got: Vec<&str> = Vec::new();
                for r in &rows {
                    match want.iter().find(|t| r.cell("Name").starts_with(**t)) {
                        Some(t) => got.push(t),
                        None => return Ok(None),
                    }
                }
                got.sort_unstable();
                Ok((got == want).then_some(rows))
            })
            .await;
        match rows {
            Ok(rows) => Ok(rows),
            Err(e) => Err(e.context(format!("the table shows: {:?}", self.rows_summary().await))),
        }
    }

    async fn rows_summary(&self) -> Vec<String> {
        self.rows().await.unwrap_or_default().into_iter().map(|r| r.cell("Name").to_owned()).collect()
    }

    // ---- screenshots ----

    /// Saves a PNG of the window as `<CASEBOOK_E2E_SCREENSHOTS>/<name>.png` when that variable
    /// is set (after a short settle: a screenshot right after a change can show the old frame).
    pub async fn screenshot(&self, name: &str) -> Result<Option<PathBuf>> {
        let Some(dir) = std::env::var_os("CASEBOOK_E2E_SCREENSHOTS").filter(|d| !d.is_empty()) else {
            return Ok(None);
        };
        tokio::time::sleep(SCREENSHOT_SETTLE).await;
        let png = self.client().screenshot().await?;
        let dir = PathBuf::from(dir);
        fs::create_dir_all(&dir)?;
        let file = dir.join(format!("{name}.png"));
        fs::write(&file, png)?;
        Ok(Some(file))
    }

    /// What to print when a scenario fails: its name, the visible text, the app's last log lines,
    /// and a screenshot when `CASEBOOK_E2E_SCREENSHOTS` is set.
    pub async fn failure_report(&self) -> String {
        let shot = match self.client {
            Some(_) => self.screenshot(&format!("failed-{}", self.name)).await.ok().flatten(),
            None => None,
        };
        let text = match self.client {
            Some(_) => self.page_text().await.unwrap_or_else(|e| format!("(unreadable: {e})")),
            None => "(no session)".into(),
        };
        let text: String = text.chars().take(2000).collect();
        let shot = shot.map(|p| format!("\nscreenshot: {}", p.display())).unwrap_or_default();
        format!("--- page text ---\n{text}\n--- driver/app log ---\n{}{shot}", self.driver_log())
    }
}

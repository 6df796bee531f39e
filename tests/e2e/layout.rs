//! The screens fit the windows analysts work in: at 1280×800 the cases table shows at least
//! twelve one-line rows; at 1024×700 it needs no horizontal scroll and still shows Severity and
//! Status; the case page's tabs sit under its header so a tab gets the height. The same in the
//! dark theme. Screenshots of both sizes and themes are saved with `CASEBOOK_E2E_SCREENSHOTS`
//! (home.png, home-1024.png, case-view.png, home-dark.png, …).

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

use crate::harness::{App, scenario, scenario_with_env};

/// Long titles, several tags and assignees: what makes rows wrap when the layout lets them.
const CASES: [(&str, &str, &[&str]); 16] = [
    (
        "Credential phishing wave targeting finance and payroll teams across EMEA",
        "high",
        &["phishing", "okta", "finance"],
    ),
    (
        "Ransomware note on file server FS-02 after a weekend of lateral movement",
        "critical",
        &["ransomware", "lockbit"],
    ),
    ("Cobalt Strike beacon on build host", "critical", &["c2", "cobalt-strike", "build", "linux"]),
    ("Impossible travel for okta admin account", "medium", &["identity", "okta"]),
    ("Leaked AWS access key in public repository", "high", &["secrets", "aws", "github"]),
    ("Brute force against VPN gateway", "low", &["vpn", "brute-force"]),
    ("Suspicious OAuth consent grant in M365", "high", &["oauth", "m365"]),
    ("Mimikatz executed on domain controller DC-01", "critical", &["credential-access", "windows"]),
    ("Unusual outbound DNS volume from kiosk subnet", "medium", &["dns", "exfiltration"]),
    ("Malicious macro in invoice attachment", "high", &["phishing", "malware"]),
    ("Disabled EDR sensor on three laptops", "high", &["edr", "defense-evasion"]),
    ("New local admin created on jump host", "medium", &["persistence", "windows"]),
    ("Tor exit node connections from HR workstation", "low", &["tor", "network"]),
    ("Privilege escalation via sudo misconfiguration", "medium", &["linux", "privilege-escalation"]),
    ("Web shell uploaded to staging server", "critical", &["webshell", "initial-access"]),
    ("Data staged in unusual archive on finance share", "high", &["collection", "finance"]),
];

/// The table as the user sees it: how many rows are wholly inside the window, their heights,
/// the headers, and whether anything scrolls sideways.
const MEASURE: &str = r#"
const t = [...document.querySelectorAll("table")].find((t) => t.offsetParent !== null);
if (!t) return null;
const rows = [...t.querySelectorAll("tbody tr")];
const visible = rows.filter((r) => { const b = r.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; });
let sideways = document.scrollingElement.scrollWidth > innerWidth;
for (let el = t.parentElement; el; el = el.parentElement) {
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") sideways = true;
}
return {
  width: innerWidth, height: innerHeight,
  visible: visible.length,
  heights: rows.map((r) => Math.round(r.getBoundingClientRect().height)),
  headers: [...t.querySelectorAll("thead th")].map((th) => th.innerText.trim()).filter((h) => h !== ""),
  sideways,
  filtersHeight: Math.round(document.querySelector("[role=group][aria-label=Filters]").getBoundingClientRect().height),
  tableRight: Math.round(t.getBoundingClientRect().right),
};
"#;

async fn measure(app: &App) -> Result<Value> {
    let m = app.js(MEASURE, vec![]).await?;
    ensure!(!m.is_null(), "no table is shown");
    Ok(m)
}

async fn resize(app: &App, width: u32, height: u32) -> Result<()> {
    app.client().set_window_size(width, height).await.context("resize the window")?;
    app.wait_until(&format!("the window to be {width}×{height}"), async || {
        let size = app.js("return [innerWidth, innerHeight];", vec![]).await?;
        Ok((size == json!([width, height])).then_some(()))
    })
    .await
}

/// The case page at its size: the tab list's top edge and the description's place (inside
/// the Activity tab's panel, so other tabs get the height).
const CASE_PAGE: &str = r#"
const tabs = document.querySelector("[role=tablist]");
const panel = document.querySelector("[role=tabpanel]");
if (!tabs || !panel) return null;
return {
  tabsTop: Math.round(tabs.getBoundingClientRect().top),
  panelTop: Math.round(panel.getBoundingClientRect().top),
  descriptionInPanel: panel.innerText.includes("Steps so far"),
  sideways: document.scrollingElement.scrollWidth > innerWidth,
};
"#;

/// The cases, every third one with two assignees; the first has a description. Returns its id.
fn seed_cases(app: &App) -> Result<String> {
    app.cli(&["user", "add", "jdoe", "--full-name", "Jane Doe"])?;
    app.cli(&["user", "add", "msmith", "--full-name", "Mark Smith"])?;
    let mut first = String::new();
    for (i, (title, severity, tags)) in CASES.iter().enumerate() {
        let mut args = vec!["case", "create", "--title", title, "--severity", severity];
        for t in *tags {
            args.extend(["--tag", t]);
        }
        if i % 3 == 0 {
            args.extend(["--assignee", "jdoe", "--assignee", "msmith"]);
        }
        if i == 0 {
            args.extend([
                "--description",
                "Steps so far:\n\n- Reset the **finance** passwords\n- Block the sender domain",
            ]);
        }
        let made = app.cli_json(&args)?;
        if i == 0 {
            first = made["id"].as_str().context("the new case's id")?.to_string();
        }
    }
    app.cli(&["ids", "assign"])?;
    Ok(first)
}

/// Every check of this file at 1280×800 then 1024×700; screenshots are named with `suffix`
/// ("" or "-dark").
async fn check_every_size(app: &App, suffix: &str) -> Result<()> {
    let first = seed_cases(app)?;
    let titles: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    app.wait_for_titles(&titles).await?;

    resize(app, 1280, 800).await?;
    let m = measure(app).await?;
    let visible = m["visible"].as_u64().unwrap_or(0);
    ensure!(visible >= 12, "only {visible} whole rows are visible at 1280×800: {m}");
    let heights: Vec<u64> = m["heights"].as_array().into_iter().flatten().filter_map(Value::as_u64).collect();
    let (low, high) = (heights.iter().min().copied().unwrap_or(0), heights.iter().max().copied().unwrap_or(0));
    ensure!(high <= 44 && high - low <= 2, "rows are not one line each (heights {heights:?})");
    ensure!(!m["sideways"].as_bool().unwrap_or(true), "the table scrolls sideways at 1280×800: {m}");
    ensure!(m["filtersHeight"].as_u64().unwrap_or(u64::MAX) <= 40, "the filters take more than one row: {m}");
    // Assignees show as people, not user ids: the full name is there on hover.
    let named = app
        .js(
            r#"return [...document.querySelectorAll("tbody [title]")].some((e) => e.title.includes("Jane Doe"));"#,
            vec![],
        )
        .await?;
    ensure!(named == json!(true), "no assignee shows Jane Doe's name on hover");
    app.screenshot(&format!("home{suffix}")).await?;

    resize(app, 1024, 700).await?;
    // Columns drop once the table has seen its new width.
    let m = app
        .wait_until("the table to fit 1024×700 without sideways scroll", async || {
            let m = measure(app).await?;
            Ok((m["sideways"] == json!(false)).then_some(m))
        })
        .await?;
    ensure!(m["tableRight"].as_u64().unwrap_or(u64::MAX) <= 1024, "the table is wider than the window: {m}");
    ensure!(
        m["filtersHeight"].as_u64().unwrap_or(u64::MAX) <= 40,
        "the filters take more than one row at 1024×700: {m}"
    );
    let headers: Vec<&str> = m["headers"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    for kept in ["Severity", "Status"] {
        ensure!(headers.iter().any(|h| h.starts_with(kept)), "{kept} is gone at 1024×700: {headers:?}");
    }
    app.screenshot(&format!("home-1024{suffix}")).await?;

    // The case page: tabs right under the header, the description in the Activity tab.
    app.js(&format!("location.hash = '#/cases/{first}';"), vec![]).await?;
    for (width, height) in [(1280, 800), (1024, 700)] {
        resize(app, width, height).await?;
        let page = app
            .wait_until("the case page's tabs", async || {
                let v = app.js(CASE_PAGE, vec![]).await?;
                Ok((!v.is_null() && v["descriptionInPanel"] == json!(true)).then_some(v))
            })
            .await?;
        let top = page["tabsTop"].as_u64().unwrap_or(u64::MAX);
        ensure!(top <= 240, "the tabs start {top} px down at {width}×{height}: {page}");
        ensure!(!page["sideways"].as_bool().unwrap_or(true), "the case page scrolls sideways at {width}×{height}");
        let name = if width == 1280 { format!("case-view{suffix}") } else { format!("case-view-1024{suffix}") };
        app.screenshot(&name).await?;
    }

    // Settings and the create dialog fit the small window: no sideways scroll, and the dialog's
    // buttons inside the window.
    app.click_button("Settings").await?;
    app.click_button_in("Settings sections", "Custom fields").await?;
    app.wait_for_button("Add field").await?;
    for (width, height) in [(1280, 800), (1024, 700)] {
        resize(app, width, height).await?;
        let sideways = app.js("return document.scrollingElement.scrollWidth > innerWidth;", vec![]).await?;
        ensure!(sideways == json!(false), "Settings scrolls sideways at {width}×{height}");
        let tag = if width == 1280 { "" } else { "-1024" };
        app.screenshot(&format!("settings{tag}{suffix}")).await?;
    }
    app.click_button("Cases").await?;
    app.click_button("Create case").await?;
    let bottom = app
        .wait_until("the create dialog", async || {
            let v = app
                .js(
                    "const b = [...document.querySelectorAll('[role=dialog] button')].find((b) => b.innerText.trim() === 'Create case');\
                     return b ? Math.round(b.getBoundingClientRect().bottom) : null;",
                    vec![],
                )
                .await?;
            Ok(v.as_u64())
        })
        .await?;
    ensure!(bottom <= 700, "the create dialog's Create button ends at {bottom} px, below the 700 px window");
    app.screenshot(&format!("create-case-1024{suffix}")).await?;
    Ok(())
}

#[test]
fn the_cases_table_is_dense_at_1280_and_fits_1024_without_sideways_scroll() {
    scenario("dense_cases_table", async |app: &mut App| check_every_size(app, "").await);
}

/// The same in the dark theme: WebKitGTK takes the GTK theme's dark variant as
/// `prefers-color-scheme: dark`, which the app's colours follow.
#[test]
fn the_same_screens_in_the_dark_theme() {
    scenario_with_env("dense_cases_table_dark", &[("GTK_THEME", "Adwaita:dark")], async |app: &mut App| {
        let dark = app.js("return matchMedia('(prefers-color-scheme: dark)').matches;", vec![]).await?;
        ensure!(dark == json!(true), "the webview does not report the dark theme");
        check_every_size(app, "-dark").await
    });
}

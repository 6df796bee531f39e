//! The screens fit the windows analysts work in: at 1280×800 the cases table shows at least
//! twelve one-line rows; at 1024×700 it needs no horizontal scroll and still shows Severity and
//! Status; the case page's tabs sit under its header so a tab gets the height. Screenshots of
//! both sizes are saved with `CASEBOOK_E2E_SCREENSHOTS` (home.png, home-1024.png, …).

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

use crate::harness::{App, scenario};

/// Long titles, several tags and assignees: what makes rows wrap when the layout lets them.
const CASES: [(&str, &str, &[&str]); 16] = [
    ("Credential phishing wave targeting finance and payroll teams across EMEA", "high", &["phishing", "okta", "finance"]),
    ("Ransomware note on file server FS-02 after a weekend of lateral movement", "critical", &["ransomware", "lockbit"]),
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

#[test]
fn the_cases_table_is_dense_at_1280_and_fits_1024_without_sideways_scroll() {
    scenario("dense_cases_table", async |app: &mut App| {
        app.cli(&["user", "add", "jdoe", "--full-name", "Jane Doe"])?;
        app.cli(&["user", "add", "msmith", "--full-name", "Mark Smith"])?;
        for (i, (title, severity, tags)) in CASES.iter().enumerate() {
            let mut args = vec!["case", "create", "--title", title, "--severity", severity];
            for t in *tags {
                args.extend(["--tag", t]);
            }
            if i % 3 == 0 {
                args.extend(["--assignee", "jdoe", "--assignee", "msmith"]);
            }
            app.cli(&args)?;
        }
        app.cli(&["ids", "assign"])?;
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
        // Assignees show as people, not user ids: the full name is there on hover.
        let named = app
            .js(r#"return [...document.querySelectorAll("tbody [title]")].some((e) => e.title.includes("Jane Doe"));"#, vec![])
            .await?;
        ensure!(named == json!(true), "no assignee shows Jane Doe's name on hover");
        app.screenshot("home").await?;

        resize(app, 1024, 700).await?;
        let m = measure(app).await?;
        ensure!(!m["sideways"].as_bool().unwrap_or(true), "the table scrolls sideways at 1024×700: {m}");
        ensure!(m["tableRight"].as_u64().unwrap_or(u64::MAX) <= 1024, "the table is wider than the window: {m}");
        let headers: Vec<&str> = m["headers"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        for kept in ["Severity", "Status"] {
            ensure!(headers.iter().any(|h| h.starts_with(kept)), "{kept} is gone at 1024×700: {headers:?}");
        }
        app.screenshot("home-1024").await?;
        Ok(())
    });
}

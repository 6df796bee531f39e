//! Alerts and observables: alerts attached from a file (through the command the drop zone and
//! "Attach alerts…" call, since a native file dialog cannot be driven), seen in the Alerts tab,
//! the header and the home table; the observables extracted from them; and a similar case.

use std::path::PathBuf;

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

use crate::harness::{App, scenario};
use crate::seed;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/core/tests/fixtures/alerts")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Calls the app's `import_alerts` command from the page, as the drop zone does.
async fn import_from_page(app: &App, case_id: &str, path: &str) -> Result<Value> {
    let script = "const done = arguments[arguments.length - 1];
        window.__TAURI_INTERNALS__.invoke('import_alerts', { caseId: arguments[0], path: arguments[1], importId: 'e2e-import' })
            .then((report) => done({ report }), (error) => done({ error }));";
    let out = app.client().execute_async(script, vec![json!(case_id), json!(path)]).await?;
    ensure!(out.get("error").is_none(), "import_alerts failed: {out}");
    out.get("report").cloned().context("no report")
}

#[test]
fn alerts_from_a_file_show_in_the_case_with_observables_and_a_similar_case() {
    scenario("alerts_and_observables", async |app: &mut App| {
        let target = seed::case(app, "SSH brute force on web tier", "high", &[], None)?;
        let other = seed::case(app, "Earlier incident on web-01", "medium", &[], None)?;
        seed::case(app, "Unrelated phishing", "low", &[], None)?;
        app.cli(&["observable", "add", &other, "--type", "hostname", "--value", "web-01"])?;
        app.wait_for_titles(&["SSH brute force on web tier", "Earlier incident on web-01", "Unrelated phishing"])
            .await?;

        app.click_button("SSH brute force on web tier").await?;
        app.wait_for_button("Alerts (0)").await?;
        let report = import_from_page(app, &target, &fixture("modern.ndjson")).await?;
        ensure!(report["attached"] == 6, "{report}");

        // The tab counts and the header follow without a reload (db-changed).
        app.click_button("Alerts (6)").await?;
        app.wait_for_text("Potential SSH Brute Force Detected").await?;
        app.wait_for_text("Suspicious PowerShell Encoded Command").await?;
        app.wait_for_text("Hosts").await?;
        let text = app.page_text().await?;
        ensure!(text.contains("web-01"), "the host column shows web-01");
        app.screenshot("alerts-tab").await?;

        // Extracted observables, and the case that shares one.
        let extracted = report["observables_added"].as_u64().context("observables_added")?;
        ensure!(extracted > 0, "{report}");
        app.click_button(&format!("Observables ({extracted})")).await?;
        app.wait_for_text("Auto extracted observable").await?;
        app.wait_for_text("web-01").await?;
        app.screenshot("observables-tab").await?;
        app.click_button("Similar cases (1)").await?;
        app.wait_for_text("Earlier incident on web-01").await?;
        app.wait_for_text("Shares 1 observable").await?;
        app.screenshot("alerts-similar").await?;

        // Back home, the Alerts column counts them.
        app.js("window.location.hash = '#/cases';", vec![]).await?;
        let rows = app
            .wait_for_rows("the alerts count in the table", |rows| {
                rows.iter()
                    .any(|r| r.cell("Name").starts_with("SSH brute force on web tier") && r.cell("Alerts") == "6")
            })
            .await?;
        ensure!(rows.iter().any(|r| r.cell("Name").starts_with("Unrelated phishing") && r.cell("Alerts") == "0"));
        Ok(())
    });
}

#[test]
fn values_past_the_spaces_cap_are_left_out_with_counts_and_promoted() {
    scenario("observables_left_out", async |app: &mut App| {
        let target = seed::case(app, "Beaconing hosts", "high", &[], None)?;
        app.cli(&["settings", "max-observables", "3"])?;
        app.wait_for_titles(&["Beaconing hosts"]).await?;
        app.click_button("Beaconing hosts").await?;
        app.wait_for_button("Alerts (0)").await?;
        let report = import_from_page(app, &target, &fixture("modern.ndjson")).await?;
        ensure!(report["observables_added"] == 3, "{report}");
        let left = report["observables_over_limit"].as_u64().context("observables_over_limit")?;
        ensure!(left > 0, "{report}");

        app.click_button("Observables (3)").await?;
        app.click_button(&format!("Left out ({left})")).await?;
        app.wait_for_text("Promoting one replaces the lowest ranked value that was extracted automatically").await?;
        app.screenshot("observables-left-out").await?;

        // The best ranked left-out value takes the place of the lowest ranked extracted one.
        let page = app.cli_json(&["observable", "left-out", &target])?;
        let first = &page["values"][0];
        let (label, value) =
            (first["type_label"].as_str().context("type_label")?, first["value"].as_str().context("value")?);
        app.click_button(&format!("Promote {label} {value}")).await?;
        app.wait_for_text(&format!("{label} {value} was added to the case. The case was full")).await?;
        let kept = app.cli_json(&["observable", "list", &target])?;
        let kept = kept.as_array().context("observable list")?;
        ensure!(kept.len() == 3 && kept.iter().any(|o| o["value"] == value), "{kept:?}");
        Ok(())
    });
}

//! The Analytics page on ten weeks of seeded history: its figures agree with `casebook metrics`,
//! its charts draw under the app's CSP, each has a table view, the scope and breakdown switch,
//! and "View cases" and the top lists open the cases list with the same filters.

use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, ensure};
use casebook_core::Casebook;
use casebook_core::model::{
    Assignee, CaseCreate, CasePatch, ConfigurationPatch, Severity, SlaTarget, Status, UserInput,
};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::harness::{App, scenario, scenario_with_env};

const TITLES: [&str; 6] = [
    "Credential phishing wave targeting finance",
    "Cobalt Strike beacon on build host",
    "Impossible travel for okta admin",
    "Brute force against VPN gateway",
    "Leaked AWS key in public repository",
    "Ransomware note on file server",
];
const TAGS: [&str; 5] = ["phishing", "c2", "identity", "vpn", "cloud"];

/// Ten weeks of work in the app's database, written with a clock that walks up to now: two
/// cases a day (three in four in the default space, the rest in "soc"), most acknowledged within
/// hours and closed within days, one in seven reopened.
fn seed_history(app: &App) -> Result<()> {
    enum Step {
        Create(i64),
        Status(i64, Status),
    }
    let now = Utc::now();
    let start = now - Duration::days(70);
    let mut steps: Vec<(DateTime<Utc>, Step)> = Vec::new();
    for i in 0..140i64 {
        let born = start + Duration::hours(12 * i);
        steps.push((born, Step::Create(i)));
        let acked = born + Duration::hours(1 + (i * 7) % 20);
        let closed = acked + Duration::hours(6 + (i * 13) % 90);
        if i % 6 != 0 {
            steps.push((acked, Step::Status(i, Status::InProgress)));
        }
        if i % 5 != 0 {
            steps.push((closed, Step::Status(i, Status::Closed)));
            if i % 7 == 0 {
                steps.push((closed + Duration::hours(20), Step::Status(i, Status::Open)));
            }
        }
    }
    steps.retain(|(t, _)| *t < now);
    steps.sort_by_key(|(t, _)| *t);

    let mut book = Casebook::open(app.db_path())?;
    let clock = Arc::new(Mutex::new(start));
    let c = clock.clone();
    book.set_clock(Arc::new(move || *c.lock().unwrap_or_else(|p| p.into_inner())));
    book.create_space("soc")?;
    book.add_user(&UserInput { username: "ana".into(), full_name: Some("Ana Ruiz".into()), email: None })?;
    let mut cases = std::collections::HashMap::new();
    for (t, step) in steps {
        *clock.lock().unwrap_or_else(|p| p.into_inner()) = t;
        match step {
            Step::Create(i) => {
                let space = if i % 4 == 3 { "soc" } else { "default" };
                let severities = [Severity::Low, Severity::Medium, Severity::High, Severity::Critical];
                let input = CaseCreate {
                    title: format!("{} {}", TITLES[(i % 6) as usize], i),
                    severity: Some(severities[(i % 4) as usize]),
                    tags: vec![TAGS[(i % 5) as usize].into()],
                    assignees: if i % 3 == 0 { vec![] } else { vec![Assignee { uid: "ana".into() }] },
                    ..Default::default()
                };
                cases.insert(i, (space, book.create_case(space, &input)?));
            }
            Step::Status(i, status) => {
                let (space, case) = cases.get(&i).context("a seeded case")?.clone();
                let changed = book.update_cases(space, &[patch(&case, status)])?.remove(0);
                cases.insert(i, (space, changed));
            }
        }
    }
    book.assign_ids()?;
    // Targets the seeded history partly misses: critical acknowledged within 4 h and resolved
    // within a day, high resolved within 3 days.
    let version = book.configuration("default")?.version;
    let sla = vec![
        SlaTarget { severity: Severity::Critical, acknowledge_seconds: Some(4 * 3600), resolve_seconds: Some(86_400) },
        SlaTarget { severity: Severity::High, acknowledge_seconds: None, resolve_seconds: Some(3 * 86_400) },
    ];
    book.update_configuration("default", &ConfigurationPatch { version, sla: Some(sla), ..Default::default() })?;
    Ok(())
}

fn patch(c: &casebook_core::model::Case, status: Status) -> CasePatch {
    CasePatch { id: c.id.clone(), version: c.version.clone(), status: Some(status), ..Default::default() }
}

/// The key figures as shown ("Opened" → "93").
async fn kpis(app: &App) -> Result<Value> {
    app.js(
        "const d = document.querySelector('[aria-label=\"Key figures\"]'); if (!d) return null;\
         return Object.fromEntries([...d.querySelectorAll('.metric')].map((m) => \
           [m.querySelector('dt').textContent.trim(), m.querySelector('dd').firstChild.textContent.trim()]));",
        vec![],
    )
    .await
}

/// Each chart card by its id: whether it drew an SVG, and its table's row count when shown.
async fn charts(app: &App) -> Result<Value> {
    app.js(
        "return Object.fromEntries([...document.querySelectorAll('[data-chart]')].map((c) => [c.dataset.chart, \
           { svg: !!c.querySelector('svg path'), rows: c.querySelectorAll('tbody tr').length, \
             empty: !!c.querySelector('.chart-empty') }]));",
        vec![],
    )
    .await
}

fn opened_by_cli(app: &App, args: &[&str]) -> Result<i64> {
    let mut all = vec!["metrics", "--last", "30d", "--interval", "day"];
    all.extend_from_slice(args);
    let m = app.cli_json(&all)?;
    Ok(m["trend"].as_array().context("trend")?.iter().filter_map(|b| b["opened"].as_i64()).sum())
}

#[test]
fn the_analytics_page_charts_ten_weeks_of_history() {
    scenario("analytics_page", async |app: &mut App| {
        seed_history(app)?;
        app.click_button("Analytics").await?;
        let want = opened_by_cli(app, &[])?;
        ensure!(want > 20, "the seeded history opens cases in the last 30 days ({want})");
        let figures = app
            .wait_until("the key figures", async || {
                let k = kpis(app).await?;
                Ok((k["Opened"] == json!(want.to_string())).then_some(k))
            })
            .await?;
        ensure!(figures["Time to resolve"] != json!("—"), "a time to resolve is shown: {figures}");

        // Every chart with data draws an SVG (ECharts under the app's CSP).
        let drawn = app
            .wait_until("the charts to draw", async || {
                let c = charts(app).await?;
                let ok =
                    ["cases-flow", "backlog", "timing", "age", "throughput"].iter().all(|k| c[k]["svg"] == json!(true));
                Ok(ok.then_some(c))
            })
            .await?;
        ensure!(drawn["alerts"]["empty"] == json!(true), "no alerts were attached: {drawn}");
        ensure!(drawn["sla-weekly"]["svg"] == json!(true), "the weekly SLA share is drawn: {drawn}");
        app.screenshot("analytics").await?;

        // The table view of the flow chart: one row per day of the range.
        app.js("document.querySelector('[data-chart=\"cases-flow\"] [aria-pressed]').click();", vec![]).await?;
        let rows = app
            .wait_until("the flow table", async || {
                let n = charts(app).await?["cases-flow"]["rows"].as_i64().unwrap_or(0);
                Ok((n > 0).then_some(n))
            })
            .await?;
        ensure!((30..=32).contains(&rows), "the flow table has {rows} rows for 30 days");

        // Timing by assignee names the teammate.
        app.click_button_in("Break down by", "Assignee").await?;
        let labels = app
            .wait_until("the timing chart by assignee", async || {
                let t = app
                    .js("return document.querySelector('[data-chart=\"timing\"] svg')?.textContent ?? '';", vec![])
                    .await?;
                let t = t.as_str().unwrap_or_default().to_owned();
                Ok(t.contains("Unassigned").then_some(t))
            })
            .await?;
        ensure!(
            labels.contains("Ana Ruiz") && !labels.contains("ana"),
            "the groups are named by people's names: {labels}"
        );

        // All spaces counts the soc space's cases too (the scope sits at the page's top).
        app.js("window.scrollTo(0, 0);", vec![]).await?;
        app.click_button_in("Scope", "All spaces").await?;
        let all = opened_by_cli(app, &["--all-spaces"])?;
        ensure!(all > want, "all spaces open more cases ({all}) than one ({want})");
        app.wait_until("the all-spaces figures", async || {
            Ok((kpis(app).await?["Opened"] == json!(all.to_string())).then_some(()))
        })
        .await?;
        app.click_button_in("Scope", "This space").await?;

        // The breaching cases, as many as the cases list's SLA filter finds, open in the list.
        let breaching = app.cli_json(&["case", "list", "--sla", "breaching"])?["total"].as_i64().unwrap_or(0);
        ensure!(breaching > 0, "the seeded history breaches its targets");
        app.wait_for_text(&format!("{breaching} breaching")).await?;
        app.click_button(&format!("{breaching} breaching")).await?;
        let shown = usize::try_from(breaching.min(25))?;
        app.wait_for_rows("the breaching cases", |rows| rows.len() == shown).await?;
        let sla = app.js("return document.querySelector('select[aria-label=SLA]')?.value ?? null;", vec![]).await?;
        ensure!(sla == json!("breaching"), "the list's SLA filter reads {sla}");
        app.click_button("Analytics").await?;

        // A top tag opens the cases list filtered by it and by the range.
        app.wait_for_button("phishing").await?;
        app.click_button("phishing").await?;
        app.wait_for_rows("the phishing cases", |rows| {
            !rows.is_empty() && rows.iter().all(|r| r.cell("Tags").contains("phishing"))
        })
        .await?;
        // The list took the page's range: created in the last 30 days.
        app.wait_for_button("Date range: Created: Last 30 days").await?;
        Ok(())
    });
}

#[test]
fn service_level_targets_are_set_in_settings() {
    scenario("analytics_sla_settings", async |app: &mut App| {
        app.click_button("Settings").await?;
        app.click_button("Service levels").await?;
        app.type_into("Critical: acknowledge within", "2").await?;
        app.select("Critical: acknowledge within unit", "hours").await?;
        app.type_into("Critical: resolve within", "1").await?;
        app.select("Critical: resolve within unit", "days").await?;
        app.click_button("Save targets").await?;
        app.wait_for_text("Service-level targets saved.").await?;
        let config = app.cli_json(&["settings", "show"])?;
        ensure!(
            config["sla"] == json!([{ "severity": "critical", "acknowledge_seconds": 7200, "resolve_seconds": 86400 }]),
            "saved as {}",
            config["sla"]
        );
        // A target the core refuses is named, and nothing changes.
        app.type_into("Low: resolve within", "0").await?;
        app.click_button("Save targets").await?;
        app.wait_for_text("must be between 60 seconds and 366 days").await?;
        let again = app.cli_json(&["settings", "show"])?;
        ensure!(again["sla"] == config["sla"], "the refused change saved nothing: {}", again["sla"]);
        Ok(())
    });
}

/// The axis labels of the backlog chart, and the colour the theme gives muted text.
async fn label_colours(app: &App) -> Result<Value> {
    app.js(
        "const svg = document.querySelector('[data-chart=\"backlog\"] svg'); if (!svg) return null;\
         const fills = [...svg.querySelectorAll('text')].map((t) => t.getAttribute('fill')).filter(Boolean);\
         const muted = getComputedStyle(document.documentElement).getPropertyValue('--text-muted').trim();\
         return { fills: [...new Set(fills)], muted };",
        vec![],
    )
    .await
}

#[test]
fn the_analytics_page_follows_the_dark_theme() {
    scenario_with_env("analytics_dark", &[("GTK_THEME", "Adwaita:dark")], async |app: &mut App| {
        seed_history(app)?;
        app.click_button("Analytics").await?;
        let colours = app
            .wait_until("the backlog chart's labels", async || {
                let c = label_colours(app).await?;
                Ok(c["fills"].as_array().is_some_and(|f| !f.is_empty()).then_some(c))
            })
            .await?;
        // Adwaita:dark reaches the page as prefers-color-scheme: dark, and the charts take the
        // dark theme's muted text colour for their axes.
        ensure!(colours["muted"] == json!("#98a2b3"), "the dark theme's muted text: {colours}");
        ensure!(
            colours["fills"].as_array().is_some_and(|f| f.contains(&json!("#98a2b3"))),
            "the axis labels use it: {colours}"
        );
        app.screenshot("analytics-dark").await?;
        Ok(())
    });
}

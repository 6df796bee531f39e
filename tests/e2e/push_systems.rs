//! One push per incident system from the app, beside Jira's fuller scenario (push.rs): the
//! connector added in Settings through that system's own form (its secret into a real Secret
//! Service and never shown again), the case's connector chosen in the External incident panel,
//! one click, and the ticket checked in the contract tests' fake of that system.

use anyhow::{Result, ensure};

use crate::fake_resilient::FakeResilient;
use crate::fake_swimlane::{self, FakeSwimlane};
use crate::fake_thehive::FakeTheHive;
use crate::fake_webhook::{FakeWebhook, WebhookAuth};
use crate::harness::{App, scenario_with_keychain};
use crate::seed;

/// Settings → Connectors → Add connector, with the name, system, URL and secret; `fill` types
/// the system's own fields.
async fn add_connector(
    app: &mut App,
    name: &str,
    system: &str,
    url: &str,
    secret: (&str, &str),
    fill: impl AsyncFnOnce(&mut App) -> Result<()>,
) -> Result<()> {
    app.click_button("Settings").await?;
    app.click_button_in("Settings sections", "Connectors").await?;
    app.click_button("Add connector").await?;
    app.type_into("Name", name).await?;
    app.select("System", system).await?;
    app.type_into("URL", url).await?;
    fill(app).await?;
    app.type_into(secret.0, secret.1).await?;
    app.click_button("Save connector").await?;
    app.wait_for_text("Stored in keychain").await?;
    ensure!(!app.page_text().await?.contains(secret.1), "the secret is shown after saving");
    Ok(())
}

/// Opens the case, chooses `connector` and pushes it; waits for "Up to date".
async fn push_case(app: &mut App, title: &str, connector: &str, ticket: &str) -> Result<()> {
    app.click_button("Cases").await?;
    app.wait_for_titles(&[title]).await?;
    app.click_button(title).await?;
    app.wait_for_button("Edit title").await?;
    app.select("Connector", connector).await?;
    app.click_button("Push as new incident").await?;
    app.wait_for_text(ticket).await?;
    app.wait_for_text("Up to date").await?;
    Ok(())
}

#[test]
fn thehive_from_the_app() {
    let hive = FakeTheHive::start("hive-e2e-key-91c3", &["SOC"]);
    let url = hive.server.url();
    scenario_with_keychain("push_to_thehive", &[], async |app: &mut App| {
        let title = "Ransomware note on FS-02";
        seed::case(app, title, "critical", &["ransomware"], None)?;
        add_connector(app, "SOC TheHive", "TheHive", &url, ("API key", "hive-e2e-key-91c3"), async |app| {
            app.type_into("Organisation", "SOC").await
        })
        .await?;
        app.click_button("Test connection").await?;
        app.wait_for_text("in organisation SOC").await?;
        push_case(app, title, "SOC TheHive", title).await?;
        let cases = hive.cases();
        ensure!(cases.len() == 1, "{} cases", cases.len());
        ensure!(cases[0].case["title"] == title, "{:?}", cases[0].case["title"]);
        ensure!(cases[0].case["severity"] == 4, "critical is TheHive's 4: {:?}", cases[0].case["severity"]);
        ensure!(cases[0].case["tlp"] == 2, "AMBER when none is chosen: {:?}", cases[0].case["tlp"]);
        Ok(())
    });
}

#[test]
fn resilient_from_the_app() {
    let soar = FakeResilient::start(201, "e2e-key-id-77", "e2e-key-secret-Zq8");
    let url = soar.server.url();
    scenario_with_keychain("push_to_resilient", &[], async |app: &mut App| {
        let title = "Credential stuffing against VPN";
        seed::case(app, title, "high", &["vpn"], None)?;
        add_connector(app, "SOC SOAR", "IBM Resilient", &url, ("API key secret", "e2e-key-secret-Zq8"), async |app| {
            app.type_into("Organisation ID", "201").await?;
            app.type_into("API key ID", "e2e-key-id-77").await
        })
        .await?;
        app.click_button("Test connection").await?;
        app.wait_for_text("Connected to IBM Resilient").await?;
        let incidents = soar.incidents();
        ensure!(incidents.is_empty(), "Test connection made an incident");
        app.click_button("Cases").await?;
        app.wait_for_titles(&[title]).await?;
        app.click_button(title).await?;
        app.wait_for_button("Edit title").await?;
        app.select("Connector", "SOC SOAR").await?;
        app.click_button("Push as new incident").await?;
        app.wait_for_text("Up to date").await?;
        let incidents = soar.incidents();
        ensure!(incidents.len() == 1, "{} incidents", incidents.len());
        ensure!(incidents[0].fields["name"] == title, "{:?}", incidents[0].fields["name"]);
        Ok(())
    });
}

#[test]
fn swimlane_from_the_app_with_its_field_mapping() {
    let swim = FakeSwimlane::start("aBcD3fGh1JkLmN0pQ", "sw-e2e-token-4410");
    let url = swim.server.url();
    scenario_with_keychain("push_to_swimlane", &[], async |app: &mut App| {
        let title = "Suspicious OAuth grant";
        seed::case(app, title, "medium", &["oauth"], None)?;
        add_connector(app, "SOC Swimlane", "Swimlane", &url, ("API token", "sw-e2e-token-4410"), async |app| {
            app.type_into("Application ID", "aBcD3fGh1JkLmN0pQ").await?;
            // The mapping step reads the application's fields with the token typed above.
            app.type_into("API token", "sw-e2e-token-4410").await?;
            app.click_button("Load fields").await?;
            app.wait_for_button("Reload fields").await?;
            app.select("Case ID field", "Case ID (text)").await?;
            app.select("Case name field", "Case Name (text)").await?;
            app.select("Description field", "Description (text)").await?;
            app.select("Severity field", "Priority Score (numeric)").await?;
            app.select("Comments field", "Comments (comments)").await
        })
        .await?;
        push_case(app, title, "SOC Swimlane", "CBI-").await?;
        let records = swim.records();
        ensure!(records.len() == 1, "{} records", records.len());
        let values = &records[0].values;
        ensure!(values[fake_swimlane::CASE_NAME_FIELD] == title, "{values:?}");
        ensure!(values[fake_swimlane::PRIORITY_SCORE_FIELD] == 2, "medium is a number, 2: {values:?}");
        Ok(())
    });
}

#[test]
fn webhook_from_the_app() {
    let api = FakeWebhook::start(WebhookAuth::basic("svc-casebook", "wh-e2e-pass-5d21"));
    let url = api.url();
    scenario_with_keychain("push_to_webhook", &[], async |app: &mut App| {
        let title = "Beaconing from WEB-07";
        seed::case(app, title, "high", &["c2"], None)?;
        add_connector(
            app,
            "Tickets",
            "Webhook – Case Management",
            &url,
            ("Password", "wh-e2e-pass-5d21"),
            async |app| {
                app.type_into("Create URL", &format!("{url}/api/tickets")).await?;
                app.type_into("Incident id in the create answer", "ticket.id").await?;
                app.type_into("Get URL", &format!("{url}/api/tickets/{{{{{{external.system.id}}}}}}")).await?;
                app.type_into("Incident title in the get answer", "ticket.key").await?;
                app.type_into("Incident view URL", &format!("{url}/browse/{{{{{{external.system.title}}}}}}")).await?;
                app.type_into("Update URL", &format!("{url}/api/tickets/{{{{{{external.system.id}}}}}}")).await?;
                app.select("Sign-in", "Basic (user name and password)").await?;
                app.type_into("User name", "svc-casebook").await
            },
        )
        .await?;
        push_case(app, title, "Tickets", "OPS-1").await?;
        let tickets = api.tickets();
        ensure!(tickets.len() == 1, "{} tickets", tickets.len());
        ensure!(tickets[0].fields["title"] == title, "{:?}", tickets[0].fields);
        Ok(())
    });
}

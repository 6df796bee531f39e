//! The case view (ui/src/features/case-view): opening a case from the table, commenting,
//! changing status, severity and title, a stale edit, and a comment draft that outlives the
//! window.

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use crate::harness::{App, ENTER, scenario};
use crate::seed;

/// Waits until the CLI reads case `id` with `field` equal to `want` (the UI's writes are async).
async fn wait_for_field(app: &App, id: &str, field: &str, want: &str) -> Result<Value> {
    app.wait_until(&format!("the case's {field} to be {want:?} in the database"), async || {
        let case = app.cli_json(&["case", "get", id])?;
        Ok((case[field] == want).then_some(case))
    })
    .await
}

/// Clicks the case's title in the table and waits for its page.
async fn open_case(app: &App, title: &str) -> Result<()> {
    app.click_button(title).await?;
    app.wait_for_button("Edit title").await?;
    Ok(())
}

#[test]
fn open_a_case_comment_and_change_status_severity_and_title() {
    scenario("case_view_edit", async |app: &mut App| {
        let title = "Okta MFA fatigue against helpdesk";
        let id = seed::case(app, title, "medium", &["identity"], Some("Identity"))?;
        app.wait_for_titles(&[title]).await?;
        open_case(app, title).await?;

        // Comment (Markdown) and see it rendered in the activity.
        app.type_into("Add a comment", "Pushed **three** MFA prompts in a minute.").await?;
        app.click_button("Add comment").await?;
        app.wait_for_text("Pushed three MFA prompts in a minute.").await?;
        let comments = app.cli_json(&["comment", "list", &id])?;
        ensure!(comments.to_string().contains("Pushed **three** MFA prompts"), "the CLI lists {comments}");

        // Status and severity from the header.
        app.select("Status", "In progress").await?;
        wait_for_field(app, &id, "status", "in-progress").await?;
        app.wait_for_text("marked the case as In progress").await?;
        app.select("Severity", "Critical").await?;
        wait_for_field(app, &id, "severity", "critical").await?;

        // Title, edited in place (Enter saves).
        let renamed = "Okta MFA fatigue: helpdesk and finance";
        app.click_button("Edit title").await?;
        app.type_into("Case title", renamed).await?;
        app.press_keys("Case title", ENTER).await?;
        wait_for_field(app, &id, "title", renamed).await?;
        app.wait_for_text(&format!("renamed the case to “{renamed}”")).await?;
        app.screenshot("case-view").await?;

        // Back on the list, the row shows the changes.
        app.click_button("← All cases").await?;
        let rows = app.wait_for_titles(&[renamed]).await?;
        ensure!(rows[0].cell("Status") == "In progress", "status cell: {:?}", rows[0].cell("Status"));
        ensure!(rows[0].cell("Severity") == "Critical", "severity cell: {:?}", rows[0].cell("Severity"));
        ensure!(rows[0].cell("Comments") == "1", "comments cell: {:?}", rows[0].cell("Comments"));

        // Delete lives in the header's ⋯ menu and asks first.
        open_case(app, renamed).await?;
        app.click_button("Case actions").await?;
        app.click_button("Delete case").await?;
        app.wait_for_text("Delete this case?").await?;
        app.click_button_in("Delete this case?", "Delete case").await?;
        app.wait_for_text("No cases yet").await?;
        ensure!(app.cli_json(&["case", "list"])?["total"] == 0, "the case is still in the database");
        Ok(())
    });
}

#[test]
fn a_stale_description_edit_keeps_the_typed_text_and_saves_after_review() {
    scenario("case_view_conflict", async |app: &mut App| {
        let title = "Beacon to 185.220.101.4 from WS-0142";
        let id = seed::case(app, title, "high", &["c2"], None)?;
        app.wait_for_titles(&[title]).await?;
        open_case(app, title).await?;

        app.click_button("Edit description").await?;
        app.type_into("Description", "Isolated the host at 09:12; memory image taken.").await?;

        // Meanwhile a colleague's script changes the description through the CLI.
        let case = app.cli_json(&["case", "get", &id])?;
        let version = case["version"].as_str().context("no version")?;
        app.cli(&["case", "update", &id, "--version", version, "--description", "Changed from the CLI"])?;

        // The open editor says so, keeps what was typed, and shows the other version on demand.
        app.wait_for_text("This case was changed elsewhere while you were editing.").await?;
        let typed = app.field("Description").await?.prop("value").await?.unwrap_or_default();
        ensure!(typed == "Isolated the host at 09:12; memory image taken.", "the editor holds {typed:?}");
        app.wait_for_text("Show the latest saved description").await?;

        // Saving after seeing it replaces the description with the typed text.
        app.click_button("Save").await?;
        wait_for_field(app, &id, "description", "Isolated the host at 09:12; memory image taken.").await?;
        app.wait_for_button("Edit description").await?;
        Ok(())
    });
}

#[test]
fn an_unsent_comment_survives_closing_the_window() {
    scenario("case_view_comment_draft", async |app: &mut App| {
        let title = "Data exfiltration to personal cloud storage";
        seed::case(app, title, "medium", &["dlp"], Some("Insider"))?;
        app.wait_for_titles(&[title]).await?;
        open_case(app, title).await?;
        app.type_into("Add a comment", "Half-written: the upload went to").await?;
        app.wait_for_text("Draft saved").await?;

        app.relaunch().await?;
        app.wait_for_titles(&[title]).await?;
        open_case(app, title).await?;
        let kept = app.field("Add a comment").await?.prop("value").await?.unwrap_or_default();
        ensure!(kept == "Half-written: the upload went to", "after a relaunch the comment box holds {kept:?}");
        Ok(())
    });
}

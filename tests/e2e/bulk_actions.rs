//! Bulk actions on the cases table: select rows, then act on all of them at once.

use anyhow::{Result, ensure};

use crate::harness::{App, scenario};
use crate::seed;

/// Ticks the row checkbox of the case titled `title`.
async fn tick(app: &App, title: &str) -> Result<()> {
    app.field(&format!("Select “{title}”")).await?.click().await?;
    Ok(())
}

#[test]
fn bulk_close_two_cases() {
    scenario("bulk_close", async |app: &mut App| {
        let a = "Phishing: fake DocuSign to finance";
        let b = "Phishing: fake Okta page to HR";
        let c = "Ransomware note on file server";
        let ids = [
            seed::case(app, a, "high", &["phishing"], None)?,
            seed::case(app, b, "medium", &["phishing"], None)?,
            seed::case(app, c, "critical", &["ransomware"], None)?,
        ];
        app.wait_for_titles(&[a, b, c]).await?;

        tick(app, a).await?;
        tick(app, b).await?;
        app.wait_for_text("2 cases selected").await?;
        app.click_button_in("Bulk actions", "Set status").await?;
        app.click_button_in("Set status", "Closed").await?;
        app.wait_for_text("2 cases closed").await?;

        let rows = app
            .wait_for_rows("the two cases to show Closed", |rows| {
                rows.iter().filter(|r| r.cell("Status") == "Closed").count() == 2
            })
            .await?;
        for r in &rows {
            let want = if r.cell("Name").starts_with(c) { "Open" } else { "Closed" };
            ensure!(r.cell("Status") == want, "{:?} shows {:?}", r.cell("Name"), r.cell("Status"));
        }
        for (id, want) in ids.iter().zip(["closed", "closed", "open"]) {
            let case = app.cli_json(&["case", "get", id])?;
            ensure!(case["status"] == want, "case {id} is {} in the database", case["status"]);
        }
        Ok(())
    });
}

/// "Select all N matching cases" reaches past the page: a change and then a delete run over
/// every matching case in batches, each ending in a report.
#[test]
fn bulk_change_and_delete_every_matching_case() {
    scenario("bulk_all_matching", async |app: &mut App| {
        let mut noise = Vec::new();
        let mut titles: Vec<String> = (1..=12).map(|i| format!("Noisy rule hit {i:02}")).collect();
        for title in &titles {
            noise.push(seed::case(app, title, "low", &["noise"], None)?);
        }
        let keep = "Real intrusion on the VPN gateway";
        let kept = seed::case(app, keep, "critical", &["vpn"], None)?;
        titles.push(keep.to_string());
        app.wait_for_titles(&titles.iter().map(String::as_str).collect::<Vec<_>>()).await?;
        app.select("Rows per page", "10").await?;
        app.type_into("Search cases", "Noisy").await?;
        app.wait_for_text("12 cases").await?;

        app.field("Select all cases on this page").await?.click().await?;
        app.click_button("Select all 12 matching cases").await?;
        app.wait_for_text("12 cases selected").await?;
        app.click_button_in("Bulk actions", "Set status").await?;
        app.click_button_in("Set status", "Closed").await?;
        app.wait_for_text("12 cases closed").await?;
        app.wait_for_text("12 of 12 cases").await?;
        app.click_button_in("Done", "Close").await?;
        for id in &noise {
            let case = app.cli_json(&["case", "get", id])?;
            ensure!(case["status"] == "closed", "case {id} is {} in the database", case["status"]);
        }
        ensure!(app.cli_json(&["case", "get", &kept])?["status"] == "open", "the case outside the search changed");

        app.field("Select all cases on this page").await?.click().await?;
        app.click_button("Select all 12 matching cases").await?;
        app.click_button_in("Bulk actions", "Delete").await?;
        app.wait_for_text("Delete 12 cases?").await?;
        app.click_button_in("Delete 12 cases?", "Delete 12 cases").await?;
        app.wait_for_text("12 cases deleted").await?;
        app.click_button_in("Done", "Close").await?;
        let left = app.cli_json(&["case", "list"])?;
        ensure!(left["total"] == 1, "after the delete the space holds {} cases", left["total"]);
        ensure!(left["cases"][0]["title"] == keep, "the wrong case is left: {}", left["cases"][0]["title"]);
        Ok(())
    });
}

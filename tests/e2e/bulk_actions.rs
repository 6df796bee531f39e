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

//! Edits made outside the window (the `casebook` CLI on the same database) appear in it
//! without a reload: the app's watcher emits "db-changed" and the page refetches.

use anyhow::ensure;

use crate::harness::{App, Row, scenario};
use crate::seed;

#[test]
fn a_case_created_with_the_cli_appears_in_the_open_window() {
    scenario("cli_changes_appear_live", async |app: &mut App| {
        app.wait_for_text("No cases yet").await?;
        let title = "Suspicious PowerShell on HR laptop";
        let id = seed::case(app, title, "medium", &["endpoint"], Some("Malware"))?;
        let rows = app.wait_for_titles(&[title]).await?;
        ensure!(rows[0].id == id, "row id {} is not the created case {id}", rows[0].id);
        ensure!(rows[0].cell("Severity") == "Medium", "severity cell: {:?}", rows[0].cell("Severity"));

        seed::status(app, &id, "in-progress")?;
        app.wait_for_rows("the case to show In progress", |rows: &[Row]| {
            rows.len() == 1 && rows[0].cell("Status") == "In progress"
        })
        .await?;

        app.cli(&["case", "delete", &id])?;
        app.wait_for_no_text(title).await?;
        app.wait_for_text("No cases yet").await?;
        Ok(())
    });
}

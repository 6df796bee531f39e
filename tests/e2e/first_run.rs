//! The first start: the app asks once for the analyst's display name and e-mail, prefilled
//! from the OS account, refuses a bad e-mail by name, saves them for every later change, and
//! does not ask again.

use anyhow::ensure;

use crate::harness::{App, scenario_first_run};

#[test]
fn the_first_start_asks_for_the_analysts_name_once() {
    scenario_first_run("first_run", async |app: &mut App| {
        app.wait_for_text("Welcome to Casebook").await?;
        let os_name = app.cli_json(&["user", "me"])?;
        ensure!(os_name["confirmed"] == false, "the profile is confirmed before the dialog: {os_name}");
        let prefilled = app.field("Display name").await?.prop("value").await?.unwrap_or_default();
        let username = os_name["username"].as_str().unwrap_or_default();
        ensure!(
            !prefilled.is_empty() && prefilled == os_name["full_name"].as_str().unwrap_or(username),
            "prefilled {prefilled:?}"
        );
        app.screenshot("first-run").await?;

        // A bad e-mail is named and nothing is saved.
        app.type_into("Display name", "Casey Analyst").await?;
        app.type_into("Email (optional)", "casey at example").await?;
        app.click_button_in("Welcome to Casebook", "Save").await?;
        app.wait_for_text("Your profile was not saved.").await?;
        ensure!(app.cli_json(&["user", "me"])?["confirmed"] == false, "a refused profile was confirmed");

        app.type_into("Email (optional)", "casey@example.org").await?;
        app.click_button_in("Welcome to Casebook", "Save").await?;
        app.wait_for_no_text("Welcome to Casebook").await?;
        let me = app.cli_json(&["user", "me"])?;
        ensure!(
            me["full_name"] == "Casey Analyst" && me["email"] == "casey@example.org" && me["confirmed"] == true,
            "after Save the profile is {me}"
        );

        // The name is on what the analyst does from now on.
        app.click_button("Create case").await?;
        app.type_into("Name", "Phishing report from the CFO").await?;
        app.click_button_in("Create case", "Create case").await?;
        app.wait_for_button("Copy #1").await?;
        app.wait_for_text("Casey Analyst created the case").await?;

        // Asked once: not again after a relaunch.
        app.relaunch().await?;
        app.wait_for_button("Create case").await?;
        let text = app.page_text().await?;
        ensure!(!text.contains("Welcome to Casebook"), "the dialog came back after a relaunch");
        Ok(())
    });
}

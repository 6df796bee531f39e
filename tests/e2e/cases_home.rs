//! The home page: creating a case with the dialog, filtering, searching.

use anyhow::ensure;

use crate::harness::{App, ENTER, scenario};
use crate::seed;

#[test]
fn create_a_case_from_the_home_page() {
    scenario("create_a_case_from_the_home_page", async |app: &mut App| {
        app.wait_for_text("No cases yet").await?;
        app.click_button("Create case").await?;

        let title = "Credential phishing wave targeting finance";
        app.type_into("Name", title).await?;
        app.select("Severity", "High").await?;
        app.type_into("Category", "Email").await?;
        app.type_into("Description", "Reported by **HR**: fake Okta login page.").await?;
        app.press_keys("Tags", &format!("phishing{ENTER}")).await?;
        app.press_keys("Tags", &format!("okta{ENTER}")).await?;
        app.click_button_in("Create case", "Create case").await?;

        app.wait_for_text(&format!("Case “{title}” created")).await?;
        let rows = app.wait_for_titles(&[title]).await?;
        let row = &rows[0];
        ensure!(row.cell("Severity") == "High", "severity cell: {:?}", row.cell("Severity"));
        ensure!(row.cell("Status") == "Open", "status cell: {:?}", row.cell("Status"));
        ensure!(row.cell("Category") == "Email", "category cell: {:?}", row.cell("Category"));
        ensure!(row.cell("Tags") == "phishing okta", "tags cell: {:?}", row.cell("Tags"));
        // The numbering task does not run during a scenario (see `App::launch`): the case waits.
        ensure!(row.cell("Name").ends_with("ID pending"), "name cell: {:?}", row.cell("Name"));

        // It is in the database, as the CLI sees it.
        let case = app.cli_json(&["case", "get", &row.id])?;
        ensure!(case["title"] == title && case["severity"] == "high", "the CLI reads {case}");
        ensure!(case["description"] == "Reported by **HR**: fake Okta login page.", "the CLI reads {case}");
        Ok(())
    });
}

#[test]
fn filter_by_severity_and_status_and_search_by_word_and_number() {
    scenario("filter_and_search", async |app: &mut App| {
        let phishing = "Okta credential phishing";
        let ransomware = "Ransomware note on file server";
        let beacon = "Cobalt Strike beacon on build host";
        let travel = "Impossible travel for okta admin";
        seed::case(app, phishing, "high", &["phishing"], Some("Email"))?;
        seed::case(app, ransomware, "critical", &["ransomware"], None)?;
        let beacon_id = seed::case(app, beacon, "high", &["c2"], None)?;
        let travel_id = seed::case(app, travel, "low", &["identity"], None)?;
        seed::status(app, &beacon_id, "in-progress")?;
        seed::status(app, &travel_id, "closed")?;
        app.wait_for_titles(&[phishing, ransomware, beacon, travel]).await?;

        app.click_button_in("Severity", "High").await?;
        app.wait_for_titles(&[phishing, beacon]).await?;
        ensure!(app.is_pressed("Severity", "High").await?, "High is not shown as pressed");
        app.click_button_in("Status", "In progress").await?;
        app.wait_for_titles(&[beacon]).await?;
        app.click_button("Clear filters").await?;
        app.wait_for_titles(&[phishing, ransomware, beacon, travel]).await?;
        app.click_button_in("Status", "Closed").await?;
        app.wait_for_titles(&[travel]).await?;
        app.click_button_in("Status", "Closed").await?;
        app.wait_for_titles(&[phishing, ransomware, beacon, travel]).await?;

        // A word, in titles (either case).
        app.type_into("Search cases", "okta").await?;
        app.press_keys("Search cases", ENTER).await?;
        app.wait_for_titles(&[phishing, travel]).await?;

        // "#N": number the cases as the task would (1..4 in creation order); the open window
        // picks the change up by itself.
        app.cli(&["ids", "assign"])?;
        app.type_into("Search cases", "#2").await?;
        app.press_keys("Search cases", ENTER).await?;
        let rows = app.wait_for_titles(&[ransomware]).await?;
        ensure!(rows[0].cell("Name").ends_with("#2"), "name cell: {:?}", rows[0].cell("Name"));

        app.type_into("Search cases", "#5").await?;
        app.press_keys("Search cases", ENTER).await?;
        app.wait_for_text("No cases match").await?;
        Ok(())
    });
}

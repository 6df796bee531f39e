//! Case numbers: "ID pending" until a numbering pass, "Assign IDs now" in its menu, the
//! background task, and finding a case by its number.

use anyhow::{Result, ensure};

use crate::harness::{App, ENTER, Row, scenario, scenario_with_env};
use crate::seed;

const TITLES: [&str; 3] = ["Phishing mail to finance", "Ransomware note on file server", "Beaconing build host"];

/// Creates the three cases, oldest first, and waits until the table shows them.
async fn seed_cases(app: &App) -> Result<()> {
    for title in TITLES {
        seed::case(app, title, "high", &[], None)?;
    }
    app.wait_for_titles(&TITLES).await?;
    Ok(())
}

/// The number each title shows in the Name cell ("#2"), or "ID pending".
fn number_of<'a>(rows: &'a [Row], title: &str) -> &'a str {
    let name = rows.iter().map(|r| r.cell("Name")).find(|n| n.starts_with(title)).unwrap_or("");
    name[title.len().min(name.len())..].trim()
}

fn numbered_in_creation_order(rows: &[Row]) -> bool {
    TITLES.iter().enumerate().all(|(i, t)| number_of(rows, t) == format!("#{}", i + 1))
}

#[test]
fn assign_ids_now_numbers_the_cases_and_search_finds_one_by_number() {
    scenario("assign_ids_now", async |app: &mut App| {
        seed_cases(app).await?;
        let rows = app.rows().await?;
        for t in TITLES {
            ensure!(number_of(&rows, t) == "ID pending", "{t}: {:?}", number_of(&rows, t));
        }

        // "Assign IDs now" is in the pending badge's menu, with when the next pass is due.
        app.click_button("ID pending").await?;
        app.wait_for_text("Numbers are given every 60 minutes").await?;
        app.click_button("Assign IDs now").await?;
        // No reload: the table refreshes by itself.
        app.wait_for_rows("#1, #2, #3 in creation order", numbered_in_creation_order).await?;

        app.type_into("Search cases", "#2").await?;
        app.press_keys("Search cases", ENTER).await?;
        let rows = app.wait_for_titles(&[TITLES[1]]).await?;
        ensure!(number_of(&rows, TITLES[1]) == "#2", "{:?}", rows[0].cell("Name"));

        // The case view shows the number as a button that copies it.
        app.click_button(TITLES[1]).await?;
        app.wait_for_button("Copy #2").await?;
        Ok(())
    });
}

#[test]
fn the_background_task_numbers_new_cases_without_a_click() {
    scenario_with_env("background_numbering", &[("CASEBOOK_ID_INTERVAL", "2s")], async |app: &mut App| {
        seed_cases(app).await?;
        // A pass every 2 s; the harness waits up to 10 s.
        app.wait_for_rows("#1, #2, #3 from the background task", numbered_in_creation_order).await?;
        Ok(())
    });
}

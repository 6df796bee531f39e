//! Quitting and starting the app again on the same database; the single-instance hand-over.

use std::io::Write;

use anyhow::ensure;

use crate::harness::{App, scenario};
use crate::seed;

#[test]
fn cases_are_still_there_after_a_relaunch() {
    scenario("relaunch_keeps_cases", async |app: &mut App| {
        let from_ui = "Data exfiltration over DNS";
        app.click_button("Create case").await?;
        app.type_into("Name", from_ui).await?;
        app.select("Severity", "Critical").await?;
        app.click_button_in("Create case", "Create case").await?;
        // The new case opens; back to the list.
        app.click_button("← All cases").await?;
        let from_cli = "Leaked API key in public repo";
        seed::case(app, from_cli, "high", &["secrets"], None)?;
        app.wait_for_titles(&[from_ui, from_cli]).await?;

        app.relaunch().await?;
        let rows = app.wait_for_titles(&[from_ui, from_cli]).await?;
        let ui_row = rows.iter().find(|r| r.cell("Name").starts_with(from_ui));
        ensure!(ui_row.is_some_and(|r| r.cell("Severity") == "Critical"), "rows after relaunch: {rows:?}");
        Ok(())
    });
}

#[test]
fn a_second_launch_hands_over_to_the_open_window_and_exits() {
    scenario("second_instance_exits", async |app: &mut App| {
        if !app.has_session_bus() {
            // Without a session bus the plugin cannot find the first instance; the second
            // one would simply open a second window. Nothing to check then.
            let _ =
                writeln!(std::io::stderr(), "e2e second_instance_exits: no dbus-daemon, single-instance not checked");
            return Ok(());
        }
        let title = "Brute force on VPN gateway";
        seed::case(app, title, "medium", &[], None)?;
        app.wait_for_titles(&[title]).await?;
        let status = app.launch_second_instance()?;
        ensure!(status.is_some_and(|s| s.success()), "the second launch did not exit by itself: {status:?}");
        // The first window still works.
        app.wait_for_titles(&[title]).await?;
        app.click_button("Create case").await?;
        app.wait_for_button_in(Some("Create case"), "Cancel").await?;
        Ok(())
    });
}

#[test]
fn the_window_comes_back_at_the_size_it_was_left() {
    scenario("window_state", async |app: &mut App| {
        app.wait_for_text("No cases yet").await?;
        app.client().set_window_size(1100, 700).await?;
        app.wait_until("the window to be resized", async || {
            let (_, _, w, h) = app.client().get_window_rect().await?;
            Ok((w as u32 == 1100 && h as u32 == 700).then_some(()))
        })
        .await?;

        let state = app.db_path().with_file_name("home/.config/org.casebook.desktop/.window-state.json");
        let saved = app
            .wait_until("the new size to be saved", async || {
                let saved = std::fs::read_to_string(&state).unwrap_or_default();
                Ok(saved.contains("\"width\": 1100").then_some(saved))
            })
            .await?;
        app.relaunch().await?;
        app.wait_for_text("No cases yet").await?;
        let (_, _, w, h) = app.client().get_window_rect().await?;
        ensure!(w as u32 == 1100 && h as u32 == 700, "the window came back at {w}×{h}; saved state: {saved:?}");
        Ok(())
    });
}

#[test]
fn a_half_typed_new_case_survives_closing_the_window() {
    scenario("create_draft_across_relaunch", async |app: &mut App| {
        app.click_button("Create case").await?;
        app.type_into("Name", "Beaconing from the print server").await?;
        // Saved to disk by the core once typing pauses.
        let file = app.db_path().with_file_name("casebook.db.drafts/create-case.draft");
        app.wait_until("the draft on disk", async || {
            Ok(std::fs::read_to_string(&file)
                .unwrap_or_default()
                .contains("Beaconing from the print server")
                .then_some(()))
        })
        .await?;

        app.relaunch().await?;
        app.click_button("Create case").await?;
        let title = app.field("Name").await?.prop("value").await?.unwrap_or_default();
        ensure!(title == "Beaconing from the print server", "after a relaunch the form holds {title:?}");
        Ok(())
    });
}

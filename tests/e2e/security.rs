//! Markup in titles, descriptions and comments is text: shown literally, never run.

use anyhow::{Context, Result, ensure};
use serde_json::json;

use crate::harness::{App, scenario};

const IMG_TITLE: &str = r#"<img src=x onerror="document.title='pwned';window.__pwned=1">"#;
const SCRIPT_TITLE: &str = "<script>window.__pwned=2</script>Quarterly phishing test";
const DESCRIPTION: &str = "<script>window.__pwned=3</script>\n\n<img src=x onerror=\"window.__pwned=4\">\n\n\
    [link](javascript:window.__pwned=5) <b onmouseover=\"window.__pwned=6\">bold</b>";

#[test]
fn markup_in_titles_and_descriptions_renders_as_text_and_runs_nothing() {
    scenario("xss_renders_as_text", async |app: &mut App| {
        // Through the dialog, with a Markdown preview of the description.
        app.click_button("Create case").await?;
        app.type_into("Name", IMG_TITLE).await?;
        app.type_into("Description", DESCRIPTION).await?;
        app.click_button_in("Create case", "Preview").await?;
        app.wait_for_text("bold").await?;
        app.click_button_in("Create case", "Create case").await?;
        // The new case opens (its page shows the payloads too); back to the list.
        app.click_button("← All cases").await?;
        // Through the CLI.
        app.cli(&["case", "create", "--title", SCRIPT_TITLE, "--description", DESCRIPTION])?;

        let rows = app.wait_for_titles(&[IMG_TITLE, SCRIPT_TITLE]).await?;
        ensure!(rows.len() == 2, "rows: {rows:?}");
        ensure!(app.page_text().await?.contains(IMG_TITLE), "the title is not shown literally");

        nothing_ran(app).await?;
        // The titles are text nodes: an element whose own text is exactly the payload exists.
        let literal = app
            .js(
                "return [...document.querySelectorAll('tbody td *')].some(e => e.textContent === arguments[0]);",
                vec![json!(IMG_TITLE)],
            )
            .await
            .context("checking the literal title")?;
        ensure!(literal == json!(true), "no element shows the title as plain text");
        Ok(())
    });
}

#[test]
fn markup_in_the_case_view_and_its_comments_runs_nothing() {
    scenario("xss_case_view", async |app: &mut App| {
        let created = app.cli_json(&["case", "create", "--title", IMG_TITLE, "--description", DESCRIPTION])?;
        let id = created["id"].as_str().context("no id")?.to_owned();
        app.cli(&["comment", "add", &id, "--body", DESCRIPTION])?;
        app.cli(&["comment", "add", &id, "--body", SCRIPT_TITLE])?;
        app.wait_for_titles(&[IMG_TITLE]).await?;
        app.click_button(IMG_TITLE).await?;
        app.wait_for_text("Quarterly phishing test").await?;
        // The heading is the payload as text.
        let heading = app.js("return document.querySelector('h1')?.textContent ?? null;", vec![]).await?;
        ensure!(heading == json!(IMG_TITLE), "the case heading is {heading}");
        // Quoting a hostile comment into the editor and previewing it runs nothing either.
        app.click_button("Comment actions").await?;
        app.click_button("Quote").await?;
        app.click_button_in("Activity", "Preview").await?;
        nothing_ran(app).await?;
        Ok(())
    });
}

/// No injected handler ran, the window title is intact, and no injected element exists.
async fn nothing_ran(app: &App) -> Result<()> {
    // Any image error handler would have run before this control image's (same queue).
    app.js("window.__control = false; const i = new Image(); i.onerror = () => { window.__control = true; }; i.src = 'x-control';", vec![])
        .await?;
    app.wait_until("the control image's error event", async || {
        Ok((app.js("return window.__control === true;", vec![]).await? == json!(true)).then_some(()))
    })
    .await?;

    let pwned = app.js("return window.__pwned === undefined ? null : window.__pwned;", vec![]).await?;
    ensure!(pwned.is_null(), "injected markup ran (window.__pwned = {pwned})");
    let title = app.client().title().await?;
    ensure!(title == "Casebook", "document.title changed to {title:?}");
    let injected = app
        .js(
            "return document.querySelectorAll('img[src=\"x\"], script:not([src]), [onerror], [onmouseover]').length;",
            vec![],
        )
        .await?;
    ensure!(injected == json!(0), "{injected} injected elements are in the page");
    Ok(())
}

//! The home page's filters beyond status: severity and tag counts, tags by name, and a date
//! range on the creation or the last update, kept with the other filters.

use anyhow::{Result, ensure};
use serde_json::{Value, json};

use crate::harness::{App, scenario};
use crate::seed;

/// The labels of the buttons of a filter group ("High 1").
async fn group_buttons(app: &App, group: &str) -> Result<Vec<String>> {
    let v = app
        .js(
            "return [...document.querySelectorAll(`[role=group][aria-label=\"${arguments[0]}\"] button`)]\
             .map((b) => b.innerText.replace(/\\s+/g, ' ').trim());",
            vec![json!(group)],
        )
        .await?;
    Ok(v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect())
}

/// The Tags filter's choices as shown ("okta 1").
async fn tag_choices(app: &App) -> Result<Vec<String>> {
    let v = app
        .js(
            "const d = [...document.querySelectorAll('[role=dialog]')].find((d) => d.getAttribute('aria-label') === 'Tags');\
             return d ? [...d.querySelectorAll('li label')].map((l) => l.innerText.replace(/\\s+/g, ' ').trim()) : null;",
            vec![],
        )
        .await?;
    Ok(v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect())
}

/// Clicks the button named `name` once it has stopped moving: a popover's panel can still be
/// settling under it (its trigger's label just changed width), and a click aimed at where the
/// button was lands outside the panel, which closes it.
async fn click_when_still(app: &App, name: &str) -> Result<()> {
    const RECT: &str = "const b = [...document.querySelectorAll('button')].find((b) => b.innerText.trim() === arguments[0]);\
                        if (!b) return null; const r = b.getBoundingClientRect(); return [r.x, r.y, r.width, r.height];";
    let mut last = Value::Null;
    app.wait_until(&format!("the button {name:?} to stand still"), async || {
        let now = app.js(RECT, vec![json!(name)]).await?;
        let still = !now.is_null() && now == last;
        last = now;
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        Ok(still.then_some(()))
    })
    .await?;
    app.click_button(name).await
}

#[test]
fn severity_and_tag_counts_and_a_date_range() {
    scenario("filters_counts_dates", async |app: &mut App| {
        seed::case(app, "Okta push fatigue", "high", &["phishing", "okta"], None)?;
        seed::case(app, "VPN brute force", "low", &["vpn"], None)?;
        seed::case(app, "Invoice macro", "critical", &["phishing"], None)?;
        app.wait_for_titles(&["Okta push fatigue", "VPN brute force", "Invoice macro"]).await?;

        // Severity shows its counts as Status does.
        let want = ["Low 1", "Medium 0", "High 1", "Critical 1"];
        app.wait_until("the severity counts", async || {
            let got = group_buttons(app, "Severity").await?;
            Ok((got == want).then_some(()))
        })
        .await?;

        // Tags by name, each with its number of cases; picking one filters, and the severity
        // counts follow the other filters.
        app.click_button("Tags").await?;
        let choices = app
            .wait_until("the tag choices", async || {
                let c = tag_choices(app).await?;
                Ok((!c.is_empty()).then_some(c))
            })
            .await?;
        ensure!(choices == ["okta 1", "phishing 2", "vpn 1"], "the Tags filter lists {choices:?}");
        app.field("phishing 2").await?.click().await?;
        app.wait_for_titles(&["Okta push fatigue", "Invoice macro"]).await?;
        let want = ["Low 0", "Medium 0", "High 1", "Critical 1"];
        app.wait_until("the severity counts of the tag", async || {
            let got = group_buttons(app, "Severity").await?;
            Ok((got == want).then_some(()))
        })
        .await?;

        // A date range: the last 7 days keep them; on the last update too, and the choice stays
        // with the other filters after a relaunch. The filters keep one row.
        app.click_button("Date range: Created: any time").await?;
        click_when_still(app, "Last 7 days").await?;
        app.wait_for_button("Date range: Created: Last 7 days").await?;
        app.wait_for_titles(&["Okta push fatigue", "Invoice macro"]).await?;
        // The same range on the last update: the field changes, the range stays.
        app.click_button("Date range: Created: Last 7 days").await?;
        app.click_button_in("Date field", "Updated").await?;
        app.wait_for_button("Date range: Updated: Last 7 days").await?;
        ensure!(app.is_pressed("Date field", "Updated").await?, "the panel does not show Updated chosen");
        app.wait_for_titles(&["Okta push fatigue", "Invoice macro"]).await?;
        app.click_button("Date range: Updated: Last 7 days").await?;
        app.wait_for_no_text("Commonly used").await?;
        let height = app
            .js(
                "return document.querySelector('[role=group][aria-label=Filters]').getBoundingClientRect().height;",
                vec![],
            )
            .await?;
        ensure!(height.as_f64().unwrap_or(f64::MAX) <= 40.0, "with filters set they take {height} px");
        app.screenshot("filters-set").await?;

        // WebKitGTK writes localStorage to disk about a second after a change, and a quit before
        // then loses the last change (a known gap: the view state should move to the core).
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        app.relaunch().await?;
        app.wait_for_button("Date range: Updated: Last 7 days").await?;
        app.wait_for_button("Tags: 1 selected").await?;
        app.wait_for_titles(&["Okta push fatigue", "Invoice macro"]).await?;
        // Clear filters clears the range; which date it bounds stays chosen.
        app.click_button("Clear filters").await?;
        app.wait_for_button("Date range: Updated: any time").await?;
        app.wait_for_titles(&["Okta push fatigue", "VPN brute force", "Invoice macro"]).await?;
        Ok(())
    });
}

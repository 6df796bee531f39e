//! Screenshots of the real app for the README and reviews: saved only when
//! `CASEBOOK_E2E_SCREENSHOTS` names a folder (create-case.png, 1280×800; the home page and case
//! view at both sizes and themes come from layout.rs).

use anyhow::ensure;
use serde_json::json;

use crate::harness::{App, ENTER, scenario};
use crate::seed;

#[test]
fn screenshots_of_the_home_page_and_the_create_dialog() {
    scenario("screenshots", async |app: &mut App| {
        let cases = [
            ("Credential phishing wave targeting finance", "high", &["phishing", "okta"][..], Some("Email"), "open"),
            (
                "Ransomware note on file server FS-02",
                "critical",
                &["ransomware", "lockbit"][..],
                Some("Malware"),
                "in-progress",
            ),
            ("Cobalt Strike beacon on build host", "critical", &["c2", "cobalt-strike"][..], Some("Malware"), "open"),
            (
                "Impossible travel for okta admin account",
                "medium",
                &["identity", "okta"][..],
                Some("Identity"),
                "in-progress",
            ),
            ("Leaked AWS access key in public repository", "high", &["secrets", "aws"][..], Some("Cloud"), "open"),
            ("Brute force against VPN gateway", "low", &["vpn", "brute-force"][..], Some("Network"), "closed"),
        ];
        let mut titles = Vec::new();
        for (title, severity, tags, category, status) in cases {
            let id = seed::case(app, title, severity, tags, category)?;
            if status != "open" {
                seed::status(app, &id, status)?;
            }
            titles.push(title);
        }
        app.wait_for_titles(&titles).await?;
        let size = app.js("return [window.innerWidth, window.innerHeight];", vec![]).await?;
        // The app opens at 1280×800; layout.rs saves the home page's screenshots (home.png …).
        ensure!(size == json!([1280, 800]), "the window is {size}, not 1280×800");

        app.click_button("Create case").await?;
        app.type_into("Name", "Suspicious OAuth consent grant in M365").await?;
        app.select("Severity", "High").await?;
        app.type_into("Category", "Cloud").await?;
        app.type_into(
            "Description",
            "A user granted **Mail.ReadWrite** to an unverified app.\n\n- Revoke the grant\n- Review sign-ins of the last 7 days",
        )
        .await?;
        app.press_keys("Tags", &format!("oauth{ENTER}")).await?;
        app.press_keys("Tags", &format!("m365{ENTER}")).await?;
        // Back to the name field: the tag suggestions list would cover the form.
        app.field("Name").await?.click().await?;
        app.screenshot("create-case").await?;
        Ok(())
    });
}

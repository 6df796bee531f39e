//! Without an OS keychain (this scenario's D-Bus has no Secret Service), the analyst opts into
//! the encrypted secrets file in Settings → Secrets; a connector's token goes there, the next
//! start asks for the passphrase once, and Lock now locks it again.

use anyhow::ensure;

use crate::fake_jira::{FakeJira, Flavour, JiraAuth};
use crate::harness::{App, scenario};

const EMAIL: &str = "casey@example.com";
const TOKEN: &str = "ATATT3xFfGF0-e2e-file-token-51";
const PASSPHRASE: &str = "orbit lantern plum seventeen";

#[test]
fn without_a_keychain_secrets_go_to_the_encrypted_file() {
    let jira = FakeJira::start(Flavour::Cloud, "SEC", JiraAuth::basic(EMAIL, TOKEN));
    let url = jira.url();
    scenario("secrets_file", async |app: &mut App| {
        app.click_button("Settings").await?;
        app.click_button_in("Settings sections", "Secrets").await?;
        app.wait_for_text("No OS keychain can be used here, so tokens and API keys cannot be saved.").await?;
        app.click_button("Use an encrypted file…").await?;
        app.type_into("New passphrase", PASSPHRASE).await?;
        app.type_into("Type it again", PASSPHRASE).await?;
        app.click_button_in("Keep secrets in an encrypted file", "Move secrets").await?;
        app.wait_for_text("Secrets are now kept in the encrypted file.").await?;
        app.wait_for_text("Unlocked this session").await?;

        app.click_button_in("Settings sections", "Connectors").await?;
        app.click_button("Add connector").await?;
        app.type_into("Name", "SOC Jira").await?;
        app.select("System", "Jira").await?;
        app.type_into("URL", &url).await?;
        app.type_into("Project key", "SEC").await?;
        app.type_into("Email or user name", EMAIL).await?;
        app.type_into("API token or password", TOKEN).await?;
        app.click_button("Save connector").await?;
        app.wait_for_text("Stored in encrypted file").await?;
        let file = format!("{}.secrets.age", app.db_path().display());
        let bytes = std::fs::read(&file)?;
        ensure!(bytes.starts_with(b"age-encryption.org/v1"), "{file} is not an age file");
        ensure!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()), "the token is readable in {file}");

        // The next start asks once; the token works after the passphrase is given.
        app.relaunch().await?;
        app.wait_for_text("Unlock your secrets").await?;
        app.type_into("Passphrase", PASSPHRASE).await?;
        app.click_button_in("Unlock your secrets", "Unlock").await?;
        app.wait_for_no_text("Unlock your secrets").await?;
        app.click_button("Settings").await?;
        app.click_button_in("Settings sections", "Connectors").await?;
        app.click_button("Test connection").await?;
        app.wait_for_text("project SEC (SEC Security Operations) is reachable").await?;

        // Lock now: the connector still shows, its token not checked, and a test is refused.
        app.click_button_in("Settings sections", "Secrets").await?;
        app.click_button("Lock now").await?;
        app.wait_for_text("Locked. Connectors and the alert source ask for the passphrase").await?;
        app.click_button_in("Settings sections", "Connectors").await?;
        app.wait_for_text("Not checked (secrets file locked)").await?;
        ensure!(!app.page_text().await?.contains(TOKEN), "the token is on screen");
        Ok(())
    });
}

//! `casebook alert-source …` (also `casebook source …`): the space's Elasticsearch source of alerts.

use casebook_core::alerts::{AlertSource, AlertSourceInput};
use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::{Out, block_on};

#[derive(Subcommand, Debug)]
pub enum AlertSourceCmd {
    /// Set or change the source. The API key is read from standard input, never from the
    /// command line: `printf %s "$KEY" | casebook alert-source set --url https://… --api-key-stdin`.
    Set {
        #[arg(long)]
        url: String,
        /// The Kibana space whose alerts are read (default: this space's name).
        #[arg(long)]
        kibana_space: Option<String>,
        /// Read the encoded API key from standard input (omit to keep the stored key).
        #[arg(long)]
        api_key_stdin: bool,
    },
    /// Show the source (never the key).
    Show,
    /// Check the URL, the key and the cluster with one request.
    Test,
    /// Forget the source and delete its key from the keychain.
    Remove,
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &AlertSourceCmd) -> Result<(), Error> {
    let store = super::secrets::store_words(book)?;
    let show = |s: &AlertSource| show_source(s, store);
    match cmd {
        AlertSourceCmd::Set { url, kibana_space, api_key_stdin } => {
            let api_key = if *api_key_stdin {
                Some(crate::input::secret_from_stdin("api_key", "the encoded API key")?)
            } else {
                None
            };
            let input = AlertSourceInput { url: url.clone(), kibana_space: kibana_space.clone(), api_key };
            let s = book.set_alert_source(out.space, &input)?;
            out.show(&s, show);
        }
        AlertSourceCmd::Show => {
            let s = book.alert_source(out.space)?;
            out.show(&s, |s| match s {
                Some(s) => show(s),
                None => say!("No Elasticsearch source in space {}. Set one with: casebook alert-source set --url https://… --api-key-stdin", out.space),
            });
        }
        AlertSourceCmd::Test => {
            let info = block_on(book.test_alert_source(out.space))?;
            out.show(&info, |i| say!("OK: cluster {} (Elasticsearch {})", i.cluster_name, i.version));
        }
        AlertSourceCmd::Remove => {
            book.remove_alert_source(out.space)?;
            out.show(&serde_json::json!({ "removed": out.space }), |_| {
                say!("Removed the Elasticsearch source of space {} and its key.", out.space)
            });
        }
    }
    Ok(())
}

fn show_source(s: &AlertSource, store: &str) {
    say!("Elasticsearch source of space {}", s.space);
    say!("  url      {}", s.url);
    say!("  index    {}", s.index);
    say!(
        "  api key  {}",
        match &s.api_key_unreadable {
            Some(why) => format!("not checked: {}", why.message),
            None if s.api_key_stored => format!("stored in {store}"),
            None => "missing: set it again with --api-key-stdin".into(),
        }
    );
}

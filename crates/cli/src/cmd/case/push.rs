//! `casebook case set-connector` and `casebook case push`: a case sent to Jira or ServiceNow.

use casebook_core::connectors::fields::from_pairs;
use casebook_core::model::*;
use casebook_core::{Casebook, Error};

use crate::cmd::{Out, block_on, case_id};
use crate::print;

pub fn set_connector(
    book: &Casebook,
    out: &Out<'_>,
    case: &str,
    connector: &str,
    fields: &[String],
) -> Result<(), Error> {
    let c = book.resolve_case(out.space, case)?;
    let fields = from_pairs(fields)?;
    let c = book.set_case_connector(&c.id, &c.version, Some(connector), &fields)?;
    out.show(&c, print::case);
    Ok(())
}

pub fn push(book: &Casebook, out: &Out<'_>, case: &str, connector: Option<&str>, wait: bool) -> Result<(), Error> {
    let id = case_id(book, out, case)?;
    let mut outcome = block_on(book.push_case(&id, connector))?;
    if wait {
        // The outbox's own retry wait (casebook_core::background::outbox), told here as it starts.
        let waiting = book.send_until_done(outcome, |item, pause| {
            if !out.json {
                crate::print::warn(format_args!(
                    "casebook: not sent yet ({}); trying again in {}",
                    item.last_error.as_deref().unwrap_or("waiting"),
                    print::span(pause.as_secs_f64())
                ));
            }
        });
        outcome = match block_on(waiting) {
            // Another Casebook (the app's background sender) sent it meanwhile.
            Err(Error::NotFound { .. }) => {
                let case = book.get_case(&id)?;
                out.show(&case, |c| match &c.external_service {
                    Some(x) => say!(
                        "Sent by another Casebook process: {} in {} ({})",
                        x.external_title,
                        x.connector_name,
                        x.external_url
                    ),
                    None => say!("The push was cancelled by another Casebook process."),
                });
                return Ok(());
            }
            other => other?,
        };
    }
    out.show(&outcome, show_outcome);
    if let PushOutcome::Failed { item } = outcome {
        // Refused: the outcome above says why; the exit status says it failed.
        if !out.json {
            crate::print::warn(format_args!(
                "casebook: the push waits in the outbox as #{}; fix the cause, then: casebook outbox retry {}",
                item.id, item.id
            ));
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
        std::process::exit(1);
    }
    Ok(())
}

/// Also what `casebook outbox retry` and `run` print for each push they send.
pub fn show_outcome(o: &PushOutcome) {
    match o {
        PushOutcome::Sent { report: r } => {
            let what = match (r.created, r.adopted) {
                (true, true) => "Found the ticket an interrupted push had created and updated",
                (true, false) => "Created",
                _ => "Updated",
            };
            say!("{what} {} in {}: {}", r.external_title, r.connector_name, r.external_url);
            say!("  {} comment{} sent", r.comments_sent, if r.comments_sent == 1 { "" } else { "s" });
            if r.closed_case {
                say!("  the case was closed (the space closes cases when they are pushed)");
            }
        }
        PushOutcome::Queued { item } => {
            say!(
                "Queued as #{} for {}: {}",
                item.id,
                item.connector_name,
                item.last_error.as_deref().unwrap_or("waiting to be sent")
            );
            if let Some(at) = item.next_attempt_at {
                say!("  next attempt {}; Casebook retries by itself (casebook outbox list)", at.format("%H:%M:%S UTC"));
            }
        }
        PushOutcome::Failed { item } => {
            say!("Not sent to {}:", item.connector_name);
            for line in item.last_error.as_deref().unwrap_or("").lines() {
                say!("  {line}");
            }
        }
    }
}

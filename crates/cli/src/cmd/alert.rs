use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;

use casebook_core::model::*;
use casebook_core::{Casebook, Error};

use super::{Out, case_id};
use crate::args::{AlertCmd, AlertListArgs};
use crate::print;

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &AlertCmd) -> Result<(), Error> {
    match cmd {
        AlertCmd::Import { file, case } => {
            let id = case_id(book, out, case)?;
            let show = std::io::stderr().is_terminal() && !out.json;
            let report = book.import_alerts_file(&id, file, &mut |p| {
                if show {
                    progress_line(p);
                }
                ControlFlow::Continue(())
            })?;
            if show {
                eprint!("\r\x1b[2K");
            }
            out.show(&report, print::import_report);
        }
        AlertCmd::List(a) => {
            let page = book.list_alerts(&case_id(book, out, &a.case)?, &list_query(a)?)?;
            out.show(&page, print::alert_table);
        }
        AlertCmd::Show { case, alert } => {
            let detail = book.get_alert(&case_id(book, out, case)?, alert)?;
            out.show(&detail, print::alert_detail);
        }
        AlertCmd::Remove { case, alerts } => {
            let n = book.remove_alerts(&case_id(book, out, case)?, alerts)?;
            out.show(&serde_json::json!({ "removed": n }), |_| say!("Removed {n} alerts from the case."));
        }
        AlertCmd::Summary { case } => {
            let o = book.alert_overview(&case_id(book, out, case)?)?;
            out.show(&o, print::alert_overview);
        }
    }
    Ok(())
}

fn list_query(a: &AlertListArgs) -> Result<AlertListQuery, Error> {
    let sort: AlertSortField =
        serde_json::from_value(serde_json::Value::String(a.sort.trim().to_string())).map_err(|_| {
            Error::Validation {
                field: "sort".into(),
                message: format!("must be rule, time, severity, risk_score, host or user (got {:?})", a.sort),
            }
        })?;
    Ok(AlertListQuery {
        page: Some(a.page),
        per_page: Some(a.per_page),
        sort: Some(sort),
        order: a.order.as_deref().map(str::parse).transpose()?,
        rule: a.rule.clone(),
        severity: a.severity.as_deref().map(str::parse).transpose()?,
        workflow_status: a.workflow_status.as_deref().map(str::parse).transpose()?,
        search: a.search.clone(),
    })
}

fn progress_line(p: &AlertImportProgress) {
    let pct = (p.bytes_read * 100).checked_div(p.total_bytes).unwrap_or(100);
    let phase = match p.phase {
        ImportPhase::Reading => "reading",
        ImportPhase::Saving => "saving",
    };
    eprint!("\r\x1b[2K{phase} {pct:>3}%  {} alerts", p.alerts_read);
    let _ = std::io::stderr().flush();
}

//! `casebook export cases|comments|activity|metrics`: rows with the field names of Kibana's
//! case analytics indices, as CSV or NDJSON, to standard output or a file.

use std::io::IsTerminal;
use std::path::PathBuf;

use casebook_core::analytics::{ExportFormat, ExportKind, ExportProgress};
use casebook_core::model::MetricsQuery;
use casebook_core::{Casebook, Error};
use clap::Args;

use super::Out;
use super::metrics::{AnalyticsFilterArgs, query};
use crate::print;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// cases, comments, activity or metrics (the trend buckets).
    pub kind: String,
    /// csv or ndjson.
    #[arg(long, default_value = "ndjson")]
    pub format: String,
    /// Write to this file (replaced only once the export is complete) instead of standard output.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Buckets of `metrics`: day, week or month.
    #[arg(long, default_value = "day")]
    pub interval: String,
    #[command(flatten)]
    pub filters: AnalyticsFilterArgs,
}

pub fn run(book: &Casebook, out: &Out<'_>, a: &ExportArgs) -> Result<(), Error> {
    let kind: ExportKind = a.kind.parse()?;
    let format: ExportFormat = a.format.parse()?;
    let q = MetricsQuery { interval: a.interval.parse()?, ..query(out, &a.filters)? };
    // Progress goes to a terminal only: a script reading stderr sees errors alone.
    let tty = std::io::stderr().is_terminal();
    let mut progress = |p: ExportProgress| {
        if tty && p.total >= 10_000 {
            eprint!("\r{} of {} rows", print::num(p.done as i64), print::num(p.total as i64));
            if p.done == p.total {
                eprintln!();
            }
        }
    };
    let rows = match &a.output {
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            book.export_analytics(kind, format, &q, &mut lock, &mut progress)?
        }
        Some(path) => book.export_analytics_to_file(kind, format, &q, path, &mut progress)?,
    };
    if let Some(path) = &a.output {
        let written = serde_json::json!({ "rows": rows, "output": path.display().to_string() });
        out.show(&written, |_| say!("{} rows written to {}", print::num(rows as i64), path.display()));
    }
    Ok(())
}

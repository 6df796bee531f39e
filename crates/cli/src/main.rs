//! `casebook`: the command-line adapter over casebook-core. Each command parses its
//! arguments, calls the core once or twice and prints the result; no behaviour lives here.

mod args;
mod cmd;
mod input;
mod print;

use std::process::ExitCode;

use casebook_core::{Casebook, Error, store};
use clap::Parser;

use args::Cli;

fn main() -> ExitCode {
    let json = std::env::args().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if json && !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let msg = e.render().to_string();
                let first = msg.lines().next().unwrap_or("").trim_start_matches("error: ").to_string();
                print::json_error("usage", &first);
                return ExitCode::from(2);
            }
            e.exit();
        }
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if cli.json {
                print::json_error(e.code(), &e.to_string());
            } else {
                eprintln!("casebook: {e}");
            }
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli) -> Result<(), Error> {
    let path = cli.db.clone().unwrap_or_else(store::default_db_path);
    let book = Casebook::open(&path)?;
    cmd::dispatch(&book, cli)
}

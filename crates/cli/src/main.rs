//! `casebook`: the command-line adapter over casebook-core. Each command parses its
//! arguments, calls the core once or twice and prints the result; no behaviour lives here.

/// `println!` that survives a closed pipe.
macro_rules! say {
    () => { $crate::print::line(format_args!("")) };
    ($($t:tt)*) => { $crate::print::line(format_args!($($t)*)) };
}

mod cmd;
mod input;
mod print;

use std::process::ExitCode;

use casebook_core::{Casebook, Error, WireError};
use clap::Parser;

use cmd::Cli;

fn main() -> ExitCode {
    // `args_os`: `args` panics on an argument that is not UTF-8 (a Latin-1 path is a valid
    // --db); clap then refuses such text where a string is needed, as a usage error.
    let json = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if e.kind() == ErrorKind::InvalidUtf8
                && let Some(message) = which_argument_is_not_utf8()
            {
                if json {
                    print::json_error(&WireError::usage(message));
                } else {
                    print::warn(format_args!("casebook: {message}"));
                }
                return ExitCode::from(2);
            }
            if json && !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                // clap's message without its usage and help hints, on one line.
                let msg = e.render().to_string();
                let text: Vec<&str> = msg
                    .lines()
                    .map(str::trim)
                    .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                    .filter(|l| !l.is_empty())
                    .collect();
                print::json_error(&WireError::usage(text.join(" ").trim_start_matches("error: ")));
                return ExitCode::from(2);
            }
            e.exit();
        }
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if cli.json {
                print::json_error(&e.to_wire());
            } else {
                print::warn(format_args!("casebook: {e}"));
            }
            ExitCode::from(1)
        }
    }
}

/// clap only says "invalid UTF-8 was detected in one or more arguments": name the flag whose
/// value it is. Path flags take any path, so their values are never the culprit; a positional
/// argument may be a path too (a file to import), so it is not named and clap's words stay.
fn which_argument_is_not_utf8() -> Option<String> {
    const PATH_FLAGS: [&str; 2] = ["--db", "--from-json"];
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    args.iter().enumerate().filter(|(_, a)| a.to_str().is_none()).find_map(|(at, bad)| {
        let lossy = bad.to_string_lossy();
        let (flag, shown) = match lossy.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), value.to_string()),
            _ => {
                let prev = args[at.checked_sub(1)?].to_str()?;
                (prev.starts_with('-') && prev != "-").then(|| (prev.to_string(), lossy.to_string()))?
            }
        };
        (!PATH_FLAGS.contains(&flag.as_str()))
            .then(|| format!("{flag}: not UTF-8 text (got {shown:?}); text values must be UTF-8"))
    })
}

fn run(cli: &Cli) -> Result<(), Error> {
    if let cmd::Command::Serve(args) = &cli.command {
        return cmd::serve::run(&cmd::Out { json: cli.json, space: &cli.space }, args);
    }
    let mut book = open(cli)?;
    cli.passphrase_source().install(&mut book);
    cmd::dispatch(&book, cli)
}

/// Commands that only read open the file read-only: they never write it (not even statistics),
/// never wait for another process's writer, and work on a read-only file. A file that does not
/// exist yet or needs an upgrade is set up by the normal open, so `case list` on a new machine
/// prints an empty list.
fn open(cli: &Cli) -> Result<Casebook, Error> {
    if cmd::is_read_only(&cli.command) {
        let path = cli.db.clone().unwrap_or_else(casebook_core::store::default_db_path);
        if let Some(book) = Casebook::open_read_only(&path)? {
            return Ok(book);
        }
    }
    match &cli.db {
        Some(path) => Casebook::open(path),
        None => Casebook::open_default(),
    }
}

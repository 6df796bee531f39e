//! `casebook secrets …`: where this database's secrets are kept (the OS keychain, or the
//! opt-in encrypted file beside the database), and the file's passphrase for this run.

use std::io::{BufRead, IsTerminal};
use std::sync::{Arc, OnceLock};

use casebook_core::secrets::{EncryptedFile, SecretStoreKind, SecretStoreStatus, SecretStoreSwitch};
use casebook_core::{Casebook, Error};
use clap::{Subcommand, ValueEnum};

use super::Out;

/// The environment variable a script gives the encrypted file's passphrase in.
pub const PASSPHRASE_ENV: &str = "CASEBOOK_SECRETS_PASSPHRASE";
/// The new passphrase for `casebook secrets passphrase`, for scripts.
pub const NEW_PASSPHRASE_ENV: &str = "CASEBOOK_SECRETS_NEW_PASSPHRASE";

#[derive(Subcommand, Debug)]
pub enum SecretsCmd {
    /// Where the secrets are kept, whether the OS keychain answers, and the encrypted file.
    Status,
    /// Moves every secret to another store and keeps them there from now on. The encrypted
    /// file is weaker than the OS keychain: anyone with a copy of it can try passphrases.
    Store {
        #[arg(value_enum, value_name = "STORE")]
        store: StoreArg,
    },
    /// Encrypts the file again with a new passphrase (the current one as for any command; the
    /// new one from CASEBOOK_SECRETS_NEW_PASSPHRASE or typed twice). The app, if open, asks for
    /// the new one the next time it needs a secret.
    Passphrase,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum StoreArg {
    /// The encrypted file `<db>.secrets.age`, opened with a passphrase.
    File,
    /// The OS keychain (the default).
    Keychain,
}

/// Where this run's passphrase comes from: `--passphrase-stdin` (the first line; a command's
/// own `--secret-stdin` then reads what follows), `CASEBOOK_SECRETS_PASSPHRASE`,
/// or a prompt on the terminal (asked at most once, and only when a secret is needed).
#[derive(Clone, Copy)]
pub struct PassphraseSource {
    pub stdin: bool,
}

impl PassphraseSource {
    /// The encrypted file of `book`, asking this source when the passphrase is first needed.
    pub fn install(self, book: &mut Casebook) {
        if self.stdin {
            // Read now, before a command reads the rest of standard input (`--secret-stdin`).
            let _ = stdin_line();
        }
        let prompt = Arc::new(move || self.given().or_else(|| ask("Passphrase of the encrypted secrets file: ")));
        let file = EncryptedFile::beside(book.path()).with_prompt(prompt);
        book.set_secrets_file(file);
    }

    /// The passphrase given without a prompt, if any.
    fn given(self) -> Option<String> {
        if self.stdin {
            return stdin_line().clone();
        }
        std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty())
    }

    /// A new file's passphrase: given, or typed twice on the terminal.
    fn for_new_file(self) -> Result<String, Error> {
        if let Some(p) = self.given() {
            return Ok(p);
        }
        typed_twice("Choose a passphrase for the encrypted secrets file: ")
    }
}

/// A new passphrase typed twice on the terminal.
fn typed_twice(prompt: &str) -> Result<String, Error> {
    let first = ask(prompt).ok_or_else(no_passphrase)?;
    let again = ask("Type it again: ").ok_or_else(no_passphrase)?;
    if first != again {
        return Err(Error::Validation {
            field: "passphrase".into(),
            message: "the two passphrases differ; nothing was changed".into(),
        });
    }
    Ok(first)
}

fn no_passphrase() -> Error {
    Error::Validation {
        field: "passphrase".into(),
        message: format!("none given: set {PASSPHRASE_ENV}, pass --passphrase-stdin, or run on a terminal to be asked"),
    }
}

/// The first line of standard input, read once (every use in this run gets the same text).
fn stdin_line() -> &'static Option<String> {
    static LINE: OnceLock<Option<String>> = OnceLock::new();
    LINE.get_or_init(|| {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).ok()?;
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        (!line.is_empty()).then_some(line)
    })
}

/// Asks on the terminal without echo; `None` when there is no terminal or nothing was typed.
fn ask(prompt: &str) -> Option<String> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    rpassword::prompt_password(prompt).ok().filter(|p| !p.is_empty())
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &SecretsCmd, source: PassphraseSource) -> Result<(), Error> {
    match cmd {
        SecretsCmd::Status => {
            let status = book.secret_store_status()?;
            out.show(&status, print_status);
        }
        SecretsCmd::Passphrase => {
            if !book.secrets_file().exists() {
                return Err(Error::Validation {
                    field: "passphrase".into(),
                    message: "there is no encrypted secrets file yet: `casebook secrets store file` creates one".into(),
                });
            }
            let old = source.given().or_else(|| ask("Current passphrase: ")).ok_or_else(no_passphrase)?;
            let new = match std::env::var(NEW_PASSPHRASE_ENV).ok().filter(|p| !p.is_empty()) {
                Some(new) => new,
                None if std::io::stdin().is_terminal() => typed_twice("New passphrase: ")?,
                None => {
                    return Err(Error::Validation {
                        field: "new_passphrase".into(),
                        message: format!("none given: set {NEW_PASSPHRASE_ENV}, or run on a terminal to be asked"),
                    });
                }
            };
            let status = book.change_secrets_passphrase(&old, &new)?;
            out.show(&status, |s| {
                say!("The encrypted file {} now opens with the new passphrase only.", s.file_path);
            });
        }
        SecretsCmd::Store { store } => {
            let (kind, passphrase) = match store {
                StoreArg::File => {
                    let passphrase = if book.secrets_file().exists() {
                        source.given().or_else(|| ask("Passphrase of the encrypted secrets file: "))
                    } else {
                        Some(source.for_new_file()?)
                    };
                    (SecretStoreKind::EncryptedFile, Some(passphrase.ok_or_else(no_passphrase)?))
                }
                // The file is opened (through the prompt) only if it holds secrets to move.
                StoreArg::Keychain => (SecretStoreKind::OsKeychain, None),
            };
            let report = book.set_secret_store(kind, passphrase.as_deref())?;
            out.show(&report, print_switch);
        }
    }
    Ok(())
}

/// Where this database's secrets are, inside a sentence ("stored in the OS keychain").
pub fn store_words(book: &Casebook) -> Result<&'static str, Error> {
    Ok(match book.secret_store_kind()? {
        SecretStoreKind::OsKeychain => "the OS keychain",
        SecretStoreKind::EncryptedFile => "the encrypted secrets file",
    })
}

fn print_status(s: &SecretStoreStatus) {
    match s.store {
        SecretStoreKind::OsKeychain => say!("Secrets are kept in the OS keychain."),
        SecretStoreKind::EncryptedFile => {
            say!("Secrets are kept in the encrypted file {}.", s.file_path);
            say!("It is weaker than the OS keychain: anyone with a copy of it can try passphrases.");
        }
    }
    say!("Secrets in use: {} (connectors and alert sources).", s.secrets_in_use);
    match &s.keychain_problem {
        None => say!("OS keychain: available."),
        Some(problem) => say!("OS keychain: not usable now. {problem}"),
    }
    if s.file_exists {
        say!("Encrypted file: {} ({}).", s.file_path, if s.unlocked { "unlocked" } else { "locked" });
    } else {
        say!("Encrypted file: none yet ({} once chosen).", s.file_path);
    }
}

fn print_switch(r: &SecretStoreSwitch) {
    let moved = match r.moved {
        1 => "1 secret".to_string(),
        n => format!("{n} secrets"),
    };
    match r.status.store {
        SecretStoreKind::OsKeychain => say!("Secrets are now kept in the OS keychain; moved {moved}."),
        SecretStoreKind::EncryptedFile => say!(
            "Secrets are now kept in the encrypted file {} (weaker than the OS keychain); moved {moved}.",
            r.status.file_path
        ),
    }
    if !r.not_moved.is_empty() {
        say!("Not moved (still in the other store; enter them again, or switch back to reach them):");
        for n in &r.not_moved {
            say!("  {}: {}", n.label, n.reason);
        }
    }
}

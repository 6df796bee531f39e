//! What the connector tests of the CLI run against: a throwaway OS keychain (a private D-Bus
//! session with an unlocked gnome-keyring, as scripts/test-keychain makes) and the contract
//! tests' fakes as one process (`cargo build -p casebook-tests --example contract-fakes`).
//! Without either, a test says SKIP and passes, unless CASEBOOK_KEYCHAIN=require (CI).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use super::{BIN, Cb, Run, spawn, with_json};

/// A D-Bus session with an unlocked gnome-keyring, alive until dropped.
pub struct Keychain {
    session: Child,
    address: String,
    home: tempfile::TempDir,
}

impl Keychain {
    pub fn start() -> Option<Keychain> {
        let home = tempfile::tempdir().unwrap();
        let script = "printf %s casebook-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; \
                      echo \"$DBUS_SESSION_BUS_ADDRESS\"; exec cat >/dev/null";
        let mut session = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", script])
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut line = String::new();
        BufReader::new(session.stdout.take().unwrap()).read_line(&mut line).ok()?;
        let address = line.trim().to_string();
        if address.is_empty() {
            let _ = session.kill();
            return None;
        }
        Some(Keychain { session, address, home })
    }

    /// Points `cmd` at this keychain.
    pub fn env(&self, cmd: &mut Command) {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("HOME", self.home.path())
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env("XDG_RUNTIME_DIR", self.home.path());
    }

    /// `casebook --json <args>` on this keychain, with `stdin`; must succeed and print no
    /// form of `secret`.
    pub fn ok(&self, cb: &Cb, args: &[&str], stdin: Option<&str>, secret: &str) -> Value {
        let r = self.run(cb, args, stdin);
        assert_eq!(r.code, 0, "casebook {args:?} failed:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        assert!(!r.stdout.contains(secret) && !r.stderr.contains(secret), "the secret was printed");
        r.json()
    }

    pub fn run(&self, cb: &Cb, args: &[&str], stdin: Option<&str>) -> Run {
        let mut cmd = cb.cmd(&with_json(args));
        self.env(&mut cmd);
        spawn(cmd, stdin)
    }
}

impl Drop for Keychain {
    fn drop(&mut self) {
        // Closing cat's stdin ends the session and the keyring daemon with it.
        drop(self.session.stdin.take());
        let _ = self.session.wait();
    }
}

/// The contract fakes' process, alive until dropped, and the line it printed (addresses and
/// credentials of each fake).
pub struct Fakes {
    process: Child,
    pub ready: Value,
}

impl Fakes {
    pub fn start() -> Option<Fakes> {
        let bin = PathBuf::from(BIN).parent()?.join("examples").join("contract-fakes");
        if !bin.is_file() {
            return None;
        }
        let mut process =
            Command::new(bin).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().ok()?;
        let mut line = String::new();
        BufReader::new(process.stdout.take()?).read_line(&mut line).ok()?;
        let ready = serde_json::from_str(&line).unwrap_or_else(|e| panic!("contract-fakes said {line:?}: {e}"));
        Some(Fakes { process, ready })
    }
}

impl Drop for Fakes {
    fn drop(&mut self) {
        drop(self.process.stdin.take());
        let _ = self.process.wait();
    }
}

/// The fakes and a keychain, or SKIP (a failure with CASEBOOK_KEYCHAIN=require) naming what
/// is missing.
pub fn fakes_and_keychain(test: &str) -> Option<(Fakes, Keychain)> {
    let Some(fakes) = Fakes::start() else {
        missing(test, "the contract-fakes example (cargo build -p casebook-tests --example contract-fakes)");
        return None;
    };
    let Some(keychain) = Keychain::start() else {
        missing(test, "a keychain (dbus-run-session and gnome-keyring-daemon)");
        return None;
    };
    Some((fakes, keychain))
}

fn missing(test: &str, what: &str) {
    assert_ne!(
        std::env::var("CASEBOOK_KEYCHAIN").as_deref(),
        Ok("require"),
        "{what} is missing and CASEBOOK_KEYCHAIN=require"
    );
    eprintln!("{test} SKIP: {what} is missing; the push from the command line was not tried");
}

/// One plain HTTP/1.1 GET to a fake on 127.0.0.1; the answer's JSON (must be 200).
pub fn http_get(url: &str, path: &str, headers: &[(&str, &str)]) -> Value {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let (_, body) = reply.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap()
}

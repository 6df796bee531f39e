//! A TheHive connector from the command line: `connector create --type thehive --set
//! organisation=…` with the API key on stdin, `connector test`, `case set-connector --field
//! tlp=…` and `case push`, against the contract fake TheHive (`cargo build -p casebook-tests
//! --example contract-fakes`, which scripts/test builds first) with a real Secret Service
//! (a throwaway gnome-keyring on a private D-Bus session). A bad `--set` needs neither.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use support::*;

/// A child killed and reaped on drop.
struct Owned(Child);

impl Drop for Owned {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A private session bus with gnome-keyring's Secret Service on it, its keyring in a
/// temporary folder; `None` (the test says SKIP) where the tools are missing.
struct Keychain {
    bus: String,
    _keyring: Owned,
    _dbus: Owned,
    _data: tempfile::TempDir,
}

fn on_path(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(tool)).find(|p| p.is_file()))
}

/// The first line `child` prints, within `timeout`.
fn first_line(out: impl Read + Send + 'static, timeout: Duration) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(out);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    rx.recv_timeout(timeout).unwrap_or_default()
}

impl Keychain {
    fn start() -> Option<Keychain> {
        let (Some(dbus_daemon), Some(daemon), Some(_)) =
            (on_path("dbus-daemon"), on_path("gnome-keyring-daemon"), on_path("dbus-send"))
        else {
            assert_ne!(
                std::env::var("CASEBOOK_KEYCHAIN").as_deref(),
                Ok("require"),
                "gnome-keyring or dbus is missing and CASEBOOK_KEYCHAIN=require"
            );
            eprintln!("keychain SKIP: install gnome-keyring and dbus to push from the CLI to the fake TheHive");
            return None;
        };
        let data = tempfile::tempdir().unwrap();
        let socket = data.path().join("bus");
        let mut dbus = Command::new(dbus_daemon)
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = dbus.stdout.take().unwrap();
        let dbus = Owned(dbus);
        let bus = first_line(out, Duration::from_secs(10)).trim().to_string();
        assert!(!bus.is_empty(), "dbus-daemon did not print its address");
        let mut keyring = Command::new(daemon)
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .env("XDG_DATA_HOME", data.path())
            .env("HOME", data.path())
            .env_remove("XDG_RUNTIME_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The new login keyring's password, then end of input: how --unlock reads it.
        keyring.stdin.take().unwrap().write_all(b"casebook-cli-test").unwrap();
        let keyring = Owned(keyring);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let reply = Command::new("dbus-send")
                .env("DBUS_SESSION_BUS_ADDRESS", &bus)
                .args(["--session", "--dest=org.freedesktop.DBus", "--type=method_call", "--print-reply"])
                .args(["/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&reply.stdout).contains("boolean true") {
                break;
            }
            assert!(Instant::now() < deadline, "gnome-keyring did not appear on the session bus within 10 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Keychain { bus, _keyring: keyring, _dbus: dbus, _data: data })
    }
}

/// The contract fakes' process (it stops when its stdin closes, i.e. when this is dropped) and
/// what it printed: `thehive: {url, organisation, secret}` among others.
struct Fakes {
    _child: Owned,
    said: Value,
}

impl Fakes {
    fn start() -> Option<Fakes> {
        // Beside this binary: target/debug/examples/contract-fakes.
        let bin = Path::new(BIN).parent().unwrap().join("examples/contract-fakes");
        if !bin.is_file() {
            eprintln!(
                "contract-fakes SKIP: build them first (cargo build -p casebook-tests --example contract-fakes); {} is missing",
                bin.display()
            );
            return None;
        }
        let mut child =
            Command::new(bin).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let out = child.stdout.take().unwrap();
        let child = Owned(child);
        let line = first_line(out, Duration::from_secs(20));
        let said = serde_json::from_str(&line).unwrap_or_else(|e| panic!("contract-fakes said {line:?}: {e}"));
        Some(Fakes { _child: child, said })
    }
}

/// `casebook --json <args>` on the test's keychain, with `stdin`; must succeed.
fn ok(cb: &Cb, keychain: &Keychain, args: &[&str], stdin: Option<&str>) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let mut cmd = cb.cmd(&all);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", &keychain.bus);
    let r = spawn(cmd, stdin);
    assert_eq!(r.code, 0, "casebook {args:?} failed:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    r.json()
}

/// One plain HTTP/1.1 request to the fake; the answer's JSON.
fn get(url: &str, path: &str, headers: &[(&str, &str)]) -> Value {
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

#[test]
fn a_case_is_pushed_to_thehive_from_the_command_line() {
    let Some(keychain) = Keychain::start() else { return };
    let Some(fakes) = Fakes::start() else { return };
    let hive = &fakes.said["thehive"];
    let (url, org, key) =
        (hive["url"].as_str().unwrap(), hive["organisation"].as_str().unwrap(), hive["secret"].as_str().unwrap());
    let cb = Cb::new();

    let set_org = format!("organisation={org}");
    let create = ["connector", "create", "--name", "Hive", "--type", "thehive", "--url", url, "--set", &set_org];
    let mut create = create.to_vec();
    create.push("--secret-stdin");
    let c = ok(&cb, &keychain, &create, Some(key));
    assert_eq!(c["kind"], "thehive");
    assert_eq!(c["settings"], json!({"kind": "thehive", "organisation": org}));
    assert_eq!(c["secret_stored"], true);
    let levels: Vec<&str> =
        c["metadata"]["tlps"].as_array().unwrap().iter().map(|t| t["label"].as_str().unwrap()).collect();
    assert_eq!(levels, ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"], "offered without a refresh");
    assert!(!c.to_string().contains(key));

    let tested = ok(&cb, &keychain, &["connector", "test", "Hive"], None);
    assert_eq!(
        tested["message"],
        format!(
            "Connected to TheHive at {url} as Casebook Integration (casebook@thehive.local) in organisation {org}."
        )
    );

    let case = cb.create("Beacon on WS-0142", &["--tag", "c2", "--severity", "critical"]);
    let id = case["id"].as_str().unwrap();
    let set =
        ok(&cb, &keychain, &["case", "set-connector", id, "--connector", "Hive", "--field", "tlp=amber+strict"], None);
    assert_eq!(set["connector"]["type"], ".thehive");
    assert_eq!(set["connector"]["fields"], json!({"tlp": "3"}));
    ok(&cb, &keychain, &["comment", "add", id, "--body", "Isolated WS-0142"], None);

    let pushed = ok(&cb, &keychain, &["case", "push", id], None);
    assert_eq!(pushed["outcome"], "sent", "{pushed}");
    let report = &pushed["report"];
    let title = report["external_title"].as_str().unwrap();
    assert!(title.starts_with('#') && title.ends_with(" Beacon on WS-0142"), "{title}");
    assert_eq!(report["comments_sent"], 1);
    let external = report["external_id"].as_str().unwrap();
    assert_eq!(report["external_url"], format!("{url}/cases/{external}/details"));

    // What TheHive keeps.
    let auth = format!("Bearer {key}");
    let headers = [("Authorization", auth.as_str()), ("X-Organisation", org)];
    let made = get(url, &format!("/api/v1/case/{external}"), &headers);
    assert_eq!((&made["title"], &made["severity"], &made["tlp"]), (&json!("Beacon on WS-0142"), &json!(4), &json!(3)));
    assert_eq!(made["tags"], json!(["c2", format!("casebook-{id}")]));
    assert_eq!(made["status"], "New");
    let db = std::fs::read(&cb.db).unwrap();
    assert!(!db.windows(key.len()).any(|w| w == key.as_bytes()), "the key reached the database");

    // A level TheHive does not have is refused with the levels.
    let mut cmd = cb.cmd(&["--json", "case", "set-connector", id, "--connector", "Hive", "--field", "tlp=WHITE"]);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", &keychain.bus);
    let r = spawn(cmd, None);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let message = r.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(
        message.starts_with(
            "fields.tlp: \"WHITE\" is not offered by Hive; choose one of: CLEAR, GREEN, AMBER, AMBER+STRICT, RED"
        ),
        "{message}"
    );
}

#[test]
fn a_bad_set_names_thehives_settings() {
    let cb = Cb::new();
    let base = ["connector", "create", "--name", "Hive", "--type", "thehive", "--url", "https://hive.example.com"];
    let with = |extra: &[&'static str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        args.push("--secret-stdin");
        args
    };
    let (code, message) = cb.fails_stdin(&with(&["--set", "org=SOC"]), "key");
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("validation", "org: is not a TheHive setting; its settings are organisation")
    );
    let (_, message) = cb.fails_stdin(&with(&["--set", "organisation"]), "key");
    assert_eq!(message, "set: must be NAME=VALUE, e.g. org_id=201 (got \"organisation\")");
    let (_, message) = cb.fails_stdin(&with(&["--project", "SEC"]), "key");
    assert!(message.starts_with("project_key: is not a TheHive setting"), "{message}");
    let (code, message) = cb.fails(&["connector", "create", "--name", "Hive", "--type", ".thehive"]);
    assert_eq!((code.as_str(), message.as_str()), ("validation", "url: is required (--url https://…)"));
    assert_eq!(cb.ok(&["connector", "list"]), json!([]));
}

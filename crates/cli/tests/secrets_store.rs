//! `casebook secrets …` on a machine without an OS keychain: the opt-in encrypted file store,
//! its passphrase from the environment or standard input, and its stable error codes.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use support::*;

const PASSPHRASE: &str = "orbit lantern plum seventeen";
const TOKEN: &str = "ATATT3x-file-token-0077";

const JIRA: &[&str] = &[
    "connector",
    "create",
    "--name",
    "SOC Jira",
    "--type",
    "jira",
    "--url",
    "https://example.atlassian.net",
    "--project",
    "SEC",
    "--username",
    "casey@example.com",
    "--secret-stdin",
];

/// `casebook --json <args>` with no reachable Secret Service, the passphrase in the
/// environment when given, and `stdin`.
fn run(cb: &Cb, args: &[&str], passphrase: Option<&str>, stdin: Option<&str>) -> Run {
    let mut cmd = cb.cmd(&with_json(args));
    cmd.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/casebook-test-bus");
    cmd.env_remove("CASEBOOK_SECRETS_PASSPHRASE");
    if let Some(p) = passphrase {
        cmd.env("CASEBOOK_SECRETS_PASSPHRASE", p);
    }
    let r = spawn(cmd, stdin);
    for secret in [TOKEN, PASSPHRASE] {
        assert!(!r.stdout.contains(secret) && !r.stderr.contains(secret), "{args:?} printed a secret: {}", r.stdout);
    }
    r
}

fn ok(r: Run) -> serde_json::Value {
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    r.json()
}

fn code(r: &Run) -> String {
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    r.json()["error"]["code"].as_str().unwrap().to_string()
}

#[test]
fn without_a_keychain_the_encrypted_file_is_opted_into_and_used() {
    let cb = Cb::new();
    // By default: the keychain, which is missing, and the error says where to turn.
    let status = ok(run(&cb, &["secrets", "status"], None, None));
    assert_eq!(status["store"], "os-keychain");
    assert!(status["keychain_problem"].as_str().unwrap().contains("DBus error"), "{status}");
    let r = run(&cb, JIRA, None, Some(TOKEN));
    assert_eq!(code(&r), "keychain_unavailable");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("casebook secrets store file"));

    // Without a passphrase (no terminal either) nothing changes.
    let r = run(&cb, &["secrets", "store", "file"], None, None);
    assert_eq!((code(&r), r.json()["error"]["field"].as_str()), ("validation".into(), Some("passphrase")));
    let r = run(&cb, &["secrets", "store", "file"], Some("too short"), None);
    assert_eq!(code(&r), "validation");
    assert_eq!(ok(run(&cb, &["secrets", "status"], None, None))["store"], "os-keychain");

    let switched = ok(run(&cb, &["secrets", "store", "file"], Some(PASSPHRASE), None));
    assert_eq!((switched["status"]["store"].as_str(), switched["moved"].as_u64()), (Some("encrypted-file"), Some(0)));
    let file = format!("{}.secrets.age", cb.db.display());
    assert_eq!(switched["status"]["file_path"], file.as_str());

    // Now a connector keeps its token in the file, never in the database.
    ok(run(&cb, JIRA, Some(PASSPHRASE), Some(TOKEN)));
    let listed = ok(run(&cb, &["connector", "list"], Some(PASSPHRASE), None));
    assert_eq!(listed[0]["name"], "SOC Jira");
    for path in [cb.db.clone(), file.clone().into()] {
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()), "{} holds the token", path.display());
    }

    // No passphrase: locked; a wrong one: refused by its code; both change nothing.
    // The list needs no secret: it shows, and says the secret could not be checked.
    let listed = ok(run(&cb, &["connector", "list"], None, None));
    assert_eq!(listed[0]["secret_stored"], false);
    assert_eq!(listed[0]["secret_unreadable"]["code"], "secrets_locked", "{listed}");
    let r = run(&cb, &["connector", "test", "SOC Jira"], None, None);
    assert_eq!(code(&r), "secrets_locked");
    let r = run(&cb, &["connector", "test", "SOC Jira"], Some("not the passphrase"), None);
    assert_eq!(code(&r), "wrong_passphrase");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains(&file));

    // The passphrase's line first, then the new token for --secret-stdin.
    let update = ["--passphrase-stdin", "connector", "edit", "SOC Jira", "--secret-stdin"];
    let r = run(&cb, &update, None, Some(&format!("{PASSPHRASE}\n{TOKEN}-2")));
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);

    let status = ok(run(&cb, &["secrets", "status"], None, None));
    assert_eq!((status["store"].as_str(), status["file_exists"].as_bool()), (Some("encrypted-file"), Some(true)));
    assert_eq!(status["secrets_in_use"], 1);

    // Back to a keychain that does not answer: refused, the file keeps the token.
    assert_eq!(code(&run(&cb, &["secrets", "store", "keychain"], Some(PASSPHRASE), None)), "keychain_unavailable");
    assert_eq!(ok(run(&cb, &["secrets", "status"], None, None))["store"], "encrypted-file");
}

#[test]
fn status_in_text_says_the_file_is_weaker() {
    let cb = Cb::new();
    ok(run(&cb, &["secrets", "store", "file"], Some(PASSPHRASE), None));
    let mut cmd = cb.cmd(&["secrets", "status"]);
    cmd.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/casebook-test-bus");
    let r = spawn(cmd, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Secrets are kept in the encrypted file"), "{}", r.stdout);
    assert!(r.stdout.contains("weaker than the OS keychain"), "{}", r.stdout);
    assert!(r.stdout.contains("OS keychain: not usable now."), "{}", r.stdout);
}

#[test]
fn passphrase_changes_it_and_only_the_new_one_opens_the_file() {
    const NEW: &str = "violet harbour nine tin cups";
    let cb = Cb::new();
    ok(run(&cb, &["secrets", "store", "file"], Some(PASSPHRASE), None));
    ok(run(&cb, JIRA, Some(PASSPHRASE), Some(TOKEN)));
    let change = |old: Option<&str>, new: Option<&str>| {
        let mut cmd = cb.cmd(&with_json(&["secrets", "passphrase"]));
        cmd.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/casebook-test-bus");
        cmd.env_remove("CASEBOOK_SECRETS_PASSPHRASE").env_remove("CASEBOOK_SECRETS_NEW_PASSPHRASE");
        if let Some(old) = old {
            cmd.env("CASEBOOK_SECRETS_PASSPHRASE", old);
        }
        if let Some(new) = new {
            cmd.env("CASEBOOK_SECRETS_NEW_PASSPHRASE", new);
        }
        spawn(cmd, None)
    };
    // Refusals name what is wrong and change nothing.
    let r = change(Some(PASSPHRASE), None);
    assert_eq!((code(&r), r.json()["error"]["field"].as_str()), ("validation".into(), Some("new_passphrase")));
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("CASEBOOK_SECRETS_NEW_PASSPHRASE"));
    let r = change(Some(PASSPHRASE), Some("short"));
    assert_eq!(r.json()["error"]["field"], "new_passphrase", "{}", r.stdout);
    assert_eq!(code(&change(Some("not the passphrase"), Some(NEW))), "wrong_passphrase");
    ok(run(&cb, &["connector", "list"], Some(PASSPHRASE), None));

    let done = ok(change(Some(PASSPHRASE), Some(NEW)));
    assert_eq!(done["unlocked"], true);
    assert!(!done.to_string().contains(NEW));
    let old = ok(run(&cb, &["connector", "list"], Some(PASSPHRASE), None));
    assert_eq!(old[0]["secret_unreadable"]["code"], "wrong_passphrase", "{old}");
    let new = ok(run(&cb, &["connector", "list"], Some(NEW), None));
    assert_eq!(
        (new[0]["secret_stored"].as_bool(), &new[0]["secret_unreadable"]),
        (Some(true), &serde_json::Value::Null)
    );
}

//! Helpers shared by the end-to-end tests of the `casebook` binary (`tests/*.rs`).
//!
//! Every test gets its own temporary directory and database (`--db`), and the child process
//! never inherits `CASEBOOK_DB` / `CASEBOOK_SPACE` from the developer's shell.
//!
//! Each test file includes this module with `mod support;` and uses a different subset of it.

#![allow(dead_code)] // not every test file uses every helper

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub mod services;

pub const BIN: &str = env!("CARGO_BIN_EXE_casebook");

/// A UUID that no test ever creates.
pub const MISSING_ID: &str = "3f2b1d9e-0000-4000-8000-000000000000";

/// One scratch database in its own temporary directory.
pub struct Cb {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

/// What one run of the binary left behind.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

pub fn base_command() -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("CASEBOOK_DB").env_remove("CASEBOOK_SPACE");
    c
}

pub fn spawn(mut cmd: Command, stdin: Option<&str>) -> Run {
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn casebook");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        // A command may stop reading before the end (input past its limit): a closed pipe is
        // its answer, not the test's failure.
        if let Err(e) = pipe.write_all(input.as_bytes()) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
    }
    Run::from(child.wait_with_output().expect("wait for casebook"))
}

impl Cb {
    pub fn new() -> Cb {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("casebook.db");
        Cb { dir, db }
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = base_command();
        c.arg("--db").arg(&self.db).args(args);
        c
    }

    /// Runs with `--db` and the given arguments (add `--json` yourself).
    pub fn run(&self, args: &[&str]) -> Run {
        spawn(self.cmd(args), None)
    }

    pub fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        spawn(self.cmd(args), Some(input))
    }

    /// `--json <args>`, which must succeed; returns the parsed stdout.
    pub fn ok(&self, args: &[&str]) -> Value {
        let r = self.run(&with_json(args));
        assert_eq!(r.code, 0, "casebook {args:?} failed:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        r.json()
    }

    pub fn ok_stdin(&self, args: &[&str], input: &str) -> Value {
        let r = self.run_stdin(&with_json(args), input);
        assert_eq!(r.code, 0, "casebook {args:?} failed:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        r.json()
    }

    /// `--json <args>`, which must fail with exit code 1 and the `{"error":{code,message,…}}`
    /// shape (`field` on validation errors, `what` on not_found, already_exists and conflict);
    /// returns (code, message).
    pub fn fails(&self, args: &[&str]) -> (String, String) {
        let r = self.run(&with_json(args));
        error_of(&r, 1, args)
    }

    pub fn fails_stdin(&self, args: &[&str], input: &str) -> (String, String) {
        let r = self.run_stdin(&with_json(args), input);
        error_of(&r, 1, args)
    }

    pub fn me(&self) -> String {
        self.ok(&["user", "me"])["username"].as_str().expect("username").to_string()
    }

    /// Creates a case from flags and returns it.
    pub fn create(&self, title: &str, extra: &[&str]) -> Value {
        let mut args = vec!["case", "create", "--title", title];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    pub fn get(&self, id: &str) -> Value {
        self.ok(&["case", "get", id])
    }

    /// `case list --json` with extra arguments.
    pub fn list(&self, extra: &[&str]) -> Value {
        let mut args = vec!["case", "list"];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// Titles of `case list` (sorted, for set comparisons).
    pub fn titles(&self, extra: &[&str]) -> Vec<String> {
        let mut t = titles_of(&self.list(extra));
        t.sort();
        t
    }

    pub fn total(&self) -> i64 {
        self.list(&[])["total"].as_i64().expect("total")
    }

    pub fn activity(&self, id: &str, types: &[&str]) -> Vec<Value> {
        let mut args = vec!["activity", id];
        for t in types {
            args.push("--type");
            args.push(t);
        }
        let page = self.ok(&args);
        assert_eq!(page["total"].as_i64(), Some(page["user_actions"].as_array().unwrap().len() as i64));
        page["user_actions"].as_array().unwrap().clone()
    }
}

pub fn with_json<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--json"];
    v.extend_from_slice(args);
    v
}

pub fn error_of(r: &Run, exit: i32, args: &[&str]) -> (String, String) {
    assert_eq!(r.code, exit, "casebook {args:?} should exit {exit}:\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    let v = r.json();
    let obj = v.as_object().expect("error body is an object");
    assert_eq!(obj.keys().collect::<Vec<_>>(), vec!["error"], "only `error` at the top: {v}");
    let e = v["error"].as_object().expect("error is an object");
    let mut keys: Vec<_> = e.keys().map(String::as_str).collect();
    keys.sort();
    let code = e["code"].as_str().expect("code is a string").to_string();
    // A validation error names its field as data too, and a missing, taken or changed thing
    // names its kind; no other error has either.
    let extra = match code.as_str() {
        "validation" => Some("field"),
        "not_found" | "already_exists" | "conflict" => Some("what"),
        _ => None,
    };
    let mut expected = vec!["code", "message"];
    expected.extend(extra);
    expected.sort();
    assert_eq!(keys, expected, "the error's keys: {v}");
    if let Some(k) = extra {
        assert!(!e[k].as_str().expect("a string").is_empty(), "empty {k}: {v}");
    }
    let message = e["message"].as_str().expect("message is a string").to_string();
    assert!(!message.trim().is_empty(), "empty error message: {v}");
    (code, message)
}

pub fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_string()
}

pub fn version(v: &Value) -> String {
    v["version"].as_str().unwrap_or_else(|| panic!("no version in {v}")).to_string()
}

pub fn titles_of(list: &Value) -> Vec<String> {
    list["cases"].as_array().expect("cases").iter().map(|c| c["title"].as_str().unwrap().to_string()).collect()
}

pub fn strs(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|s| s.as_str().expect("string").to_string()).collect()
}

pub fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write file");
    p
}

pub fn sorted_strs(v: &Value) -> Vec<String> {
    let mut s = strs(v);
    s.sort();
    s
}

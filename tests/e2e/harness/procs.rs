//! The helper processes of one scenario: an Xvfb display, a private D-Bus session bus and
//! tauri-driver. Each is stopped when dropped, so a failing or panicking scenario leaves nothing behind.

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rustix::process::{Pid, Signal, kill_process_group};

/// A child killed (SIGKILL) and reaped on drop: Xvfb and dbus-daemon have no children of their own.
pub struct Owned(Child);

impl Drop for Owned {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `Xvfb` on the first free display (`-displayfd`) and returns `(":N", process)`.
pub fn start_xvfb(xvfb: &Path) -> Result<(String, Owned)> {
    let mut child = Command::new(xvfb)
        .args(["-displayfd", "1", "-screen", "0", "1920x1080x24", "-nolisten", "tcp", "-noreset"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", xvfb.display()))?;
    let stdout = child.stdout.take().context("Xvfb stdout")?;
    let owned = Owned(child);
    let number = first_line(stdout, Duration::from_secs(10)).context("Xvfb did not report its display")?;
    Ok((format!(":{}", number.trim()), owned))
}

/// Starts a private session bus listening on `socket` and returns `(address, process)`.
pub fn start_dbus(dbus_daemon: &Path, socket: &Path) -> Result<(String, Owned)> {
    let mut child = Command::new(dbus_daemon)
        .arg("--session")
        .arg("--nofork")
        .arg(format!("--address=unix:path={}", socket.display()))
        .arg("--print-address=1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", dbus_daemon.display()))?;
    let stdout = child.stdout.take().context("dbus-daemon stdout")?;
    let owned = Owned(child);
    let address = first_line(stdout, Duration::from_secs(10)).context("dbus-daemon did not print its address")?;
    Ok((address.trim().to_owned(), owned))
}

/// Starts gnome-keyring's Secret Service on the session bus in `env`, with its login keyring
/// created (or unlocked) with a throwaway password, and waits until it answers on the bus.
pub fn start_keyring(daemon: &Path, env: &[(String, String)]) -> Result<Owned> {
    use std::io::Write;
    let mut child = Command::new(daemon)
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", daemon.display()))?;
    // The password on stdin, then end of input: that is how --unlock reads it.
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(b"casebook-e2e").context("gnome-keyring stdin")?;
    }
    let owned = Owned(child);
    let bus = env.iter().find(|(k, _)| k == "DBUS_SESSION_BUS_ADDRESS").map(|(_, v)| v.clone()).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let reply = Command::new("dbus-send")
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .args(["--session", "--dest=org.freedesktop.DBus", "--type=method_call", "--print-reply"])
            .args(["/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"])
            .output()
            .context("cannot run dbus-send (apt-get install dbus)")?;
        if String::from_utf8_lossy(&reply.stdout).contains("boolean true") {
            return Ok(owned);
        }
        if Instant::now() > deadline {
            bail!("gnome-keyring did not appear on the session bus within 10 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The first line a child prints, read on a thread so a silent child cannot hang the suite.
fn first_line(stdout: ChildStdout, timeout: Duration) -> Result<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        // Keep draining so the child never blocks on a full pipe.
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    match rx.recv_timeout(timeout) {
        Ok(line) if !line.trim().is_empty() => Ok(line),
        _ => bail!("nothing printed within {timeout:?}"),
    }
}

/// A port nobody listens on right now (the OS picks it; the suite runs serially, so it stays free).
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// tauri-driver in a process group of its own. WebKitWebDriver, the app and WebKit's helper
/// processes all join that group, so stopping the group stops all of them.
pub struct Driver {
    child: Child,
    pub port: u16,
    log: std::path::PathBuf,
}

impl Driver {
    /// Starts tauri-driver with exactly `env` (nothing inherited) and waits until it accepts connections.
    pub fn start(tauri_driver: &Path, webkit_driver: &Path, env: &[(String, String)], log: &Path) -> Result<Self> {
        let port = free_port()?;
        let native_port = free_port()?;
        let log_file = fs::File::create(log)?;
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(tauri_driver)
                .arg("--port")
                .arg(port.to_string())
                .arg("--native-port")
                .arg(native_port.to_string())
                .arg("--native-driver")
                .arg(webkit_driver)
                .env_clear()
                .envs(env.iter().map(|(k, v)| (k, v)))
                .stdin(Stdio::null())
                .stdout(log_file.try_clone()?)
                .stderr(log_file)
                .process_group(0)
                .spawn()
                .with_context(|| format!("cannot start {}", tauri_driver.display()))?
        };
        let mut driver = Driver { child, port, log: log.to_path_buf() };
        let deadline = Instant::now() + Duration::from_secs(10);
        // tauri-driver listens before WebKitWebDriver (which it starts) does: wait for both.
        let listening = |p: u16| TcpStream::connect(("127.0.0.1", p)).is_ok();
        while !(listening(port) && listening(native_port)) {
            if let Some(status) = driver.child.try_wait()? {
                bail!("tauri-driver exited ({status}): {}", driver.log_tail());
            }
            if Instant::now() > deadline {
                bail!(
                    "tauri-driver did not listen on ports {port} and {native_port} within 10 s: {}",
                    driver.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(driver)
    }

    /// The last lines tauri-driver, WebKitWebDriver and the app printed.
    pub fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// SIGTERM to the whole group, then SIGKILL to what is left after 3 s; returns once no live
    /// process of the group remains (the app has released its database and its D-Bus name).
    pub fn stop(&mut self) {
        let Some(pgid) = Pid::from_raw(self.child.id() as i32) else { return };
        let _ = kill_process_group(pgid, Signal::TERM);
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            let _ = self.child.try_wait();
            if !group_alive(pgid.as_raw_nonzero().get()) {
                break;
            }
            if Instant::now() > deadline {
                let _ = kill_process_group(pgid, Signal::KILL);
                let _ = self.child.wait();
                wait_group_gone(pgid.as_raw_nonzero().get(), Duration::from_secs(2));
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.wait();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

fn wait_group_gone(pgid: i32, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while group_alive(pgid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether a process of group `pgid` is still running (zombies waiting for their reaper don't count).
pub fn group_alive(pgid: i32) -> bool {
    let Ok(entries) = fs::read_dir("/proc") else { return false };
    entries.flatten().any(|e| {
        let Ok(stat) = fs::read_to_string(e.path().join("stat")) else { return false };
        // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
        let Some((_, rest)) = stat.rsplit_once(')') else { return false };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let pgrp = fields.nth(1).and_then(|p| p.parse::<i32>().ok());
        pgrp == Some(pgid) && state != Some("Z") && state != Some("X")
    })
}

/// Waits at most `timeout` for `child` to exit by itself; kills it if it does not.
pub fn wait_exit(child: &mut Child, timeout: Duration) -> Result<Option<std::process::ExitStatus>> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

//! `casebook serve --dev`: the desktop window's API (every command of the core's table) over
//! HTTP on 127.0.0.1, on a fresh temporary database with secrets kept in memory. It lets the web
//! UI run in a plain browser against the real core (`npm --prefix ui run dev`, which proxies
//! `/api` here) and the browser page tests (ui/tests/) run against it. Not for real cases:
//! nothing it holds outlives it.

mod http;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use casebook_core::api::{Api, COMMANDS};
use casebook_core::background::{IdTask, Jobs, Scheduler};
use casebook_core::secrets::MemorySecrets;
use casebook_core::{Casebook, Error};
use clap::Args;

use super::Out;

/// The port `npm run dev` proxies `/api` to (ui/vite.config.ts).
pub const DEFAULT_PORT: u16 = 4180;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Required: says this is the development server (temporary database, secrets in memory,
    /// gone when it stops). --db and CASEBOOK_DB are not used.
    #[arg(long, required = true)]
    pub dev: bool,
    /// The port on 127.0.0.1 (0: any free port, printed at start).
    #[arg(long, default_value_t = DEFAULT_PORT, value_name = "PORT")]
    pub port: u16,
}

/// Serves until Ctrl-C or SIGTERM, then stops the background jobs and deletes the database.
pub fn run(out: &Out<'_>, args: &ServeArgs) -> Result<(), Error> {
    let dir = tempfile::Builder::new()
        .prefix("casebook-serve-")
        .tempdir()
        .map_err(|e| Error::Storage(format!("cannot create a temporary folder: {e}")))?;
    let db = dir.path().join("casebook.db");
    let mut book = Casebook::open(&db)?;
    // Never the OS keychain: a development server must not read or write the analyst's secrets.
    book.set_secrets(Arc::new(MemorySecrets::new()));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Storage(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)))
            .await
            .map_err(|e| Error::Storage(format!("cannot listen on 127.0.0.1:{}: {e}", args.port)))?;
        let addr = listener.local_addr().map_err(|e| Error::Storage(e.to_string()))?;

        let hub = http::Events::default();
        let ids = IdTask::from_env();
        let api = Api::new(book.clone(), ids.clone(), hub.sink());
        // As in the desktop app: numbering, the outbox, alert status sync, and "db-changed".
        let jobs = Scheduler::start(&book, Jobs::all(ids, hub.on_change()));

        let url = format!("http://{addr}");
        let started = serde_json::json!({ "url": url, "db": db, "commands": COMMANDS.len() });
        out.show(&started, |_| {
            say!("Casebook development server on {url}/api ({} commands)", COMMANDS.len());
            say!(
                "Temporary database {} (deleted when the server stops); secrets in memory, or in an encrypted file beside it once chosen.",
                db.display()
            );
            say!("Run `npm --prefix ui run dev` and open http://localhost:5173. Ctrl-C stops.");
        });

        tokio::select! {
            () = http::serve(listener, api, hub) => {}
            () = stop_signal() => {}
        }
        jobs.stop().await;
        Ok::<(), Error>(())
    })?;
    drop(book);
    drop(dir);
    Ok(())
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

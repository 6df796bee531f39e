//! Casebook's desktop window: a thin Tauri shell over `casebook-core`. Every command parses
//! its arguments, calls the core and maps the error to `{code, message}`; all behaviour
//! lives in the core, which the `casebook` CLI shares (same database file, same rules).

pub mod commands;
pub mod error;
mod navigation;
pub mod state;
pub mod watch;
mod window_state;

#[cfg(test)]
mod ipc_tests;

use casebook_core::background::{IdTask, Jobs};
use tauri::{Manager, Runtime};

pub use error::CommandError;
pub use state::Background;

/// The window's IPC surface. `run()` adds plugins, the database and the watcher on top;
/// tests use it with `tauri::test::mock_builder()` and manage their own `casebook_core::api::Api`.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    // One handler per entry of the core's command table (crates/core/src/api/table.rs).
    builder.invoke_handler(commands::handler())
}

/// Starts the desktop app on the shared default database (`CASEBOOK_DB` or the OS data dir).
pub fn run() {
    let _ = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(tracing::Level::INFO).try_init();

    let app = tauri::Builder::default()
        // First, so a second launch hands over to the running window before anything else
        // (the database included) is touched, then exits.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| focus_main_window(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        // "Attach alerts…" picks a file; the core reads it, the page never does.
        .plugin(tauri_plugin_dialog::init())
        .plugin(navigation::guard())
        .on_window_event(window_state::on_window_event);
    let app = builder(app)
        .setup(|app| {
            // The numbering schedule is shared by its job and the commands that show and change it.
            let api = state::open_default_api(IdTask::from_env(), state::events(app.handle().clone()));
            let background = Background::default();
            if let Ok(book) = api.book() {
                // New cases stay "ID pending" until a pass; the window hears of every commit.
                background.start(&book, Jobs::all(api.ids().clone(), watch::hook(app.handle().clone())));
            }
            app.manage(api);
            app.manage(background);
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("Casebook could not start: {e}");
            eprintln!("casebook-desktop: {e}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event
            && let Some(background) = app.try_state::<Background>()
        {
            background.stop();
        }
    });
}

fn focus_main_window<R: Runtime>(app: &tauri::AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else { return };
    for result in [window.unminimize(), window.show(), window.set_focus()] {
        if let Err(e) = result {
            tracing::warn!("cannot bring the window forward: {e}");
        }
    }
}

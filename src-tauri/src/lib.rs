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
pub use state::{AppState, Background};

/// The window's IPC surface. `run()` adds plugins, the database and the watcher on top;
/// tests use it with `tauri::test::mock_builder()` and manage their own [`AppState`].
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    use commands::{alert_source, alerts, cases, comments, connectors, drafts, ids, observables, push, settings};
    builder.invoke_handler(tauri::generate_handler![
        cases::list_spaces,
        cases::create_space,
        cases::find_cases,
        cases::case_stats,
        cases::get_case,
        cases::create_case,
        cases::update_cases,
        cases::delete_cases,
        cases::list_tags,
        cases::list_categories,
        cases::list_reporters,
        comments::list_comments,
        comments::add_comment,
        comments::edit_comment,
        comments::delete_comment,
        comments::find_activity,
        settings::get_configuration,
        settings::update_configuration,
        settings::profile,
        settings::set_profile,
        settings::list_users,
        settings::add_user,
        settings::remove_user,
        drafts::get_draft,
        drafts::save_draft,
        drafts::delete_draft,
        ids::assign_ids,
        ids::id_task_status,
        ids::set_id_interval,
        alerts::import_alerts,
        alerts::cancel_alert_import,
        alerts::list_alerts,
        alerts::alert_overview,
        alerts::get_alert,
        alerts::remove_alerts,
        alert_source::get_alert_source,
        alert_source::set_alert_source,
        alert_source::remove_alert_source,
        alert_source::test_alert_source,
        alert_source::search_source_alerts,
        alert_source::attach_source_alerts,
        alert_source::sync_alert_statuses,
        observables::list_observables,
        observables::add_observable,
        observables::update_observable,
        observables::delete_observable,
        observables::observable_types,
        observables::similar_cases,
        connectors::list_connectors,
        connectors::create_connector,
        connectors::update_connector,
        connectors::delete_connector,
        connectors::test_connector,
        connectors::refresh_connector_metadata,
        push::set_case_connector,
        push::push_case,
        push::list_outbox,
        push::retry_push,
        push::cancel_push,
    ])
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
            let state = AppState::open_default();
            // Shared by the numbering job and the commands that show and change its schedule.
            let numbering = IdTask::from_env();
            let background = Background::default();
            if let Ok(book) = state.book() {
                // New cases stay "ID pending" until a pass; the window hears of every commit.
                background.start(&book, Jobs::all(numbering.clone(), watch::hook(app.handle().clone())));
            }
            app.manage(state);
            app.manage(commands::alerts::Imports::default());
            app.manage(numbering);
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

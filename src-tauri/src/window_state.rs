//! The window's size and position are saved shortly after each move or resize, not only on a
//! clean exit (the window-state plugin's default): a killed or crashed app still comes back
//! where the analyst left it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::{Manager, Runtime, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// Moves and resizes come in bursts while dragging; save once the burst is over.
const SETTLE: Duration = Duration::from_millis(400);

static LATEST: AtomicU64 = AtomicU64::new(0);

pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if !matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
        return;
    }
    let this = LATEST.fetch_add(1, Ordering::SeqCst) + 1;
    let app = window.app_handle().clone();
    // Off the event loop: saving asks the window for its geometry through that loop.
    std::thread::spawn(move || {
        std::thread::sleep(SETTLE);
        if LATEST.load(Ordering::SeqCst) != this {
            return;
        }
        if let Err(e) = app.save_window_state(StateFlags::all()) {
            tracing::warn!("could not save the window's size and position: {e}");
        }
    });
}

//! Keeps the webview on the app's own pages: a link that would navigate the window away
//! (to a ticket system, say) is refused here; the UI opens such links in the system browser
//! through the opener plugin (`openUrl`, https only per `capabilities/main.json`).

use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime, Url};

pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("casebook-navigation")
        .on_navigation(|webview, url| {
            let dev_url = webview.app_handle().config().build.dev_url.clone();
            let allowed = is_app_url(url, dev_url.as_ref());
            if !allowed {
                tracing::warn!(%url, "blocked navigation away from the app; open links with the opener plugin");
            }
            allowed
        })
        .build()
}

/// The app's own origins: the bundled UI (`tauri://localhost` on Linux and macOS,
/// `http(s)://tauri.localhost` on Windows) and, in a dev build only, the Vite dev server.
fn is_app_url(url: &Url, dev_url: Option<&Url>) -> bool {
    let bundled = match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    };
    let dev = cfg!(dev) && dev_url.is_some_and(|d| d.origin() == url.origin());
    bundled || dev
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        s.parse().unwrap()
    }

    #[test]
    fn app_pages_are_allowed_and_the_web_is_not() {
        let dev = url("http://localhost:5173");
        assert!(is_app_url(&url("tauri://localhost/cases/12"), Some(&dev)));
        assert!(is_app_url(&url("http://tauri.localhost/index.html"), Some(&dev)));
        assert!(!is_app_url(&url("https://jira.example.org/browse/SEC-1"), Some(&dev)));
        assert!(!is_app_url(&url("http://localhost:8080/"), Some(&dev)));
        assert!(!is_app_url(&url("file:///etc/passwd"), Some(&dev)));
        // The dev server only in a dev build (plain `cargo build`, no custom-protocol).
        assert_eq!(is_app_url(&url("http://localhost:5173/#/cases"), Some(&dev)), cfg!(dev));
    }
}

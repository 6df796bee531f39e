//! The window's IPC commands: one `#[tauri::command]` per entry of the core's command table
//! (crates/core/src/api/table.rs), each calling the core's function of the same name with the
//! managed [`Api`] and passing its answer or [`WireError`](casebook_core::WireError) on.
//! No behaviour lives here; `casebook serve --dev` answers the same table over HTTP.

#[cfg(test)]
pub(crate) mod generated;

pub use casebook_core::api::COMMANDS;

/// Expands the table into the commands and their handler (`build.rs` keeps only the names).
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $module:ident :: $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty;
    )*) => {
        mod ipc {
            use casebook_core::api::prelude::*;
            use tauri::State;

            use crate::error::CommandError;

            $(
                #[tauri::command]
                async fn $name(api: State<'_, Api>, $($arg: $ty),*) -> Result<$ret, CommandError> {
                    casebook_core::api::$module::$name(&api, $($arg),*).await.map_err(CommandError)
                }
            )*

            /// The window's IPC surface: one handler per entry of the table.
            pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
                tauri::generate_handler![$($name),*]
            }
        }

        pub use ipc::handler;
    };
}

include!("../../../crates/core/src/api/table.rs");

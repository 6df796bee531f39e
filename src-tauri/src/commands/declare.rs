//! The machinery behind `table.rs`: the `commands!` macro, and the traits that let one
//! generated Tauri command call a command function of any shape.
//!
//! A command function takes what it needs from the app first (`State<'_, T>`, `AppHandle<R>`),
//! then the window's arguments in the order the table declares them, and is `async`, returning
//! `Result<T, CommandError>`. The generated `#[tauri::command]` takes the window's arguments under
//! the table's names and calls it through [`Handler`], so a function whose arguments or answer
//! differ from its table entry does not compile (the error names `Handler`).

use std::future::Future;
use std::pin::Pin;

use tauri::ipc::InvokeError;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::error::CommandError;

/// Expands the command table (see `table.rs`) into:
/// - `COMMANDS`, every IPC name (the ACL test and the generated files use it; `build.rs` has
///   its own copy of this macro that keeps only the names, for tauri-build's app manifest),
/// - `handler()`, the `generate_handler!` of one `#[tauri::command]` per entry,
/// - under `cfg(test)`, `signatures()`: names, argument and answer types, docs, from which
///   `generated.rs` writes the TypeScript client and `permissions/casebook.toml`.
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $module:ident :: $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty;
    )*) => {
        /// Every command the window may invoke, by its IPC name, in the table's order.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        mod ipc {
            use super::*;

            $(
                #[tauri::command]
                async fn $name<R: tauri::Runtime>(
                    app: tauri::AppHandle<R>,
                    $($arg: $ty),*
                ) -> Result<$ret, tauri::ipc::InvokeError> {
                    $crate::commands::declare::run($module::$name, &app, ($($arg,)*)).await
                }
            )*

            /// The window's IPC surface: one handler per entry of the table.
            pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
                tauri::generate_handler![$($name),*]
            }
        }

        pub use ipc::handler;

        /// What the generated TypeScript client and permission set are written from.
        #[cfg(test)]
        pub(crate) fn signatures() -> Vec<$crate::commands::generated::Signature> {
            use $crate::commands::generated::{Signature, TsType};
            vec![$(
                Signature {
                    module: stringify!($module),
                    name: stringify!($name),
                    docs: vec![$($doc),*],
                    args: vec![$((stringify!($arg), <$ty as TsType>::ts())),*],
                    answer: <$ret as TsType>::ts(),
                }
            ),*]
        }
    };
}

/// Calls a command function with what it takes from the app and the window's arguments.
///
/// Boxed so that the generated command's future is `Send` without the compiler proving
/// `Handler` for every lifetime (it cannot: the injected `State`s borrow from `app`).
pub fn run<'a, R, F, W, T, I>(f: F, app: &'a AppHandle<R>, wire: W) -> Answer<'a, T>
where
    R: Runtime,
    F: Handler<'a, R, W, T, I>,
{
    match f.call(app, wire) {
        // A `CommandError` serialises as `{code, message}`, as when a command returned it itself.
        Ok(answer) => Box::pin(async move { answer.await.map_err(InvokeError::from) }),
        Err(e) => Box::pin(async move { Err(e) }),
    }
}

/// What a generated command awaits.
pub type Answer<'a, T> = Pin<Box<dyn Future<Output = Result<T, InvokeError>> + Send + 'a>>;

/// A parameter a command function takes from the app, not from the window's arguments.
pub trait Injected<'a, R: Runtime>: Sized {
    fn take(app: &'a AppHandle<R>) -> Result<Self, InvokeError>;
}

impl<'a, R: Runtime, T: Send + Sync + 'static> Injected<'a, R> for State<'a, T> {
    fn take(app: &'a AppHandle<R>) -> Result<Self, InvokeError> {
        // Worded as Tauri's own answer when a `State` argument is not managed.
        app.try_state::<T>().ok_or_else(|| {
            InvokeError::from(format!(
                "state not managed: {}. You must call `.manage()` before using this command",
                std::any::type_name::<T>()
            ))
        })
    }
}

impl<'a, R: Runtime> Injected<'a, R> for AppHandle<R> {
    fn take(app: &'a AppHandle<R>) -> Result<Self, InvokeError> {
        Ok(app.clone())
    }
}

/// A command function taking the injected parameters `I` (a tuple), then the window's
/// arguments `W` (a tuple), and answering `T`. Implemented for up to 3 injected parameters and
/// 6 arguments; the impl is picked by the function's arity.
pub trait Handler<'a, R: Runtime, W, T, I> {
    type Future: Future<Output = Result<T, CommandError>> + Send + 'a;
    fn call(self, app: &'a AppHandle<R>, wire: W) -> Result<Self::Future, InvokeError>;
}

macro_rules! handler {
    ([$($i:ident),*] [$($w:ident $v:ident),*]) => {
        impl<'a, R, F, Fut, T, $($i,)* $($w,)*> Handler<'a, R, ($($w,)*), T, ($($i,)*)> for F
        where
            R: Runtime,
            F: FnOnce($($i,)* $($w,)*) -> Fut,
            Fut: Future<Output = Result<T, CommandError>> + Send + 'a,
            $($i: Injected<'a, R>,)*
        {
            type Future = Fut;
            #[allow(unused_variables)]
            fn call(self, app: &'a AppHandle<R>, ($($v,)*): ($($w,)*)) -> Result<Fut, InvokeError> {
                Ok(self($(<$i as Injected<'a, R>>::take(app)?,)* $($v,)*))
            }
        }
    };
}

macro_rules! handlers {
    ($([$($w:ident $v:ident),*])*) => {$(
        handler!([] [$($w $v),*]);
        handler!([I1] [$($w $v),*]);
        handler!([I1, I2] [$($w $v),*]);
        handler!([I1, I2, I3] [$($w $v),*]);
    )*};
}

handlers!(
    []
    [W1 w1]
    [W1 w1, W2 w2]
    [W1 w1, W2 w2, W3 w3]
    [W1 w1, W2 w2, W3 w3, W4 w4]
    [W1 w1, W2 w2, W3 w3, W4 w4, W5 w5]
    [W1 w1, W2 w2, W3 w3, W4 w4, W5 w5, W6 w6]
);

//! What the fake services share: faults scripted by `fail_next`, a poison-tolerant lock, path
//! decoding, the Basic credential's encoding and a clock that always moves forward.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use crate::server::{Reply, Request};

/// Replies scripted by `fail_next` (in every fake service).
pub(crate) struct Fault {
    method: String,
    path_prefix: String,
    replies: VecDeque<Reply>,
}

impl Fault {
    pub(crate) fn new(method: &str, path_prefix: &str, replies: Vec<Reply>) -> Fault {
        Fault { method: method.to_ascii_uppercase(), path_prefix: path_prefix.to_string(), replies: replies.into() }
    }
}

/// A poisoned lock only means another test thread panicked; the data is still usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn take_fault(faults: &mut Vec<Fault>, req: &Request) -> Option<Reply> {
    let i = faults.iter().position(|f| {
        (f.method == "*" || f.method == req.method) && req.path.starts_with(&f.path_prefix) && !f.replies.is_empty()
    })?;
    let reply = faults[i].replies.pop_front();
    if faults[i].replies.is_empty() {
        faults.remove(i);
    }
    reply
}

/// The percent-decoded path segments; `None` when one is not UTF-8.
pub(crate) fn decode_segments(path: &str) -> Option<Vec<String>> {
    path.trim_start_matches('/')
        .split('/')
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|v| v.into_owned()))
        .collect()
}

/// Standard base64 with padding, as in a Basic `Authorization` header.
pub(crate) fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The Basic credential in `req`, decoded: `(user, password)`; `None` without one.
pub(crate) fn basic_credentials(req: &Request) -> Option<(String, String)> {
    use base64::Engine;
    let (scheme, encoded) = req.header("authorization")?.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let (user, password) =
        String::from_utf8(decoded).ok()?.split_once(':').map(|(u, p)| (u.to_string(), p.to_string()))?;
    Some((user, password))
}

/// Epoch milliseconds, strictly increasing across calls, so that "modified" dates always move
/// even when two writes land within one millisecond.
#[derive(Default)]
pub(crate) struct Clock {
    last: i64,
}

impl Clock {
    pub(crate) fn now_ms(&mut self) -> i64 {
        let now = chrono::Utc::now().timestamp_millis();
        self.last = now.max(self.last + 1);
        self.last
    }
}

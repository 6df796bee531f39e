//! Webhook – Case Management (Kibana's `.cases-webhook`, connectors.md §7): a connector the user
//! describes with a Mustache template per call (URL, JSON body, headers). This part is the
//! network-free core: `template` fills templates in from `vars`, `response_path` reads the
//! incident's id and title out of the system's answers.
#![allow(dead_code, reason = "the webhook push that calls this comes in a later change")]

mod names;
pub(crate) mod response_path;
pub(crate) mod template;
pub(crate) mod vars;

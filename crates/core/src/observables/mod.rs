//! Observables: typed indicators (IPs, hashes, hosts…) kept on a case, validated per type,
//! extracted from attached alerts, and matched across cases to find similar ones.

pub mod extract;
mod left_out;
mod rank;
mod similar;
mod store;
pub mod types;

pub(crate) use left_out::{add_extracted, fill_space, forget_alerts};
pub(crate) use store::{remove_type_in_space, resolve_type};

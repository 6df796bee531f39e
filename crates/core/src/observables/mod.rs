//! Observables: typed indicators (IPs, hashes, hosts…) kept on a case, validated per type,
//! extracted from attached alerts, and matched across cases to find similar ones.

pub mod extract;
mod similar;
mod store;
pub mod types;

pub(crate) use store::{add_extracted, remove_type_in_space};

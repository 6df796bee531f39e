//! Helpers of the crash tests (`tests/crash.rs`): the child writer processes and the checks of
//! the database file they leave behind.

pub mod checks;
pub mod rng;
pub mod writer;

/// The space every child writes to.
pub const SPACE: &str = "default";

pub use rng::{Rng, env_u64, seed_from_env};

/// The crash tests' seed: `CASEBOOK_CRASH_SEED`, else the clock.
pub fn seed_from_env_or_clock() -> u64 {
    seed_from_env("CASEBOOK_CRASH_SEED")
}

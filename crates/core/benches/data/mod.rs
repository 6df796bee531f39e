//! The synthetic data of the `find` benchmark: deterministic randomness, the vocabulary, one
//! generated case, and the bulk build (and caching) of the database under `target/bench-data/`.

mod db;
mod generate;
mod random;
mod vocabulary;

pub(crate) use db::{prepare, size_label, target_dir};

/// Bump when the generator changes, so a cached database of the old shape is not reused.
pub(crate) const GENERATOR_VERSION: u32 = 5;
pub(crate) const SEED: u64 = 0x0CA5_EB00_C0FF_EE01;
pub(crate) const SPACES: usize = 10;
/// 2025-06-01T00:00:00Z: the newest case is created just before this.
pub(crate) const NOW_MS: i64 = 1_748_736_000_000;
/// Cases were created over the three years before `NOW_MS`.
pub(crate) const SPAN_MS: i64 = 3 * 365 * 24 * 3_600_000;
pub(crate) const HOUR_MS: i64 = 3_600_000;
pub(crate) const DAY_MS: i64 = 24 * HOUR_MS;

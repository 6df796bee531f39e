//! Deterministic randomness.

use super::SEED;

/// SplitMix64: small, fast, and good enough for synthetic data.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn for_case(id: i64) -> Self {
        let mut r = Rng(SEED ^ (id as u64).wrapping_mul(0xD134_2543_DE82_EF95));
        r.next();
        r
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in [lo, hi] (inclusive).
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Log-uniform in [lo, hi).
    pub(crate) fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp()
    }

    /// Poisson(λ) by Knuth's method (λ is small here).
    pub(crate) fn poisson(&mut self, lambda: f64) -> u32 {
        let l = (-lambda).exp();
        let mut k = 0;
        let mut p = 1.0;
        loop {
            p *= self.unit();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }

    pub(crate) fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next().to_le_bytes());
        b[8..].copy_from_slice(&self.next().to_le_bytes());
        uuid::Builder::from_random_bytes(b).into_uuid().hyphenated().to_string()
    }
}

/// Zipf sampling in O(1): a quantized inverse CDF with 2^20 slots.
pub(crate) struct Zipf {
    table: Vec<u16>,
}

impl Zipf {
    const BITS: u32 = 20;

    pub(crate) fn new(n: usize, s: f64) -> Self {
        let weights: Vec<f64> = (1..=n).map(|r| 1.0 / (r as f64).powf(s)).collect();
        let total: f64 = weights.iter().sum();
        let slots = 1usize << Self::BITS;
        let mut table = Vec::with_capacity(slots);
        let (mut rank, mut cdf) = (0usize, weights[0] / total);
        for i in 0..slots {
            let u = (i as f64 + 0.5) / slots as f64;
            while u > cdf && rank + 1 < n {
                rank += 1;
                cdf += weights[rank] / total;
            }
            table.push(rank as u16);
        }
        Zipf { table }
    }

    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        usize::from(self.table[(rng.next() >> (64 - Self::BITS)) as usize])
    }
}

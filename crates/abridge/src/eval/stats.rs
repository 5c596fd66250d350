//! Bootstrap confidence intervals over documents.
//!
//! Percentile bootstrap: draw `resamples` samples of the documents with replacement, take the mean
//! of each, and report the 2.5th and 97.5th percentiles of those means. The same resamples serve
//! every system of a dataset, so paired differences ("A beats B") come from matched documents.

use serde::Serialize;

/// A point estimate with a 95% confidence interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Estimate {
    /// The mean over the original sample.
    pub mean: f64,
    /// Lower bound of the 95% interval.
    pub low: f64,
    /// Upper bound of the 95% interval.
    pub high: f64,
}

/// Bootstrap resamples of `n` documents: each row holds `n` indices drawn with replacement.
#[derive(Clone, Debug)]
pub struct Resamples {
    n: usize,
    rows: Vec<Vec<u32>>,
}

/// Resamples used in reports.
pub const DEFAULT_RESAMPLES: usize = 1000;
/// Seed used in reports, so every run prints the same intervals.
pub const DEFAULT_SEED: u64 = 20_261_124;

impl Resamples {
    /// Draws `count` resamples of `n` documents from a generator seeded with `seed`.
    pub fn new(n: usize, count: usize, seed: u64) -> Self {
        let mut rng = SplitMix64(seed);
        let rows = (0..count)
            .map(|_| (0..n).map(|_| rng.below(n as u64) as u32).collect())
            .collect();
        Resamples { n, rows }
    }

    /// Mean of `values` with its bootstrap interval. `values` must have one entry per document.
    ///
    /// # Panics
    /// If `values.len()` is not the `n` the resamples were drawn for (a programming error).
    pub fn estimate(&self, values: &[f64]) -> Estimate {
        assert_eq!(values.len(), self.n, "one value per resampled document");
        if values.is_empty() {
            return Estimate::default();
        }
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let mut means: Vec<f64> = self
            .rows
            .iter()
            .map(|row| row.iter().map(|&i| values[i as usize]).sum::<f64>() / self.n as f64)
            .collect();
        if means.is_empty() {
            return Estimate {
                mean,
                low: mean,
                high: mean,
            };
        }
        means.sort_by(f64::total_cmp);
        let at = |q: f64| means[((means.len() - 1) as f64 * q).round() as usize];
        Estimate {
            mean,
            low: at(0.025),
            high: at(0.975),
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014). Written out here rather than taken from `rand` because
/// reports promise the same intervals on every machine and every release: this stream is fixed by
/// its definition, while `rand`'s `StdRng` may change algorithm between versions.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..bound` (Lemire's multiply-shift; the bias is below 2^-32 for any
    /// bound a document count can reach).
    fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(bound)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_reference_values() {
        // First outputs for seed 0 from the reference implementation (Vigna, splitmix64.c).
        let mut r = SplitMix64(0);
        assert_eq!(r.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn interval_brackets_the_mean_and_is_reproducible() {
        let values: Vec<f64> = (0..200).map(|i| f64::from(i % 7)).collect();
        let a = Resamples::new(values.len(), 1000, 1).estimate(&values);
        let b = Resamples::new(values.len(), 1000, 1).estimate(&values);
        assert_eq!(a, b);
        assert!(a.low < a.mean && a.mean < a.high, "{a:?}");
        assert!(a.high - a.low < 1.0, "{a:?}");
    }

    #[test]
    fn constant_values_have_a_zero_width_interval() {
        let e = Resamples::new(10, 100, 3).estimate(&[0.5; 10]);
        assert_eq!((e.mean, e.low, e.high), (0.5, 0.5, 0.5));
    }
}

//! The statistics the fairness tests share.

use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Pearson's chi-squared test that every position of every reel came up equally often.
#[derive(Clone, Copy, Debug)]
pub struct Uniformity {
    pub chi_squared: f64,
    pub degrees_of_freedom: f64,
    /// The chance of a statistic at least this large if the stops really are uniform.
    pub p_value: f64,
}

/// Tests `counts[reel][stop]` (how often each stop landed) for uniformity, all reels at once:
/// the reels are independent, so their statistics and degrees of freedom add up.
pub fn uniformity(counts: &[Vec<u64>]) -> Uniformity {
    let (mut chi_squared, mut degrees_of_freedom) = (0.0, 0.0);
    for reel in counts {
        let total: u64 = reel.iter().sum();
        let expected = total as f64 / reel.len() as f64;
        chi_squared += reel.iter().map(|&c| (c as f64 - expected).powi(2) / expected).sum::<f64>();
        degrees_of_freedom += (reel.len() - 1) as f64;
    }
    let p_value =
        1.0 - ChiSquared::new(degrees_of_freedom).expect("positive degrees").cdf(chi_squared);
    Uniformity { chi_squared, degrees_of_freedom, p_value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfectly_even_counts_are_uniform_and_lopsided_ones_are_not() {
        let even = uniformity(&[vec![100; 22], vec![100; 22]]);
        assert_eq!((even.chi_squared, even.degrees_of_freedom), (0.0, 42.0));
        assert!(even.p_value > 0.999);
        let mut lopsided = vec![100; 22];
        lopsided[0] = 400;
        assert!(uniformity(&[lopsided]).p_value < 1e-6);
    }
}

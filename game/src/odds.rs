//! Exact odds, by enumerating every combination of stops: each is equally likely, so the
//! return to player and the hit frequency are plain counts over the whole space.

use std::fmt;

use crate::bet::Bet;
use crate::outcome::Spin;
use crate::reels::STRIPS;
use crate::symbol::Symbol;

/// A non-negative fraction in lowest terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fraction {
    pub numerator: u64,
    pub denominator: u64,
}

impl Fraction {
    pub fn new(numerator: u64, denominator: u64) -> Fraction {
        let divisor = gcd(numerator, denominator).max(1);
        Fraction { numerator: numerator / divisor, denominator: denominator / divisor }
    }

    pub fn to_f64(self) -> f64 {
        self.numerator as f64 / self.denominator as f64
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Every combination of stops exactly once, settled at `bet`: the whole probability space of
/// one spin.
pub fn every_spin(bet: Bet) -> impl Iterator<Item = Spin> {
    let [a, b, c] = STRIPS.map(<[Symbol]>::len);
    (0..a).flat_map(move |i| {
        (0..b).flat_map(move |j| (0..c).filter_map(move |k| Spin::landing_on([i, j, k], bet)))
    })
}

/// The long-run share of bets paid back: Σ payout / Σ bet over every combination.
pub fn return_to_player() -> Fraction {
    let (spins, paid) =
        every_spin(Bet::MIN).fold((0, 0), |(n, paid), spin| (n + 1, paid + u64::from(spin.payout)));
    Fraction::new(paid, spins)
}

/// The share of spins that pay anything.
pub fn hit_frequency() -> Fraction {
    let (spins, wins) =
        every_spin(Bet::MIN).fold((0, 0), |(n, wins), spin| (n + 1, wins + u64::from(spin.win())));
    Fraction::new(wins, spins)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn fractions_are_reduced() {
        assert_eq!(Fraction::new(10, 20), Fraction { numerator: 1, denominator: 2 });
        assert_eq!(Fraction::new(0, 7).to_string(), "0/1");
    }

    #[test]
    fn enumeration_covers_every_combination_once() {
        let total: usize = STRIPS.iter().map(|s| s.len()).product();
        let stops: HashSet<_> = every_spin(Bet::MIN).map(|spin| spin.stops).collect();
        assert_eq!(stops.len(), total, "every combination");
        assert_eq!(every_spin(Bet::MIN).count(), total, "none twice");
    }
}

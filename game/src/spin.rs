use std::fmt;

use rand::CryptoRng;
use rand::distr::{Distribution, Uniform};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::paytable::multiplier;
use crate::reels::{REEL_COUNT, STRIPS};
use crate::symbol::Symbol;

/// A stake in credits, always within `Bet::MIN..=Bet::MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bet(u8);

impl Bet {
    pub const MIN: Bet = Bet(1);
    pub const MAX: Bet = Bet(10);

    /// A bet of `credits`, if that is an allowed stake.
    pub fn new(credits: u64) -> Result<Bet, BetError> {
        u8::try_from(credits)
            .ok()
            .map(Bet)
            .filter(|bet| (Bet::MIN..=Bet::MAX).contains(bet))
            .ok_or(BetError { credits })
    }

    pub const fn credits(self) -> u32 {
        self.0 as u32
    }
}

impl Default for Bet {
    fn default() -> Self {
        Bet::MIN
    }
}

/// A stake outside `Bet::MIN..=Bet::MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BetError {
    pub credits: u64,
}

impl fmt::Display for BetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bet must be from {} to {} credits, got {}", Bet::MIN.0, Bet::MAX.0, self.credits)
    }
}

impl std::error::Error for BetError {}

impl Serialize for Bet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for Bet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BetVisitor;
        impl de::Visitor<'_> for BetVisitor {
            type Value = Bet;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a whole number of credits from {} to {}", Bet::MIN.0, Bet::MAX.0)
            }
            fn visit_u64<E: de::Error>(self, credits: u64) -> Result<Bet, E> {
                Bet::new(credits).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, credits: i64) -> Result<Bet, E> {
                u64::try_from(credits)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(credits), &self))
                    .and_then(|credits| self.visit_u64(credits))
            }
        }
        deserializer.deserialize_u64(BetVisitor)
    }
}

/// The outcome of one spin: where each reel stopped, the pay line it shows and what it pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spin {
    /// 0-based position on each reel's strip that stopped on the pay line.
    pub stops: [usize; REEL_COUNT],
    /// The symbols on the pay line, `STRIPS[reel][stops[reel]]`.
    pub line: [Symbol; REEL_COUNT],
    pub bet: Bet,
    /// Credits won, `multiplier(line) × bet`; 0 for a losing spin.
    pub payout: u32,
}

impl Spin {
    /// The spin whose reels stop at `stops`, or `None` if a stop is off its strip.
    /// Every spin is settled here, so the RTP enumeration and the live game cannot disagree.
    pub fn landing_on(stops: [usize; REEL_COUNT], bet: Bet) -> Option<Spin> {
        let mut line = [Symbol::Cherry; REEL_COUNT];
        for ((symbol, strip), &stop) in line.iter_mut().zip(STRIPS).zip(&stops) {
            *symbol = *strip.get(stop)?;
        }
        let payout = multiplier(line) * bet.credits();
        Some(Spin { stops, line, bet, payout })
    }

    /// Whether this spin pays anything.
    pub fn win(&self) -> bool {
        self.payout > 0
    }
}

/// Spins the reels: draws each reel's stop uniformly from `rng`.
///
/// The generator must be cryptographically secure (`CryptoRng`) so that outcomes cannot be
/// predicted. `Uniform` samples integers by Lemire's rejection method, which has no modulo
/// bias whatever the strip length. Taking the generator as a parameter lets tests seed it and
/// lets a later provably-fair mode derive it from committed seeds.
pub fn spin<R: CryptoRng + ?Sized>(rng: &mut R, bet: Bet) -> Spin {
    let stops = STRIPS.map(|strip| {
        let len = u32::try_from(strip.len()).expect("a reel strip is short");
        let stop = Uniform::new(0, len).expect("a reel strip is never empty");
        stop.sample(rng) as usize
    });
    Spin::landing_on(stops, bet).expect("drawn stops lie on their strips")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn bet_accepts_only_one_to_ten() {
        assert_eq!(Bet::new(0), Err(BetError { credits: 0 }));
        assert_eq!(Bet::new(1).map(Bet::credits), Ok(1));
        assert_eq!(Bet::new(10).map(Bet::credits), Ok(10));
        assert!(Bet::new(11).is_err());
        assert!(Bet::new(256 + 5).is_err(), "no wrap-around into range");
        assert_eq!(
            Bet::new(11).unwrap_err().to_string(),
            "bet must be from 1 to 10 credits, got 11"
        );
    }

    #[test]
    fn bet_deserializes_only_whole_numbers_in_range() {
        let bet = |json: &str| serde_json::from_str::<Bet>(json);
        assert_eq!(bet("3").unwrap(), Bet(3));
        for bad in ["0", "11", "-1", "2.5", "\"5\"", "null", "true", "[1]", "1e3"] {
            assert!(bet(bad).is_err(), "{bad} accepted");
        }
        assert!(
            bet("\"5\"").unwrap_err().to_string().contains("whole number of credits from 1 to 10")
        );
    }

    #[test]
    fn landing_on_settles_by_the_paytable() {
        // Reel 1 stop 6, reel 2 stop 5 and reel 3 stop 21 are the sevens.
        let jackpot = Spin::landing_on([6, 5, 21], Bet::new(2).unwrap()).unwrap();
        assert_eq!(jackpot.line, [Symbol::Seven; 3]);
        assert_eq!(jackpot.payout, 400);
        assert!(jackpot.win());
        assert_eq!(Spin::landing_on([22, 0, 0], Bet::MIN), None);
    }

    #[test]
    fn spin_draws_stops_on_the_strips() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..1000 {
            let spin = spin(&mut rng, Bet::MAX);
            assert_eq!(Spin::landing_on(spin.stops, Bet::MAX), Some(spin));
        }
    }
}

//! The outcome of a spin: settling stops against the paytable, and drawing them at random.

use rand::CryptoRng;
use rand::distr::{Distribution, Uniform};

use crate::bet::Bet;
use crate::paytable::multiplier;
use crate::reels::{REEL_COUNT, STRIPS};
use crate::symbol::Symbol;

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

    /// A spin that shows `line`, each reel on the first stop printed with its symbol. Lets
    /// code name an outcome by its symbols, so only this crate knows where they are printed.
    pub fn showing(line: [Symbol; REEL_COUNT], bet: Bet) -> Spin {
        let stops = std::array::from_fn(|reel| {
            STRIPS[reel]
                .iter()
                .position(|&symbol| symbol == line[reel])
                .expect("every symbol is on every reel")
        });
        Spin::landing_on(stops, bet).expect("found stops lie on their strips")
    }

    /// Whether this spin pays anything.
    pub fn win(&self) -> bool {
        self.payout > 0
    }
}

/// Draws a spin: each reel's stop uniformly from `rng`.
///
/// The generator must be cryptographically secure (`CryptoRng`) so that outcomes cannot be
/// predicted. `Uniform` samples integers by Lemire's rejection method, which has no modulo
/// bias whatever the strip length. Taking the generator as a parameter lets tests seed it and
/// lets a later provably-fair mode derive it from committed seeds.
pub fn draw<R: CryptoRng + ?Sized>(rng: &mut R, bet: Bet) -> Spin {
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
    fn landing_on_settles_by_the_paytable() {
        // Reel 1 stop 6, reel 2 stop 5 and reel 3 stop 21 are the sevens.
        let jackpot = Spin::landing_on([6, 5, 21], Bet::new(2).unwrap()).unwrap();
        assert_eq!(jackpot.line, [Symbol::Seven; 3]);
        assert_eq!(jackpot.payout, 400);
        assert!(jackpot.win());
        assert_eq!(Spin::landing_on([22, 0, 0], Bet::MIN), None);
    }

    #[test]
    fn showing_finds_stops_for_every_line() {
        let bet = Bet::new(3).unwrap();
        for a in Symbol::ALL {
            for b in Symbol::ALL {
                for c in Symbol::ALL {
                    let spin = Spin::showing([a, b, c], bet);
                    assert_eq!((spin.line, spin.bet), ([a, b, c], bet));
                }
            }
        }
    }

    #[test]
    fn draw_reaches_every_stop_of_every_reel() {
        let mut rng = StdRng::seed_from_u64(7);
        let mut seen = STRIPS.map(|strip| vec![false; strip.len()]);
        for _ in 0..1000 {
            let spin = draw(&mut rng, Bet::MAX);
            assert_eq!(spin.bet, Bet::MAX);
            for (reel, &stop) in spin.stops.iter().enumerate() {
                seen[reel][stop] = true;
            }
        }
        for (reel, stops) in seen.iter().enumerate() {
            let missed: Vec<_> = (0..stops.len()).filter(|&stop| !stops[stop]).collect();
            assert!(missed.is_empty(), "reel {reel} never stopped at {missed:?}");
        }
    }
}

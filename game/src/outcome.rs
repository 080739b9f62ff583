//! The outcome of a spin: settling stops against the paytable. (The stops are drawn by the
//! provably fair scheme, `fair.rs`.)

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

#[cfg(test)]
mod tests {
    use super::*;

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
}

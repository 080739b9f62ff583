//! The reels: how many there are and the symbols printed around each.

use crate::symbol::Symbol::{self, *};

/// How many reels the machine has (and so how many symbols make the pay line).
pub const REEL_COUNT: usize = 3;

/// One reel: the symbols printed around its band, in order. A stop is an index into it.
pub type Strip = &'static [Symbol];

/// The three reel strips. Each holds every symbol at least once, so every symbol can land on
/// the pay line; rarer symbols are printed fewer times. The RTP that these strips and the
/// paytable give is proven exactly by enumeration in `tests/fairness.rs`.
pub const STRIPS: [Strip; REEL_COUNT] = [
    &[
        Cherry, Grapes, Orange, Plum, Bar, Cherry, Seven, Grapes, Orange, Bell, Lemon, Cherry,
        Grapes, Lemon, Bell, Plum, Bar, Orange, Lemon, Plum, Orange, Lemon,
    ],
    &[
        Lemon, Orange, Cherry, Lemon, Grapes, Seven, Cherry, Grapes, Bar, Plum, Orange, Grapes,
        Plum, Lemon, Bell, Bar, Plum, Orange, Lemon, Bar, Bell, Plum,
    ],
    &[
        Bar, Orange, Grapes, Cherry, Bell, Grapes, Lemon, Plum, Orange, Lemon, Plum, Grapes, Bell,
        Bar, Lemon, Cherry, Bell, Orange, Plum, Lemon, Orange, Seven,
    ],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_is_on_every_reel() {
        for (reel, strip) in STRIPS.iter().enumerate() {
            for symbol in Symbol::ALL {
                assert!(strip.contains(&symbol), "{symbol:?} missing from reel {reel}");
            }
        }
    }
}

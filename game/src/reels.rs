use std::sync::LazyLock;

use crate::paytable::{PAYTABLE, Pattern};
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

/// A short id of these exact rules (strips and paytable): 12 hex digits of an FNV-1a hash of
/// their canonical text. The API sends it with every spin so a front end built from other
/// rules can tell.
pub fn rules_id() -> &'static str {
    static ID: LazyLock<String> =
        LazyLock::new(|| format!("{:012x}", fnv1a(&canonical_rules()) >> 16));
    &ID
}

/// The rules as text, one line per strip and per prize. Any change to a strip or a prize
/// changes this text and so the id.
fn canonical_rules() -> String {
    let mut text = String::new();
    for strip in STRIPS {
        let names: Vec<_> = strip.iter().map(|symbol| symbol.file_name()).collect();
        text.push_str(&format!("strip {}\n", names.join(" ")));
    }
    for prize in PAYTABLE {
        let pattern = match prize.pattern {
            Pattern::ThreeOfAKind(symbol) => format!("three {}", symbol.file_name()),
            Pattern::Cherries(count) => format!("cherries {count}"),
        };
        text.push_str(&format!("pays {pattern} x{}\n", prize.multiplier));
    }
    text
}

/// 64-bit FNV-1a: tiny, stable across platforms and versions, and enough to tell rule sets
/// apart (this is an id, not a security boundary).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

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

    #[test]
    fn rules_id_is_short_hex_and_stable() {
        let id = rules_id();
        assert_eq!(id.len(), 12);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(id, rules_id());
    }

    #[test]
    fn fnv1a_matches_reference_vectors() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}

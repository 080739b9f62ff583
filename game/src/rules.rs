//! The rules id: a fingerprint of the strips and the paytable together, so the API can say which
//! rules drew a spin and a client can tell whether they are the ones it was built with.

use std::sync::LazyLock;

use crate::paytable::{PAYTABLE, Pattern, Prize};
use crate::reels::STRIPS;
use crate::symbol::Symbol;

/// A short id of these exact rules (strips and paytable): 12 hex digits of an FNV-1a hash of
/// their canonical text. The API sends it with every spin so a front end built from other
/// rules can tell.
pub fn rules_id() -> &'static str {
    static ID: LazyLock<String> = LazyLock::new(|| id_of(&canonical_text(&STRIPS, &PAYTABLE)));
    &ID
}

/// The id of rules whose canonical text is `text`.
fn id_of(text: &str) -> String {
    format!("{:012x}", fnv1a(text) >> 16)
}

/// Rules as text, one line per strip and per prize. Any change to a strip or a prize changes
/// this text and so the id.
fn canonical_text(strips: &[&[Symbol]], paytable: &[Prize]) -> String {
    let mut text = String::new();
    for strip in strips {
        let names: Vec<_> = strip.iter().map(|symbol| symbol.file_name()).collect();
        text.push_str(&format!("strip {}\n", names.join(" ")));
    }
    for prize in paytable {
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
    fn the_id_of_these_rules_is_pinned() {
        // Clients compare ids across builds, so the id may change only with the rules: after a
        // deliberate change to a strip or a prize, update this value and the README's example.
        assert_eq!(rules_id(), "e8a86595c376");
    }

    #[test]
    fn changing_a_strip_or_a_prize_changes_the_id() {
        let id =
            |strips: &[&[Symbol]], paytable: &[Prize]| id_of(&canonical_text(strips, paytable));
        assert_eq!(id(&STRIPS, &PAYTABLE), rules_id());

        let mut swapped = STRIPS[0].to_vec();
        swapped.swap(0, 1);
        let mut richer = PAYTABLE;
        richer[0].multiplier += 1;
        let mut other_symbol = PAYTABLE;
        other_symbol[0].pattern = Pattern::ThreeOfAKind(Symbol::Lemon);
        let changed = [
            id(&[&swapped, STRIPS[1], STRIPS[2]], &PAYTABLE),
            id(&STRIPS[..2], &PAYTABLE),
            id(&STRIPS, &richer),
            id(&STRIPS, &other_symbol),
            id(&STRIPS, &PAYTABLE[1..]),
        ];
        for (case, other) in changed.iter().enumerate() {
            assert_ne!(other, rules_id(), "change {case} kept the id");
        }
    }

    #[test]
    fn fnv1a_matches_reference_vectors() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}

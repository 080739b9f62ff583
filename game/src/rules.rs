//! The rules id: a fingerprint of the strips and the paytable together, so the API can say which
//! rules drew a spin and a client can tell whether they are the ones it was built with.

use crate::paytable::{PAYTABLE, Pattern, Prize};
use crate::reels::STRIPS;
use crate::symbol::Symbol;

/// A short id of these exact rules (strips and paytable): 12 hex digits of an FNV-1a hash of
/// their canonical text. The API sends it with every spin so a front end built from other
/// rules can tell.
pub fn rules_id() -> &'static str {
    RULES_ID
}

/// Worked out by the compiler: nothing to compute or cache at run time, in the Lambda or the
/// page.
const RULES_ID: &str = match std::str::from_utf8(&id_of(rules_hash(&STRIPS, &PAYTABLE))) {
    Ok(id) => id,
    Err(_) => panic!("hex digits are ASCII"),
};

/// The id of rules whose canonical text hashes to `hash`: its top 48 bits in lowercase hex.
const fn id_of(hash: u64) -> [u8; 12] {
    let mut id = [0; 12];
    let mut digit = 0;
    while digit < id.len() {
        let nibble = (hash >> (60 - 4 * digit)) & 0xf;
        id[digit] = b"0123456789abcdef"[nibble as usize];
        digit += 1;
    }
    id
}

/// The FNV-1a hash of the rules' canonical text, one line per strip (`strip lemon.svg bar.svg
/// …`) and per prize (`pays three seven.svg x200`, `pays cherries 2 x5`). Any change to a
/// strip or a prize changes this text and so the id. The text is fed to the hash piece by
/// piece, never built, so the compiler can work it out.
const fn rules_hash(strips: &[&[Symbol]], paytable: &[Prize]) -> u64 {
    let mut hash = Fnv1a::NEW;
    let mut reel = 0;
    while reel < strips.len() {
        hash = hash.str("strip");
        let mut row = 0;
        while row < strips[reel].len() {
            hash = hash.str(" ").str(strips[reel][row].file_name());
            row += 1;
        }
        hash = hash.str("\n");
        reel += 1;
    }
    let mut prize = 0;
    while prize < paytable.len() {
        hash = match paytable[prize].pattern {
            Pattern::ThreeOfAKind(symbol) => hash.str("pays three ").str(symbol.file_name()),
            Pattern::Cherries(count) => hash.str("pays cherries ").number(count as u32),
        };
        hash = hash.str(" x").number(paytable[prize].multiplier).str("\n");
        prize += 1;
    }
    hash.0
}

/// 64-bit FNV-1a: tiny, stable across platforms and versions, and enough to tell rule sets
/// apart (this is an id, not a security boundary).
#[derive(Clone, Copy)]
struct Fnv1a(u64);

impl Fnv1a {
    const NEW: Fnv1a = Fnv1a(0xcbf2_9ce4_8422_2325);

    const fn str(self, text: &str) -> Fnv1a {
        let (bytes, mut hash, mut at) = (text.as_bytes(), self.0, 0);
        while at < bytes.len() {
            hash = (hash ^ bytes[at] as u64).wrapping_mul(0x0000_0100_0000_01b3);
            at += 1;
        }
        Fnv1a(hash)
    }

    /// `n` in decimal, as `format!("{n}")` writes it.
    const fn number(self, n: u32) -> Fnv1a {
        let (mut digits, mut len, mut rest) = ([0u8; 10], 0, n);
        loop {
            digits[digits.len() - 1 - len] = b'0' + (rest % 10) as u8;
            len += 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        match std::str::from_utf8(digits.split_at(digits.len() - len).1) {
            Ok(text) => self.str(text),
            Err(_) => panic!("decimal digits are ASCII"),
        }
    }
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
        let id = |strips: &[&[Symbol]], paytable: &[Prize]| {
            String::from_utf8(id_of(rules_hash(strips, paytable)).to_vec()).unwrap()
        };
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
        assert_eq!(Fnv1a::NEW.str("").0, 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv1a::NEW.str("a").0, 0xaf63_dc4c_8601_ec8c);
        assert_eq!(Fnv1a::NEW.str("a").str("bc").0, Fnv1a::NEW.str("abc").0, "piece by piece");
        for n in [0, 7, 10, 200, 4_294_967_295] {
            assert_eq!(Fnv1a::NEW.number(n).0, Fnv1a::NEW.str(&n.to_string()).0, "{n}");
        }
    }
}

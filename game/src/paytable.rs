//! The paytable: which pay lines win, and how much per credit bet.

use crate::reels::REEL_COUNT;
use crate::symbol::Symbol;

/// What a pay line must show to win a prize. The patterns in [`PAYTABLE`] never overlap, so
/// at most one prize applies to any line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// The same symbol on all three reels.
    ThreeOfAKind(Symbol),
    /// Exactly this many cherries (1 or 2), anywhere on the line.
    Cherries(u8),
}

impl Pattern {
    /// Whether `line` shows this pattern.
    pub fn matches(self, line: [Symbol; REEL_COUNT]) -> bool {
        match self {
            Pattern::ThreeOfAKind(symbol) => line.iter().all(|&s| s == symbol),
            Pattern::Cherries(count) => {
                line.iter().filter(|&&s| s == Symbol::Cherry).count() == usize::from(count)
            }
        }
    }

    /// The symbols that picture this pattern in a paytable: the whole line for three of a
    /// kind, only the cherries that count otherwise (the rest of the line is any symbol).
    pub fn pictured(self) -> Vec<Symbol> {
        match self {
            Pattern::ThreeOfAKind(symbol) => vec![symbol; REEL_COUNT],
            Pattern::Cherries(count) => vec![Symbol::Cherry; usize::from(count)],
        }
    }

    /// How the paytable names this pattern to a player.
    pub fn describe(self) -> String {
        match self {
            Pattern::ThreeOfAKind(symbol) => format!("Three {}", symbol.plural()),
            Pattern::Cherries(1) => "Any one Cherry".to_owned(),
            Pattern::Cherries(count) => format!("Any {} Cherries", number_word(count)),
        }
    }
}

fn number_word(count: u8) -> String {
    match count {
        2 => "two".to_owned(),
        3 => "three".to_owned(),
        n => n.to_string(),
    }
}

/// One line of the paytable: a pattern and what it pays per credit bet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prize {
    pub pattern: Pattern,
    /// Credits paid per credit bet (the payout is `multiplier × bet`).
    pub multiplier: u32,
}

const fn three(symbol: Symbol, multiplier: u32) -> Prize {
    Prize { pattern: Pattern::ThreeOfAKind(symbol), multiplier }
}

/// Every prize, from the biggest down.
pub const PAYTABLE: [Prize; 10] = [
    three(Symbol::Seven, 200),
    three(Symbol::Bar, 50),
    three(Symbol::Cherry, 25),
    three(Symbol::Bell, 20),
    three(Symbol::Grapes, 15),
    three(Symbol::Plum, 12),
    three(Symbol::Orange, 10),
    three(Symbol::Lemon, 8),
    Prize { pattern: Pattern::Cherries(2), multiplier: 5 },
    Prize { pattern: Pattern::Cherries(1), multiplier: 2 },
];

/// What `line` pays per credit bet: the multiplier of the prize it shows, or 0.
pub fn multiplier(line: [Symbol; REEL_COUNT]) -> u32 {
    PAYTABLE.iter().find(|prize| prize.pattern.matches(line)).map_or(0, |prize| prize.multiplier)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Symbol::*;

    #[test]
    fn pays_the_documented_prizes() {
        assert_eq!(multiplier([Seven, Seven, Seven]), 200);
        assert_eq!(multiplier([Cherry, Cherry, Cherry]), 25);
        assert_eq!(multiplier([Cherry, Bell, Cherry]), 5);
        assert_eq!(multiplier([Lemon, Lemon, Cherry]), 2);
        assert_eq!(multiplier([Bar, Bar, Seven]), 0);
    }

    #[test]
    fn at_most_one_prize_matches_any_line() {
        for a in Symbol::ALL {
            for b in Symbol::ALL {
                for c in Symbol::ALL {
                    let hits = PAYTABLE.iter().filter(|p| p.pattern.matches([a, b, c])).count();
                    assert!(hits <= 1, "{a:?} {b:?} {c:?} matches {hits} prizes");
                }
            }
        }
    }

    #[test]
    fn every_symbol_has_a_three_of_a_kind_prize() {
        for symbol in Symbol::ALL {
            assert!(PAYTABLE.iter().any(|p| p.pattern == Pattern::ThreeOfAKind(symbol)));
        }
    }

    #[test]
    fn every_picture_shows_its_pattern() {
        assert_eq!(Pattern::ThreeOfAKind(Bell).pictured(), [Bell; REEL_COUNT]);
        for prize in PAYTABLE {
            let picture = prize.pattern.pictured();
            assert!(picture.len() <= REEL_COUNT, "{:?} pictures too much", prize.pattern);
            // Fill the rest of the line with a symbol no cherry pattern counts.
            let mut line = [Bar; REEL_COUNT];
            line[..picture.len()].copy_from_slice(&picture);
            assert!(prize.pattern.matches(line), "{:?} pictured as {picture:?}", prize.pattern);
        }
    }

    #[test]
    fn describes_patterns_in_words() {
        assert_eq!(Pattern::ThreeOfAKind(Seven).describe(), "Three Sevens");
        assert_eq!(Pattern::Cherries(2).describe(), "Any two Cherries");
        assert_eq!(Pattern::Cherries(1).describe(), "Any one Cherry");
    }
}

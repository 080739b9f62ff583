//! The stake: a whole number of credits within the allowed range, checked when made and when
//! read from JSON, so no other code needs to check it again.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

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

    /// The largest bet a player holding `credits` can afford, or `None` below the minimum
    /// stake. Lets a client cap the bet without restating the limits.
    pub fn at_most(credits: u64) -> Option<Bet> {
        Bet::new(credits.min(u64::from(Bet::MAX.0))).ok()
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn at_most_is_the_largest_affordable_bet() {
        assert_eq!(Bet::at_most(0), None);
        assert_eq!(Bet::at_most(1), Some(Bet::MIN));
        assert_eq!(Bet::at_most(7), Some(Bet(7)));
        assert_eq!(Bet::at_most(10), Some(Bet::MAX));
        assert_eq!(Bet::at_most(11), Some(Bet::MAX));
        assert_eq!(Bet::at_most(u64::MAX), Some(Bet::MAX), "no wrap-around");
    }
}

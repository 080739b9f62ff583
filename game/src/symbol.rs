use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A symbol on a reel. On the wire and on disk a symbol is its image file name
/// (`cherry.svg`), which the site serves from `symbols/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    Cherry,
    Lemon,
    Orange,
    Plum,
    Grapes,
    Bell,
    Bar,
    Seven,
}

impl Symbol {
    /// Every symbol, in paytable order from the humblest up.
    pub const ALL: [Symbol; 8] = [
        Symbol::Cherry,
        Symbol::Lemon,
        Symbol::Orange,
        Symbol::Plum,
        Symbol::Grapes,
        Symbol::Bell,
        Symbol::Bar,
        Symbol::Seven,
    ];

    /// The image file in `static/symbols/` that shows this symbol.
    pub const fn file_name(self) -> &'static str {
        match self {
            Symbol::Cherry => "cherry.svg",
            Symbol::Lemon => "lemon.svg",
            Symbol::Orange => "orange.svg",
            Symbol::Plum => "plum.svg",
            Symbol::Grapes => "grapes.svg",
            Symbol::Bell => "bell.svg",
            Symbol::Bar => "bar.svg",
            Symbol::Seven => "seven.svg",
        }
    }

    /// The name a person reads or hears (the image's text alternative).
    pub const fn name(self) -> &'static str {
        match self {
            Symbol::Cherry => "Cherry",
            Symbol::Lemon => "Lemon",
            Symbol::Orange => "Orange",
            Symbol::Plum => "Plum",
            Symbol::Grapes => "Grapes",
            Symbol::Bell => "Bell",
            Symbol::Bar => "Bar",
            Symbol::Seven => "Seven",
        }
    }

    /// The plural used in paytable lines ("Three Cherries").
    pub const fn plural(self) -> &'static str {
        match self {
            Symbol::Cherry => "Cherries",
            Symbol::Lemon => "Lemons",
            Symbol::Orange => "Oranges",
            Symbol::Plum => "Plums",
            Symbol::Grapes => "Grapes",
            Symbol::Bell => "Bells",
            Symbol::Bar => "Bars",
            Symbol::Seven => "Sevens",
        }
    }

    /// The symbol whose image is `file_name`, if any.
    pub fn from_file_name(file_name: &str) -> Option<Symbol> {
        Symbol::ALL.into_iter().find(|symbol| symbol.file_name() == file_name)
    }
}

impl Serialize for Symbol {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.file_name())
    }
}

impl<'de> Deserialize<'de> for Symbol {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let file_name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Symbol::from_file_name(&file_name)
            .ok_or_else(|| de::Error::custom(format!("unknown symbol {file_name:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_round_trip_and_are_distinct() {
        let mut names: Vec<_> = Symbol::ALL.iter().map(|s| s.file_name()).collect();
        for symbol in Symbol::ALL {
            assert_eq!(Symbol::from_file_name(symbol.file_name()), Some(symbol));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Symbol::ALL.len());
        assert_eq!(Symbol::from_file_name("joker.svg"), None);
    }

    #[test]
    fn serializes_as_its_file_name() {
        let json = serde_json::to_string(&Symbol::Seven).unwrap();
        assert_eq!(json, r#""seven.svg""#);
        assert_eq!(serde_json::from_str::<Symbol>(&json).unwrap(), Symbol::Seven);
        assert!(serde_json::from_str::<Symbol>(r#""../etc/passwd""#).is_err());
    }
}

//! Autoplay with limits: a run of 10, 25, 50 or 100 spins at one bet, which stops early at the
//! player's own limits (credits falling below an amount, a single win of at least an amount)
//! and always on an error, when the credits cannot cover the bet, when the page is hidden and
//! when the player presses Stop. The limits come from a form anyone can edit, so they are
//! parsed here, not trusted.

use spin_game::Bet;

/// The runs autoplay offers.
pub const RUN_LENGTHS: [u32; 4] = [10, 25, 50, 100];

/// What the player chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// How many spins the run plays at most: one of [`RUN_LENGTHS`].
    pub spins: u32,
    /// Stop once the credits are below this.
    pub credits_below: Option<u32>,
    /// Stop after any single win of at least this many credits.
    pub win_at_least: Option<u32>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { spins: RUN_LENGTHS[0], credits_below: None, win_at_least: None }
    }
}

impl Limits {
    /// The form's fields as typed: the run length, then each limit, empty for none.
    pub fn parse(spins: &str, credits_below: &str, win_at_least: &str) -> Result<Limits, String> {
        let spins = spins.trim().parse().ok().filter(|spins| RUN_LENGTHS.contains(spins));
        let spins = spins.ok_or("choose 10, 25, 50 or 100 spins")?;
        // An amount from 1 up, or nothing for no limit.
        let amount = |text: &str, what: &str| match text.trim() {
            "" => Ok(None),
            text => text.parse().ok().filter(|&n| n > 0).map(Some).ok_or(format!(
                "{what} must be a whole number of credits from 1, or empty for no limit"
            )),
        };
        Ok(Limits {
            spins,
            credits_below: amount(credits_below, "the credits limit")?,
            win_at_least: amount(win_at_least, "the win limit")?,
        })
    }
}

/// A run under way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Autoplay {
    pub limits: Limits,
    /// Spins not yet started.
    pub left: u32,
}

/// Why a run ended (or never began).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Every spin of the run was played.
    Finished(u32),
    CreditsBelow(u32),
    WinAtLeast(u32),
    Failed,
    CannotCoverBet,
    PageHidden,
    StopPressed,
    CalmPlay,
}

impl Ending {
    /// Why, in a few words: "the page was hidden".
    pub fn reason(self) -> String {
        match self {
            Ending::Finished(spins) => format!("{spins} spins played"),
            Ending::CreditsBelow(limit) => format!("credits below {limit}"),
            Ending::WinAtLeast(limit) => format!("a win of {limit} or more"),
            Ending::Failed => "the spin failed".to_owned(),
            Ending::CannotCoverBet => "not enough credits for the bet".to_owned(),
            Ending::PageHidden => "the page was hidden".to_owned(),
            Ending::StopPressed => "you pressed Stop".to_owned(),
            Ending::CalmPlay => "Calm play is on".to_owned(),
        }
    }

    /// What the news region says, once: "Autoplay stopped: the page was hidden."
    pub fn words(self) -> String {
        match self {
            Ending::Finished(_) => format!("Autoplay finished: {}.", self.reason()),
            _ => format!("Autoplay stopped: {}.", self.reason()),
        }
    }
}

impl Autoplay {
    /// A run of `limits`, or why it cannot begin with `credits` at `bet`.
    pub fn start(limits: Limits, credits: u32, bet: Bet) -> Result<Autoplay, Ending> {
        let run = Autoplay { limits, left: limits.spins };
        match run.ending(credits, bet, 0) {
            Some(ending) => Err(ending),
            None => Ok(run),
        }
    }

    /// Why the run ends now that a spin at `bet` has paid `payout`, leaving `credits`; `None`
    /// if it goes on. (Before the first spin, `payout` is 0.)
    pub fn ending(&self, credits: u32, bet: Bet, payout: u32) -> Option<Ending> {
        let Limits { spins, credits_below, win_at_least } = self.limits;
        if let Some(limit) = win_at_least.filter(|&limit| payout >= limit) {
            Some(Ending::WinAtLeast(limit))
        } else if self.left == 0 {
            Some(Ending::Finished(spins))
        } else if let Some(limit) = credits_below.filter(|&limit| credits < limit) {
            Some(Ending::CreditsBelow(limit))
        } else {
            (credits < bet.credits()).then_some(Ending::CannotCoverBet)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bet(credits: u64) -> Bet {
        Bet::new(credits).unwrap()
    }

    fn limits(spins: u32, credits_below: Option<u32>, win_at_least: Option<u32>) -> Limits {
        Limits { spins, credits_below, win_at_least }
    }

    #[test]
    fn the_form_gives_a_run_length_and_optional_limits() {
        assert_eq!(Limits::parse("25", "", " "), Ok(limits(25, None, None)));
        assert_eq!(Limits::parse("100", "40", "20"), Ok(limits(100, Some(40), Some(20))));
        for (spins, below, win, field) in [
            ("11", "", "", "10, 25, 50 or 100"),
            ("", "", "", "10, 25, 50 or 100"),
            ("10", "-5", "", "credits limit"),
            ("10", "0", "", "credits limit"),
            ("10", "4.5", "", "credits limit"),
            ("10", "99999999999", "", "credits limit"),
            ("10", "", "lots", "win limit"),
        ] {
            let refused = Limits::parse(spins, below, win).unwrap_err();
            assert!(refused.contains(field), "{spins:?} {below:?} {win:?}: {refused}");
        }
    }

    #[test]
    fn a_run_plays_its_spins_then_finishes() {
        let mut run = Autoplay::start(limits(10, None, None), 100, bet(1)).unwrap();
        assert_eq!(run.left, 10);
        run.left -= 1;
        assert_eq!(run.ending(99, bet(1), 0), None);
        run.left = 0;
        assert_eq!(run.ending(99, bet(1), 0), Some(Ending::Finished(10)));
        assert_eq!(Ending::Finished(10).words(), "Autoplay finished: 10 spins played.");
    }

    #[test]
    fn a_run_stops_at_the_players_limits() {
        let run = Autoplay { limits: limits(50, Some(90), Some(20)), left: 30 };
        assert_eq!(run.ending(90, bet(2), 0), None, "at the limit is not below it");
        assert_eq!(run.ending(89, bet(2), 0), Some(Ending::CreditsBelow(90)));
        assert_eq!(run.ending(120, bet(2), 19), None);
        assert_eq!(run.ending(120, bet(2), 20), Some(Ending::WinAtLeast(20)));
        let last = Autoplay { left: 0, ..run };
        assert_eq!(last.ending(120, bet(2), 40), Some(Ending::WinAtLeast(20)), "the win first");
        assert_eq!(Ending::CreditsBelow(90).words(), "Autoplay stopped: credits below 90.");
    }

    #[test]
    fn a_run_stops_when_the_credits_cannot_cover_the_bet() {
        let run = Autoplay { limits: limits(10, None, None), left: 5 };
        assert_eq!(run.ending(3, bet(3), 0), None);
        assert_eq!(run.ending(2, bet(3), 0), Some(Ending::CannotCoverBet));
    }

    #[test]
    fn a_run_that_would_stop_at_once_does_not_start() {
        let below = limits(10, Some(50), None);
        assert_eq!(Autoplay::start(below, 49, bet(1)), Err(Ending::CreditsBelow(50)));
        assert_eq!(Autoplay::start(below, 50, bet(1)).map(|run| run.left), Ok(10));
        let broke = Autoplay::start(limits(10, None, None), 1, bet(2));
        assert_eq!(broke, Err(Ending::CannotCoverBet));
    }
}

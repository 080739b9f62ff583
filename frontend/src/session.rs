//! The player's session: how long they have played, how many spins, and what those spins won
//! or lost in all, always on screen so play never loses track of time or money. A session
//! starts when the page opens in a new tab (or at "Start again") and survives a reload: it is
//! kept in `sessionStorage`, which anyone can edit, so what is read back is checked.

use crate::game::Round;
use crate::json::{self, JsonValue};

/// The session's facts. Times are unix seconds by this page's clock (whole numbers: state
/// holds no floats, whose formatting code would weigh on the page).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Session {
    pub started: u64,
    pub spins: u32,
    /// Credits bet over the session.
    pub bet: u64,
    /// Credits won over the session.
    pub won: u64,
    /// Break reminders (Calm play) the player has dismissed this session.
    pub reminders: u64,
}

/// Calm play reminds the player of the session's facts each time this much more of it has
/// been played.
pub const REMINDER_EVERY_SECONDS: u64 = 30 * 60;

/// The most spins an honest session could hold (one spin a second for over a year); more is
/// tampering.
const MAX_SPINS: u32 = 40_000_000;

impl Session {
    /// A session with nothing played yet, started at `now`.
    pub fn starting(now: u64) -> Session {
        Session { started: now, spins: 0, bet: 0, won: 0, reminders: 0 }
    }

    /// Counts a finished spin.
    pub fn record(&mut self, round: &Round) {
        self.spins += 1;
        self.bet += u64::from(round.bet.credits());
        self.won += u64::from(round.payout);
    }

    /// Credits won minus credits bet.
    pub fn net(&self) -> i64 {
        self.won as i64 - self.bet as i64
    }

    /// The net result as the page shows it: with its sign, `+5`, `-3` or `0`.
    pub fn net_text(&self) -> String {
        match self.net() {
            0 => "0".to_owned(),
            net => format!("{net:+}"),
        }
    }

    /// Whole half hours (reminder periods) played by `now`.
    fn half_hours_played(&self, now: u64) -> u64 {
        now.saturating_sub(self.started) / REMINDER_EVERY_SECONDS
    }

    /// Whether, by `now`, another half hour has been played since the last reminder.
    pub fn reminder_due(&self, now: u64) -> bool {
        self.reminders < self.half_hours_played(now)
    }

    /// The player dismissed the reminder: the next one comes at the next half hour.
    pub fn remind_again_later(&mut self, now: u64) {
        self.reminders = self.half_hours_played(now);
    }

    /// Time played by `now`, as `M:SS`, or `H:MM:SS` from an hour on.
    pub fn played(&self, now: u64) -> String {
        let seconds = now.saturating_sub(self.started);
        let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        match hours {
            0 => format!("{minutes}:{seconds:02}"),
            _ => format!("{hours}:{minutes:02}:{seconds:02}"),
        }
    }

    /// The session as [`Session::parse`] reads it back: a JSON object.
    pub fn to_saved(&self) -> String {
        let Session { started, spins, bet, won, reminders } = self;
        format!(
            r#"{{"started":{started},"spins":{spins},"bet":{bet},"won":{won},"reminders":{reminders}}}"#
        )
    }

    /// A saved session, if it is one an honest page could have saved by `now`: whole
    /// numbers, started no later than now, at least one credit bet a spin and no more than
    /// the largest bet allows, no more won than the top prize pays. (Read with the page's JSON
    /// parser, already in the page.)
    pub fn parse(saved: &str, now: u64) -> Option<Session> {
        let saved = json::parse(saved)?;
        let number = |name: &str| saved.field(name)?.whole_number();
        let (started, bet, won) = (number("started")?, number("bet")?, number("won")?);
        let spins = u32::try_from(number("spins")?).ok().filter(|&spins| spins <= MAX_SPINS)?;
        let max_bet = u64::from(spin_game::Bet::MAX.credits());
        let bets_fit = u64::from(spins) <= bet && bet <= u64::from(spins) * max_bet;
        let top = spin_game::PAYTABLE.iter().map(|prize| u64::from(prize.multiplier)).max()?;
        let session = Session { started, spins, bet, won, reminders: number("reminders")? };
        let honest = bets_fit && won <= bet * top && started <= now;
        (honest && session.reminders <= session.half_hours_played(now)).then_some(session)
    }
}

#[cfg(test)]
mod tests {
    use spin_game::{Bet, Symbol};

    use super::*;

    const NOW: u64 = 1_800_000_000;

    fn round(bet: u64, payout: u32) -> Round {
        Round { line: [Symbol::Cherry; 3], bet: Bet::new(bet).unwrap(), payout }
    }

    #[test]
    fn spins_add_up_to_the_net_result() {
        let mut session = Session::starting(NOW);
        assert_eq!((session.spins, session.net_text()), (0, "0".to_owned()));
        session.record(&round(3, 0));
        assert_eq!((session.spins, session.net(), session.net_text()), (1, -3, "-3".to_owned()));
        session.record(&round(1, 5));
        session.record(&round(2, 4));
        assert_eq!((session.spins, session.bet, session.won), (3, 6, 9));
        assert_eq!(session.net_text(), "+3");
    }

    #[test]
    fn time_played_reads_as_a_clock() {
        let session = Session::starting(NOW);
        assert_eq!(session.played(NOW), "0:00");
        assert_eq!(session.played(NOW + 59), "0:59");
        assert_eq!(session.played(NOW + 61), "1:01");
        assert_eq!(session.played(NOW + 3_725), "1:02:05");
        // A clock set back never shows negative time.
        assert_eq!(session.played(NOW - 5), "0:00");
    }

    #[test]
    fn a_reminder_is_due_each_half_hour_played_until_dismissed() {
        let mut session = Session::starting(NOW);
        assert!(!session.reminder_due(NOW + 29 * 60 + 59));
        assert!(session.reminder_due(NOW + 30 * 60));
        session.remind_again_later(NOW + 41 * 60);
        assert!(!session.reminder_due(NOW + 59 * 60));
        assert!(session.reminder_due(NOW + 60 * 60));
        let saved = session.to_saved();
        assert_eq!(Session::parse(&saved, NOW + 41 * 60), Some(session));
    }

    #[test]
    fn a_saved_session_comes_back_as_it_was() {
        let mut session = Session::starting(NOW);
        session.record(&round(2, 10));
        let saved = session.to_saved();
        assert_eq!(Session::parse(&saved, NOW + 1), Some(session));
    }

    #[test]
    fn a_session_no_honest_page_could_save_is_refused() {
        let now = NOW;
        let saved = |started: u64, spins: &str, bet: u64, won: u64| {
            format!(
                r#"{{"started":{started},"spins":{spins},"bet":{bet},"won":{won},"reminders":0}}"#
            )
        };
        for bad in [
            String::new(),
            "lots".to_owned(),
            format!("{now} 1 1 0"),
            r#"{"started":1,"spins":1,"bet":1,"won":0}"#.to_owned(),
            saved(now, "-1", 1, 0),
            saved(now, "1.5", 1, 0),
            saved(now, "\"1\"", 1, 0),
            saved(now + 60, "1", 1, 0),
            saved(now, "2", 1, 0),
            saved(now, "1", 11, 0),
            saved(now, "1", 1, 201),
            saved(now, "99999999999", 99_999_999_999, 0),
            saved(now, "1", 1, 0).replace(r#""reminders":0"#, r#""reminders":1"#),
        ] {
            assert_eq!(Session::parse(&bad, NOW), None, "{bad:?}");
        }
    }
}

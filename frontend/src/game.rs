//! The game's state and every way it changes, as a reducer: `Idle → Spinning → Settling →
//! Idle`, driven by actions named after what happened. No DOM, no timers, no network: the
//! components and effects report events, and this module decides what they mean for the
//! player's credits.

use std::rc::Rc;

use spin_game::fair::{ClientSeed, ServerSeed};
use spin_game::{Bet, PAYTABLE, Pattern, REEL_COUNT, Spin, Symbol};
use yew::Reducible;

use crate::autoplay::{Autoplay, Ending, Limits};
use crate::fair::{Held, MAX_RECORDS, Record, Verdict};
use crate::session::Session;

/// Credits a new player (or one who starts again) gets.
pub const STARTING_CREDITS: u32 = 100;
/// How many past rounds the history shows.
pub const HISTORY_LEN: usize = 8;
/// The line the reels show before the first spin: one that wins nothing.
pub const ATTRACT_LINE: [Symbol; REEL_COUNT] = [Symbol::Grapes, Symbol::Lemon, Symbol::Orange];

/// Where a spin is in its life.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Reading `config.json`.
    Starting,
    /// The game cannot run; the alert says why.
    Unavailable,
    /// Waiting for the player.
    Idle,
    /// The bet is taken and the API asked; the reels spin until it answers.
    Spinning { bet: Bet },
    /// The API answered; the reels come to rest left to right on `spin.line`.
    Settling { spin: Spin, reels: [Motion; REEL_COUNT] },
}

/// What one reel is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    Spinning,
    /// Decelerating onto its stop.
    Stopping,
    /// At rest on its stop.
    Stopped,
}

/// Why a spin did not happen. The bet always comes back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpinFailure {
    /// No answer at all: the network or the server is down.
    Unreachable,
    /// No answer within the client timeout.
    TimedOut,
    /// API Gateway throttled us (429).
    Throttled,
    /// The API answered an error status, with its message when it sent one.
    Refused { status: u16, message: Option<String> },
    /// The answer was not a spin these rules could have produced.
    Garbled,
    /// The server plays other rules than this page was built with.
    OtherRules,
    /// The answer's proof is not for the client seed, nonce, epoch or commitment sent.
    Unfair,
}

impl SpinFailure {
    /// What the alert tells the player.
    pub fn message(&self) -> String {
        let what = match self {
            SpinFailure::Unreachable => {
                "Can't reach the Spin server. Check your connection and try again.".to_owned()
            }
            SpinFailure::TimedOut => "The Spin server took too long to answer.".to_owned(),
            SpinFailure::Throttled => {
                "The Spin server is busy right now. Wait a moment, then spin again.".to_owned()
            }
            SpinFailure::Refused { status, message: Some(message) } if *status < 500 => {
                format!("The Spin server refused the spin: {message}.")
            }
            SpinFailure::Refused { status, .. } => {
                format!("The Spin server had a problem (error {status}).")
            }
            SpinFailure::Garbled => "The Spin server sent an answer the game can't read.".to_owned(),
            SpinFailure::OtherRules => {
                "The Spin server now plays different rules than this page. Reload to get the new game."
                    .to_owned()
            }
            SpinFailure::Unfair => {
                "The Spin server's proof is not for the game's seeds.".to_owned()
            }
        };
        format!("{what} Your bet was returned.")
    }
}

/// A message in the alert region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    pub message: String,
    /// Offer to reload the page (the fix for a rules mismatch).
    pub offer_reload: bool,
}

/// One finished spin, for the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Round {
    pub line: [Symbol; REEL_COUNT],
    pub bet: Bet,
    pub payout: u32,
}

impl Round {
    /// Credits gained (or lost, if negative) by this round.
    pub fn net(&self) -> i64 {
        i64::from(self.payout) - i64::from(self.bet.credits())
    }
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Game {
    pub credits: u32,
    pub bet: Bet,
    pub phase: Phase,
    /// Where the reels rest when not spinning: the last spin's stops.
    pub resting: [usize; REEL_COUNT],
    /// The last finished round, if any (for the win highlight and meter).
    pub last: Option<Round>,
    /// Newest first, at most [`HISTORY_LEN`].
    pub history: Vec<Round>,
    /// What the status region announces.
    pub status: String,
    pub alert: Option<Alert>,
    /// Counts spins started, so effects can tell one spin from the next.
    pub spin_count: u32,
    /// The commitments spins are made under, once `/fairness` has answered.
    pub held: Option<Held>,
    /// `/fairness` answers in a row from a server whose clock is behind this page's: they lack
    /// the commitment after the held one, so the page asks again a moment later.
    pub fairness_behind: u32,
    /// The player's client seed: drawn once a commitment is held, or chosen by the player.
    pub client: Option<ClientSeed>,
    /// The nonce of the next spin with `client`.
    pub nonce: u64,
    /// This browser's spins, newest first, at most [`MAX_RECORDS`].
    pub records: Vec<Record>,
    pub verify_open: bool,
    /// What the Verify view's live region says.
    pub verify_note: String,
    /// The player pressed Stop during this spin: the reels rest as soon as the answer is in.
    pub stop_pressed: bool,
    /// What the second status region says: the last win's tier ("Big win"), once per spin.
    pub news: String,
    /// Whether the player has turned sound on (see `sound.rs`).
    pub sound: bool,
    /// Time played, spins and net result since the page opened or the player started again.
    pub session: Session,
    /// The time by the page's clock (unix seconds) as of its last tick.
    pub now: u64,
    /// Calm play: no quick stop, longer spins, no count-up or win sounds, and a reminder of
    /// the session's facts every half hour.
    pub calm: bool,
    /// The break reminder shows: Spin waits until the player dismisses it.
    pub reminder: bool,
    /// The autoplay run under way, if any.
    pub autoplay: Option<Autoplay>,
    /// The limits the player chose last, which the autoplay form shows.
    pub autoplay_limits: Limits,
    /// The autoplay form is open.
    pub autoplay_open: bool,
}

/// Everything that can happen to the game.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    ConfigLoaded,
    ConfigFailed(String),
    BetChosen(Bet),
    SpinPressed,
    /// The answer, with its record (its proof already checked against what was sent).
    SpinLanded(Spin, Record),
    SpinFailed(SpinFailure),
    ReelStopping(usize),
    ReelStopped(usize),
    /// The player, out of credits, starts again.
    CreditsRefilled,
    AlertDismissed,
    /// `/fairness` answered; the client seed was drawn after it, for use if none is held.
    FairnessLoaded(Held, ClientSeed),
    /// The page's clock passed the end of this epoch.
    EpochEnded(u64),
    VerifyToggled,
    /// The seed of an ended epoch, as the API revealed it.
    SeedRevealed(u64, ServerSeed),
    /// The player typed a client seed of their own.
    ClientSeedChosen(String),
    /// The player pressed Stop while the reels turned.
    StopPressed,
    /// The player turned sound on or off.
    SoundToggled,
    /// The page's clock moved on (unix seconds).
    ClockTicked(u64),
    /// The player turned Calm play on or off.
    CalmToggled,
    /// The player dismissed the break reminder.
    ReminderDismissed,
    /// The player opened or closed the autoplay form.
    AutoplayFormToggled,
    /// The player asked for autoplay with these fields of the form, as typed: the run
    /// length, the credits limit and the win limit.
    AutoplayRequested(String, String, String),
    /// Autoplay's pause after a spin is over: time for its next spin.
    AutoplayPaused,
    /// The page was hidden (another tab, a minimised window, a locked phone).
    PageHidden,
}

impl Game {
    /// A game starting with `credits` and this browser's earlier spins (`records`); `notice`
    /// explains anything odd about the credits.
    pub fn new(credits: u32, notice: Option<String>, records: Vec<Record>) -> Game {
        Game {
            credits,
            bet: Bet::MIN,
            phase: Phase::Starting,
            resting: Spin::showing(ATTRACT_LINE, Bet::MIN).stops,
            last: None,
            history: Vec::new(),
            status: "Loading the game…".to_owned(),
            alert: notice.map(|message| Alert { message, offer_reload: false }),
            spin_count: 0,
            held: None,
            fairness_behind: 0,
            client: None,
            nonce: 0,
            records,
            verify_open: false,
            verify_note: String::new(),
            stop_pressed: false,
            news: String::new(),
            sound: false,
            session: Session::starting(0),
            now: 0,
            calm: false,
            reminder: false,
            autoplay: None,
            autoplay_limits: Limits::default(),
            autoplay_open: false,
        }
        .with_bet_within_credits()
    }

    /// Whether the Spin button works now.
    pub fn can_spin(&self) -> bool {
        self.phase == Phase::Idle && self.credits >= self.bet.credits() && !self.reminder
    }

    /// Whether the button says Stop now, and pressing it brings the reels to rest at once.
    /// The one place quick stop is switched off: Calm play has none.
    /// Autoplay keeps it Stop between its spins too.
    pub fn can_stop(&self) -> bool {
        let turning = matches!(self.phase, Phase::Spinning { .. } | Phase::Settling { .. });
        (turning || self.autoplay.is_some()) && !self.calm
    }

    /// Whether the player may open the autoplay form or start a run now.
    pub fn can_autoplay(&self) -> bool {
        self.can_spin() && self.autoplay.is_none() && !self.calm
    }

    /// Whether the player has nothing left to bet.
    pub fn out_of_credits(&self) -> bool {
        self.credits < Bet::MIN.credits()
    }

    /// The largest bet the player can afford (at least the minimum, for display).
    pub fn max_bet(&self) -> Bet {
        Bet::at_most(u64::from(self.credits)).unwrap_or(Bet::MIN)
    }

    /// The symbol reel `reel` shows at rest, or `None` while it moves.
    pub fn symbol_at_rest(&self, reel: usize) -> Option<Symbol> {
        match &self.phase {
            Phase::Spinning { .. } => None,
            Phase::Settling { spin, reels } => {
                (reels[reel] == Motion::Stopped).then_some(spin.line[reel])
            }
            _ => Spin::landing_on(self.resting, Bet::MIN).map(|spin| spin.line[reel]),
        }
    }

    /// Whether the credits belong in storage: only settled balances are saved, so reloading
    /// mid-spin voids that spin instead of losing its bet.
    pub fn is_settled(&self) -> bool {
        matches!(self.phase, Phase::Idle | Phase::Unavailable)
    }

    /// The epochs, oldest first, whose pending spins can be checked now: epochs the page's
    /// clock has moved past (their seeds are revealed), while the Verify view is open.
    pub fn checkable_epochs(&self) -> Vec<u64> {
        let (Some(held), true) = (&self.held, self.verify_open) else { return Vec::new() };
        let mut epochs = Vec::new();
        // Records are newest first: reversed, each epoch appears first at its oldest.
        for record in self.records.iter().rev() {
            let epoch = record.proof.epoch;
            if record.verdict == Verdict::Pending && epoch < held.epoch && !epochs.contains(&epoch)
            {
                epochs.push(epoch);
            }
        }
        epochs
    }

    fn with_bet_within_credits(mut self) -> Game {
        self.bet = self.bet.min(self.max_bet());
        self
    }

    /// The state after `action`. Actions that make no sense in the current phase (a late
    /// answer, a double click) change nothing.
    pub fn apply(mut self, action: Action) -> Game {
        // Stop ends a run, whatever else it does.
        if action == Action::StopPressed && self.can_stop() {
            self.end_autoplay(Ending::StopPressed);
        }
        match (action, &self.phase) {
            (Action::ConfigLoaded, Phase::Starting) => {
                self.phase = Phase::Idle;
                self.status.clear();
            }
            (Action::ConfigFailed(why), Phase::Starting) => {
                self.phase = Phase::Unavailable;
                self.status = "Spin can't start.".to_owned();
                self.alert = Some(Alert { message: why, offer_reload: true });
            }
            (Action::BetChosen(bet), _) if self.autoplay.is_none() => {
                self.bet = bet;
                return self.with_bet_within_credits();
            }
            // While autoplay runs, only autoplay spins.
            (Action::SpinPressed, Phase::Idle) if self.can_spin() && self.autoplay.is_none() => {
                return self.start_spin();
            }
            (Action::SpinLanded(spin, record), Phase::Spinning { bet }) if spin.bet == *bet => {
                let proof = &record.proof;
                if self.client.as_ref() == Some(&proof.client_seed) {
                    self.nonce = proof.nonce.get() + 1;
                }
                self.records.insert(0, record);
                self.records.truncate(MAX_RECORDS);
                if self.stop_pressed {
                    return self.settle(spin);
                }
                self.phase = Phase::Settling { spin, reels: [Motion::Spinning; REEL_COUNT] };
            }
            (Action::SpinLanded(..), Phase::Spinning { .. }) => {
                return self.apply(Action::SpinFailed(SpinFailure::Garbled));
            }
            (Action::SpinFailed(failure), Phase::Spinning { bet }) => {
                // The server may have drawn this nonce: never send it again.
                self.nonce += 1;
                self.credits += bet.credits();
                self.phase = Phase::Idle;
                self.status = "No spin: your bet was returned.".to_owned();
                let offer_reload = failure == SpinFailure::OtherRules;
                self.alert = Some(Alert { message: failure.message(), offer_reload });
                self.end_autoplay(Ending::Failed);
            }
            (Action::ReelStopping(reel), Phase::Settling { spin, reels }) if reel < REEL_COUNT => {
                let mut reels = *reels;
                if reels[reel] == Motion::Spinning {
                    reels[reel] = Motion::Stopping;
                }
                self.phase = Phase::Settling { spin: *spin, reels };
            }
            (Action::ReelStopped(reel), Phase::Settling { spin, reels }) if reel < REEL_COUNT => {
                let (spin, mut reels) = (*spin, *reels);
                reels[reel] = Motion::Stopped;
                if reels.iter().all(|&motion| motion == Motion::Stopped) {
                    return self.settle(spin);
                }
                self.phase = Phase::Settling { spin, reels };
            }
            (Action::StopPressed, Phase::Spinning { .. }) if self.can_stop() => {
                self.stop_pressed = true;
            }
            (Action::StopPressed, Phase::Settling { spin, .. }) if self.can_stop() => {
                let spin = *spin;
                self.stop_pressed = true;
                return self.settle(spin);
            }
            (Action::CreditsRefilled, Phase::Idle | Phase::Unavailable)
                if self.out_of_credits() =>
            {
                self.credits = STARTING_CREDITS;
                self.status = format!("New game: {STARTING_CREDITS} credits.");
                self.bet = Bet::MIN;
                self.session = Session::starting(self.now);
            }
            (Action::AlertDismissed, _) => self.alert = None,
            (Action::FairnessLoaded(held, fresh), _) => {
                // Never back to an earlier epoch than the page's clock has reached.
                if self.held.as_ref().is_some_and(|old| held.epoch < old.epoch) {
                    self.fairness_behind += 1;
                } else {
                    (self.held, self.fairness_behind) = (Some(held), 0);
                }
                if self.client.is_none() {
                    (self.client, self.nonce) = (Some(fresh), 0);
                }
            }
            (Action::EpochEnded(epoch), _) => {
                if let Some(held) = &mut self.held
                    && held.epoch == epoch
                    && let Some((next, commitment)) = held.next.take()
                {
                    (held.epoch, held.commitment) = (next, commitment);
                }
            }
            (Action::VerifyToggled, _) => self.verify_open = !self.verify_open,
            (Action::SeedRevealed(epoch, seed), _) => {
                let pending =
                    |r: &&mut Record| r.proof.epoch == epoch && r.verdict == Verdict::Pending;
                self.records.iter_mut().filter(pending).for_each(|r| r.check(&seed));
                let failed = self.records.iter().any(|r| matches!(r.verdict, Verdict::Failed(_)));
                self.verify_note = if failed {
                    "A spin failed verification."
                } else {
                    "Every spin checked so far is verified."
                }
                .to_owned();
            }
            (Action::ClientSeedChosen(text), _) => match ClientSeed::new(text.trim()) {
                Ok(seed) => {
                    (self.client, self.nonce) = (Some(seed), 0);
                    self.verify_note = "Client seed set: nonces count from 0.".to_owned();
                }
                Err(_) => {
                    self.verify_note =
                        "Not set: a client seed is 1 to 64 characters from A–Z a–z 0–9 _ -."
                            .to_owned()
                }
            },
            (Action::SoundToggled, _) => self.sound = !self.sound,
            (Action::ClockTicked(now), _) => {
                self.now = now;
                self.reminder |= self.calm && self.session.reminder_due(now);
            }
            (Action::CalmToggled, _) => {
                self.calm = !self.calm;
                self.autoplay_open = false;
                self.end_autoplay(Ending::CalmPlay);
                self.reminder = false;
                self.session.remind_again_later(self.now);
            }
            (Action::ReminderDismissed, _) => {
                self.reminder = false;
                self.session.remind_again_later(self.now);
            }
            (Action::AutoplayFormToggled, _) if self.can_autoplay() => {
                self.autoplay_open = !self.autoplay_open;
            }
            (Action::AutoplayRequested(spins, below, win), _) if self.can_autoplay() => {
                let limits = match Limits::parse(&spins, &below, &win) {
                    Ok(limits) => limits,
                    Err(why) => {
                        self.news = format!("Autoplay did not start: {why}.");
                        return self;
                    }
                };
                self.autoplay_limits = limits;
                match Autoplay::start(limits, self.credits, self.bet) {
                    Ok(run) => {
                        (self.autoplay, self.autoplay_open) = (Some(run), false);
                        let mut game = self.start_spin();
                        game.news = format!("Autoplay started: {} spins.", limits.spins);
                        return game;
                    }
                    Err(ending) => {
                        self.news = format!("Autoplay did not start: {}.", ending.reason())
                    }
                }
            }
            (Action::AutoplayPaused, Phase::Idle) if self.autoplay.is_some() => {
                if self.can_spin() {
                    return self.start_spin();
                }
                self.end_autoplay(Ending::CannotCoverBet);
            }
            (Action::PageHidden, _) => self.end_autoplay(Ending::PageHidden),
            _ => {}
        }
        self
    }

    /// Takes the bet and sets the reels turning; the caller has checked that it can.
    fn start_spin(mut self) -> Game {
        self.credits -= self.bet.credits();
        self.phase = Phase::Spinning { bet: self.bet };
        self.status = "Spinning…".to_owned();
        self.alert = None;
        self.spin_count += 1;
        // The last win's highlight, meter and tier belong to the last spin only.
        self.last = None;
        self.news.clear();
        self.stop_pressed = false;
        if let Some(run) = &mut self.autoplay {
            run.left = run.left.saturating_sub(1);
        }
        self
    }

    /// All reels are at rest: pay out and record the round.
    fn settle(mut self, spin: Spin) -> Game {
        let round = Round { line: spin.line, bet: spin.bet, payout: spin.payout };
        // A spin starts with the news empty, so what it holds now is autoplay's: its end
        // (Stop pressed, the page hidden) is said after the win's tier; "started" is done.
        let mut ended =
            if self.autoplay.is_none() { std::mem::take(&mut self.news) } else { String::new() };
        self.credits += spin.payout;
        self.resting = spin.stops;
        self.phase = Phase::Idle;
        self.status = announce(&round);
        self.news = Tier::of(&round).map_or("", Tier::words).to_owned();
        self.last = Some(round);
        self.session.record(&round);
        self.history.insert(0, round);
        self.history.truncate(HISTORY_LEN);
        let ending = self.autoplay.and_then(|run| run.ending(self.credits, spin.bet, spin.payout));
        if let Some(ending) = ending {
            self.autoplay = None;
            ended = ending.words();
        }
        if !ended.is_empty() {
            // "Big win. Autoplay stopped: …".
            self.news =
                if self.news.is_empty() { ended } else { format!("{}. {ended}", self.news) };
        }
        self.with_bet_within_credits()
    }

    /// Ends the run under way, if any, and says why.
    fn end_autoplay(&mut self, ending: Ending) {
        if self.autoplay.take().is_some() {
            self.news = ending.words();
        }
    }
}

/// The sentence a screen reader hears when the reels stop: "Cherry, Cherry, Bell — you win
/// 5 credits" (two cherries at a bet of 1).
pub fn announce(round: &Round) -> String {
    let names: Vec<&str> = round.line.iter().map(|symbol| symbol.name()).collect();
    let outcome = match round.payout {
        0 => "no win".to_owned(),
        1 => "you win 1 credit".to_owned(),
        n => format!("you win {n} credits"),
    };
    format!("{} — {outcome}", names.join(", "))
}

/// How big a win is, by multiple of the bet. The paytable pays 2× and 5× for cherries and 8×
/// for three Lemons: everyday wins, more than one spin in four. Every other three of a kind
/// pays from 10× (three Oranges) to 50× (three Bars): a big win, about one spin in 70, worth
/// celebrating longer. Three Sevens, the top prize (200×), is the jackpot: one stop combination
/// in 10 648.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Win,
    BigWin,
    Jackpot,
}

/// A win of at least this many times the bet is a big win.
pub const BIG_WIN_MULTIPLE: u32 = 10;

impl Tier {
    /// The tier of `round`'s win, or `None` if it won nothing.
    pub fn of(round: &Round) -> Option<Tier> {
        let bet = round.bet.credits().max(1);
        let top = PAYTABLE.iter().map(|prize| prize.multiplier).max().unwrap_or(u32::MAX);
        match round.payout / bet {
            _ if round.payout == 0 => None,
            multiple if multiple >= top => Some(Tier::Jackpot),
            multiple if multiple >= BIG_WIN_MULTIPLE => Some(Tier::BigWin),
            _ => Some(Tier::Win),
        }
    }

    /// What the second status region says for this tier: nothing for an everyday win, whose
    /// sentence says it all.
    pub fn words(self) -> &'static str {
        match self {
            Tier::Win => "",
            Tier::BigWin => "Big win",
            Tier::Jackpot => "Jackpot",
        }
    }
}

/// Which reels show the symbols that won: all three for three of a kind, only the cherries for
/// a cherry prize, none for a line that wins nothing.
pub fn winning_reels(line: [Symbol; REEL_COUNT]) -> [bool; REEL_COUNT] {
    let prize = PAYTABLE.iter().find(|prize| prize.pattern.matches(line));
    line.map(|symbol| match prize.map(|prize| prize.pattern) {
        Some(Pattern::ThreeOfAKind(_)) => true,
        Some(Pattern::Cherries(_)) => symbol == Symbol::Cherry,
        None => false,
    })
}

impl Reducible for Game {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fair::Held;
    use spin_game::FairProof;

    fn bet(credits: u64) -> Bet {
        Bet::new(credits).unwrap()
    }

    /// The API's answer `spin`, with a proof for it.
    pub(crate) fn landed(spin: Spin) -> Action {
        let seed = spin_game::fair::ServerSeed::derive(b"secret", 7);
        let client = ClientSeed::new("player").unwrap();
        let nonce = spin_game::fair::Nonce::new(0).unwrap();
        landed_as(spin, FairProof::new(7, seed.commitment(), client, nonce))
    }

    /// The API's answer `spin`, drawn as `proof` says.
    fn landed_as(spin: Spin, proof: FairProof) -> Action {
        let answer = serde_json::to_string(&spin_game::SpinResponse::new(&spin, proof.clone()));
        Action::SpinLanded(spin, Record::new(&spin, proof, &answer.unwrap()))
    }

    fn ready(credits: u32) -> Game {
        Game::new(credits, None, Vec::new()).apply(Action::ConfigLoaded)
    }

    /// A spin showing `line` at `bet`.
    fn spin(line: [Symbol; REEL_COUNT], bet: Bet) -> Spin {
        Spin::showing(line, bet)
    }

    /// A line that wins nothing.
    const LOSER: [Symbol; REEL_COUNT] = [Symbol::Bar, Symbol::Bell, Symbol::Seven];

    fn stop_all(mut game: Game) -> Game {
        for reel in 0..REEL_COUNT {
            game = game.apply(Action::ReelStopping(reel)).apply(Action::ReelStopped(reel));
        }
        game
    }

    #[test]
    fn starts_loading_then_idles_once_config_is_in() {
        let game = Game::new(100, None, Vec::new());
        assert_eq!(game.phase, Phase::Starting);
        assert!(!game.can_spin());
        assert_eq!(game.apply(Action::ConfigLoaded).phase, Phase::Idle);
    }

    #[test]
    fn bad_config_makes_the_game_unavailable_with_a_message() {
        let game = Game::new(100, None, Vec::new()).apply(Action::ConfigFailed("no config".into()));
        assert_eq!(game.phase, Phase::Unavailable);
        assert_eq!(game.alert.unwrap().message, "no config");
    }

    #[test]
    fn a_spin_takes_the_bet_then_pays_when_the_last_reel_stops() {
        let game = ready(100).apply(Action::BetChosen(bet(2)));
        let game = game.apply(Action::SpinPressed);
        assert_eq!(game.credits, 98);
        assert_eq!(game.phase, Phase::Spinning { bet: bet(2) });
        assert!(!game.can_spin(), "no second spin while one is in flight");
        assert_eq!(game.symbol_at_rest(0), None);

        let jackpot = spin([Symbol::Cherry; REEL_COUNT], bet(2));
        assert!(jackpot.payout > 2, "a win worth more than the bet");
        let mut game = game.apply(landed(jackpot));
        for reel in 0..REEL_COUNT {
            game = game.apply(Action::ReelStopping(reel));
            assert_eq!(game.credits, 98, "no payout before the reels rest");
            game = game.apply(Action::ReelStopped(reel));
            assert_eq!(game.symbol_at_rest(reel), Some(Symbol::Cherry));
        }
        assert_eq!(game.phase, Phase::Idle);
        assert_eq!(game.credits, 98 + jackpot.payout);
        assert_eq!(game.resting, jackpot.stops);
        let won = format!("Cherry, Cherry, Cherry — you win {} credits", jackpot.payout);
        assert_eq!(game.status, won);
        assert_eq!(game.history[0].net(), i64::from(jackpot.payout) - 2);
        assert!(game.is_settled());
    }

    /// The game with an autoplay run of `spins` asked for at `bet`, with these limits.
    fn autoplaying(credits: u32, bet_of: u64, spins: &str, below: &str, win: &str) -> Game {
        let game = ready(credits).apply(Action::BetChosen(bet(bet_of)));
        game.apply(Action::AutoplayRequested(spins.into(), below.into(), win.into()))
    }

    /// The spin under way lands on `line` and the reels rest.
    fn lands(game: Game, line: [Symbol; REEL_COUNT]) -> Game {
        let Phase::Spinning { bet } = game.phase else { panic!("not spinning: {game:?}") };
        stop_all(game.apply(landed(spin(line, bet))))
    }

    #[test]
    fn autoplay_plays_its_run_at_one_bet_then_says_it_has_finished() {
        let mut game = autoplaying(100, 2, "10", "", "");
        assert_eq!(game.news, "Autoplay started: 10 spins.");
        assert!(game.can_stop() && !game.can_autoplay());
        for played in 1..=10 {
            assert_eq!((game.credits, game.spin_count), (100 - 2 * played, played));
            game = game.apply(Action::BetChosen(bet(1)));
            game = lands(game, LOSER);
            if played < 10 {
                assert_eq!(game.autoplay.map(|run| run.left), Some(10 - played));
                assert!(game.can_stop(), "Stop, not Spin, between the run's spins");
                let pressed = game.clone().apply(Action::SpinPressed);
                assert_eq!(pressed.spin_count, played, "no press spins");
                game = game.apply(Action::AutoplayPaused);
            }
        }
        assert_eq!(game.autoplay, None);
        assert_eq!(game.news, "Autoplay finished: 10 spins played.");
        assert_eq!((game.credits, game.session.spins), (80, 10));
        assert_eq!(game.apply(Action::AutoplayPaused).spin_count, 10, "no spin after the run");
    }

    #[test]
    fn autoplay_stops_on_an_error_with_the_bet_returned() {
        let game = autoplaying(100, 3, "25", "", "");
        let game = game.apply(Action::SpinFailed(SpinFailure::Unreachable));
        assert_eq!((game.credits, game.autoplay), (100, None));
        assert_eq!(game.news, "Autoplay stopped: the spin failed.");
        assert!(game.alert.is_some() && game.can_spin());
    }

    #[test]
    fn autoplay_stops_at_the_players_limits_and_when_the_bet_cannot_be_covered() {
        let won = lands(autoplaying(100, 1, "50", "", "20"), [Symbol::Bell; REEL_COUNT]);
        assert_eq!(won.news, "Big win. Autoplay stopped: a win of 20 or more.");
        let small = lands(
            autoplaying(100, 1, "50", "", "20"),
            [Symbol::Cherry, Symbol::Cherry, Symbol::Bar],
        );
        assert!(small.autoplay.is_some(), "a win below the limit plays on");
        let poorer = lands(autoplaying(100, 1, "50", "100", ""), LOSER);
        assert_eq!(
            (poorer.autoplay, poorer.news.as_str()),
            (None, "Autoplay stopped: credits below 100.")
        );
        let broke = lands(autoplaying(5, 3, "10", "", ""), LOSER);
        assert_eq!(broke.news, "Autoplay stopped: not enough credits for the bet.");
        assert_eq!(broke.credits, 2);
    }

    #[test]
    fn stop_a_hidden_page_or_calm_play_end_autoplay() {
        let running = autoplaying(100, 1, "100", "", "");
        let stopped = running.clone().apply(Action::StopPressed);
        assert_eq!(stopped.news, "Autoplay stopped: you pressed Stop.");
        assert!(stopped.stop_pressed, "and the reels rest as soon as the answer is in");
        let rested = stop_all(stopped.apply(landed(spin(LOSER, bet(1)))));
        assert_eq!(rested.news, "Autoplay stopped: you pressed Stop.", "still said at rest");
        let in_settling = running.clone().apply(landed(spin(LOSER, bet(1))));
        let quick = in_settling.apply(Action::StopPressed);
        assert_eq!(
            (quick.phase, quick.news.as_str()),
            (Phase::Idle, "Autoplay stopped: you pressed Stop.")
        );
        let between = lands(running.clone(), LOSER).apply(Action::StopPressed);
        assert_eq!((between.autoplay, between.spin_count), (None, 1));
        assert!(between.can_spin() && !between.can_stop(), "the button is Spin again");
        let hidden = running.clone().apply(Action::PageHidden);
        assert_eq!(hidden.news, "Autoplay stopped: the page was hidden.");
        let calm = running.apply(Action::CalmToggled);
        assert_eq!(calm.news, "Autoplay stopped: Calm play is on.");
        let refused = calm.apply(Action::StopPressed).apply(Action::AutoplayFormToggled);
        assert!(!refused.autoplay_open && !refused.can_autoplay(), "no autoplay in Calm play");
        let asked =
            stop_all(refused).apply(Action::AutoplayRequested("10".into(), "".into(), "".into()));
        assert_eq!(asked.autoplay, None);
    }

    #[test]
    fn autoplay_that_cannot_run_says_why_and_spins_nothing() {
        let typo = autoplaying(100, 1, "10", "ten", "");
        assert_eq!(typo.spin_count, 0);
        assert!(typo.news.starts_with("Autoplay did not start: the credits limit must be"));
        let poor = autoplaying(40, 1, "25", "50", "");
        assert_eq!((poor.spin_count, poor.autoplay_limits.credits_below), (0, Some(50)));
        assert_eq!(poor.news, "Autoplay did not start: credits below 50.");
    }

    #[test]
    fn a_double_press_charges_once() {
        let game = ready(100).apply(Action::SpinPressed).apply(Action::SpinPressed);
        assert_eq!(game.credits, 99);
        assert_eq!(game.spin_count, 1);
    }

    #[test]
    fn a_failed_spin_refunds_the_bet_and_says_why() {
        for failure in [
            SpinFailure::Unreachable,
            SpinFailure::TimedOut,
            SpinFailure::Throttled,
            SpinFailure::Refused { status: 500, message: None },
            SpinFailure::Garbled,
            SpinFailure::OtherRules,
            SpinFailure::Unfair,
        ] {
            let game = ready(10).apply(Action::BetChosen(bet(5))).apply(Action::SpinPressed);
            let game = game.apply(Action::SpinFailed(failure.clone()));
            assert_eq!(game.credits, 10, "{failure:?}");
            assert_eq!(game.phase, Phase::Idle);
            assert!(game.can_spin(), "Spin works again after {failure:?}");
            let alert = game.alert.unwrap();
            assert!(alert.message.ends_with("Your bet was returned."));
            assert_eq!(alert.offer_reload, failure == SpinFailure::OtherRules);
        }
    }

    #[test]
    fn an_answer_for_another_bet_is_refused_and_refunded() {
        let game = ready(100).apply(Action::BetChosen(bet(3))).apply(Action::SpinPressed);
        let game = game.apply(landed(spin(LOSER, bet(10))));
        assert_eq!(game.credits, 100);
        assert_eq!(game.phase, Phase::Idle);
        assert!(game.alert.is_some());
    }

    #[test]
    fn late_events_change_nothing() {
        let idle = ready(100);
        for action in [
            landed(spin(LOSER, Bet::MIN)),
            Action::SpinFailed(SpinFailure::TimedOut),
            Action::ReelStopped(2),
            Action::ConfigLoaded,
        ] {
            assert_eq!(idle.clone().apply(action), idle);
        }
    }

    #[test]
    fn a_losing_spin_is_announced_as_such() {
        let game = ready(100).apply(Action::SpinPressed);
        let loser = spin(LOSER, Bet::MIN);
        assert_eq!(loser.payout, 0);
        let game = stop_all(game.apply(landed(loser)));
        assert_eq!(game.credits, 99);
        assert_eq!(game.status, "Bar, Bell, Seven — no win");
    }

    #[test]
    fn the_bet_never_exceeds_the_credits() {
        let game = ready(4).apply(Action::BetChosen(Bet::MAX));
        assert_eq!(game.bet, bet(4));
        let game = ready(100).apply(Action::BetChosen(bet(8))).apply(Action::SpinPressed);
        let game = stop_all(game.apply(landed(spin(LOSER, bet(8)))));
        assert_eq!(game.credits, 92);
        let broke = ready(3).apply(Action::BetChosen(bet(3))).apply(Action::SpinPressed);
        let broke = stop_all(broke.apply(landed(spin(LOSER, bet(3)))));
        assert_eq!(broke.credits, 0);
        assert!(broke.out_of_credits());
        assert!(!broke.can_spin());
    }

    #[test]
    fn out_of_credits_the_player_can_start_again() {
        let rich = ready(50).apply(Action::CreditsRefilled);
        assert_eq!(rich.credits, 50, "no refill while credits remain");
        let broke = ready(0);
        assert!(broke.out_of_credits());
        let refilled = broke.apply(Action::CreditsRefilled);
        assert_eq!(refilled.credits, STARTING_CREDITS);
        assert!(refilled.can_spin());
    }

    #[test]
    fn the_session_counts_every_settled_spin_and_only_those() {
        let game = ready(100).apply(Action::ClockTicked(5));
        let game = game.apply(Action::BetChosen(bet(2))).apply(Action::SpinPressed);
        let game = stop_all(game.apply(landed(spin(LOSER, bet(2)))));
        // A failed spin returns its bet: it is no spin at all.
        let game = game.apply(Action::SpinPressed).apply(Action::SpinFailed(SpinFailure::TimedOut));
        let cherries = [Symbol::Cherry, Symbol::Cherry, Symbol::Bell];
        let game = game.apply(Action::SpinPressed).apply(landed(spin(cherries, bet(2))));
        let game = game.apply(Action::StopPressed);
        let session = game.session;
        assert_eq!((session.spins, session.bet, session.won), (2, 4, 10));
        assert_eq!(session.net(), i64::from(game.credits) - 100);
    }

    #[test]
    fn calm_play_has_no_quick_stop() {
        let game = ready(100).apply(Action::CalmToggled).apply(Action::SpinPressed);
        assert!(!game.can_stop());
        let game = game.apply(Action::StopPressed).apply(landed(spin(LOSER, Bet::MIN)));
        assert!(matches!(game.phase, Phase::Settling { .. }), "Stop changes nothing");
        let game = game.apply(Action::StopPressed);
        assert!(matches!(game.phase, Phase::Settling { .. }), "not once the answer is in either");
        assert!(!game.apply(Action::CalmToggled).calm, "and it turns off");
    }

    #[test]
    fn calm_play_reminds_each_half_hour_and_spin_waits_for_the_player() {
        let half_hour = crate::session::REMINDER_EVERY_SECONDS;
        let start = ready(100).apply(Action::ClockTicked(half_hour));
        assert!(
            !start.reminder,
            "a session started at 0 has played half an hour, but not in calm play"
        );
        let calm = ready(100).apply(Action::CalmToggled).apply(Action::ClockTicked(half_hour - 1));
        assert!(!calm.reminder);
        let due = calm.apply(Action::ClockTicked(half_hour));
        assert!(due.reminder && !due.can_spin());
        let dismissed = due.apply(Action::ReminderDismissed);
        assert!(!dismissed.reminder && dismissed.can_spin());
        let later = dismissed.apply(Action::ClockTicked(2 * half_hour - 1));
        assert!(!later.reminder, "not again before the next half hour");
        assert!(later.apply(Action::ClockTicked(2 * half_hour)).reminder);
    }

    #[test]
    fn starting_again_starts_a_new_session() {
        let broke = ready(1).apply(Action::SpinPressed);
        let broke = stop_all(broke.apply(landed(spin(LOSER, Bet::MIN))));
        assert_eq!(broke.session.spins, 1);
        let again = broke.apply(Action::ClockTicked(9)).apply(Action::CreditsRefilled);
        assert_eq!(again.session, Session::starting(9));
    }

    #[test]
    fn history_keeps_the_latest_rounds_newest_first() {
        let spins: Vec<Spin> = spin_game::every_spin(Bet::MIN).take(HISTORY_LEN + 3).collect();
        let mut game = ready(1000);
        for &spin in &spins {
            game = game.apply(Action::SpinPressed);
            game = stop_all(game.apply(landed(spin)));
        }
        let newest_first: Vec<_> = spins.iter().rev().take(HISTORY_LEN).map(|s| s.line).collect();
        let shown: Vec<_> = game.history.iter().map(|round| round.line).collect();
        assert_eq!(shown, newest_first);
    }

    fn held(epoch: u64) -> Held {
        let commitment = |epoch| spin_game::fair::ServerSeed::derive(b"secret", epoch).commitment();
        let epochs = spin_game::fair::Epochs::new(300).unwrap();
        Held {
            epochs,
            epoch,
            commitment: commitment(epoch),
            next: Some((epoch + 1, commitment(epoch + 1))),
        }
    }

    fn seed(text: &str) -> ClientSeed {
        ClientSeed::new(text).unwrap()
    }

    #[test]
    fn the_client_seed_is_taken_with_the_first_commitment_and_kept() {
        let game = ready(100).apply(Action::FairnessLoaded(held(7), seed("first")));
        assert_eq!((game.client.clone(), game.nonce), (Some(seed("first")), 0));
        let game = game.apply(Action::FairnessLoaded(held(8), seed("second")));
        assert_eq!(
            game.client,
            Some(seed("first")),
            "one seed per visit unless the player changes it"
        );
        assert_eq!(game.held, Some(held(8)));
    }

    #[test]
    fn at_an_epochs_end_the_next_commitment_is_taken_and_never_an_earlier_one() {
        let game = ready(100).apply(Action::FairnessLoaded(held(7), seed("a")));
        let moved = game.clone().apply(Action::EpochEnded(7));
        let next = moved.held.clone().unwrap();
        assert_eq!((next.epoch, next.commitment, next.next), (8, held(8).commitment, None));
        assert_eq!(
            moved.clone().apply(Action::EpochEnded(7)),
            moved,
            "a late timer changes nothing"
        );
        // A server whose clock lags says epoch 7 is current: the page stays on 8, without the
        // commitment after it, and counts the answer so that it asks again.
        let behind = moved.clone().apply(Action::FairnessLoaded(held(7), seed("b")));
        assert_eq!((behind.held.clone(), behind.fairness_behind), (Some(next), 1));
        let still = behind.apply(Action::FairnessLoaded(held(7), seed("b")));
        assert_eq!(still.fairness_behind, 2, "each answer from behind counts: a new request");
        // Once the server has caught up, the page holds epoch 8 and the one after, and moves on.
        let caught_up = still.apply(Action::FairnessLoaded(held(8), seed("b")));
        assert_eq!((caught_up.held.clone(), caught_up.fairness_behind), (Some(held(8)), 0));
        assert_eq!(caught_up.apply(Action::EpochEnded(8)).held.map(|held| held.epoch), Some(9));
    }

    #[test]
    fn a_failed_spin_never_reuses_its_nonce() {
        let game = ready(100).apply(Action::FairnessLoaded(held(7), seed("player")));
        let failed =
            game.apply(Action::SpinPressed).apply(Action::SpinFailed(SpinFailure::TimedOut));
        assert_eq!(failed.nonce, 1, "the server may have drawn nonce 0");
        assert!(failed.records.is_empty());
    }

    #[test]
    fn the_nonce_follows_the_answer_for_the_seed_in_use() {
        let game = ready(100).apply(Action::FairnessLoaded(held(7), seed("player")));
        let game = stop_all(game.apply(Action::SpinPressed).apply(landed(spin(LOSER, Bet::MIN))));
        assert_eq!(game.nonce, 1, "landed() answers nonce 0 for seed \"player\"");
        assert_eq!(game.records.len(), 1);
        let other = ready(100).apply(Action::FairnessLoaded(held(7), seed("mine")));
        let other = stop_all(other.apply(Action::SpinPressed).apply(landed(spin(LOSER, Bet::MIN))));
        assert_eq!(other.nonce, 0, "an answer for another seed does not move this seed's nonce");
    }

    #[test]
    fn records_are_bounded_newest_first() {
        let mut game = ready(10_000);
        for _ in 0..MAX_RECORDS + 5 {
            game = stop_all(game.apply(Action::SpinPressed).apply(landed(spin(LOSER, Bet::MIN))));
        }
        assert_eq!(game.records.len(), MAX_RECORDS);
    }

    #[test]
    fn the_player_may_choose_a_client_seed_by_the_rules() {
        let game = ready(100).apply(Action::FairnessLoaded(held(7), seed("drawn")));
        let game = stop_all(game.apply(Action::SpinPressed).apply(landed(spin(LOSER, Bet::MIN))));
        let chosen = game.clone().apply(Action::ClientSeedChosen(" my-seed_1 ".into()));
        assert_eq!((chosen.client, chosen.nonce), (Some(seed("my-seed_1")), 0));
        for bad in ["", "two words", "é", &"x".repeat(65)] {
            let refused = game.clone().apply(Action::ClientSeedChosen(bad.into()));
            assert_eq!(refused.client, game.client, "{bad:?}");
            assert!(refused.verify_note.contains("1 to 64 characters"), "{}", refused.verify_note);
        }
    }

    #[test]
    fn revealed_seeds_check_the_pending_spins_of_their_epoch() {
        let seed7 = spin_game::fair::ServerSeed::derive(b"secret", 7);
        let client = seed("player");
        let mut game = ready(100).apply(Action::FairnessLoaded(held(7), client.clone()));
        // Two honest spins in epoch 7 (landed() is nonce 0; the second is nonce 1).
        for n in 0..2 {
            let nonce = spin_game::fair::Nonce::new(n).unwrap();
            let drawn = spin_game::fair::spin(&seed7, &client, nonce, Bet::MIN);
            let proof = FairProof::new(7, seed7.commitment(), client.clone(), nonce);
            game = stop_all(game.apply(Action::SpinPressed).apply(landed_as(drawn, proof)));
        }
        assert_eq!(game.checkable_epochs(), Vec::<u64>::new(), "closed, and epoch 7 not over");
        let game = game.apply(Action::VerifyToggled);
        assert_eq!(game.checkable_epochs(), Vec::<u64>::new(), "epoch 7 not over");
        let game = game.apply(Action::EpochEnded(7));
        assert_eq!(game.checkable_epochs(), [7]);

        let liar = spin_game::fair::ServerSeed::derive(b"liar", 7);
        let tampered = game.clone().apply(Action::SeedRevealed(7, liar));
        assert!(tampered.records.iter().all(|r| matches!(r.verdict, Verdict::Failed(_))));
        assert_eq!(tampered.verify_note, "A spin failed verification.");

        let checked = game.apply(Action::SeedRevealed(7, seed7));
        assert!(checked.records.iter().all(|r| r.verdict == Verdict::Verified));
        assert_eq!(checked.verify_note, "Every spin checked so far is verified.");
        assert!(checked.checkable_epochs().is_empty());
    }

    #[test]
    fn the_max_bet_is_what_the_credits_allow() {
        assert_eq!(ready(0).max_bet(), Bet::MIN, "shown even when broke");
        assert_eq!(ready(3).max_bet(), bet(3));
        assert_eq!(ready(1000).max_bet(), Bet::MAX);
    }

    #[test]
    fn the_readme_quotes_a_real_announcement() {
        let spin = spin([Symbol::Cherry, Symbol::Cherry, Symbol::Bell], Bet::MIN);
        let round = Round { line: spin.line, bet: spin.bet, payout: spin.payout };
        let sentence = format!("(\"{}\")", announce(&round));
        assert!(include_str!("../../README.md").contains(&sentence), "README lacks {sentence}");
    }

    #[test]
    fn the_announcement_names_every_symbol_and_the_win() {
        let round =
            Round { line: [Symbol::Cherry, Symbol::Cherry, Symbol::Bell], bet: bet(2), payout: 10 };
        assert_eq!(announce(&round), "Cherry, Cherry, Bell — you win 10 credits");
    }

    fn round(line: [Symbol; REEL_COUNT], bet_credits: u64) -> Round {
        let spin = spin(line, bet(bet_credits));
        Round { line: spin.line, bet: spin.bet, payout: spin.payout }
    }

    #[test]
    fn tiers_follow_the_multiple_of_the_bet() {
        use Symbol::*;
        for credits in [1, 3, 10] {
            assert_eq!(Tier::of(&round(LOSER, credits)), None);
            assert_eq!(Tier::of(&round([Cherry, Bar, Bell], credits)), Some(Tier::Win), "2×");
            assert_eq!(Tier::of(&round([Lemon; REEL_COUNT], credits)), Some(Tier::Win), "8×");
            assert_eq!(Tier::of(&round([Orange; REEL_COUNT], credits)), Some(Tier::BigWin));
            assert_eq!(Tier::of(&round([Bar; REEL_COUNT], credits)), Some(Tier::BigWin));
            assert_eq!(Tier::of(&round([Seven; REEL_COUNT], credits)), Some(Tier::Jackpot));
        }
        assert_eq!(Tier::BigWin.words(), "Big win");
        assert_eq!(Tier::Jackpot.words(), "Jackpot");
        assert_eq!(Tier::Win.words(), "");
    }

    #[test]
    fn big_wins_are_rare_and_the_jackpot_rarer() {
        // Every stop combination once: how often each tier comes up.
        let mut counts = [0u64; 4];
        for spin in spin_game::every_spin(Bet::MIN) {
            let round = Round { line: spin.line, bet: spin.bet, payout: spin.payout };
            counts[Tier::of(&round).map_or(0, |tier| tier as usize + 1)] += 1;
        }
        let [_, win, big, jackpot] = counts;
        let all: u64 = counts.iter().sum();
        // As the doc of `Tier` (and the README) says.
        assert!(4 * win > all && 3 * win < all, "everyday wins: over 1 in 4: {counts:?}");
        assert!((60..80).contains(&(all / big)), "big wins, about 1 in 70: {counts:?}");
        assert_eq!(jackpot, 1, "one stop combination of {all}");
    }

    #[test]
    fn only_the_symbols_that_won_are_highlighted() {
        use Symbol::*;
        assert_eq!(winning_reels([Bell; REEL_COUNT]), [true; REEL_COUNT]);
        assert_eq!(winning_reels([Cherry, Bar, Cherry]), [true, false, true]);
        assert_eq!(winning_reels([Bar, Bell, Cherry]), [false, false, true]);
        assert_eq!(winning_reels(LOSER), [false; REEL_COUNT]);
    }

    #[test]
    fn stop_before_the_answer_rests_the_reels_the_moment_it_lands() {
        let won = spin([Symbol::Bell; REEL_COUNT], Bet::MIN);
        let unhurried = stop_all(ready(100).apply(Action::SpinPressed).apply(landed(won)));
        let game = ready(100).apply(Action::SpinPressed);
        assert!(game.can_stop());
        let game = game.apply(Action::StopPressed);
        assert!(matches!(game.phase, Phase::Spinning { .. }), "no answer yet: still spinning");
        assert_eq!(game.credits, 99);
        let game = game.apply(landed(won));
        assert_eq!(game.phase, Phase::Idle, "at rest as soon as the answer is in");
        assert!(!game.can_stop());
        assert_eq!((game.credits, &game.history), (unhurried.credits, &unhurried.history));
        assert_eq!((&game.status, &game.news), (&unhurried.status, &unhurried.news));
        assert_eq!(game.resting, won.stops);
        assert_eq!(game.news, "Big win");
    }

    #[test]
    fn stop_while_the_reels_brake_rests_them_at_once_and_pays_once() {
        let won = spin([Symbol::Bell; REEL_COUNT], Bet::MIN);
        let game = ready(100).apply(Action::SpinPressed).apply(landed(won));
        let game = game.apply(Action::ReelStopping(0)).apply(Action::ReelStopped(0));
        let game = game.apply(Action::StopPressed);
        assert_eq!(game.phase, Phase::Idle);
        assert_eq!(game.credits, 99 + won.payout);
        // The reel timers still running change nothing, and nor does a second press.
        let late = game.clone().apply(Action::ReelStopped(2)).apply(Action::StopPressed);
        assert_eq!(late, game);
        assert_eq!(game.history.len(), 1);
        assert!(!ready(100).can_stop(), "no Stop while idle");
    }

    #[test]
    fn a_new_spin_or_a_failed_one_clears_the_last_win() {
        let won = spin([Symbol::Seven; REEL_COUNT], Bet::MIN);
        let game = stop_all(ready(100).apply(Action::SpinPressed).apply(landed(won)));
        assert_eq!(
            (game.last.map(|r| r.payout), game.news.as_str()),
            (Some(won.payout), "Jackpot")
        );
        let spinning = game.apply(Action::SpinPressed);
        assert_eq!((spinning.last, spinning.news.as_str()), (None, ""), "a new spin clears it");
        assert!(!spinning.stop_pressed);
        let failed = spinning.apply(Action::SpinFailed(SpinFailure::Throttled));
        assert_eq!((failed.last, failed.news.as_str()), (None, ""), "and a failed one stays clear");
        assert_eq!(failed.history.len(), 1, "the history keeps the win");
    }
}

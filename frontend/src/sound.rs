//! The machine's sounds, synthesised with the Web Audio API (oscillators and gain envelopes):
//! nothing is fetched, so the page's Content-Security-Policy needs no `media-src`.
//!
//! Sound is off until the player turns it on, and no `AudioContext` exists before then:
//! browsers only let a page start audio from a press, so [`wake`] is called from the press
//! itself. Every call is fire-and-forget: a context the browser keeps suspended, or one
//! that cannot be made, only means silence, never an error or a slower spin.

use std::cell::RefCell;

use web_sys::{AudioContext, GainNode, OscillatorNode, OscillatorType};

use crate::game::{Game, Motion, Phase};
use crate::storage;

/// Where the player's choice is kept in `localStorage`.
const KEY: &str = "spin.sound";

/// The player's saved choice (off when none).
pub fn load_setting() -> bool {
    storage::load_switch(KEY)
}

pub fn save_setting(on: bool) {
    storage::save_switch(KEY, on);
}

/// Where the current spin is, as far as sound goes: a sound plays when this (or the spin)
/// changes, so each plays once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Beat {
    /// Nothing has been spun yet, or the game is not playing.
    #[default]
    Rest,
    /// The reels turn.
    Turning,
    /// Reel `n` (and those before it) came to rest; others still turn.
    Stopped(usize),
    /// The spin is over: see [`Ending`].
    Ended,
}

/// How the last spin ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// No spin: the bet was returned.
    Failed,
    /// A spin that wins nothing (or a win heard without its win sound).
    Lost,
    /// A win, with this many notes in its fanfare (see [`win_notes`]).
    Won(usize),
}

pub fn beat(game: &Game) -> Beat {
    match &game.phase {
        Phase::Spinning { .. } => Beat::Turning,
        Phase::Settling { reels, .. } => {
            match reels.iter().filter(|&&motion| motion == Motion::Stopped).count() {
                0 => Beat::Turning,
                stopped => Beat::Stopped(stopped - 1),
            }
        }
        Phase::Idle if game.spin_count > 0 => Beat::Ended,
        _ => Beat::Rest,
    }
}

/// How `game`'s last spin ended; `win_sounds` false (calm play) hears wins as plain stops.
pub fn ending(game: &Game, win_sounds: bool) -> Ending {
    match game.last {
        _ if game.alert.is_some() => Ending::Failed,
        Some(round) if win_sounds && round.payout > 0 => {
            Ending::Won(win_notes(round.payout, round.bet.credits()))
        }
        _ => Ending::Lost,
    }
}

/// The notes of the fanfare, rising (C major, from C5).
const FANFARE_HZ: [f32; 8] = [523.3, 659.3, 784.0, 1046.5, 1318.5, 1568.0, 2093.0, 2637.0];

/// How many notes a win of `payout` at `bet` plays: one more for each doubling of the bet
/// won, so the paytable's 2× plays 2 notes, 10× plays 4, 50× plays 6 and the 200× jackpot all 8.
pub fn win_notes(payout: u32, bet: u32) -> usize {
    match payout.checked_div(bet) {
        Some(multiple) if multiple > 0 => (multiple.ilog2() as usize + 1).min(FANFARE_HZ.len()),
        _ if payout > 0 => 1,
        _ => 0,
    }
}

/// The speaker: the audio context once the player has turned sound on and pressed, and the
/// reels' running sound. One per page, so any code can reach it without threading it through.
#[derive(Default)]
struct Player {
    context: Option<AudioContext>,
    /// Whether sounds play (the context stays, silent, while sound is off).
    on: bool,
    reels: Option<OscillatorNode>,
    /// The spin and beat last heard.
    heard: (u32, Beat),
}

thread_local! {
    static PLAYER: RefCell<Player> = RefCell::default();
}

/// Turns sound on, making the audio context if there is none yet. Call it from the press
/// itself (Spin, or the Sound toggle): browsers only start audio in answer to one.
pub fn wake() {
    PLAYER.with_borrow_mut(|player| {
        player.on = true;
        if player.context.is_none() {
            player.context = AudioContext::new().ok();
        }
        // Only a closed context rejects `resume`, and this one is never closed.
        if let Some(context) = &player.context {
            let _ = context.resume();
        }
    });
}

/// Turns sound off.
pub fn sleep() {
    stop_reels();
    PLAYER.with_borrow_mut(|player| player.on = false);
}

/// Cuts the reels' running sound at once (the reels settled, or the player stopped them).
pub fn stop_reels() {
    if let Some(reels) = PLAYER.with_borrow_mut(|player| player.reels.take()) {
        let _ = reels.stop_with_when(0.0);
    }
}

/// Plays what `game` has just reached, once: call it on every render of the game. (Not an
/// effect hook: one more hook weighs more in the page than this whole module.)
/// `win_sounds` false (calm play) hears wins as plain stops. Returns the beat it played.
pub fn follow(game: &Game, win_sounds: bool) -> Option<Beat> {
    let now = (game.spin_count, beat(game));
    let heard = PLAYER.with_borrow_mut(|player| std::mem::replace(&mut player.heard, now));
    (heard != now).then(|| {
        play(now.1, ending(game, win_sounds));
        now.1
    })
}

/// Plays what `beat` calls for; `ending` says how a spin that has ended did.
fn play(beat: Beat, ending: Ending) {
    if beat == Beat::Ended {
        stop_reels();
    }
    PLAYER.with_borrow_mut(|player| {
        let context = player.context.as_ref().filter(|_| player.on)?;
        let now = context.current_time();
        match (beat, ending) {
            // A low square wave clicks on each edge: the reels' ratchet.
            (Beat::Turning, _) if player.reels.is_none() => {
                player.reels = tone(context, OscillatorType::Square, 14.0, 14.0, now, 60.0, 0.05);
            }
            (Beat::Stopped(reel), _) => thunk(context, reel, now),
            (Beat::Ended, Ending::Failed) => {
                tone(context, OscillatorType::Square, 196.0, 98.0, now, 0.35, 0.06);
            }
            (Beat::Ended, _) => {
                thunk(context, 2, now);
                let Ending::Won(notes) = ending else { return None };
                for (at, &hz) in FANFARE_HZ.iter().take(notes).enumerate() {
                    let start = now + 0.08 + 0.09 * at as f64;
                    tone(context, OscillatorType::Triangle, hz, hz, start, 0.25, 0.12);
                }
            }
            _ => {}
        }
        Some(())
    });
}

/// A reel coming to rest: a short falling knock, a little lower for each reel to the right.
fn thunk(context: &AudioContext, reel: usize, now: f64) {
    let hz = 220.0 - 30.0 * reel.min(4) as f32;
    tone(context, OscillatorType::Triangle, hz, hz / 3.0, now, 0.12, 0.3);
}

/// One oscillator of `kind` gliding from `from_hz` to `to_hz`, at `volume` from `start`,
/// fading out over `length` seconds. Returns it, so a long one can be cut short.
fn tone(
    context: &AudioContext,
    kind: OscillatorType,
    from_hz: f32,
    to_hz: f32,
    start: f64,
    length: f64,
    volume: f32,
) -> Option<OscillatorNode> {
    let oscillator = context.create_oscillator().ok()?;
    let gain: GainNode = context.create_gain().ok()?;
    oscillator.set_type(kind);
    let (frequency, level, end) = (oscillator.frequency(), gain.gain(), start + length);
    // These only fail for values out of range, which the callers never pass.
    let _ = frequency.set_value_at_time(from_hz, start);
    let _ = frequency.exponential_ramp_to_value_at_time(to_hz, end);
    let _ = level.set_value_at_time(volume, start);
    let _ = level.exponential_ramp_to_value_at_time(0.0001, end);
    oscillator.connect_with_audio_node(&gain).ok()?;
    gain.connect_with_audio_node(&context.destination()).ok()?;
    oscillator.start_with_when(start).ok()?;
    oscillator.stop_with_when(end).ok()?;
    Some(oscillator)
}

#[cfg(test)]
mod tests {
    use spin_game::{Bet, REEL_COUNT, Spin, Symbol};

    use super::*;
    use crate::game::{Action, SpinFailure};

    #[test]
    fn bigger_wins_play_longer_fanfares() {
        assert_eq!(win_notes(0, 1), 0);
        assert_eq!(win_notes(2, 1), 2, "one cherry");
        assert_eq!(win_notes(50, 10), 3, "two cherries at a bet of 10");
        assert_eq!(win_notes(10, 1), 4);
        assert_eq!(win_notes(50, 1), 6);
        assert_eq!(win_notes(2000, 10), 8, "the jackpot plays every note");
        assert_eq!(win_notes(u32::MAX, 1), 8, "never more notes than the fanfare has");
        assert_eq!(win_notes(3, 0), 1, "a win at a bet the rules cannot make still sounds");
        let notes: Vec<usize> = spin_game::PAYTABLE
            .iter()
            .rev()
            .map(|prize| win_notes(prize.multiplier * 3, 3))
            .collect();
        assert!(
            notes.is_sorted() && notes[0] >= 1,
            "never fewer notes for a bigger prize: {notes:?}"
        );
    }

    fn playing() -> Game {
        Game::new(100, None, Vec::new()).apply(Action::ConfigLoaded)
    }

    #[test]
    fn each_step_of_a_spin_is_one_beat() {
        let mut game = playing();
        assert_eq!(beat(&game), Beat::Rest, "nothing sounds before the first spin");
        game = game.apply(Action::SpinPressed);
        assert_eq!(beat(&game), Beat::Turning);
        let spin = Spin::showing([Symbol::Cherry; REEL_COUNT], Bet::MIN);
        game = game.apply(crate::game::tests::landed(spin));
        assert_eq!(beat(&game), Beat::Turning, "the answer alone changes nothing heard");
        for reel in 0..REEL_COUNT - 1 {
            game = game.apply(Action::ReelStopped(reel));
            assert_eq!(beat(&game), Beat::Stopped(reel));
        }
        game = game.apply(Action::ReelStopped(REEL_COUNT - 1));
        assert_eq!(beat(&game), Beat::Ended);
        assert_eq!(ending(&game, true), Ending::Won(win_notes(spin.payout, 1)));
        assert_eq!(ending(&game, false), Ending::Lost, "calm play: no win sound");
    }

    #[test]
    fn each_beat_is_heard_once_however_often_the_game_renders() {
        let mut game = playing();
        assert_eq!(follow(&game, true), None, "nothing before the first spin");
        game = game.apply(Action::SpinPressed);
        assert_eq!(follow(&game, true), Some(Beat::Turning));
        assert_eq!(follow(&game, true), None, "a second render of the same state is silent");
        let spin = Spin::showing([Symbol::Bell; REEL_COUNT], Bet::MIN);
        game = game.apply(crate::game::tests::landed(spin));
        assert_eq!(follow(&game, true), None);
        game = game.apply(Action::ReelStopped(0));
        assert_eq!(follow(&game, true), Some(Beat::Stopped(0)));
        for reel in 1..REEL_COUNT {
            game = game.apply(Action::ReelStopped(reel));
        }
        assert_eq!(follow(&game, true), Some(Beat::Ended));
        game = game.apply(Action::AlertDismissed).apply(Action::BetChosen(Bet::MIN));
        assert_eq!(follow(&game, true), None, "what follows a spin's end replays nothing");
        game = game.apply(Action::SpinPressed);
        assert_eq!(follow(&game, true), Some(Beat::Turning), "the next spin sounds again");
    }

    #[test]
    fn a_failed_spin_ends_with_the_error_sound() {
        let game = playing()
            .apply(Action::SpinPressed)
            .apply(Action::SpinFailed(SpinFailure::Unreachable));
        assert_eq!((beat(&game), ending(&game, true)), (Beat::Ended, Ending::Failed));
    }

    #[test]
    fn the_toggle_flips_sound_and_starts_off() {
        let game = playing();
        assert!(!game.sound);
        assert!(game.clone().apply(Action::SoundToggled).sound);
        assert!(!game.apply(Action::SoundToggled).apply(Action::SoundToggled).sound);
    }
}

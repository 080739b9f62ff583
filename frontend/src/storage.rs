//! The player's credits and spin records in `localStorage`, which anyone can edit: what is
//! read back is checked, and a broken value starts a fresh game with a message rather than an
//! error (a broken record is dropped, see [`crate::fair::parse_records`]).

use crate::fair::{self, Record};
use crate::game::STARTING_CREDITS;
use crate::session::Session;

const KEY: &str = "spin.credits";
/// The session's facts, in `sessionStorage`: they last as long as the tab.
const SESSION_KEY: &str = "spin.session";
/// Whether Calm play is on.
pub const CALM_KEY: &str = "spin.calm";
/// This browser's last spins, for the Verify view: one line each, newest first.
const PROOFS_KEY: &str = "spin.proofs";
/// More credits than any honest run of play could reach; larger values are tampering.
const MAX_CREDITS: u32 = 100_000_000;

/// Credits to start with, and a message when the saved value could not be used.
pub fn parse_saved(saved: Option<&str>) -> (u32, Option<String>) {
    match saved.map(str::trim) {
        None => (STARTING_CREDITS, None),
        Some(text) => match text.parse::<u32>() {
            Ok(credits) if credits <= MAX_CREDITS => (credits, None),
            _ => (
                STARTING_CREDITS,
                Some(format!(
                    "Your saved credits could not be read, so Spin starts again with {STARTING_CREDITS}."
                )),
            ),
        },
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub(crate) fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

/// Storage can be full or disabled; the game then simply does not persist.
pub(crate) fn set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// The credits saved in this browser (see [`parse_saved`]), and its spin records.
pub fn load() -> (u32, Option<String>, Vec<Record>) {
    let (credits, notice) = parse_saved(get(KEY).as_deref());
    (credits, notice, fair::parse_records(&get(PROOFS_KEY).unwrap_or_default()))
}

/// Saves `credits` and `records`, and `session` for a reload of this tab.
pub fn save(credits: u32, records: &[Record], session: &Session) {
    set(KEY, &credits.to_string());
    set(PROOFS_KEY, &fair::save(records));
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(SESSION_KEY, &session.to_saved());
    }
}

/// Whether a saved on/off setting (Sound, Calm play) is on: only the exact value
/// [`save_switch`] writes for "on" does; anything else (missing, edited, garbage) means off.
pub fn parse_switch(saved: Option<&str>) -> bool {
    saved == Some("on")
}

/// The on/off setting saved under `key` (off when none).
pub fn load_switch(key: &str) -> bool {
    parse_switch(get(key).as_deref())
}

pub fn save_switch(key: &str, on: bool) {
    set(key, if on { "on" } else { "off" });
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// This tab's session, or a new one starting at `now` if there is none (or it is not one the
/// page could have saved).
pub fn load_session(now: u64) -> Session {
    let saved = session_storage().and_then(|storage| storage.get_item(SESSION_KEY).ok()?);
    saved.and_then(|saved| Session::parse(&saved, now)).unwrap_or(Session::starting(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_saved_on_turns_a_setting_on() {
        assert!(parse_switch(Some("on")));
        for saved in [None, Some("off"), Some(""), Some("ON"), Some(" on"), Some("true"), Some("1")]
        {
            assert!(!parse_switch(saved), "{saved:?}");
        }
    }

    #[test]
    fn a_new_player_starts_with_the_starting_credits() {
        assert_eq!(parse_saved(None), (STARTING_CREDITS, None));
    }

    #[test]
    fn saved_credits_are_restored() {
        assert_eq!(parse_saved(Some("42")), (42, None));
        assert_eq!(parse_saved(Some("0")), (0, None));
    }

    #[test]
    fn broken_values_reset_with_a_message() {
        for bad in ["", "lots", "-5", "1e3", "12.5", "99999999999", "NaN", "{\"credits\":3}"] {
            let (credits, message) = parse_saved(Some(bad));
            assert_eq!(credits, STARTING_CREDITS, "{bad:?}");
            assert!(message.unwrap().contains("could not be read"), "{bad:?}");
        }
    }
}

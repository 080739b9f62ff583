//! The page's components. [`app::App`] owns the state and the effects (network, timers,
//! storage); everything else renders a [`crate::game::Game`] and reports clicks as actions.

use yew::{Callback, Properties};

use crate::game::{Action, Game};

pub mod app;
mod autoplay;
mod controls;
mod history;
mod messages;
mod paytable;
mod reels;
pub mod screen;
mod symbol;
mod verify;

#[cfg(feature = "ssr")]
pub use reels::band_css;

/// What the components that show the whole game receive: its state, and where to report what
/// the player did.
#[derive(Properties, PartialEq)]
pub struct GameProps {
    pub game: Game,
    pub on_action: Callback<Action>,
}

//! The page's components. [`app::App`] owns the state and the effects (network, timers,
//! storage); everything else renders a [`crate::game::Game`] and reports clicks as actions.

pub mod app;
mod controls;
mod history;
mod messages;
mod paytable;
mod reels;
pub mod screen;
mod symbol;

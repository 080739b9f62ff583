//! Spin's browser game.
//!
//! The game's state changes live in [`game`], a plain reducer tested natively; components only
//! render that state and report what the player did. Everything from outside (`config.json`,
//! API answers, `localStorage`) is checked in [`config`], [`api`] and [`storage`] before the
//! reducer sees it.

pub mod api;
pub mod config;
pub mod game;
pub mod storage;
pub mod timing;

mod components;

pub use components::app::App;

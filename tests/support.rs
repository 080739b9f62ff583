//! Shared test support for Spin: Lambda event fixtures and the ways tests reshape them, a
//! real browser, and the game's servers with faults on demand. Test files of this crate and of
//! `spin-lambda` build on it.

pub mod browser;
pub mod events;
pub mod game;

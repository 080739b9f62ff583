//! Shared test support for Spin: Lambda event fixtures and the ways tests reshape them, a
//! real browser, the game's servers with faults on demand, and shared statistics. Test files of this crate and of
//! `spin-lambda` build on it.

pub mod browser;
pub mod events;
pub mod game;
pub mod stats;

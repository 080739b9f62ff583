//! Shared test support for Spin: the Lambda event fixtures and the ways tests reshape them,
//! and the statistics the fairness tests share. Test files of this crate and of `spin-lambda`
//! build on it; the browser and the game's servers are modules of the end-to-end tests.

pub mod events;
pub mod stats;

//! Shared test support for Spin: Lambda event fixtures and the ways tests reshape them.
//! Test files of this crate and of `spin-lambda` build on it.

pub mod events;

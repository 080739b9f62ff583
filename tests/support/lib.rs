//! Shared test support for Spin, light enough for any crate's tests: the Lambda event fixtures
//! and the ways tests reshape them, the example site origin they come from, and the statistics
//! the fairness tests share. Helpers that need servers, a browser or the developer commands
//! live with the tests that use them, or in `xtask`.

pub mod events;
pub mod stats;

/// The site origin of the examples: every event fixture comes from it (a test checks), and
/// tests allow it in `ALLOWED_ORIGINS` wherever they need a site that is not on loopback.
pub const EXAMPLE_ORIGIN: &str = "https://spin.example.com";

//! What a fresh machine needs before the commands work, installed on demand so the README's
//! two commands are all a newcomer types.

use crate::Result;
use crate::site::WASM_TARGET;
use crate::toolchain::ensure_targets;

/// For `cargo xtask test`: the wasm target (the site is built by the end-to-end tests).
pub fn ensure_test_prerequisites() -> Result<()> {
    ensure_targets(&[WASM_TARGET])
}

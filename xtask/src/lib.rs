//! Spin's developer commands as a library, so tests drive exactly what `cargo xtask` runs.

pub mod aws;
pub mod bench;
pub mod check;
pub mod deploy;
pub mod dist;
pub mod pytools;
pub mod serve;
pub mod setup;
pub mod site;
pub mod toolchain;

use std::path::PathBuf;

/// A developer-facing failure: a message for the terminal.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The workspace root (the folder with the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

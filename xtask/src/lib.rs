//! Spin's developer commands as a library, so tests drive exactly what `cargo xtask` runs.
//!
//! The modules form layers; each uses only those above it (a test in `tests/layers.rs`
//! keeps it so):
//!
//! 1. [`toolchain`]: cargo and the rustup targets.
//! 2. [`prerequisites`]: Debian, npm and PyPI packages.
//! 3. [`site`] and [`lambda`]: the two builds, the static site and the function.
//! 4. [`dist`]: both, packaged for deployment.
//! 5. [`aws`]: calls to AWS through its CLI.
//! 6. [`serve`] and [`deploy`]: running it locally, and in an AWS account.
//! 7. [`test`], [`bench`] and [`load`]: checking and measuring all of the above.

pub mod toolchain;

pub mod prerequisites;

pub mod lambda;
pub mod site;

pub mod dist;

pub mod aws;

pub mod deploy;
pub mod serve;

pub mod bench;
pub mod load;
pub mod test;

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

/// A loopback port nothing listens on now, for a server that another process (or a later
/// step) will start. Where the caller can keep the listener, binding `127.0.0.1:0` is safer.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

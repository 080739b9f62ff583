//! The Rust toolchain pieces builds need. `rust-toolchain.toml` pins the channel, but rustup
//! does not install its targets by itself everywhere, so commands add what is missing.

use std::process::Command;

use crate::{Result, workspace_root};

/// Runs `command` in the workspace root, failing with its name if it does not succeed.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command
        .current_dir(workspace_root())
        .status()
        .map_err(|error| format!("could not start {:?}: {error}", command.get_program()))?;
    if status.success() { Ok(()) } else { Err(format!("{command:?} failed with {status}").into()) }
}

/// The `cargo` that started us (or the one on `PATH`).
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The rustup `targets` that the pinned toolchain does not have yet.
pub fn missing_targets<'a>(targets: &[&'a str]) -> Result<Vec<&'a str>> {
    let output = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(workspace_root())
        .output()
        .map_err(|error| format!("rustup is needed to add build targets: {error}"))?;
    let installed = String::from_utf8_lossy(&output.stdout);
    Ok(targets
        .iter()
        .copied()
        .filter(|target| !installed.lines().any(|line| line.trim() == *target))
        .collect())
}

/// Adds the rustup `targets` that the pinned toolchain does not have yet.
pub fn ensure_targets(targets: &[&str]) -> Result<()> {
    let missing = missing_targets(targets)?;
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("adding rustup targets: {}", missing.join(" "));
    run(Command::new("rustup").args(["target", "add"]).args(&missing))
}

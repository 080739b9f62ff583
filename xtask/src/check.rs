//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use std::process::Command;

use crate::Result;
use crate::setup;
use crate::toolchain::{cargo, run};

/// Installs what is missing, then runs formatting, lints and every test in the workspace
/// (rules, API, Lambda events and binary, HTTP, browser end to end).
pub fn all() -> Result<()> {
    setup::ensure_test_prerequisites()?;
    step("format", cargo().args(["fmt", "--all", "--check"]))?;
    step("lint", cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    step("test", cargo().args(["test", "--workspace"]))?;
    Ok(())
}

fn step(name: &str, command: &mut Command) -> Result<()> {
    eprintln!("== {name}: {command:?}");
    run(command)
}

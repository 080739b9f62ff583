//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use std::process::Command;

use crate::pytools::tool;
use crate::toolchain::{cargo, run};
use crate::{Result, setup, workspace_root};

/// Installs what is missing, then runs formatting, lints, the template checks, the
/// dependency checks and every test in the workspace (rules, API, Lambda events and binary,
/// HTTP, dist and upload, load, browser).
pub fn all() -> Result<()> {
    setup::ensure_test_prerequisites()?;
    step("format", cargo().args(["fmt", "--all", "--check"]))?;
    step("lint", cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    template()?;
    dependencies()?;
    step("test", cargo().args(["test", "--workspace"]))?;
    Ok(())
}

/// The SAM template, checked offline by both linters AWS publishes.
pub fn template() -> Result<()> {
    let template = workspace_root().join("infra/template.yaml");
    step("template: cfn-lint", tool("cfn-lint").arg(&template))?;
    step(
        "template: sam validate",
        tool("sam")
            .args(["validate", "--lint", "--template-file"])
            .arg(&template)
            .env("AWS_DEFAULT_REGION", "us-east-1"),
    )
}

/// Licences, banned crates and sources of every dependency (`deny.toml`). The advisories
/// check is left out: it needs the RustSec database from GitHub.
pub fn dependencies() -> Result<()> {
    step(
        "dependencies: cargo deny",
        tool("cargo-deny").args(["check", "licenses", "bans", "sources"]),
    )
}

fn step(name: &str, command: &mut Command) -> Result<()> {
    eprintln!("== {name}: {command:?}");
    run(command)
}

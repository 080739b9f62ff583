//! `cargo xtask test`: install what a fresh machine lacks, then everything CI checks, in the
//! order that fails fastest.

use std::process::Command;

use crate::lambda::Arch;
use crate::prerequisites::{ensure_debian_packages, ensure_npm_packages, ensure_tools, tool};
use crate::site::WASM_TARGET;
use crate::toolchain::{cargo, ensure_targets, run};
use crate::{Result, workspace_root};

/// Debian packages the tests use, and a file each one installs: the browser and its driver,
/// and qemu to run the arm64 Lambda package on this machine.
const TEST_PACKAGES: [(&str, &str); 3] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("qemu-user-static", "/usr/bin/qemu-aarch64-static"),
];

/// Installs what is missing, then runs formatting, lints, the template checks, the
/// dependency checks and every test in the workspace (rules, API, Lambda events and binary,
/// HTTP, dist and upload, load, browser).
pub fn all() -> Result<()> {
    prepare()?;
    step("format", cargo().args(["fmt", "--all", "--check"]))?;
    step("lint", cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    template()?;
    dependencies()?;
    step("test", cargo().args(["test", "--workspace"]))?;
    Ok(())
}

/// Everything the tests use and no test installs itself: the Rust targets (browser and both
/// Lambda architectures), Chromium, ChromeDriver and qemu, the npm packages, and the PyPI
/// tools.
pub fn prepare() -> Result<()> {
    ensure_targets(&[WASM_TARGET, Arch::Arm64.target(), Arch::X86_64.target()])?;
    ensure_debian_packages(&TEST_PACKAGES)?;
    ensure_npm_packages()?;
    ensure_tools()
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

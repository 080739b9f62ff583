//! `cargo xtask test`: install what a fresh machine lacks, then everything CI checks, in the
//! order that fails fastest.

use std::process::Command;

use crate::lambda::Arch;
use crate::prerequisites::{
    CHROMEDRIVER, CHROMIUM, ensure_debian_packages, ensure_npm_packages, ensure_tools,
    missing_debian_packages, npm_packages_installed, tool, tools_installed,
};
use crate::site::WASM_TARGET;
use crate::toolchain::{cargo, ensure_targets, missing_targets, run};
use crate::{Result, workspace_root};

/// Debian packages the tests use, and a file each one installs: the browser and its driver,
/// and qemu to run the arm64 Lambda package on this machine.
const TEST_PACKAGES: [(&str, &str); 3] = [
    ("chromium", CHROMIUM),
    ("chromium-driver", CHROMEDRIVER),
    ("qemu-user-static", "/usr/bin/qemu-aarch64-static"),
];

/// The Rust targets the tests build for: the browser and both Lambda architectures.
fn test_targets() -> [&'static str; 3] {
    [WASM_TARGET, Arch::Arm64.target(), Arch::X86_64.target()]
}

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
    ensure_targets(&test_targets())?;
    ensure_debian_packages(&TEST_PACKAGES)?;
    ensure_npm_packages()?;
    ensure_tools()
}

/// Fails, naming what is missing, unless everything [`prepare`] installs is there: tests call
/// this before they build or start anything, so that no test installs a tool itself.
pub fn check_prepared() -> Result<()> {
    let mut missing: Vec<String> =
        missing_targets(&test_targets())?.iter().map(|t| format!("rustup target {t}")).collect();
    missing.extend(missing_debian_packages(&TEST_PACKAGES).iter().map(|p| format!("Debian {p}")));
    if !npm_packages_installed() {
        missing.push("the npm packages".to_owned());
    }
    if !tools_installed()? {
        missing.push("the PyPI tools".to_owned());
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!("missing {}: run `cargo xtask test`, which installs them", missing.join(", "))
        .into())
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

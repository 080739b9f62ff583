//! `cargo xtask test`: install what a fresh machine lacks, then everything CI checks, in the
//! order that fails fastest.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::lambda::Arch;
use crate::prerequisites::{
    CHROMEDRIVER, CHROMIUM, FIREFOX, GECKODRIVER_VERSION, GeckodriverInstall, WEBKIT_WEBDRIVER,
    XVFB, ensure_debian_packages, ensure_npm_packages, ensure_tools, geckodriver_installed,
    missing_debian_packages, npm_packages_installed, tool, tools_installed,
};
use crate::site::WASM_TARGET;
use crate::toolchain::{cargo, ensure_targets, missing_targets, run};
use crate::{Result, workspace_root};

/// Debian packages the tests use, and a file each one installs: the three browser engines
/// and their drivers (Chromium; Firefox, whose geckodriver comes from crates.io; WebKitGTK,
/// whose MiniBrowser needs an X server), qemu to run the arm64 Lambda package on this
/// machine, and shellcheck, which actionlint runs on the workflows' shell steps (it skips that
/// check where shellcheck is missing), and the openssl command line, which checks the provably
/// fair scheme independently.
const TEST_PACKAGES: [(&str, &str); 8] = [
    ("chromium", CHROMIUM),
    ("chromium-driver", CHROMEDRIVER),
    ("firefox-esr", FIREFOX),
    ("webkit2gtk-driver", WEBKIT_WEBDRIVER),
    ("xvfb", XVFB),
    ("qemu-user-static", "/usr/bin/qemu-aarch64-static"),
    ("shellcheck", "/usr/bin/shellcheck"),
    ("openssl", "/usr/bin/openssl"),
];

/// The Rust targets the tests build for: the browser and both Lambda architectures.
fn test_targets() -> [&'static str; 3] {
    [WASM_TARGET, Arch::Arm64.target(), Arch::X86_64.target()]
}

/// Installs what is missing, then runs formatting, lints, the template and workflow checks,
/// the dependency checks and every test in the workspace (rules, API, Lambda events and
/// binary, HTTP, dist and upload, load, browser, the alarms against the function's metrics).
pub fn all() -> Result<()> {
    // geckodriver builds while the other steps run; only the tests need it.
    let geckodriver = GeckodriverInstall::start()?;
    prepare_all_but_geckodriver()?;
    step("format", cargo().args(["fmt", "--all", "--check"]))?;
    step("lint", cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    // The browser-only code (`cfg(target_arch = "wasm32")`) is linted in its own build.
    step(
        "lint: the browser build",
        cargo()
            .args(["clippy", "--package", "spin-frontend", "--target", WASM_TARGET])
            .args(["--", "-D", "warnings"]),
    )?;
    template()?;
    workflows()?;
    dependencies()?;
    geckodriver.wait()?;
    step("test", cargo().args(["test", "--workspace"]))?;
    Ok(())
}

/// Everything the tests use and no test installs itself: the Rust targets (browser and both
/// Lambda architectures), the browsers and their drivers, qemu, the npm packages, and the
/// PyPI tools.
pub fn prepare() -> Result<()> {
    let geckodriver = GeckodriverInstall::start()?;
    prepare_all_but_geckodriver()?;
    geckodriver.wait()
}

fn prepare_all_but_geckodriver() -> Result<()> {
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
    if !geckodriver_installed() {
        missing.push(format!("geckodriver {GECKODRIVER_VERSION}"));
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!("missing {}: run `cargo xtask test`, which installs them", missing.join(", "))
        .into())
}

/// Every template in `infra/` (the app's SAM template and the deploy role's), checked offline
/// by both linters AWS publishes.
pub fn template() -> Result<()> {
    for template in files_in(&workspace_root().join("infra"), &["yaml", "yml"])? {
        step("template: cfn-lint", tool("cfn-lint").arg(&template))?;
        step(
            "template: sam validate",
            tool("sam")
                .args(["validate", "--lint", "--template-file"])
                .arg(&template)
                .env("AWS_DEFAULT_REGION", "us-east-1"),
        )?;
    }
    Ok(())
}

/// The GitHub Actions workflows, checked by actionlint (syntax, expressions, action inputs,
/// deprecated action versions, and shellcheck on `run:` steps).
pub fn workflows() -> Result<()> {
    let workflows = files_in(&workspace_root().join(".github/workflows"), &["yml", "yaml"])?;
    if workflows.is_empty() {
        return Err("no workflows in .github/workflows".into());
    }
    step("workflows: actionlint", tool("actionlint").args(&workflows))
}

/// The files directly in `dir` with one of `extensions`, sorted.
fn files_in(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| extensions.iter().any(|x| e == *x)) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
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

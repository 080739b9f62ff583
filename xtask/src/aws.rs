//! The AWS command-line tools, from PyPI into a virtualenv under `target/` (pinned in
//! `infra/requirements.txt`), so deploying and the offline checks need nothing installed by
//! hand but Python.

use std::ffi::OsStr;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::toolchain::run;
use crate::{Result, target_dir, workspace_root};

/// The virtualenv holding `sam`, `aws`, `cfn-lint` and `moto_server`.
pub fn tools_dir() -> PathBuf {
    target_dir().join("aws-tools")
}

/// A tool from the virtualenv.
pub fn tool(name: &str) -> Command {
    let mut command = Command::new(tools_dir().join("bin").join(name));
    command.env("SAM_CLI_TELEMETRY", "0");
    command
}

/// Creates the virtualenv and installs `infra/requirements.txt` unless that exact list is
/// already installed.
pub fn ensure_tools() -> Result<()> {
    let requirements = workspace_root().join("infra/requirements.txt");
    let wanted = fs::read_to_string(&requirements)?;
    let stamp = tools_dir().join("installed-requirements.txt");
    if fs::read_to_string(&stamp).is_ok_and(|installed| installed == wanted) {
        return Ok(());
    }
    eprintln!("installing the AWS tools (infra/requirements.txt) into {}", tools_dir().display());
    run(Command::new("python3").arg("-m").arg("venv").arg(tools_dir()))?;
    run(tool("pip")
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    fs::write(stamp, wanted)?;
    Ok(())
}

/// Where AWS calls go: a region, and optionally another endpoint with its own environment
/// (a local S3 API and dummy credentials in tests).
#[derive(Clone, Debug, Default)]
pub struct Aws {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub env: Vec<(String, String)>,
}

impl Aws {
    /// An `aws` command for this account and endpoint.
    pub fn cli<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = tool("aws");
        if let Some(endpoint) = &self.endpoint_url {
            command.args(["--endpoint-url", endpoint]);
        }
        if let Some(region) = &self.region {
            command.args(["--region", region]);
        }
        command.args(args).envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Runs an `aws` command and returns what it printed.
    pub fn output<I, S>(&self, args: I) -> Result<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = self.cli(args);
        let output = command.stderr(Stdio::inherit()).output()?;
        if !output.status.success() {
            return Err(format!("{command:?} failed with {}", output.status).into());
        }
        Ok(String::from_utf8(output.stdout)?)
    }
}

//! Calls to AWS through the AWS CLI (one of the PyPI tools, see `prerequisites.rs`).

use std::ffi::OsStr;
use std::process::{Command, Stdio};

use crate::Result;
use crate::prerequisites::tool;

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

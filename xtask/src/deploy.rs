//! `cargo xtask deploy` and `teardown`: the one documented path from a clone to a running
//! Spin in an AWS account, with the AWS CLI and SAM CLI (see `aws.rs`).
//!
//! deploy: build (`dist`) → `sam deploy` the stack (the function zip is uploaded by SAM) →
//! read the stack's outputs → write `config.json` (and the CSP) for the API URL → upload the
//! site with each file's headers from the manifest → print the site URL.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::aws::Aws;
use crate::dist::{self, FileHeaders};
use crate::lambda::Arch;
use crate::prerequisites::{ensure_tools, tool};
use crate::toolchain::run;
use crate::{Result, site, workspace_root};

/// Where the site goes: S3 website hosting, or a private bucket behind CloudFront.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hosting {
    S3Website,
    CloudFront,
}

impl Hosting {
    pub fn parse(text: &str) -> Result<Hosting> {
        match text {
            "s3-website" => Ok(Hosting::S3Website),
            "cloudfront" => Ok(Hosting::CloudFront),
            other => Err(format!("--hosting {other:?}: use s3-website or cloudfront").into()),
        }
    }

    fn parameter(self) -> &'static str {
        match self {
            Hosting::S3Website => "HostingMode=S3Website",
            Hosting::CloudFront => "HostingMode=CloudFront",
        }
    }
}

/// The stack outputs deploy needs.
#[derive(Clone, Debug)]
pub struct StackOutputs {
    pub site_url: String,
    pub api_url: String,
    pub bucket: String,
}

/// Builds, deploys the stack `stack`, uploads the site and returns the site URL.
pub fn deploy(stack: &str, aws: &Aws, hosting: Hosting) -> Result<String> {
    ensure_tools()?;
    let dist = dist::build(Arch::Arm64)?;
    let template = workspace_root().join("infra/template.yaml");
    let mut sam = tool("sam");
    sam.arg("deploy")
        .arg("--template-file")
        .arg(&template)
        .args(["--stack-name", stack, "--capabilities", "CAPABILITY_IAM", "--resolve-s3"])
        .args(["--no-confirm-changeset", "--no-fail-on-empty-changeset"])
        .args(["--parameter-overrides", hosting.parameter()]);
    if let Some(region) = &aws.region {
        sam.args(["--region", region]);
    }
    run(&mut sam)?;

    let outputs = stack_outputs(stack, aws)?;
    site::write_config(&dist.site, &outputs.api_url)?;
    upload(&dist.site, &dist::manifest(&dist.site)?, &outputs.bucket, aws)?;
    Ok(outputs.site_url)
}

/// Empties the site bucket (CloudFormation cannot delete a bucket with objects) and deletes
/// the stack.
pub fn teardown(stack: &str, aws: &Aws) -> Result<()> {
    ensure_tools()?;
    let outputs = stack_outputs(stack, aws)?;
    run(&mut aws.cli(["s3", "rm", &format!("s3://{}", outputs.bucket), "--recursive"]))?;
    let mut sam = tool("sam");
    sam.args(["delete", "--stack-name", stack, "--no-prompts"]);
    if let Some(region) = &aws.region {
        sam.args(["--region", region]);
    }
    run(&mut sam)
}

/// Reads the outputs `SiteUrl`, `ApiUrl` and `SiteBucketName` of `stack`.
pub fn stack_outputs(stack: &str, aws: &Aws) -> Result<StackOutputs> {
    let json = aws.output([
        "cloudformation",
        "describe-stacks",
        "--stack-name",
        stack,
        "--query",
        "Stacks[0].Outputs",
        "--output",
        "json",
    ])?;
    let outputs: Vec<Value> = serde_json::from_str(&json)?;
    let output = |key: &str| -> Result<String> {
        outputs
            .iter()
            .find(|o| o["OutputKey"] == key)
            .and_then(|o| o["OutputValue"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("stack {stack} has no output {key}").into())
    };
    Ok(StackOutputs {
        site_url: output("SiteUrl")?,
        api_url: output("ApiUrl")?,
        bucket: output("SiteBucketName")?,
    })
}

/// Uploads every file of the manifest to `bucket` with its `Content-Type` and
/// `Cache-Control`. Fingerprinted code goes first and `index.html` last, so a visitor never
/// gets a page that names files not there yet.
pub fn upload(site: &Path, manifest: &[FileHeaders], bucket: &str, aws: &Aws) -> Result<()> {
    let mut files: Vec<&FileHeaders> = manifest.iter().collect();
    files.sort_by_key(|file| (upload_rank(&file.path), file.path.clone()));
    for file in files {
        let source = site.join(&file.path);
        if !fs::metadata(&source).is_ok_and(|m| m.is_file()) {
            return Err(
                format!("{} is in the manifest but not in {}", file.path, site.display()).into()
            );
        }
        let mut copy: Command = aws.cli(["s3", "cp", "--only-show-errors"]);
        copy.arg(&source).arg(format!("s3://{bucket}/{}", file.path)).args([
            "--content-type",
            &file.content_type,
            "--cache-control",
            &file.cache_control,
        ]);
        run(&mut copy)?;
    }
    Ok(())
}

fn upload_rank(path: &str) -> u8 {
    match path {
        "index.html" => 2,
        "config.json" => 1,
        _ => 0,
    }
}

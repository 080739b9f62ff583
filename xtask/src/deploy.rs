//! `cargo xtask deploy` and `teardown`: the one documented path from a clone to a running
//! Spin in an AWS account, with the AWS CLI and SAM CLI (see `aws.rs`).
//!
//! deploy: build (`dist`) → `sam deploy` the stack (the function zip is uploaded by SAM) →
//! read the stack's outputs → write `config.json` (and the CSP) for the API URL → upload the
//! site with each file's headers from the manifest → prune the code of releases before the
//! previous one → print the site URL.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};
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
    publish(&dist.site, &dist::manifest(&dist.site)?, &outputs.bucket, aws)?;
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

/// Puts a release live: [`upload`], then [`prune`]. Returns the keys pruned.
pub fn publish(
    site: &Path,
    manifest: &[FileHeaders],
    bucket: &str,
    aws: &Aws,
) -> Result<Vec<String>> {
    upload(site, manifest, bucket, aws)?;
    prune(manifest, bucket, aws)
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

/// The object that records which content-hashed files the live release and the one before it
/// use, so the next deploy knows what it may remove.
pub const RELEASES_KEY: &str = "releases.json";

/// The content-hashed files of the live release and of the release before it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Releases {
    pub current: BTreeSet<String>,
    pub previous: BTreeSet<String>,
}

impl Releases {
    /// The record after `live` went live, given the record `before` it (none on a bucket that
    /// has never had one) and the hashed files `in_bucket` now. A redeploy of the same files
    /// keeps the previous release; without a record, every other hashed file in the bucket
    /// counts as the previous release, so nothing a player may still need is removed.
    pub fn after(
        before: Option<Releases>,
        live: BTreeSet<String>,
        in_bucket: &BTreeSet<String>,
    ) -> Releases {
        let previous = match before {
            Some(before) if before.current == live => before.previous,
            Some(before) => before.current,
            None => in_bucket.difference(&live).cloned().collect(),
        };
        Releases { current: live, previous }
    }

    /// Whether `key` belongs to either release.
    fn keeps(&self, key: &str) -> bool {
        self.current.contains(key) || self.previous.contains(key)
    }
}

/// Whether a key is content-hashed code (`spin.1a2b3c4d5e6f.js`): immutable, cached for a
/// year, and so only ever replaced by a new name.
fn is_hashed(key: &str) -> bool {
    dist::headers_for(key).cache_control == dist::IMMUTABLE
}

/// Once the release in `manifest` is live, removes from `bucket` the content-hashed files
/// that neither it nor the release before it uses: a player who loaded the previous page just
/// before the deploy can still fetch its code, and older code does not pile up. Records the
/// two releases in [`RELEASES_KEY`] and returns the keys removed. Symbol images keep their
/// names and are never removed.
pub fn prune(manifest: &[FileHeaders], bucket: &str, aws: &Aws) -> Result<Vec<String>> {
    let keys = list_keys(bucket, aws)?;
    let before = if keys.iter().any(|key| key == RELEASES_KEY) {
        let text = aws.output(["s3", "cp", &format!("s3://{bucket}/{RELEASES_KEY}"), "-"])?;
        Some(serde_json::from_str(&text).map_err(|error| {
            format!("s3://{bucket}/{RELEASES_KEY} is not a releases record: {error}")
        })?)
    } else {
        None
    };
    let hashed_in_bucket: BTreeSet<String> =
        keys.iter().filter(|key| is_hashed(key)).cloned().collect();
    let live = manifest.iter().map(|file| file.path.clone()).filter(|path| is_hashed(path));
    let releases = Releases::after(before, live.collect(), &hashed_in_bucket);

    let record = tempfile::NamedTempFile::new()?;
    fs::write(record.path(), serde_json::to_vec_pretty(&releases)?)?;
    let mut copy = aws.cli(["s3", "cp", "--only-show-errors"]);
    copy.arg(record.path()).arg(format!("s3://{bucket}/{RELEASES_KEY}")).args([
        "--content-type",
        "application/json",
        "--cache-control",
        dist::REVALIDATE,
    ]);
    run(&mut copy)?;

    let stale: Vec<String> =
        hashed_in_bucket.into_iter().filter(|key| !releases.keeps(key)).collect();
    // DeleteObjects takes at most 1 000 keys a call.
    for chunk in stale.chunks(1000) {
        let objects: Vec<Value> =
            chunk.iter().map(|key| serde_json::json!({ "Key": key })).collect();
        let delete = serde_json::json!({ "Objects": objects, "Quiet": true }).to_string();
        aws.output(["s3api", "delete-objects", "--bucket", bucket, "--delete", &delete])?;
    }
    Ok(stale)
}

/// Every key in `bucket`.
fn list_keys(bucket: &str, aws: &Aws) -> Result<Vec<String>> {
    let json = aws.output([
        "s3api",
        "list-objects-v2",
        "--bucket",
        bucket,
        "--query",
        "Contents[].Key",
        "--output",
        "json",
    ])?;
    // An empty bucket lists as `null`.
    Ok(serde_json::from_str::<Option<Vec<String>>>(&json)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|key| key.to_string()).collect()
    }

    #[test]
    fn each_release_keeps_the_one_before_it() {
        let first = Releases::after(None, set(&["a.000000000001.js"]), &set(&[]));
        assert_eq!(first.previous, set(&[]));
        let second = Releases::after(Some(first), set(&["a.000000000002.js"]), &set(&[]));
        assert_eq!(second.previous, set(&["a.000000000001.js"]));
        let third = Releases::after(Some(second), set(&["a.000000000003.js"]), &set(&[]));
        assert_eq!(third.previous, set(&["a.000000000002.js"]));
        assert!(!third.keeps("a.000000000001.js"));
        let again = Releases::after(Some(third.clone()), third.current.clone(), &set(&[]));
        assert_eq!(again, third, "a redeploy of the same files keeps the previous release");
    }

    #[test]
    fn without_a_record_everything_already_there_is_kept_once() {
        let there = set(&["a.000000000001.js", "a.000000000002.js"]);
        let releases = Releases::after(None, set(&["a.000000000003.js"]), &there);
        assert_eq!(releases.previous, there);
    }

    #[test]
    fn only_hashed_code_is_pruned() {
        assert!(is_hashed("spin_bg.0123456789ab.wasm"));
        for kept in ["index.html", "config.json", "symbols/bar.svg", "favicon.svg", RELEASES_KEY] {
            assert!(!is_hashed(kept), "{kept}");
        }
    }
}

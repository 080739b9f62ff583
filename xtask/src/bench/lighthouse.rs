//! The page as a phone's browser gets it: Lighthouse (npm) in its mobile profile, driving
//! Debian's Chromium headless, on the site and servers `cargo xtask serve` runs, against a
//! static page served the same way.

use std::fs;
use std::path::Path;

use super::Figure;
use crate::prerequisites::{CHROMIUM, CHROMIUM_FLAGS, ensure_debian_packages, ensure_npm_packages};
use crate::{Result, serve, site, workspace_root};

/// A static page of the same shell with no game, as Lighthouse's baseline.
const BASELINE_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Baseline</title>\
    <meta name=\"description\" content=\"A static page\"></head><body><main><h1>Hello</h1>\
    <p>A static page served the same way.</p></main></body></html>";

const CATEGORIES: [(&str, f64); 3] =
    [("performance", 95.0), ("accessibility", 100.0), ("best-practices", 100.0)];

/// Performance, accessibility and best-practices scores of the game and of the baseline.
pub(super) fn scores(out: &Path) -> Result<Vec<Figure>> {
    ensure_debian_packages(&[("chromium", CHROMIUM)])?;
    ensure_npm_packages()?;
    let game_site = tempfile::tempdir()?;
    site::build_into(game_site.path())?;
    let plain_site = tempfile::tempdir()?;
    fs::write(plain_site.path().join("index.html"), BASELINE_PAGE)?;

    let runtime = tokio::runtime::Runtime::new()?;
    let (game_scores, plain_scores) = runtime.block_on(async {
        let any = "127.0.0.1:0".parse()?;
        let game = serve::start(game_site.path().to_owned(), any, any).await?;
        let plain = serve::start(plain_site.path().to_owned(), any, any).await?;
        let game_url = format!("{}/", game.site_url());
        let plain_url = format!("{}/", plain.site_url());
        let game_scores = run_lighthouse(&game_url, &out.join("lighthouse.json")).await?;
        let plain_scores =
            run_lighthouse(&plain_url, &out.join("lighthouse-baseline.json")).await?;
        Ok::<_, crate::Error>((game_scores, plain_scores))
    })?;
    Ok(CATEGORIES
        .iter()
        .zip(game_scores.iter().zip(plain_scores))
        .map(|((name, target), (&score, baseline))| {
            Figure::new(&format!("Lighthouse mobile: {name}"), score, "/100")
                .against("static page, same server", baseline)
                .target(&format!("≥ {target}"), score >= *target)
        })
        .collect())
}

/// The scores of `url` in [`CATEGORIES`] order (Lighthouse's default mobile profile, Debian's
/// Chromium), with the full report written to `report`.
async fn run_lighthouse(url: &str, report: &Path) -> Result<Vec<f64>> {
    let profile = tempfile::tempdir()?;
    let flags =
        format!("{} --user-data-dir={}", CHROMIUM_FLAGS.join(" "), profile.path().display());
    let status = tokio::process::Command::new("node")
        .arg(workspace_root().join("node_modules/lighthouse/cli/index.js"))
        .arg(url)
        .args([
            "--only-categories=performance,accessibility,best-practices",
            "--output=json",
            "--quiet",
        ])
        .arg(format!("--output-path={}", report.display()))
        .arg(format!("--chrome-flags={flags}"))
        .env("CHROME_PATH", CHROMIUM)
        .status()
        .await?;
    if !status.success() {
        return Err(format!("lighthouse failed on {url}: {status}").into());
    }
    let result: serde_json::Value = serde_json::from_slice(&fs::read(report)?)?;
    CATEGORIES
        .iter()
        .map(|(category, _)| {
            result["categories"][category]["score"]
                .as_f64()
                .map(|score| (score * 100.0).round())
                .ok_or_else(|| format!("lighthouse reported no {category} score").into())
        })
        .collect()
}

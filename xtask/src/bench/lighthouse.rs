//! The page as a phone's browser gets it: Lighthouse (npm) in its mobile profile, driving
//! Debian's Chromium headless, on the site and servers `cargo xtask serve` runs, against a
//! static page served the same way. Scores move with the machine's load, so each setting is
//! run several times and judged by its median and its worst run.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::{Figure, median};
use crate::prerequisites::{CHROMIUM, CHROMIUM_FLAGS, ensure_debian_packages, ensure_npm_packages};
use crate::{Result, serve, site, workspace_root};

/// A static page of the same shell with no game, as Lighthouse's baseline.
const BASELINE_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Baseline</title>\
    <meta name=\"description\" content=\"A static page\"></head><body><main><h1>Hello</h1>\
    <p>A static page served the same way.</p></main></body></html>";

/// Runs of the game per setting, and of the baseline.
const GAME_RUNS: usize = 5;
const BASELINE_RUNS: usize = 3;
/// The largest contentful paint every run must stay within, in seconds.
const MAX_LCP_S: f64 = 1.5;

/// A throttling setting: Lighthouse's default mobile profile (4× CPU slowdown), or a low-end
/// phone (8×).
struct Setting {
    label: &'static str,
    flags: &'static [&'static str],
    /// The median performance score it must reach, and the score no run may fall below.
    median_target: f64,
    floor: f64,
}

const SETTINGS: [Setting; 2] = [
    Setting { label: "default mobile", flags: &[], median_target: 100.0, floor: 0.0 },
    Setting {
        label: "8× CPU slowdown",
        flags: &["--throttling.cpuSlowdownMultiplier=8"],
        median_target: 95.0,
        floor: 90.0,
    },
];

/// What one Lighthouse run reports.
#[derive(Clone, Copy, Debug)]
struct Run {
    performance: f64,
    accessibility: f64,
    best_practices: f64,
    lcp_s: f64,
    tbt_ms: f64,
    cls: f64,
}

impl Run {
    fn read(report: &Value) -> Result<Run> {
        let score = |category: &str| -> Result<f64> {
            report["categories"][category]["score"]
                .as_f64()
                .map(|score| (score * 100.0).round())
                .ok_or_else(|| format!("lighthouse reported no {category} score").into())
        };
        let audit = |name: &str| -> Result<f64> {
            report["audits"][name]["numericValue"]
                .as_f64()
                .ok_or_else(|| format!("lighthouse reported no {name}").into())
        };
        Ok(Run {
            performance: score("performance")?,
            accessibility: score("accessibility")?,
            best_practices: score("best-practices")?,
            lcp_s: audit("largest-contentful-paint")? / 1000.0,
            tbt_ms: audit("total-blocking-time")?,
            cls: audit("cumulative-layout-shift")?,
        })
    }
}

/// Scores, LCP, TBT and CLS of the game and the baseline under each setting.
pub(super) fn scores(out: &Path) -> Result<Vec<Figure>> {
    ensure_debian_packages(&[("chromium", CHROMIUM)])?;
    ensure_npm_packages()?;
    let game_site = tempfile::tempdir()?;
    site::build_into(game_site.path())?;
    let plain_site = tempfile::tempdir()?;
    fs::write(plain_site.path().join("index.html"), BASELINE_PAGE)?;

    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let any = "127.0.0.1:0".parse()?;
        let game = serve::start(game_site.path().to_owned(), any, any).await?;
        let plain = serve::start(plain_site.path().to_owned(), any, any).await?;
        let mut figures = Vec::new();
        for (index, setting) in SETTINGS.iter().enumerate() {
            let mut game_runs = Vec::new();
            let mut plain_runs = Vec::new();
            // Alternate game and baseline, so both see the same machine load.
            for run in 0..GAME_RUNS {
                let report = out.join(format!("lighthouse-{index}-{run}.json"));
                game_runs.push(lighthouse(&game.site_url(), setting, &report).await?);
                if run < BASELINE_RUNS {
                    let report = out.join(format!("lighthouse-baseline-{index}-{run}.json"));
                    plain_runs.push(lighthouse(&plain.site_url(), setting, &report).await?);
                }
            }
            figures.extend(summarise(setting, &game_runs, &plain_runs));
        }
        Ok(figures)
    })
}

/// The figures of one setting: performance median and worst run, the other categories'
/// worst run, and the median LCP, TBT and CLS (with LCP's worst run).
fn summarise(setting: &Setting, game: &[Run], plain: &[Run]) -> Vec<Figure> {
    let of = |runs: &[Run], pick: fn(&Run) -> f64| runs.iter().map(pick).collect::<Vec<f64>>();
    let med = |runs: &[Run], pick: fn(&Run) -> f64| median(&mut of(runs, pick));
    let worst =
        |runs: &[Run], pick: fn(&Run) -> f64| of(runs, pick).into_iter().fold(f64::NAN, f64::min);
    let highest =
        |runs: &[Run], pick: fn(&Run) -> f64| of(runs, pick).into_iter().fold(f64::NAN, f64::max);
    let scores: Vec<String> = game.iter().map(|run| format!("{:.0}", run.performance)).collect();
    let label = setting.label;
    let baseline = "static page, same server";
    let performance = med(game, |r| r.performance);
    let floor = worst(game, |r| r.performance);
    let mut figures = vec![
        Figure::new(
            &format!(
                "Lighthouse performance, {label}: median of {} (runs {})",
                game.len(),
                scores.join(", ")
            ),
            performance,
            "/100",
        )
        .against(baseline, med(plain, |r| r.performance))
        .target(
            &format!("median ≥ {}", setting.median_target),
            performance >= setting.median_target,
        ),
    ];
    if setting.floor > 0.0 {
        figures.push(
            Figure::new(&format!("Lighthouse performance, {label}: worst run"), floor, "/100")
                .against(baseline, worst(plain, |r| r.performance))
                .target(&format!("≥ {}", setting.floor), floor >= setting.floor),
        );
    }
    for (name, pick) in [
        ("accessibility", (|r: &Run| r.accessibility) as fn(&Run) -> f64),
        ("best practices", |r: &Run| r.best_practices),
    ] {
        let value = worst(game, pick);
        figures.push(
            Figure::new(&format!("Lighthouse {name}, {label}: worst run"), value, "/100")
                .against(baseline, worst(plain, pick))
                .target("100", value >= 100.0),
        );
    }
    let lcp_worst = highest(game, |r| r.lcp_s);
    figures.extend([
        Figure::new(&format!("LCP, {label}: median"), med(game, |r| r.lcp_s), "s")
            .against(baseline, med(plain, |r| r.lcp_s)),
        Figure::new(&format!("LCP, {label}: worst run"), lcp_worst, "s")
            .against(baseline, highest(plain, |r| r.lcp_s))
            .target(&format!("≤ {MAX_LCP_S} s"), lcp_worst <= MAX_LCP_S),
        Figure::new(&format!("TBT, {label}: median"), med(game, |r| r.tbt_ms), "ms")
            .against(baseline, med(plain, |r| r.tbt_ms)),
        Figure::new(&format!("CLS, {label}: median"), med(game, |r| r.cls), "")
            .against(baseline, med(plain, |r| r.cls)),
    ]);
    figures
}

/// One Lighthouse run on `site`'s page with `setting` (Debian's Chromium), the full report
/// kept in `report`.
async fn lighthouse(site: &str, setting: &Setting, report: &Path) -> Result<Run> {
    let url = format!("{site}/");
    let profile = tempfile::tempdir()?;
    let chrome_flags =
        format!("{} --user-data-dir={}", CHROMIUM_FLAGS.join(" "), profile.path().display());
    let status = tokio::process::Command::new("node")
        .arg(workspace_root().join("node_modules/lighthouse/cli/index.js"))
        .arg(&url)
        .args(["--only-categories=performance,accessibility,best-practices", "--output=json"])
        .args(["--quiet"])
        .args(setting.flags)
        .arg(format!("--output-path={}", report.display()))
        .arg(format!("--chrome-flags={chrome_flags}"))
        .env("CHROME_PATH", CHROMIUM)
        .status()
        .await?;
    if !status.success() {
        return Err(format!("lighthouse failed on {url}: {status}").into());
    }
    let run = Run::read(&serde_json::from_slice(&fs::read(report)?)?)?;
    eprintln!(
        "  {url} ({}): performance {:.0}, LCP {:.2} s, TBT {:.0} ms, CLS {:.3}",
        setting.label, run.performance, run.lcp_s, run.tbt_ms, run.cls
    );
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(performance: f64, lcp_s: f64) -> Run {
        Run {
            performance,
            accessibility: 100.0,
            best_practices: 100.0,
            lcp_s,
            tbt_ms: 0.0,
            cls: 0.0,
        }
    }

    #[test]
    fn one_slow_run_fails_the_floor_but_not_the_median() {
        let game = [run(99.0, 1.0), run(97.0, 1.1), run(89.0, 1.6), run(98.0, 1.0), run(96.0, 1.2)];
        let figures = summarise(&SETTINGS[1], &game, &[run(100.0, 0.5)]);
        let met = |prefix: &str| figures.iter().find(|f| f.name.contains(prefix)).unwrap().met;
        assert_eq!(met("median of 5"), Some(true), "median 97 ≥ 95");
        assert_eq!(met("performance, 8× CPU slowdown: worst run"), Some(false), "89 < 90");
        assert_eq!(met("LCP, 8× CPU slowdown: worst run"), Some(false), "1.6 s > 1.5 s");
        assert_eq!(met("accessibility"), Some(true));
    }
}

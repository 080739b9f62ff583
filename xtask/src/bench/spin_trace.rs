//! The main thread while the reels turn, at Lighthouse's mobile CPU slowdown (4×): the longest
//! task and the frame rate of each spin, from the press until the reels rest, against the same
//! page left idle for as long. A task over 50 ms is a stutter a player sees.

use serde_json::Value;

use super::{Figure, median};
use crate::prerequisites::{CHROMIUM, CHROMIUM_FLAGS, ensure_debian_packages, ensure_npm_packages};
use crate::{Result, serve, site, workspace_root};

/// Spins measured (each followed by an idle window as long).
const SPINS: usize = 5;
/// The longest task the goal allows, in milliseconds (the browser's long-task threshold).
const MAX_TASK_MS: f64 = 50.0;

/// What the page's main thread did over one window.
#[derive(Debug)]
struct Window {
    longest_task_ms: f64,
    frames_per_second: f64,
}

impl Window {
    fn read(value: &Value) -> Result<Window> {
        let number = |name: &str| {
            value[name].as_f64().ok_or_else(|| format!("spin_trace.mjs reported no {name}"))
        };
        Ok(Window {
            longest_task_ms: number("longestTaskMs")?,
            frames_per_second: number("framesPerSecond")?,
        })
    }
}

/// The longest task and the median frame rate over the spins, each against the idle page.
pub(super) fn during_spins(_out: &std::path::Path) -> Result<Vec<Figure>> {
    ensure_debian_packages(&[("chromium", CHROMIUM)])?;
    ensure_npm_packages()?;
    let built = tempfile::tempdir()?;
    site::build_into(built.path())?;
    let runtime = tokio::runtime::Runtime::new()?;
    let report: Value = runtime.block_on(async {
        let any = "127.0.0.1:0".parse()?;
        let game = serve::start(built.path().to_owned(), any, any).await?;
        let script = workspace_root().join("xtask/src/bench/spin_trace.mjs");
        let output = tokio::process::Command::new("node")
            .arg(script)
            .arg(format!("{}/", game.site_url()))
            .arg(CHROMIUM)
            .arg(SPINS.to_string())
            .args(CHROMIUM_FLAGS.iter().filter(|flag| !flag.starts_with("--headless")))
            .current_dir(workspace_root())
            .output()
            .await?;
        if !output.status.success() {
            let why = String::from_utf8_lossy(&output.stderr);
            return Err(format!("spin_trace.mjs failed: {}: {why}", output.status).into());
        }
        Ok::<_, crate::Error>(serde_json::from_slice(&output.stdout)?)
    })?;
    let windows = |name: &str| -> Result<Vec<Window>> {
        let list = report[name].as_array().ok_or(format!("no {name} in the trace"))?;
        list.iter().map(Window::read).collect()
    };
    let (spins, idle) = (windows("spins")?, windows("idle")?);
    for (spin, rest) in spins.iter().zip(&idle) {
        eprintln!(
            "  spin: longest task {:.0} ms, {:.0} frames/s; idle: {:.0} ms, {:.0} frames/s",
            spin.longest_task_ms,
            spin.frames_per_second,
            rest.longest_task_ms,
            rest.frames_per_second
        );
    }
    Ok(summarise(&spins, &idle))
}

fn summarise(spins: &[Window], idle: &[Window]) -> Vec<Figure> {
    let longest =
        |windows: &[Window]| windows.iter().map(|w| w.longest_task_ms).fold(0.0, f64::max);
    let frames = |windows: &[Window]| {
        median(&mut windows.iter().map(|w| w.frames_per_second).collect::<Vec<_>>())
    };
    let baseline = "the idle page, as long";
    let worst = longest(spins);
    vec![
        Figure::new(
            &format!(
                "Longest main-thread task during a spin, 4× CPU slowdown: worst of {}",
                spins.len()
            ),
            worst,
            "ms",
        )
        .against(baseline, longest(idle))
        .target(&format!("≤ {MAX_TASK_MS} ms (goal)"), worst <= MAX_TASK_MS),
        Figure::new(
            &format!("Frame rate during a spin, 4× CPU slowdown: median of {}", spins.len()),
            frames(spins),
            "frames/s",
        )
        .against(baseline, frames(idle)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(longest_task_ms: f64, frames_per_second: f64) -> Window {
        Window { longest_task_ms, frames_per_second }
    }

    #[test]
    fn one_long_task_misses_the_goal_and_frames_are_the_median() {
        let spins = [window(0.0, 58.0), window(73.0, 41.0), window(12.0, 60.0)];
        let idle = [window(0.0, 60.0), window(0.0, 60.0), window(0.0, 59.0)];
        let figures = summarise(&spins, &idle);
        assert_eq!((figures[0].value, figures[0].met), (73.0, Some(false)));
        assert_eq!(figures[1].value, 58.0);
        let calm = [window(0.0, 60.0), window(49.0, 60.0), window(0.0, 60.0)];
        assert_eq!(summarise(&calm, &idle)[0].met, Some(true));
    }

    #[test]
    fn a_report_without_a_figure_is_an_error() {
        assert!(Window::read(&serde_json::json!({ "longestTaskMs": 3.0 })).is_err());
        let read =
            Window::read(&serde_json::json!({ "longestTaskMs": 3.0, "framesPerSecond": 59.5 }));
        assert_eq!(read.unwrap().frames_per_second, 59.5);
    }
}

//! How fast the rules engine settles spins: the divan benchmarks of `spin-game`.

use std::path::Path;

use super::Figure;
use crate::Result;
use crate::toolchain::cargo;

/// Spins per second of one core, against the cost of drawing the stops alone.
pub(super) fn speed(_out: &Path) -> Result<Vec<Figure>> {
    let output = cargo().args(["bench", "--package", "spin-game", "--bench", "engine"]).output()?;
    if !output.status.success() {
        return Err(
            format!("cargo bench failed: {}", String::from_utf8_lossy(&output.stderr)).into()
        );
    }
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    eprint!("{text}");
    let median_ns = |name: &str| -> Result<f64> {
        let line = text
            .lines()
            .find(|l| l.contains(name))
            .ok_or_else(|| format!("no {name} in cargo bench's output"))?;
        // Columns: name │ fastest │ slowest │ median │ mean │ samples │ iters
        let median = line.split('│').nth(3).ok_or("unexpected divan output")?.trim();
        duration_ns(median).ok_or_else(|| format!("cannot read {median:?}").into())
    };
    let (spin, draws) = (median_ns("─ spin")?, median_ns("three_hmacs")?);
    let per_second = |ns: f64| 1e9 / ns / 1e6;
    Ok(vec![
        Figure::new("Engine: spins per second (one core)", per_second(spin), "M/s")
            .against("the 3 HMAC-SHA256s alone", per_second(draws)),
    ])
}

/// divan's `12.3 ns`, `1.2 µs`, in nanoseconds.
fn duration_ns(text: &str) -> Option<f64> {
    let (number, unit) = text.split_once(' ')?;
    let number: f64 = number.parse().ok()?;
    match unit.trim() {
        "ps" => Some(number / 1000.0),
        "ns" => Some(number),
        "µs" | "us" => Some(number * 1e3),
        "ms" => Some(number * 1e6),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_divan_durations() {
        assert_eq!(duration_ns("12.5 ns"), Some(12.5));
        assert_eq!(duration_ns("1.5 µs"), Some(1500.0));
        assert_eq!(duration_ns("2 ms"), Some(2e6));
        assert_eq!(duration_ns("2ms"), None);
    }
}

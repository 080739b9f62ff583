//! `cargo xtask bench`: every figure Spin promises, each measured against a baseline in the
//! same run (absolute times on a shared 2-core machine are noise; ratios are not). Prints a
//! table, writes `target/bench/results.json`, and rewrites the generated part of
//! `BENCHMARKS.md`. One module per thing measured: [`lambda`] (cold start, warm invocations),
//! [`http`] (the local API under load), [`size`] (page weight, Lambda package), [`engine`]
//! (the rules engine) and [`lighthouse`] (the page in a browser).

mod engine;
mod http;
mod lambda;
mod lighthouse;
mod size;
mod spin_trace;

use std::fs;
use std::path::Path;
use std::process::Command;

use serde::Serialize;

use crate::{Result, target_dir, workspace_root};

/// One line of the results.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub baseline_name: String,
    pub baseline: Option<f64>,
    /// `value / baseline`, when there is a baseline.
    pub ratio: Option<f64>,
    pub target: String,
    pub met: Option<bool>,
}

impl Figure {
    fn new(name: &str, value: f64, unit: &str) -> Figure {
        Figure {
            name: name.to_owned(),
            value,
            unit: unit.to_owned(),
            baseline_name: String::new(),
            baseline: None,
            ratio: None,
            target: String::new(),
            met: None,
        }
    }

    fn against(mut self, baseline_name: &str, baseline: f64) -> Figure {
        self.baseline_name = baseline_name.to_owned();
        self.baseline = Some(baseline);
        self.ratio = (baseline > 0.0).then(|| self.value / baseline);
        self
    }

    fn target(mut self, target: &str, met: bool) -> Figure {
        self.target = target.to_owned();
        self.met = Some(met);
        self
    }
}

/// A benchmark: its name for `--only`, and what runs it (building only what it measures)
/// given the folder for its working files.
struct Bench {
    name: &'static str,
    what: &'static str,
    run: fn(&Path) -> Result<Vec<Figure>>,
}

const BENCHES: [Bench; 8] = [
    Bench { name: "cold", what: "Lambda cold start", run: lambda::cold_start },
    Bench { name: "warm", what: "Lambda warm invocations", run: lambda::warm },
    Bench { name: "load", what: "local API under load (wrk)", run: http::throughput },
    Bench { name: "weight", what: "page weight", run: size::page_weight },
    Bench { name: "package", what: "Lambda package size", run: size::package },
    Bench { name: "engine", what: "rules engine (cargo bench -p spin-game)", run: engine::speed },
    Bench { name: "lighthouse", what: "Lighthouse (mobile)", run: lighthouse::scores },
    Bench {
        name: "spin",
        what: "main thread during spins (Chromium, 4× CPU)",
        run: spin_trace::during_spins,
    },
];

/// The benchmarks' names, for `--only`.
pub fn names() -> Vec<&'static str> {
    BENCHES.iter().map(|bench| bench.name).collect()
}

/// Runs the benchmarks named in `only` (all when empty) and reports. Only a full run
/// rewrites BENCHMARKS.md.
pub fn measure(only: &[&str]) -> Result<()> {
    if let Some(unknown) = only.iter().find(|name| !names().contains(name)) {
        return Err(format!("no benchmark {unknown:?}; there are {}", names().join(", ")).into());
    }
    let out = target_dir().join("bench");
    fs::create_dir_all(&out)?;
    let mut figures = Vec::new();
    for bench in BENCHES.iter().filter(|bench| only.is_empty() || only.contains(&bench.name)) {
        eprintln!("== {}", bench.what);
        figures.extend((bench.run)(&out)?);
    }

    let machine = machine();
    let date = today();
    let table = render(&figures, &machine, &date);
    println!("\n{table}");
    if only.is_empty() {
        let results = serde_json::json!({ "date": date, "machine": machine, "figures": figures });
        fs::write(out.join("results.json"), serde_json::to_vec_pretty(&results)?)?;
        write_benchmarks_md(&table)?;
    }
    Ok(())
}

fn median(values: &mut [f64]) -> f64 {
    percentile(values, 50.0)
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * (values.len() - 1) as f64).round() as usize;
    values[rank.min(values.len() - 1)]
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    format!("{cores} cores, {cpu}")
}

fn today() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn format_value(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// The results as a Markdown table.
fn render(figures: &[Figure], machine: &str, date: &str) -> String {
    let mut table = format!(
        "Measured {date} with `cargo xtask bench` on {machine}.\n\n\
         | figure | value | baseline (same run) | ratio | target | met |\n\
         | --- | ---: | --- | ---: | --- | :---: |\n"
    );
    for f in figures {
        let baseline = match f.baseline {
            Some(b) => format!("{} {} ({})", format_value(b), f.unit, f.baseline_name),
            None => "—".to_owned(),
        };
        let ratio = f.ratio.map_or("—".to_owned(), |r| format!("{r:.2}×"));
        let met = match f.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        table.push_str(&format!(
            "| {} | {} {} | {} | {} | {} | {} |\n",
            f.name,
            format_value(f.value),
            f.unit,
            baseline,
            ratio,
            f.target,
            met
        ));
    }
    table
}

const START: &str = "<!-- bench:start (generated by cargo xtask bench) -->";
const END: &str = "<!-- bench:end -->";

/// Replaces the generated table in BENCHMARKS.md, keeping the prose around it.
fn write_benchmarks_md(table: &str) -> Result<()> {
    let path = workspace_root().join("BENCHMARKS.md");
    let text =
        fs::read_to_string(&path).unwrap_or_else(|_| format!("# Benchmarks\n\n{START}\n{END}\n"));
    let (before, rest) =
        text.split_once(START).ok_or("BENCHMARKS.md lacks the bench:start marker")?;
    let (_, after) = rest.split_once(END).ok_or("BENCHMARKS.md lacks the bench:end marker")?;
    fs::write(path, format!("{before}{START}\n{table}{END}{after}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_by_rank() {
        let mut values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(median(&mut values), 51.0);
        assert_eq!(percentile(&mut values, 99.0), 99.0);
    }

    #[test]
    fn a_missed_target_says_no() {
        let figures = [
            Figure::new("fast", 1.0, "ms").against("bare", 2.0).target("≤ 1.5× baseline", true),
            Figure::new("slow", 4.0, "ms").against("bare", 2.0).target("≤ 1.5× baseline", false),
        ];
        let table = render(&figures, "2 cores", "2026-01-01");
        let row =
            |name: &str| table.lines().find(|l| l.starts_with(&format!("| {name} "))).unwrap();
        assert!(row("fast").ends_with("| yes |") && row("fast").contains("0.50×"), "{table}");
        assert!(row("slow").ends_with("| **no** |") && row("slow").contains("2.00×"), "{table}");
    }
}

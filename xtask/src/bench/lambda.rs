//! The function as Lambda runs it: the release `spin-lambda` under the project's Runtime API
//! emulator, against a bare `lambda_runtime` function built the same way
//! (`lambda-emulator/examples/hello_lambda.rs`). Both builds are measured: the static musl
//! executable Lambda runs, and a plain host `cargo build --release -p spin-lambda`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use lambda_emulator::{Emulator, Outcome};

use super::{Figure, median, percentile};
use crate::lambda::{self, Arch};
use crate::{Result, workspace_root};

/// The ratio to the bare runtime that cold start and warm p50 may reach.
const MAX_RATIO: f64 = 1.25;
/// Each figure is the median of this many runs, alternating the two functions.
const RUNS: usize = 3;
const COLD_STARTS: usize = 15;
const WARM_INVOCATIONS: usize = 2000;
const WARM_UP: usize = 100;
/// The CPU the functions run on, so the emulator and the function do not trade places on
/// the two cores from one run to the next.
const FUNCTION_CPU: &str = "1";

/// A way of building both functions: the one Lambda runs, and a plain host build.
#[derive(Clone, Copy)]
enum Build {
    /// Static musl for this machine's architecture (Lambda's x86_64).
    Lambda,
    /// `cargo build --release` for the host (glibc).
    Host,
}

impl Build {
    const ALL: [Build; 2] = [Build::Lambda, Build::Host];

    fn arch(self) -> Option<Arch> {
        match self {
            Build::Lambda => Some(Arch::X86_64),
            Build::Host => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Build::Lambda => "musl, as Lambda runs it",
            Build::Host => "host build",
        }
    }
}

/// The release `spin-lambda` and the bare baseline, for `arch` (the host with `None`).
pub(super) fn build_both(arch: Option<Arch>) -> Result<(PathBuf, PathBuf)> {
    let spin = lambda::build_binary(arch, &["--package", "spin-lambda"], "spin-lambda")?;
    let hello = lambda::build_binary(
        arch,
        &["--package", "lambda-emulator", "--example", "hello_lambda"],
        "examples/hello_lambda",
    )?;
    Ok((spin, hello))
}

/// Spawn to first `/next` poll: for each build, the median over [`RUNS`] of the median of
/// [`COLD_STARTS`] fresh processes.
pub(super) fn cold_start(_out: &Path) -> Result<Vec<Figure>> {
    let runtime = tokio::runtime::Runtime::new()?;
    let mut figures = Vec::new();
    for build in Build::ALL {
        let (spin, hello) = build_both(build.arch())?;
        let origin = site_origin(&fixture_event()?)?;
        let (mut spins, mut hellos) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let (mut run_spins, mut run_hellos) = (Vec::new(), Vec::new());
            for _ in 0..COLD_STARTS {
                run_spins.push(runtime.block_on(one_cold_start(&spin, &origin))?);
                run_hellos.push(runtime.block_on(one_cold_start(&hello, &origin))?);
            }
            spins.push(median(&mut run_spins));
            hellos.push(median(&mut run_hellos));
        }
        let (value, baseline) = (median(&mut spins), median(&mut hellos));
        let name = format!("Lambda cold start, spawn to first /next ({})", build.label());
        figures.push(
            Figure::new(&name, value, "ms")
                .against("bare lambda_runtime", baseline)
                .target(&format!("≤ {MAX_RATIO}× baseline"), value <= MAX_RATIO * baseline),
        );
    }
    Ok(figures)
}

/// Per-invocation latency over [`WARM_INVOCATIONS`] HTTP API events after a warm-up: for each
/// build, the median over [`RUNS`] of each run's p50 and p99.
pub(super) fn warm(_out: &Path) -> Result<Vec<Figure>> {
    let event = fixture_event()?;
    let origin = site_origin(&event)?;
    let runtime = tokio::runtime::Runtime::new()?;
    let mut figures = Vec::new();
    for build in Build::ALL {
        let (spin, hello) = build_both(build.arch())?;
        let [mut spin50, mut spin99, mut hello50, mut hello99] = [(); 4].map(|()| Vec::new());
        for _ in 0..RUNS {
            let mut spins = runtime.block_on(warm_latencies(&spin, &event, &origin))?;
            let mut hellos = runtime.block_on(warm_latencies(&hello, &event, &origin))?;
            spin50.push(median(&mut spins));
            spin99.push(percentile(&mut spins, 99.0));
            hello50.push(median(&mut hellos));
            hello99.push(percentile(&mut hellos, 99.0));
        }
        let (p50, base50) = (median(&mut spin50), median(&mut hello50));
        let (p99, base99) = (median(&mut spin99), median(&mut hello99));
        let label = build.label();
        figures.push(
            Figure::new(&format!("Lambda warm spin p50 ({label})"), p50, "µs")
                .against("bare lambda_runtime", base50)
                .target(&format!("≤ {MAX_RATIO}× baseline"), p50 <= MAX_RATIO * base50),
        );
        figures.push(
            Figure::new(&format!("Lambda warm spin p99 ({label})"), p99, "µs")
                .against("bare lambda_runtime", base99),
        );
    }
    Ok(figures)
}

/// The tests' HTTP API event (`POST /spin` from the example site), which every warm
/// invocation sends.
fn fixture_event() -> Result<serde_json::Value> {
    let path = workspace_root().join("tests/fixtures/events/http-api-v2-default.json");
    Ok(serde_json::from_str(&fs::read_to_string(path)?)?)
}

/// The site origin the fixture event comes from, which the function must allow.
fn site_origin(event: &serde_json::Value) -> Result<String> {
    let origin = event["headers"]["origin"].as_str().ok_or("the fixture event has no origin")?;
    Ok(origin.to_owned())
}

/// Starts `binary` under `emulator` as Lambda would, allowing `origin`, pinned to
/// [`FUNCTION_CPU`], its output discarded.
fn start_function(
    emulator: &Emulator,
    binary: &Path,
    origin: &str,
) -> Result<tokio::process::Child> {
    let mut command = emulator.command("taskset");
    command
        .args(["--cpu-list", FUNCTION_CPU])
        .arg(binary)
        .env("ALLOWED_ORIGINS", origin)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    Ok(command.spawn()?)
}

/// Spawns `binary` as Lambda would and returns the time (ms) until it first asks for an event.
async fn one_cold_start(binary: &Path, origin: &str) -> Result<f64> {
    let emulator = Emulator::start().await?;
    let started = Instant::now();
    let mut child = start_function(&emulator, binary, origin)?;
    let polled = tokio::time::timeout(Duration::from_secs(10), emulator.polled()).await?;
    let _ = child.kill().await;
    Ok(polled.duration_since(started).as_secs_f64() * 1000.0)
}

/// Per-invocation latencies (µs) of `binary` on `event`, after a warm-up.
async fn warm_latencies(
    binary: &Path,
    event: &serde_json::Value,
    origin: &str,
) -> Result<Vec<f64>> {
    let emulator = Emulator::start().await?;
    let mut child = start_function(&emulator, binary, origin)?;
    let mut latencies = Vec::with_capacity(WARM_INVOCATIONS);
    for i in 0..WARM_UP + WARM_INVOCATIONS {
        let invocation = tokio::time::timeout(Duration::from_secs(10), emulator.invoke(event))
            .await?
            .ok_or("the emulator stopped")?;
        if let Outcome::Error { body, .. } = &invocation.outcome {
            return Err(format!("{} failed an invocation: {body}", binary.display()).into());
        }
        if i >= WARM_UP {
            latencies.push(invocation.latency.as_secs_f64() * 1e6);
        }
    }
    let _ = child.kill().await;
    Ok(latencies)
}

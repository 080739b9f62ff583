//! The function as Lambda runs it: the release musl `spin-lambda` under the project's Runtime
//! API emulator, against a bare `lambda_runtime` function built the same way
//! (`lambda-emulator/examples/hello_lambda.rs`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use lambda_emulator::{Emulator, Outcome};

use super::{Figure, median, percentile};
use crate::lambda::{self, Arch};
use crate::{Result, workspace_root};

/// The architecture both functions are built for here: this machine's, statically linked,
/// as Lambda runs it.
const HOST: Arch = Arch::X86_64;
const COLD_STARTS: usize = 15;
const WARM_INVOCATIONS: usize = 2000;
const WARM_UP: usize = 100;

/// The release `spin-lambda` and the bare baseline, for `arch`.
pub(super) fn build_both(arch: Arch) -> Result<(PathBuf, PathBuf)> {
    let spin = lambda::build(arch)?;
    let hello = lambda::build_binary(
        arch,
        &["--package", "lambda-emulator", "--example", "hello_lambda"],
        "examples/hello_lambda",
    )?;
    Ok((spin, hello))
}

/// Median time from spawning each binary to its first `/next` poll, alternating the two.
pub(super) fn cold_start(_out: &Path) -> Result<Vec<Figure>> {
    let (spin, hello) = build_both(HOST)?;
    let origin = site_origin(&fixture_event()?)?;
    let (mut spins, mut hellos) = (Vec::new(), Vec::new());
    let runtime = tokio::runtime::Runtime::new()?;
    for _ in 0..COLD_STARTS {
        spins.push(runtime.block_on(one_cold_start(&spin, &origin))?);
        hellos.push(runtime.block_on(one_cold_start(&hello, &origin))?);
    }
    let (value, baseline) = (median(&mut spins), median(&mut hellos));
    Ok(vec![
        Figure::new("Lambda cold start: spawn to first /next (median)", value, "ms")
            .against("bare lambda_runtime", baseline)
            .target("≤ 1.5× baseline", value <= 1.5 * baseline),
    ])
}

/// p50 and p99 per-invocation latency over many HTTP API events, after a warm-up.
pub(super) fn warm(_out: &Path) -> Result<Vec<Figure>> {
    let (spin, hello) = build_both(HOST)?;
    let event = fixture_event()?;
    let runtime = tokio::runtime::Runtime::new()?;
    let mut spins = runtime.block_on(warm_latencies(&spin, &event))?;
    let mut hellos = runtime.block_on(warm_latencies(&hello, &event))?;
    let (p50, base50) = (median(&mut spins), median(&mut hellos));
    let (p99, base99) = (percentile(&mut spins, 99.0), percentile(&mut hellos, 99.0));
    Ok(vec![
        Figure::new("Lambda warm spin, event out to response in (p50)", p50, "µs")
            .against("bare lambda_runtime", base50)
            .target("≤ 1.5× baseline", p50 <= 1.5 * base50),
        Figure::new("Lambda warm spin (p99)", p99, "µs").against("bare lambda_runtime", base99),
    ])
}

/// The tests' HTTP API event (`POST /spin` from the example site), which every warm
/// invocation sends.
fn fixture_event() -> Result<serde_json::Value> {
    let path = workspace_root().join("tests/fixtures/events/http-api-v2-default.json");
    Ok(serde_json::from_str(&fs::read_to_string(path)?)?)
}

/// The site origin `event` comes from, which the function must allow as in production.
fn site_origin(event: &serde_json::Value) -> Result<String> {
    let origin = event["headers"]["origin"].as_str().ok_or("the fixture event has no origin")?;
    Ok(origin.to_owned())
}

/// Starts `binary` under `emulator` as Lambda would, allowing `origin`, its output discarded.
fn start_function(
    emulator: &Emulator,
    binary: &Path,
    origin: &str,
) -> Result<tokio::process::Child> {
    let mut command = emulator.command(binary);
    command.env("ALLOWED_ORIGINS", origin).stdout(Stdio::null()).stderr(Stdio::null());
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
async fn warm_latencies(binary: &Path, event: &serde_json::Value) -> Result<Vec<f64>> {
    let emulator = Emulator::start().await?;
    let mut child = start_function(&emulator, binary, &site_origin(event)?)?;
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

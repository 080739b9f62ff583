//! `cargo xtask bench`: every figure Spin promises, each measured against a baseline in the
//! same run (absolute times on a shared 2-core machine are noise; ratios are not). Prints a
//! table, writes `target/bench/results.json`, and rewrites the generated part of
//! `BENCHMARKS.md`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lambda_emulator::{Emulator, Outcome};
use serde::Serialize;

use crate::dist::{self, Arch};
use crate::setup::ensure_debian_packages;
use crate::toolchain::{cargo, ensure_targets, run};
use crate::{Result, serve, site, target_dir, workspace_root};

/// The host the Lambda binaries are built for here (Lambda's x86_64, statically linked).
const HOST_LAMBDA: Arch = Arch::X86_64;
const COLD_STARTS: usize = 15;
const WARM_INVOCATIONS: usize = 2000;
const WARM_UP: usize = 100;
const LOAD_CONNECTIONS: u32 = 64;
const LOAD_SECONDS: u32 = 5;

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

/// The benchmarks by name, for `cargo xtask bench --only NAME,...`.
pub const NAMES: [&str; 7] = ["cold", "warm", "load", "weight", "package", "engine", "lighthouse"];

/// Runs the benchmarks named in `only` (all when empty) and reports. Only a full run
/// rewrites BENCHMARKS.md.
pub fn measure(only: &[&str]) -> Result<()> {
    if let Some(unknown) = only.iter().find(|name| !NAMES.contains(name)) {
        return Err(format!("no benchmark {unknown:?}; there are {}", NAMES.join(", ")).into());
    }
    let wanted = |name: &str| only.is_empty() || only.contains(&name);
    ensure_targets(&[HOST_LAMBDA.target(), Arch::Arm64.target(), site::WASM_TARGET])?;
    ensure_debian_packages(&[("wrk", "/usr/bin/wrk"), ("chromium", "/usr/bin/chromium")])?;
    crate::setup::ensure_npm_packages()?;
    let out = target_dir().join("bench");
    fs::create_dir_all(&out)?;

    eprintln!("== building release binaries");
    let spin_lambda = dist::build_lambda(HOST_LAMBDA)?;
    let hello_lambda =
        build_example("lambda-emulator", "hello_lambda", Some(HOST_LAMBDA.target()))?;
    let serve_api = build_example("spin-api", "serve_api", None)?;
    let hello_http = build_example("spin-api", "hello_http", None)?;
    let dist = dist::build(Arch::Arm64)?;

    let mut figures = Vec::new();
    let runtime = tokio::runtime::Runtime::new()?;
    if wanted("cold") {
        eprintln!("== Lambda cold start ({COLD_STARTS} fresh processes each)");
        figures.push(runtime.block_on(cold_start(&spin_lambda, &hello_lambda))?);
    }
    if wanted("warm") {
        eprintln!("== Lambda warm invocations ({WARM_INVOCATIONS} each)");
        figures.extend(runtime.block_on(warm(&spin_lambda, &hello_lambda))?);
    }
    if wanted("load") {
        eprintln!("== local API under load (wrk, {LOAD_CONNECTIONS} connections)");
        figures.extend(throughput(&serve_api, &hello_http, &out)?);
    }
    if wanted("weight") {
        eprintln!("== page weight");
        figures.extend(page_weight(&dist.site)?);
    }
    if wanted("package") {
        eprintln!("== Lambda package size");
        figures.push(package_size(&dist.lambda_zip, &hello_lambda, &out)?);
    }
    if wanted("engine") {
        eprintln!("== engine (cargo bench -p spin-game)");
        figures.push(engine()?);
    }
    if wanted("lighthouse") {
        eprintln!("== Lighthouse (mobile)");
        figures.extend(runtime.block_on(lighthouse(&out))?);
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

fn build_example(package: &str, example: &str, target: Option<&str>) -> Result<PathBuf> {
    let mut command = cargo();
    command.args(["build", "--release", "--package", package, "--example", example]);
    let mut dir = target_dir();
    if let Some(target) = target {
        command.args(["--target", target]);
        dir = dir.join(target);
    }
    run(&mut command)?;
    Ok(dir.join("release/examples").join(example))
}

fn median(values: &mut [f64]) -> f64 {
    percentile(values, 50.0)
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * (values.len() - 1) as f64).round() as usize;
    values[rank.min(values.len() - 1)]
}

/// Starts `binary` under `emulator` as Lambda would, its output discarded.
fn start_function(emulator: &Emulator, binary: &Path) -> Result<tokio::process::Child> {
    let mut command = emulator.command(binary);
    command
        .env("ALLOWED_ORIGINS", "https://spin.example.com")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    Ok(command.spawn()?)
}

/// Spawns `binary` as Lambda would and returns the time until it first asks for an event.
async fn one_cold_start(binary: &Path) -> Result<f64> {
    let emulator = Emulator::start().await?;
    let started = Instant::now();
    let mut child = start_function(&emulator, binary)?;
    let polled = tokio::time::timeout(Duration::from_secs(10), emulator.polled()).await?;
    let _ = child.kill().await;
    Ok(polled.duration_since(started).as_secs_f64() * 1000.0)
}

async fn cold_start(spin: &Path, hello: &Path) -> Result<Figure> {
    let (mut spins, mut hellos) = (Vec::new(), Vec::new());
    // Alternate, so both see the same machine load.
    for _ in 0..COLD_STARTS {
        spins.push(one_cold_start(spin).await?);
        hellos.push(one_cold_start(hello).await?);
    }
    let (value, baseline) = (median(&mut spins), median(&mut hellos));
    Ok(Figure::new("Lambda cold start: spawn to first /next (median)", value, "ms")
        .against("bare lambda_runtime", baseline)
        .target("≤ 1.5× baseline", value <= 1.5 * baseline))
}

/// Per-invocation latencies (µs) of `binary` on `event`, after a warm-up.
async fn warm_latencies(binary: &Path, event: &serde_json::Value) -> Result<Vec<f64>> {
    let emulator = Emulator::start().await?;
    let mut child = start_function(&emulator, binary)?;
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

async fn warm(spin: &Path, hello: &Path) -> Result<Vec<Figure>> {
    let event_path = workspace_root().join("tests/fixtures/events/http-api-v2-default.json");
    let event: serde_json::Value = serde_json::from_str(&fs::read_to_string(event_path)?)?;
    let mut spins = warm_latencies(spin, &event).await?;
    let mut hellos = warm_latencies(hello, &event).await?;
    let (p50, base50) = (median(&mut spins), median(&mut hellos));
    let (p99, base99) = (percentile(&mut spins, 99.0), percentile(&mut hellos, 99.0));
    Ok(vec![
        Figure::new("Lambda warm spin, event out to response in (p50)", p50, "µs")
            .against("bare lambda_runtime", base50)
            .target("≤ 1.5× baseline", p50 <= 1.5 * base50),
        Figure::new("Lambda warm spin (p99)", p99, "µs").against("bare lambda_runtime", base99),
    ])
}

/// Requests per second and p99 latency (ms) of `wrk` against `server`'s `POST /spin`.
fn load(server: &Path, script: &Path) -> Result<(f64, f64)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = format!("127.0.0.1:{port}");
    let mut child =
        Command::new(server).arg(&addr).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    let started = Instant::now();
    while std::net::TcpStream::connect(&addr).is_err() {
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            return Err(format!("{} did not listen on {addr}", server.display()).into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{LOAD_CONNECTIONS}"),
            &format!("-d{LOAD_SECONDS}s"),
            "--latency",
            "-s",
        ])
        .arg(script)
        .arg(format!("http://{addr}/spin"))
        .output();
    let _ = child.kill();
    let _ = child.wait();
    let text = String::from_utf8_lossy(&output?.stdout).into_owned();
    let requests = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no Requests/sec in wrk's output:\n{text}"))?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .and_then(|v| duration_ms(v.trim()))
        .ok_or_else(|| format!("no 99% latency in wrk's output:\n{text}"))?;
    if let Some(errors) =
        text.lines().find(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
    {
        return Err(format!("errors under load: {errors}").into());
    }
    Ok((requests, p99))
}

/// wrk's `1.23ms`, `456.00us`, `1.01s`, in milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    match unit {
        "us" => Some(number / 1000.0),
        "ms" => Some(number),
        "s" => Some(number * 1000.0),
        _ => None,
    }
}

fn throughput(spin: &Path, hello: &Path, out: &Path) -> Result<Vec<Figure>> {
    let script = out.join("post-spin.lua");
    fs::write(
        &script,
        "wrk.method = \"POST\"\nwrk.body = '{\"bet\": 1}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n",
    )?;
    // Two rounds, alternating, averaged.
    let (mut spin_rps, mut spin_p99, mut hello_rps, mut hello_p99) = (0.0, 0.0, 0.0, 0.0);
    for _ in 0..2 {
        let (rps, p99) = load(hello, &script)?;
        hello_rps += rps / 2.0;
        hello_p99 += p99 / 2.0;
        let (rps, p99) = load(spin, &script)?;
        spin_rps += rps / 2.0;
        spin_p99 += p99 / 2.0;
    }
    Ok(vec![
        Figure::new("Local API POST /spin throughput", spin_rps, "req/s")
            .against("bare axum hello", hello_rps)
            .target("≥ 0.8× baseline", spin_rps >= 0.8 * hello_rps),
        Figure::new("Local API POST /spin latency (p99)", spin_p99, "ms")
            .against("bare axum hello", hello_p99),
    ])
}

/// The bytes of `data` compressed as a CDN would send them.
fn gzip_len(data: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    Ok(encoder.finish()?.len())
}

fn brotli_len(data: &[u8]) -> Result<usize> {
    let mut compressed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &data[..], &mut compressed, &params)?;
    Ok(compressed.len())
}

/// Raw, gzip and brotli sizes (kB) of everything a first visit downloads.
fn page_weight(dist_site: &Path) -> Result<Vec<Figure>> {
    let site = tempfile::tempdir()?;
    site::copy_dir(dist_site, site.path())?;
    site::write_config(site.path(), "https://abc123.execute-api.us-east-1.amazonaws.com")?;
    let (mut raw, mut gzip, mut brotli) = (0, 0, 0);
    let (mut wasm_raw, mut wasm_brotli) = (0, 0);
    for file in dist::manifest(site.path())? {
        let bytes = fs::read(site.path().join(&file.path))?;
        let (g, b) = (gzip_len(&bytes)?, brotli_len(&bytes)?);
        raw += bytes.len();
        gzip += g;
        brotli += b;
        if file.path.ends_with(".wasm") {
            (wasm_raw, wasm_brotli) = (bytes.len(), b);
        }
    }
    let kb = |bytes: usize| bytes as f64 / 1000.0;
    const REFERENCE: f64 = 57.0; // js-framework-benchmark's Yew entry, brotli, for scale
    Ok(vec![
        Figure::new("Page weight, first load, brotli", kb(brotli), "kB")
            .against("Yew in js-framework-benchmark (published)", REFERENCE)
            .target("≤ 120 kB", kb(brotli) <= 120.0),
        Figure::new("Page weight, first load, gzip", kb(gzip), "kB"),
        Figure::new("Page weight, first load, raw", kb(raw), "kB"),
        Figure::new("wasm module, brotli", kb(wasm_brotli), "kB"),
        Figure::new("wasm module, raw", kb(wasm_raw), "kB"),
    ])
}

fn package_size(zip: &Path, hello_lambda: &Path, out: &Path) -> Result<Figure> {
    let baseline_zip = out.join("hello-bootstrap.zip");
    dist::package_lambda(hello_lambda, &baseline_zip)?;
    let mb = |path: &Path| -> Result<f64> { Ok(fs::metadata(path)?.len() as f64 / 1e6) };
    let (value, baseline) = (mb(zip)?, mb(&baseline_zip)?);
    Ok(Figure::new("Lambda package bootstrap.zip (arm64)", value, "MB")
        .against("bare lambda_runtime zip (x86_64)", baseline)
        .target("≤ 2 MB", value <= 2.0))
}

/// Runs the divan benchmarks and reads their medians (ns).
fn engine() -> Result<Figure> {
    let output = cargo().args(["bench", "--package", "spin-game", "--bench", "spin"]).output()?;
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
    let (spin, draws) = (median_ns("─ spin")?, median_ns("draw_three_stops")?);
    let per_second = |ns: f64| 1e9 / ns / 1e6;
    Ok(Figure::new("Engine: spins per second (one core)", per_second(spin), "M/s")
        .against("3 CSPRNG draws alone", per_second(draws)))
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

/// A static page of the same shell with no game, as Lighthouse's baseline.
const BASELINE_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Baseline</title>\
    <meta name=\"description\" content=\"A static page\"></head><body><main><h1>Hello</h1>\
    <p>A static page served the same way.</p></main></body></html>";

async fn lighthouse(out: &Path) -> Result<Vec<Figure>> {
    let game_site = tempfile::tempdir()?;
    site::copy_dir(&site::build()?, game_site.path())?;
    let any = "127.0.0.1:0".parse()?;
    let game = serve::start(game_site.path().to_owned(), any, any).await?;
    let plain_site = tempfile::tempdir()?;
    fs::write(plain_site.path().join("index.html"), BASELINE_PAGE)?;
    let plain = serve::start(plain_site.path().to_owned(), any, any).await?;

    let game_scores =
        lighthouse_scores(&format!("{}/", game.site_url()), &out.join("lighthouse.json")).await?;
    let plain_scores =
        lighthouse_scores(&format!("{}/", plain.site_url()), &out.join("lighthouse-baseline.json"))
            .await?;
    let names = [("performance", 95.0), ("accessibility", 100.0), ("best-practices", 100.0)];
    Ok(names
        .iter()
        .zip(game_scores.iter().zip(plain_scores))
        .map(|((name, target), (&score, baseline))| {
            Figure::new(&format!("Lighthouse mobile: {name}"), score, "/100")
                .against("static page, same server", baseline)
                .target(&format!("≥ {target}"), score >= *target)
        })
        .collect())
}

/// Performance, accessibility and best-practices scores of `url` (Lighthouse's default mobile
/// profile, Debian's Chromium).
async fn lighthouse_scores(url: &str, report: &Path) -> Result<Vec<f64>> {
    let profile = tempfile::tempdir()?;
    let flags = format!(
        "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
         --disable-background-networking --disable-component-update --disable-sync \
         --user-data-dir={}",
        profile.path().display()
    );
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
        .env("CHROME_PATH", "/usr/bin/chromium")
        .status()
        .await?;
    if !status.success() {
        return Err(format!("lighthouse failed on {url}: {status}").into());
    }
    let result: serde_json::Value = serde_json::from_slice(&fs::read(report)?)?;
    ["performance", "accessibility", "best-practices"]
        .iter()
        .map(|category| {
            result["categories"][category]["score"]
                .as_f64()
                .map(|score| (score * 100.0).round())
                .ok_or_else(|| format!("lighthouse reported no {category} score").into())
        })
        .collect()
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
    fn reads_wrk_and_divan_durations() {
        assert_eq!(duration_ms("1.50ms"), Some(1.5));
        assert_eq!(duration_ms("250.00us"), Some(0.25));
        assert_eq!(duration_ms("1.01s"), Some(1010.0));
        assert_eq!(duration_ns("12.5 ns"), Some(12.5));
        assert_eq!(duration_ns("1.5 µs"), Some(1500.0));
    }

    #[test]
    fn percentiles_pick_by_rank() {
        let mut values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(median(&mut values), 51.0);
        assert_eq!(percentile(&mut values, 99.0), 99.0);
    }
}

//! The local API under load: `wrk` against the release API server `cargo xtask serve` runs
//! (`api/examples/serve_api.rs`) and against a bare axum "hello" on the same route
//! (`api/examples/hello_http.rs`), alternating, on loopback.

use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Figure;
use crate::prerequisites::ensure_debian_packages;
use crate::toolchain::{cargo, run};
use crate::{Result, free_port, target_dir};

const CONNECTIONS: u32 = 64;
const SECONDS: u32 = 5;
const ROUNDS: usize = 2;

/// Requests per second and p99 latency of both servers, averaged over alternating rounds.
pub(super) fn throughput(out: &Path) -> Result<Vec<Figure>> {
    ensure_debian_packages(&[("wrk", "/usr/bin/wrk")])?;
    let spin = build_example("serve_api")?;
    let hello = build_example("hello_http")?;
    let script = out.join("post-spin.lua");
    fs::write(
        &script,
        "wrk.method = \"POST\"\nwrk.body = '{\"bet\": 1}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n",
    )?;
    let (mut spin_rps, mut spin_p99, mut hello_rps, mut hello_p99) = (0.0, 0.0, 0.0, 0.0);
    let share = 1.0 / ROUNDS as f64;
    for _ in 0..ROUNDS {
        let (rps, p99) = load(&hello, &script)?;
        hello_rps += rps * share;
        hello_p99 += p99 * share;
        let (rps, p99) = load(&spin, &script)?;
        spin_rps += rps * share;
        spin_p99 += p99 * share;
    }
    Ok(vec![
        Figure::new("Local API POST /spin throughput", spin_rps, "req/s")
            .against("bare axum hello", hello_rps)
            .target("≥ 0.8× baseline", spin_rps >= 0.8 * hello_rps),
        Figure::new("Local API POST /spin latency (p99)", spin_p99, "ms")
            .against("bare axum hello", hello_p99),
    ])
}

/// A release build of one of `spin-api`'s example servers.
fn build_example(example: &str) -> Result<PathBuf> {
    run(cargo().args(["build", "--release", "--package", "spin-api", "--example", example]))?;
    Ok(target_dir().join("release/examples").join(example))
}

/// Requests per second and p99 latency (ms) of `wrk` against `server`'s `POST /spin`.
fn load(server: &Path, script: &Path) -> Result<(f64, f64)> {
    let addr = format!("127.0.0.1:{}", free_port()?);
    let mut child =
        Command::new(server).arg(&addr).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    let started = Instant::now();
    while TcpStream::connect(&addr).is_err() {
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            return Err(format!("{} did not listen on {addr}", server.display()).into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{CONNECTIONS}"), &format!("-d{SECONDS}s"), "--latency", "-s"])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_durations() {
        assert_eq!(duration_ms("1.50ms"), Some(1.5));
        assert_eq!(duration_ms("250.00us"), Some(0.25));
        assert_eq!(duration_ms("1.01s"), Some(1010.0));
        assert_eq!(duration_ms("3.2m"), None);
    }
}

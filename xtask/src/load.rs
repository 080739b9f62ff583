//! `cargo xtask load`: `POST /spin` at a steady rate against any deployment (or a local API
//! it starts itself), bounded in count and time, and what came back: requests, errors by
//! status, throughput, latency percentiles, the observed return to player and the
//! chi-squared test of the stops.
//!
//! The client is `ureq`: blocking, one connection per worker thread, HTTPS through rustls
//! with the `ring` provider and webpki's root certificates, so it needs no system OpenSSL and
//! compiles in a fraction of what an async client with its TLS stack would add to `xtask`
//! (which every cold `cargo xtask serve` builds). Latencies go into an HDR histogram
//! (`hdrhistogram`, without its serialisation features), exact to three significant digits.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use spin_game::{STRIPS, SpinResponse, return_to_player};
use spin_tests::stats::{Uniformity, uniformity};

use crate::Result;

/// The most requests one run may send, whatever the rate and duration.
pub const MAX_REQUESTS: u64 = 1_000_000;
/// The longest run.
pub const MAX_DURATION: Duration = Duration::from_secs(3600);
/// How long one request may take before it counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The request every spin sends.
const BODY: &str = r#"{"bet": 1}"#;

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The API's base URL (`https://abc123.execute-api.eu-west-1.amazonaws.com`); `None`
    /// starts the local API on a free loopback port and stops it afterwards.
    pub url: Option<String>,
    /// Requests per second, spread evenly.
    pub rate: u32,
    /// How long to send for.
    pub duration: Duration,
    /// Connections (and threads) sending at once.
    pub concurrency: usize,
}

impl Default for Options {
    /// Ten seconds at 20 requests a second over 4 connections: well inside the deployed
    /// stage's throttling (50 requests a second) and cheap on an AWS bill.
    fn default() -> Options {
        Options { url: None, rate: 20, duration: Duration::from_secs(10), concurrency: 4 }
    }
}

impl Options {
    /// The requests this run plans to send: `rate × duration`, at most [`MAX_REQUESTS`].
    pub fn planned(&self) -> u64 {
        ((f64::from(self.rate) * self.duration.as_secs_f64()).round() as u64).min(MAX_REQUESTS)
    }

    fn check(&self) -> Result<()> {
        if self.rate == 0 || self.concurrency == 0 || self.duration.is_zero() {
            return Err("--rate, --duration and --concurrency must be more than 0".into());
        }
        if self.duration > MAX_DURATION {
            return Err(format!("--duration is at most {} s", MAX_DURATION.as_secs()).into());
        }
        if self.concurrency > 1000 {
            return Err("--concurrency is at most 1000".into());
        }
        Ok(())
    }
}

/// What a run measured.
pub struct Report {
    pub url: String,
    pub planned: u64,
    /// Requests sent (and answered or failed).
    pub requests: u64,
    /// Failed requests by kind: `HTTP 429`, `invalid answer`, `transport`, …
    pub errors: BTreeMap<String, u64>,
    pub elapsed: Duration,
    /// Latency of every request, answered or not, in microseconds.
    pub latency_us: Histogram<u64>,
    pub credits_bet: u64,
    pub credits_paid: u64,
    /// How often each stop of each reel landed on the pay line.
    pub stops: Vec<Vec<u64>>,
}

impl Report {
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    /// Requests per second over the whole run.
    pub fn throughput(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Credits paid per credit bet over the valid spins.
    pub fn rtp(&self) -> f64 {
        self.credits_paid as f64 / self.credits_bet.max(1) as f64
    }

    /// Pearson's chi-squared test that every stop came up equally often.
    pub fn stops_uniformity(&self) -> Uniformity {
        uniformity(&self.stops)
    }

    /// The latency at percentile `p` (0 to 100), in milliseconds.
    pub fn latency_ms(&self, p: f64) -> f64 {
        self.latency_us.value_at_quantile(p / 100.0) as f64 / 1000.0
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spins = self.requests - self.error_count();
        writeln!(f, "target      POST {}/spin", self.url)?;
        writeln!(
            f,
            "requests    {} of {} planned in {:.1} s: {:.1} per second",
            self.requests,
            self.planned,
            self.elapsed.as_secs_f64(),
            self.throughput()
        )?;
        if self.errors.is_empty() {
            writeln!(f, "errors      none")?;
        } else {
            let kinds: Vec<String> =
                self.errors.iter().map(|(kind, count)| format!("{kind}: {count}")).collect();
            writeln!(f, "errors      {} ({})", self.error_count(), kinds.join(", "))?;
        }
        writeln!(
            f,
            "latency     p50 {:.2} ms   p90 {:.2} ms   p99 {:.2} ms   max {:.2} ms",
            self.latency_ms(50.0),
            self.latency_ms(90.0),
            self.latency_ms(99.0),
            self.latency_us.max() as f64 / 1000.0
        )?;
        writeln!(
            f,
            "RTP         {:.2} % over {spins} spins ({} credits bet, {} paid); proven {:.2} %",
            100.0 * self.rtp(),
            self.credits_bet,
            self.credits_paid,
            100.0 * return_to_player().to_f64()
        )?;
        let stops = self.stops_uniformity();
        write!(
            f,
            "stops       chi-squared {:.1} with {} degrees of freedom, p = {:.3}",
            stops.chi_squared, stops.degrees_of_freedom, stops.p_value
        )
    }
}

/// One worker's share of the tally.
struct Tally {
    errors: BTreeMap<String, u64>,
    latency_us: Histogram<u64>,
    credits_bet: u64,
    credits_paid: u64,
    stops: Vec<Vec<u64>>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            errors: BTreeMap::new(),
            latency_us: Histogram::new_with_bounds(1, 3_600_000_000, 3).expect("valid bounds"),
            credits_bet: 0,
            credits_paid: 0,
            stops: STRIPS.iter().map(|strip| vec![0; strip.len()]).collect(),
        }
    }

    fn add(&mut self, other: Tally) {
        for (kind, count) in other.errors {
            *self.errors.entry(kind).or_default() += count;
        }
        self.latency_us.add(other.latency_us).expect("same bounds");
        self.credits_bet += other.credits_bet;
        self.credits_paid += other.credits_paid;
        for (mine, theirs) in self.stops.iter_mut().zip(other.stops) {
            mine.iter_mut().zip(theirs).for_each(|(m, t)| *m += t);
        }
    }

    fn count(&mut self, answer: std::result::Result<SpinResponse, String>) {
        match answer {
            Ok(spin) => {
                self.credits_bet += u64::from(spin.bet.credits());
                self.credits_paid += u64::from(spin.payout);
                for (reel, &stop) in spin.stops.iter().enumerate() {
                    self.stops[reel][stop] += 1;
                }
            }
            Err(kind) => *self.errors.entry(kind).or_default() += 1,
        }
    }
}

/// Sends one spin and reads the answer: a verified spin, or the kind of error.
fn spin(agent: &ureq::Agent, url: &str) -> std::result::Result<SpinResponse, String> {
    let mut response =
        agent.post(url).header("content-type", "application/json").send(BODY).map_err(|error| {
            match error {
                ureq::Error::Timeout(_) => "timeout".to_owned(),
                _ => "transport".to_owned(),
            }
        })?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {}", status.as_u16()));
    }
    let body = response.body_mut().read_to_string().map_err(|_| "transport".to_owned())?;
    let spin: SpinResponse =
        serde_json::from_str(&body).map_err(|_| "invalid answer".to_owned())?;
    spin.verify().map_err(|_| "invalid answer".to_owned())?;
    Ok(spin)
}

/// Runs the load and reports, printing progress to stderr once a second.
pub fn run(options: &Options) -> Result<Report> {
    options.check()?;
    let local;
    let url = match &options.url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            local = LocalApi::start()?;
            local.url.clone()
        }
    };
    let spin_url = format!("{url}/spin");
    let planned = options.planned();
    let interval = Duration::from_secs_f64(1.0 / f64::from(options.rate));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(REQUEST_TIMEOUT))
        .max_idle_connections(options.concurrency)
        .max_idle_connections_per_host(options.concurrency)
        .build()
        .into();

    let next = AtomicU64::new(0);
    let sent = AtomicU64::new(0);
    let failed = AtomicU64::new(0);
    let total = Mutex::new(Tally::new());
    let started = Instant::now();
    // Sending stops at the deadline even if the run fell behind its schedule.
    let deadline = started + options.duration;
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let progress = scope.spawn(|| {
            let mut shown = 1;
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if started.elapsed() >= Duration::from_secs(shown) {
                    eprintln!(
                        "  {shown:>4} s  {:>7} sent  {:>5} errors",
                        sent.load(Ordering::Relaxed),
                        failed.load(Ordering::Relaxed)
                    );
                    shown += 1;
                }
            }
        });
        let workers: Vec<_> = (0..options.concurrency)
            .map(|_| {
                scope.spawn(|| {
                    let mut tally = Tally::new();
                    loop {
                        let slot = next.fetch_add(1, Ordering::Relaxed);
                        if slot >= planned {
                            break;
                        }
                        let due = started + interval.mul_f64(slot as f64);
                        if due >= deadline {
                            break;
                        }
                        if let Some(wait) = due.checked_duration_since(Instant::now()) {
                            std::thread::sleep(wait);
                        }
                        if Instant::now() >= deadline {
                            break;
                        }
                        let begun = Instant::now();
                        let answer = spin(&agent, &spin_url);
                        let took = begun.elapsed().as_micros().max(1) as u64;
                        tally.latency_us.saturating_record(took);
                        sent.fetch_add(1, Ordering::Relaxed);
                        if answer.is_err() {
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                        tally.count(answer);
                    }
                    total.lock().expect("no worker panicked holding the tally").add(tally);
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("a load worker panicked");
        }
        done.store(true, Ordering::Relaxed);
        progress.join().expect("the progress printer panicked");
    });
    let elapsed = started.elapsed();
    let tally = total.into_inner().expect("no worker panicked holding the tally");
    Ok(Report {
        url,
        planned,
        requests: sent.into_inner(),
        errors: tally.errors,
        elapsed,
        latency_us: tally.latency_us,
        credits_bet: tally.credits_bet,
        credits_paid: tally.credits_paid,
        stops: tally.stops,
    })
}

/// The local API (what `cargo xtask serve` runs) on a free loopback port, on a runtime of its
/// own, stopped when dropped.
struct LocalApi {
    url: String,
    _runtime: tokio::runtime::Runtime,
}

impl LocalApi {
    fn start() -> Result<LocalApi> {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
        let url = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let url = format!("http://{}", listener.local_addr()?);
            let config = spin_api::Config::default().with_fairness_from_env()?;
            let app = axum::ServiceExt::<axum::extract::Request>::into_make_service(spin_api::app(
                &config,
            ));
            tokio::spawn(async move { axum::serve(listener, app).await });
            Result::<String>::Ok(url)
        })?;
        Ok(LocalApi { url, _runtime: runtime })
    }
}

/// Reads `10s`, `2m`, `1h` or plain seconds.
pub fn parse_duration(text: &str) -> Result<Duration> {
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let seconds = match unit {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return Err(format!("--duration {text:?}: use seconds, like 30s, 2m or 1h").into()),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("--duration {text:?}: use seconds, like 30s, 2m or 1h"))?;
    Ok(Duration::from_secs_f64(value * seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_units() {
        assert_eq!(parse_duration("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("2.5s").unwrap(), Duration::from_millis(2500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("2 weeks").is_err());
        assert!(parse_duration("s").is_err());
    }

    #[test]
    fn a_run_is_bounded() {
        let options = Options { rate: 1_000_000, duration: MAX_DURATION, ..Options::default() };
        assert_eq!(options.planned(), MAX_REQUESTS);
        let too_long = Options { duration: MAX_DURATION * 2, ..Options::default() };
        assert!(too_long.check().is_err());
        assert!(Options { rate: 0, ..Options::default() }.check().is_err());
    }
}

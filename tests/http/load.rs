//! The local API under load, on loopback only: 10⁵ `POST /spin` over 64 concurrent
//! connections, bounded in count and in time. Every request must be answered with a valid spin,
//! and the stops of all those spins, drawn by the live server, must pass the chi-squared test
//! of uniformity.

use std::sync::Arc;
use std::time::{Duration, Instant};

use spin_game::{STRIPS, SpinResponse};
use spin_tests::stats::uniformity;
use tokio::sync::Mutex;

const REQUESTS: usize = 100_000;
const CONNECTIONS: usize = 64;
/// The whole run gives up (and fails) after this long.
const TIME_LIMIT: Duration = Duration::from_secs(300);

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    errors: Vec<String>,
    counts: Vec<Vec<u64>>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_spins_at_64_connections_fail_none_and_stay_uniform() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/spin", listener.local_addr().unwrap());
    let config = spin_api::Config::with_allowed_origins("http://127.0.0.1:8080").unwrap();
    let app = axum::ServiceExt::<axum::extract::Request>::into_make_service(spin_api::app(&config));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).build().unwrap();
    let counts = STRIPS.iter().map(|strip| vec![0; strip.len()]).collect();
    let tally = Arc::new(Mutex::new(Tally { counts, ..Tally::default() }));
    let deadline = Instant::now() + TIME_LIMIT;
    let started = Instant::now();

    let workers = (0..CONNECTIONS).map(|worker| {
        let (client, url, tally) = (client.clone(), url.clone(), tally.clone());
        let share = REQUESTS / CONNECTIONS + usize::from(worker < REQUESTS % CONNECTIONS);
        tokio::spawn(async move {
            let mut mine = Tally {
                counts: STRIPS.iter().map(|s| vec![0; s.len()]).collect(),
                ..Tally::default()
            };
            for _ in 0..share {
                if Instant::now() > deadline {
                    mine.errors.push("time limit reached".into());
                    break;
                }
                let sent = Instant::now();
                let result = client.post(&url).body(r#"{"bet": 1}"#).send().await;
                let outcome = match result {
                    Ok(response) if response.status().is_success() => {
                        match response.json::<SpinResponse>().await {
                            Ok(spin) if spin.verify().is_ok() => Ok(spin),
                            Ok(spin) => Err(format!("not a valid spin: {spin:?}")),
                            Err(error) => Err(error.to_string()),
                        }
                    }
                    Ok(response) => Err(format!("status {}", response.status())),
                    Err(error) => Err(error.to_string()),
                };
                mine.latencies_us.push(sent.elapsed().as_micros() as u64);
                match outcome {
                    Ok(spin) => spin
                        .stops
                        .iter()
                        .enumerate()
                        .for_each(|(reel, &stop)| mine.counts[reel][stop] += 1),
                    Err(error) => mine.errors.push(error),
                }
            }
            let mut all = tally.lock().await;
            all.latencies_us.extend(mine.latencies_us);
            all.errors.extend(mine.errors);
            for (total, part) in all.counts.iter_mut().zip(mine.counts) {
                total.iter_mut().zip(part).for_each(|(t, p)| *t += p);
            }
        })
    });
    for worker in workers.collect::<Vec<_>>() {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed();

    let mut tally = Arc::try_unwrap(tally).ok().unwrap().into_inner();
    tally.latencies_us.sort_unstable();
    let at = |p: f64| tally.latencies_us[((tally.latencies_us.len() - 1) as f64 * p) as usize];
    let stops = uniformity(&tally.counts);
    println!(
        "{} requests over {CONNECTIONS} connections in {:.1} s ({:.0}/s): {} errors; latency p50 {} µs, p99 {} µs; \
         stops chi-squared {:.2} with {} df, p = {:.4}",
        tally.latencies_us.len(),
        elapsed.as_secs_f64(),
        tally.latencies_us.len() as f64 / elapsed.as_secs_f64(),
        tally.errors.len(),
        at(0.50),
        at(0.99),
        stops.chi_squared,
        stops.degrees_of_freedom,
        stops.p_value,
    );
    assert!(
        tally.errors.is_empty(),
        "{} errors, first: {:?}",
        tally.errors.len(),
        tally.errors.first()
    );
    assert!(stops.p_value > 1e-4, "stops under load are not uniform: p = {}", stops.p_value);
}

//! `cargo xtask load` against the local API, as a reader runs it with no `--url`: a few
//! seconds of `POST /spin` on loopback (bounded in count and time), whose figures must make
//! sense: every request answered with a valid spin, percentiles in order, the observed return
//! to player inside a wide band around the proven one, and the stops the live server drew
//! uniform by the chi-squared test.

use std::time::Duration;

use xtask::load::{Options, run};

#[test]
fn a_few_seconds_of_load_on_the_local_api_fail_nothing_and_read_sensibly() {
    let options =
        Options { url: None, rate: 400, duration: Duration::from_secs(4), concurrency: 8 };
    let report = run(&options).unwrap();
    println!("{report}");

    assert!(report.errors.is_empty(), "errors under load: {:?}", report.errors);
    assert_eq!(report.planned, 1600);
    // A slow machine may fall behind the schedule, which the run's time bound cuts short;
    // most of the plan must still go out.
    assert!(
        report.requests >= report.planned / 2 && report.requests <= report.planned,
        "{} of {} planned requests sent",
        report.requests,
        report.planned
    );
    assert!(report.elapsed < options.duration + Duration::from_secs(15), "{:?}", report.elapsed);
    assert_eq!(report.latency_us.len(), report.requests);
    let (p50, p90, p99) =
        (report.latency_ms(50.0), report.latency_ms(90.0), report.latency_ms(99.0));
    let max = report.latency_us.max() as f64 / 1000.0;
    assert!(0.0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= max, "{p50} {p90} {p99} {max}");
    assert!(report.throughput() > 0.0);

    // Over n spins of bet 1 the RTP has a standard deviation of 3.24/√n (about 0.1 here), and
    // its upper tail is long (one 200× jackpot adds 200/n): 0.4 to 2.5 is far outside chance.
    assert_eq!(report.credits_bet, report.requests, "every spin bets 1");
    assert!(
        (0.4..2.5).contains(&report.rtp()),
        "RTP {:.3} over {} spins",
        report.rtp(),
        report.requests
    );
    let stops = report.stops_uniformity();
    assert!(stops.p_value > 1e-4, "stops under load are not uniform: p = {}", stops.p_value);
    assert_eq!(stops.degrees_of_freedom, 63.0);
}

//! The fairness proofs: exact return-to-player by enumerating every stop combination, and a
//! million real spins checked against it. Run with `--nocapture` to see the figures.

use rand::SeedableRng;
use rand::rngs::StdRng;
use spin_game::{Bet, Fraction, REEL_COUNT, STRIPS, Symbol, draw, every_spin};
use spin_tests::stats::uniformity;

/// The exact figures, as reduced fractions. The README quotes them; change both together.
const RTP: Fraction = Fraction { numerator: 10189, denominator: 10648 };
const HIT_FREQUENCY: Fraction = Fraction { numerator: 406, denominator: 1331 };

/// Exact moments of the payout per credit bet: (combinations, Σ payout, Σ payout², wins).
fn enumerate() -> (u64, u64, u64, u64) {
    every_spin(Bet::MIN).fold((0, 0, 0, 0), |(n, sum, squares, wins), spin| {
        let payout = u64::from(spin.payout);
        (n + 1, sum + payout, squares + payout * payout, wins + u64::from(spin.win()))
    })
}

#[test]
fn exact_rtp_and_hit_frequency_by_enumeration() {
    let (combinations, total_payout, _, wins) = enumerate();
    assert_eq!(combinations, STRIPS.iter().map(|s| s.len() as u64).product::<u64>());
    let rtp = Fraction::new(total_payout, combinations);
    let hits = Fraction::new(wins, combinations);
    println!(
        "{combinations} combinations; RTP {rtp} = {:.4} %; hit frequency {hits} = {:.4} %",
        100.0 * rtp.to_f64(),
        100.0 * hits.to_f64()
    );
    assert_eq!(rtp, RTP, "RTP changed: update RTP here and in the README");
    assert_eq!(hits, HIT_FREQUENCY, "hit frequency changed: update it here and in the README");
    assert_eq!(spin_game::return_to_player(), RTP, "what the page shows");
    assert_eq!(spin_game::hit_frequency(), HIT_FREQUENCY, "what the page shows");
    assert!((0.92..=0.97).contains(&rtp.to_f64()), "RTP outside 92-97 %");
}

#[test]
fn every_symbol_can_land_on_every_reel_of_the_pay_line() {
    for reel in 0..REEL_COUNT {
        for symbol in Symbol::ALL {
            assert!(
                every_spin(Bet::MIN).any(|spin| spin.line[reel] == symbol),
                "{symbol:?} can never land on reel {reel}"
            );
        }
    }
}

/// A million spins drawn by the real `draw` with a CSPRNG seeded from the OS (the seed is
/// printed; set `SPIN_TEST_SEED` to replay one). The observed RTP must lie within 4 standard
/// deviations of the exact one, and the stops must pass a chi-squared test of uniformity.
#[test]
fn a_million_spins_match_the_exact_rtp_and_uniform_stops() {
    const SPINS: u64 = 1_000_000;
    let seed = std::env::var("SPIN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    let mut rng = StdRng::seed_from_u64(seed);

    let mut counts: Vec<Vec<u64>> = STRIPS.iter().map(|s| vec![0; s.len()]).collect();
    let mut total_payout = 0u64;
    for _ in 0..SPINS {
        let spin = draw(&mut rng, Bet::MIN);
        total_payout += u64::from(spin.payout);
        for (reel, &stop) in spin.stops.iter().enumerate() {
            counts[reel][stop] += 1;
        }
    }

    let (combinations, sum, squares, _) = enumerate();
    let mean = sum as f64 / combinations as f64;
    let variance = squares as f64 / combinations as f64 - mean * mean;
    let sigma = (variance / SPINS as f64).sqrt();
    let observed = total_payout as f64 / SPINS as f64;
    let deviations = (observed - mean) / sigma;

    let stops = uniformity(&counts);
    println!(
        "seed {seed}: {SPINS} spins, RTP {:.4} % (exact {:.4} %, {deviations:+.2} sigma); \
         stops chi-squared {:.2} with {} df, p = {:.4}",
        100.0 * observed,
        100.0 * mean,
        stops.chi_squared,
        stops.degrees_of_freedom,
        stops.p_value
    );
    assert!(deviations.abs() < 4.0, "RTP {deviations:.2} sigma from exact (seed {seed})");
    assert!(stops.p_value > 1e-4, "stops not uniform: p = {} (seed {seed})", stops.p_value);
}

#[test]
fn the_readme_states_the_proven_figures() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    for figure in [RTP, HIT_FREQUENCY] {
        assert!(readme.contains(&figure.to_string()), "README lacks {figure}");
    }
}

//! The fairness proofs: exact return-to-player by enumerating every stop combination, and a
//! million real spins checked against it. Run with `--nocapture` to see the figures.

use spin_game::fair::{self, ClientSeed, Nonce, ServerSeed};
use spin_game::{Bet, Fraction, REEL_COUNT, STRIPS, Symbol, every_spin};
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

/// A million spins drawn the way the server draws them (`spin-fair-v1`): a secret from the
/// test's seed (printed; set `SPIN_TEST_SEED` to replay one), a new epoch every 100 000
/// spins, a new client seed every 1 000 with nonces counting up. The observed RTP must lie
/// within 4 standard deviations of the exact one; the stops of each reel, and the pairs of
/// stops of each two reels, must pass chi-squared tests of uniformity (so the reels are also
/// independent of each other).
#[test]
fn a_million_fair_spins_match_the_exact_rtp_with_uniform_independent_stops() {
    const SPINS: u64 = 1_000_000;
    let seed = std::env::var("SPIN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    let secret = seed.to_be_bytes();

    let mut counts: Vec<Vec<u64>> = STRIPS.iter().map(|s| vec![0; s.len()]).collect();
    let pairs = [(0, 1), (1, 2), (0, 2)];
    let mut pair_counts: Vec<Vec<u64>> =
        pairs.iter().map(|&(a, b)| vec![0; STRIPS[a].len() * STRIPS[b].len()]).collect();
    let mut total_payout = 0u64;
    let mut server_seed = ServerSeed::derive(&secret, 0);
    let mut client = ClientSeed::new("player-0").unwrap();
    for i in 0..SPINS {
        if i % 100_000 == 0 {
            server_seed = ServerSeed::derive(&secret, i / 100_000);
        }
        if i % 1_000 == 0 {
            client = ClientSeed::new(&format!("player-{}", i / 1_000)).unwrap();
        }
        let spin = fair::spin(&server_seed, &client, Nonce::new(i % 1_000).unwrap(), Bet::MIN);
        total_payout += u64::from(spin.payout);
        for (reel, &stop) in spin.stops.iter().enumerate() {
            counts[reel][stop] += 1;
        }
        for (cells, &(a, b)) in pair_counts.iter_mut().zip(&pairs) {
            cells[spin.stops[a] * STRIPS[b].len() + spin.stops[b]] += 1;
        }
    }

    let (combinations, sum, squares, _) = enumerate();
    let mean = sum as f64 / combinations as f64;
    let variance = squares as f64 / combinations as f64 - mean * mean;
    let sigma = (variance / SPINS as f64).sqrt();
    let observed = total_payout as f64 / SPINS as f64;
    let deviations = (observed - mean) / sigma;

    let stops = uniformity(&counts);
    let pairs = uniformity(&pair_counts);
    println!(
        "seed {seed}: {SPINS} spins, RTP {:.4} % (exact {:.4} %, {deviations:+.2} sigma); \
         stops chi-squared {:.2} with {} df, p = {:.4}; pairs chi-squared {:.1} with {} df, \
         p = {:.4}",
        100.0 * observed,
        100.0 * mean,
        stops.chi_squared,
        stops.degrees_of_freedom,
        stops.p_value,
        pairs.chi_squared,
        pairs.degrees_of_freedom,
        pairs.p_value
    );
    assert!(deviations.abs() < 4.0, "RTP {deviations:.2} sigma from exact (seed {seed})");
    assert!(stops.p_value > 1e-4, "stops not uniform: p = {} (seed {seed})", stops.p_value);
    assert!(pairs.p_value > 1e-4, "pairs not uniform: p = {} (seed {seed})", pairs.p_value);
}

#[test]
fn the_readme_states_the_proven_figures() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    for figure in [RTP, HIT_FREQUENCY] {
        assert!(readme.contains(&figure.to_string()), "README lacks {figure}");
    }
}

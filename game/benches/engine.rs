//! How fast the rules engine spins, against the cost of its randomness alone: `cargo bench
//! -p spin-game`. Both use the generator the API uses (ChaCha12, `rand`'s `StdRng`).

use rand::SeedableRng;
use rand::distr::{Distribution, Uniform};
use rand::rngs::StdRng;
use spin_game::{Bet, REEL_COUNT};

fn main() {
    divan::main();
}

/// The baseline: three uniform draws from the CSPRNG and nothing else.
#[divan::bench]
fn draw_three_stops(bencher: divan::Bencher) {
    let mut rng = StdRng::seed_from_u64(1);
    let stop = Uniform::new(0u32, 22).unwrap();
    bencher.bench_local(|| {
        let stops: [u32; REEL_COUNT] = std::array::from_fn(|_| stop.sample(&mut rng));
        divan::black_box(stops)
    });
}

/// A whole spin: draw the stops, read the pay line, settle it against the paytable.
#[divan::bench]
fn spin(bencher: divan::Bencher) {
    let mut rng = StdRng::seed_from_u64(1);
    bencher.bench_local(|| divan::black_box(spin_game::draw(&mut rng, Bet::MAX)));
}

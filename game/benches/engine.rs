//! How fast the rules engine settles spins, against the cost of its randomness alone:
//! `cargo bench -p spin-game`. Both draw with the provably fair scheme (`spin-fair-v1`).

use spin_game::fair::{self, ClientSeed, Nonce, ServerSeed};
use spin_game::{Bet, REEL_COUNT};

fn main() {
    divan::main();
}

/// The baseline: the three HMAC-SHA256s that draw the stops (one per reel, the first round
/// almost always accepts), and nothing else.
#[divan::bench]
fn three_hmacs(bencher: divan::Bencher) {
    use hmac::{Hmac, KeyInit, Mac};
    let seed = [7u8; 32];
    bencher.bench_local(|| {
        let hashes: [[u8; 32]; REEL_COUNT] = std::array::from_fn(|reel| {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&seed).unwrap();
            mac.update(format!("player:1:{reel}:0").as_bytes());
            mac.finalize().into_bytes().into()
        });
        divan::black_box(hashes)
    });
}

/// A whole spin: draw the stops from the seeds, read the pay line, settle it against the
/// paytable.
#[divan::bench]
fn spin(bencher: divan::Bencher) {
    let seed = ServerSeed::derive(b"secret", 1);
    let client = ClientSeed::new("player").unwrap();
    let nonce = Nonce::new(1).unwrap();
    bencher.bench_local(|| divan::black_box(fair::spin(&seed, &client, nonce, Bet::MAX)));
}

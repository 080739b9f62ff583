//! Checking a spin once its epoch's seed is revealed: the seed must hash to the commitment
//! published before the spin, and the scheme must give the stops, and so the symbols, the
//! player was shown. This is what the browser's Verify view runs.

use std::fmt;

use crate::fair::{self, Commitment, SCHEME, ServerSeed};
use crate::reels::{REEL_COUNT, STRIPS};
use crate::symbol::Symbol;
use crate::wire::FairProof;

/// The first thing that did not match, in words a player can check by hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The proof names another scheme than this crate computes.
    Scheme(String),
    /// The revealed seed is for another epoch than the spin's.
    Epoch { spun: u64, revealed: u64 },
    /// `SHA-256(seed)` is not the commitment the spin was made under.
    Commitment { committed: Commitment, revealed: Commitment },
    /// The scheme gives another stop on `reel` (0-based) than the one shown.
    Stop { reel: usize, shown: usize, computed: usize },
    /// The reel showed another symbol than its stop holds.
    Symbol { reel: usize, shown: Symbol, computed: Symbol },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Quoted by hand: `{:?}` would pull string escaping into the browser's module.
            Mismatch::Scheme(scheme) => {
                write!(f, "the spin names scheme \"{scheme}\", not {SCHEME}")
            }
            Mismatch::Epoch { spun, revealed } => {
                write!(
                    f,
                    "the spin is from epoch {spun}, but the seed revealed is epoch {revealed}'s"
                )
            }
            Mismatch::Commitment { committed, revealed } => write!(
                f,
                "the revealed seed hashes to {revealed}, not to the commitment {committed} made before the spin"
            ),
            Mismatch::Stop { reel, shown, computed } => write!(
                f,
                "reel {} stopped at {shown}, but the seeds give stop {computed}",
                reel + 1
            ),
            Mismatch::Symbol { reel, shown, computed } => write!(
                f,
                "reel {} showed {}, but its stop holds {}",
                reel + 1,
                shown.name(),
                computed.name()
            ),
        }
    }
}

/// Checks the spin `proof` describes, which showed `stops` and `symbols`, against the seed
/// revealed for `epoch`. Returns the stops the scheme gives when everything matches.
pub fn verify(
    proof: &FairProof,
    epoch: u64,
    seed: &ServerSeed,
    stops: [usize; REEL_COUNT],
    symbols: [Symbol; REEL_COUNT],
) -> Result<[usize; REEL_COUNT], Mismatch> {
    if proof.scheme != SCHEME {
        return Err(Mismatch::Scheme(proof.scheme.to_string()));
    }
    if proof.epoch != epoch {
        return Err(Mismatch::Epoch { spun: proof.epoch, revealed: epoch });
    }
    let revealed = seed.commitment();
    if revealed != proof.commitment {
        return Err(Mismatch::Commitment { committed: proof.commitment, revealed });
    }
    let computed = fair::stops(seed, &proof.client_seed, proof.nonce);
    for reel in 0..REEL_COUNT {
        if stops[reel] != computed[reel] {
            return Err(Mismatch::Stop { reel, shown: stops[reel], computed: computed[reel] });
        }
        let symbol = STRIPS[reel][computed[reel]];
        if symbols[reel] != symbol {
            return Err(Mismatch::Symbol { reel, shown: symbols[reel], computed: symbol });
        }
    }
    Ok(computed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fair::{ClientSeed, Nonce};

    fn honest() -> (FairProof, ServerSeed, [usize; REEL_COUNT], [Symbol; REEL_COUNT]) {
        let seed = ServerSeed::derive(b"a secret", 42);
        let client = ClientSeed::new("player-1").unwrap();
        let nonce = Nonce::new(7).unwrap();
        let stops = fair::stops(&seed, &client, nonce);
        let symbols = std::array::from_fn(|reel| STRIPS[reel][stops[reel]]);
        (FairProof::new(42, seed.commitment(), client, nonce), seed, stops, symbols)
    }

    #[test]
    fn an_honest_spin_verifies() {
        let (proof, seed, stops, symbols) = honest();
        assert_eq!(verify(&proof, 42, &seed, stops, symbols), Ok(stops));
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        let (proof, seed, stops, symbols) = honest();
        let other_seed = ServerSeed::derive(b"a secret", 43);
        let error = verify(&proof, 42, &other_seed, stops, symbols).unwrap_err();
        assert_eq!(
            error,
            Mismatch::Commitment { committed: proof.commitment, revealed: other_seed.commitment() }
        );
        assert!(error.to_string().starts_with("the revealed seed hashes to "), "{error}");

        let mut moved = stops;
        moved[1] = (moved[1] + 1) % STRIPS[1].len();
        let error = verify(&proof, 42, &seed, moved, symbols).unwrap_err();
        assert_eq!(error, Mismatch::Stop { reel: 1, shown: moved[1], computed: stops[1] });
        assert_eq!(
            error.to_string(),
            format!("reel 2 stopped at {}, but the seeds give stop {}", moved[1], stops[1])
        );

        let mut painted = symbols;
        painted[2] = Symbol::ALL.into_iter().find(|&s| s != symbols[2]).unwrap();
        let error = verify(&proof, 42, &seed, stops, painted).unwrap_err();
        assert_eq!(error, Mismatch::Symbol { reel: 2, shown: painted[2], computed: symbols[2] });

        let mut other_client = proof.clone();
        other_client.client_seed = ClientSeed::new("someone-else").unwrap();
        assert!(matches!(
            verify(&other_client, 42, &seed, stops, symbols),
            Err(Mismatch::Stop { .. })
        ));
        assert_eq!(
            verify(&proof, 41, &seed, stops, symbols),
            Err(Mismatch::Epoch { spun: 42, revealed: 41 })
        );
        let mut other_scheme = proof;
        other_scheme.scheme = "spin-fair-v0".into();
        assert_eq!(
            verify(&other_scheme, 42, &seed, stops, symbols),
            Err(Mismatch::Scheme("spin-fair-v0".into()))
        );
    }
}

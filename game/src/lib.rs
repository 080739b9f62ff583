//! Spin's rules: the symbols, the three reel strips, the paytable and the spin.
//!
//! This crate is the single source of truth for the game. The Lambda draws spins with it and the
//! browser renders the paytable and checks API answers with it, so neither restates a rule.
//! It does no I/O and compiles for native targets and `wasm32-unknown-unknown` alike.

mod bet;
pub mod fair;
mod odds;
mod outcome;
mod paytable;
mod reels;
mod rules;
mod symbol;
mod verify;
mod wire;

pub use bet::{Bet, BetError};
pub use odds::{Fraction, every_spin, hit_frequency, return_to_player};
pub use outcome::Spin;
pub use paytable::{PAYTABLE, Pattern, Prize, multiplier};
pub use reels::{REEL_COUNT, STRIPS, Strip};
pub use rules::rules_id;
pub use symbol::Symbol;
pub use verify::{Mismatch, verify};
pub use wire::{
    CurrentEpoch, EpochConflict, EpochSeed, ErrorBody, FairProof, Fairness, ResponseError,
    RevealedSeed, SpinRequest, SpinResponse,
};

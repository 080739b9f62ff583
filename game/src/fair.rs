//! `spin-fair-v1`: spins anyone can check.
//!
//! Time is cut into epochs of `E` seconds. Each epoch has a 32-byte server seed, derived from
//! a server secret (`HMAC-SHA256(secret, "spin-fair-v1 seed " + epoch)`), so nothing is
//! stored. Before a spin the server publishes the seed's commitment, `SHA-256(seed)`; the
//! player then picks a client seed, and the stops follow from both and a nonce:
//!
//! for reel `r` on a strip of length `L`, round `k = 0, 1, 2, …`:
//! `h = HMAC-SHA256(key = seed, message = "{client seed}:{nonce}:{r}:{k}")`, read as eight
//! big-endian `u32` words in order; the first word `w < 2^32 − (2^32 mod L)` gives the stop
//! `w mod L` (rejection sampling: every stop equally likely, no modulo bias).
//!
//! Once the epoch has ended the seed is revealed, and anyone can check that it matches the
//! commitment and recompute every stop: this module is the whole computation, used by the
//! server to draw and by the browser to verify.

use std::fmt::{self, Write as _};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use sha2::{Digest, Sha256};

use crate::bet::Bet;
use crate::outcome::Spin;
use crate::reels::{REEL_COUNT, STRIPS};

/// The scheme's name, as the API and the proofs carry it.
pub const SCHEME: &str = "spin-fair-v1";

type HmacSha256 = Hmac<Sha256>;

/// An HMAC keyed with `key`: the key's two padded blocks are hashed here, once.
fn keyed(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length")
}

/// Feeds formatted text straight into an HMAC: the scheme's messages are hashed as they are
/// written, with no string allocated for them.
struct MacWriter<'a>(&'a mut HmacSha256);

impl fmt::Write for MacWriter<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.update(text.as_bytes());
        Ok(())
    }
}

/// `HMAC(key, message)` where `message` is what `write` formats.
fn hmac_of(mut mac: HmacSha256, write: impl FnOnce(&mut MacWriter<'_>) -> fmt::Result) -> [u8; 32] {
    write(&mut MacWriter(&mut mac)).expect("hashing text cannot fail");
    mac.finalize().into_bytes().into()
}

/// 32 bytes as 64 lowercase hex digits, without allocating: seeds and commitments are
/// written into every answer.
fn hex_digits(bytes: &[u8; 32]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = [0; 64];
    for (pair, byte) in hex.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0xf)];
    }
    hex
}

/// Writes 32 bytes as hex to `f`.
fn write_hex(bytes: &[u8; 32], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(std::str::from_utf8(&hex_digits(bytes)).expect("hex digits are ASCII"))
}

/// Lowercase hex of `bytes`.
fn to_hex(bytes: &[u8; 32]) -> String {
    String::from_utf8(hex_digits(bytes).to_vec()).expect("hex digits are ASCII")
}

/// The 32 bytes written as 64 lowercase hex digits, if `text` is exactly that.
fn from_hex(text: &str) -> Option<[u8; 32]> {
    let digits = text.as_bytes();
    if digits.len() != 64 || !digits.iter().all(|d| d.is_ascii_digit() || (b'a'..=b'f').contains(d))
    {
        return None;
    }
    let mut bytes = [0; 32];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(bytes)
}

/// An epoch's server seed: secret until the epoch ends, then revealed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ServerSeed([u8; 32]);

impl ServerSeed {
    /// The seed of `epoch` under `secret` (the secret's raw bytes are the HMAC key).
    pub fn derive(secret: &[u8], epoch: u64) -> ServerSeed {
        ServerSeed(hmac_of(keyed(secret), |message| write!(message, "{SCHEME} seed {epoch}")))
    }

    /// What the server publishes before the epoch starts: `SHA-256` of the seed's 32 bytes.
    pub fn commitment(&self) -> Commitment {
        Commitment(Sha256::digest(self.0).into())
    }

    /// The seed's 32 bytes (the HMAC key the stops are drawn with).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// A revealed seed, from its 64 lowercase hex digits.
    pub fn from_hex(text: &str) -> Option<ServerSeed> {
        from_hex(text).map(ServerSeed)
    }
}

/// Debug never prints a seed: one could be an unrevealed one.
impl fmt::Debug for ServerSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerSeed(…)")
    }
}

/// `SHA-256` of a server seed, as 64 lowercase hex digits on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Commitment([u8; 32]);

impl fmt::Display for Commitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(&self.0, f)
    }
}

impl Commitment {
    pub fn from_hex(text: &str) -> Option<Commitment> {
        from_hex(text).map(Commitment)
    }
}

impl Serialize for Commitment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let hex = hex_digits(&self.0);
        serializer.serialize_str(std::str::from_utf8(&hex).expect("hex digits are ASCII"))
    }
}

impl<'de> Deserialize<'de> for Commitment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Commitment::from_hex(&text)
            .ok_or_else(|| de::Error::custom("commitment: 64 lowercase hex digits"))
    }
}

/// The player's randomness: 1 to 64 characters from `A–Z a–z 0–9 _ -`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ClientSeed(String);

impl ClientSeed {
    pub const MAX_LEN: usize = 64;

    /// `text` as a client seed, if it follows the rules.
    pub fn new(text: &str) -> Result<ClientSeed, FairError> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if (1..=Self::MAX_LEN).contains(&text.len()) && text.chars().all(allowed) {
            Ok(ClientSeed(text.to_owned()))
        } else {
            Err(FairError::ClientSeed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ClientSeed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = ClientSeed;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(FairError::ClientSeed.describe())
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<ClientSeed, E> {
                ClientSeed::new(text).map_err(|error| E::custom(error.describe()))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// Which spin of a client seed this is: a whole number from 0 to 2^53 − 1 (exact in
/// JavaScript's numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Nonce(u64);

impl Nonce {
    pub const MAX: u64 = (1 << 53) - 1;

    pub fn new(value: u64) -> Result<Nonce, FairError> {
        (value <= Self::MAX).then_some(Nonce(value)).ok_or(FairError::Nonce)
    }

    pub fn get(self) -> u64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Nonce {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Nonce;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(FairError::Nonce.describe())
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Nonce, E> {
                Nonce::new(value).map_err(|error| E::custom(error.describe()))
            }
        }
        deserializer.deserialize_u64(Visitor)
    }
}

/// A value outside the scheme's rules; the message names the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FairError {
    ClientSeed,
    Nonce,
}

impl FairError {
    fn describe(self) -> &'static str {
        match self {
            FairError::ClientSeed => "clientSeed must be 1 to 64 characters from A-Z a-z 0-9 _ -",
            FairError::Nonce => "nonce must be a whole number from 0 to 9007199254740991",
        }
    }
}

impl fmt::Display for FairError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl std::error::Error for FairError {}

/// Time cut into epochs of a fixed number of seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Epochs {
    seconds: u64,
}

impl Epochs {
    /// The longest epoch allowed: a day.
    pub const MAX_SECONDS: u64 = 86_400;

    /// Epochs of `seconds` (1 to a day).
    pub fn new(seconds: u64) -> Option<Epochs> {
        (1..=Self::MAX_SECONDS).contains(&seconds).then_some(Epochs { seconds })
    }

    pub fn seconds(self) -> u64 {
        self.seconds
    }

    /// The epoch that `unix_time` (seconds) falls in.
    pub fn at(self, unix_time: u64) -> u64 {
        unix_time / self.seconds
    }

    /// When `epoch` ends (and its seed may be revealed), in unix seconds.
    pub fn ends_at(self, epoch: u64) -> u64 {
        epoch.saturating_add(1).saturating_mul(self.seconds)
    }
}

/// The spin with `client` seed and `nonce` under `seed`, at `bet`.
pub fn spin(seed: &ServerSeed, client: &ClientSeed, nonce: Nonce, bet: Bet) -> Spin {
    SeedKey::new(seed).spin(client, nonce, bet)
}

/// The stops of the spin with `client` seed and `nonce` under `seed`, one per reel.
pub fn stops(seed: &ServerSeed, client: &ClientSeed, nonce: Nonce) -> [usize; REEL_COUNT] {
    SeedKey::new(seed).stops(client, nonce)
}

/// A server seed made ready to draw with: the HMAC keyed with it, so that each draw hashes
/// only its message. A server keeps one per epoch; each stop then costs two SHA-256 blocks
/// instead of four.
#[derive(Clone)]
pub struct SeedKey(HmacSha256);

impl SeedKey {
    pub fn new(seed: &ServerSeed) -> SeedKey {
        SeedKey(keyed(&seed.0))
    }

    /// The spin with `client` seed and `nonce`, at `bet`.
    pub fn spin(&self, client: &ClientSeed, nonce: Nonce, bet: Bet) -> Spin {
        Spin::landing_on(self.stops(client, nonce), bet).expect("drawn stops lie on their strips")
    }

    /// The stops of the spin with `client` seed and `nonce`, one per reel.
    pub fn stops(&self, client: &ClientSeed, nonce: Nonce) -> [usize; REEL_COUNT] {
        std::array::from_fn(|reel| self.stop(client, nonce, reel, STRIPS[reel].len()))
    }

    fn stop(&self, client: &ClientSeed, nonce: Nonce, reel: usize, len: usize) -> usize {
        let len = u32::try_from(len).expect("a reel strip is short");
        (0u64..)
            .find_map(|round| {
                let hash = hmac_of(self.0.clone(), |message| {
                    write!(message, "{}:{}:{reel}:{round}", client.as_str(), nonce.get())
                });
                first_accepted(&words(&hash), len)
            })
            .expect("some round accepts a word") as usize
    }
}

/// Debug never prints the key: it is an unrevealed seed's.
impl fmt::Debug for SeedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SeedKey(…)")
    }
}

/// The eight big-endian `u32` words of a 32-byte HMAC, in order.
pub fn words(hash: &[u8; 32]) -> [u32; 8] {
    std::array::from_fn(|i| u32::from_be_bytes(hash[4 * i..4 * i + 4].try_into().expect("4 bytes")))
}

/// The stop the first acceptable word gives on a strip of `len`: words at or above
/// `2^32 − (2^32 mod len)` are skipped, so every stop has the same number of words mapping to
/// it. `None` if no word is acceptable (then the next round is drawn).
pub fn first_accepted(words: &[u32], len: u32) -> Option<u32> {
    let limit = (1u64 << 32) - (1u64 << 32) % u64::from(len);
    words.iter().find(|&&word| u64::from(word) < limit).map(|word| word % len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_anything_else() {
        let seed = ServerSeed::derive(b"secret", 7);
        assert_eq!(ServerSeed::from_hex(&seed.to_hex()), Some(seed));
        let upper = seed.to_hex().to_uppercase();
        for bad in ["", "00", &upper, &format!("{}0", seed.to_hex()), &"g".repeat(64)] {
            assert_eq!(ServerSeed::from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_rejected_word_passes_the_draw_to_the_next() {
        // 2^32 mod 22 = 4, so words from 4 294 967 292 up are rejected on a 22-stop strip.
        assert_eq!(first_accepted(&[u32::MAX, 4_294_967_292, 45], 22), Some(45 % 22));
        assert_eq!(first_accepted(&[4_294_967_291], 22), Some(4_294_967_291 % 22));
        assert_eq!(first_accepted(&[u32::MAX; 8], 22), None);
        // A power of two never rejects.
        assert_eq!(first_accepted(&[u32::MAX], 16), Some(15));
    }

    #[test]
    fn client_seeds_and_nonces_follow_the_rules() {
        assert!(ClientSeed::new("a").is_ok() && ClientSeed::new(&"Z9_-".repeat(16)).is_ok());
        for bad in ["", " a", "a b", "é", &"a".repeat(65), "a.b"] {
            assert_eq!(ClientSeed::new(bad), Err(FairError::ClientSeed), "{bad:?}");
        }
        assert_eq!(Nonce::new(Nonce::MAX).map(Nonce::get), Ok(9_007_199_254_740_991));
        assert_eq!(Nonce::new(Nonce::MAX + 1), Err(FairError::Nonce));
    }

    #[test]
    fn epochs_cut_time_and_end_on_their_boundary() {
        let epochs = Epochs::new(300).unwrap();
        assert_eq!(epochs.at(0), 0);
        assert_eq!(epochs.at(299), 0);
        assert_eq!(epochs.at(300), 1);
        assert_eq!(epochs.ends_at(1), 600);
        assert_eq!(Epochs::new(0), None);
        assert_eq!(Epochs::new(86_401), None);
    }

    #[test]
    fn stops_lie_on_the_strips_and_depend_on_every_input() {
        let seed = ServerSeed::derive(b"secret", 1);
        let client = ClientSeed::new("player").unwrap();
        let base = stops(&seed, &client, Nonce(0));
        for (reel, stop) in base.iter().enumerate() {
            assert!(*stop < STRIPS[reel].len());
        }
        let differs = |other: [usize; REEL_COUNT]| other != base;
        assert!((1..20).any(|n| differs(stops(&seed, &client, Nonce(n)))));
        assert!((2..20).any(|e| differs(stops(
            &ServerSeed::derive(b"secret", e),
            &client,
            Nonce(0)
        ))));
        let other = ClientSeed::new("another").unwrap();
        assert!(differs(stops(&seed, &other, Nonce(0))) || differs(stops(&seed, &other, Nonce(1))));
    }
}

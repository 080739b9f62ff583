//! The JSON that crosses the network. The API writes these types and the browser reads them,
//! so both ends share one definition of the contract.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::bet::Bet;
use crate::fair::{ClientSeed, Commitment, Nonce, SCHEME, ServerSeed};
use crate::outcome::Spin;
use crate::reels::{REEL_COUNT, STRIPS};
use crate::rules::rules_id;
use crate::symbol::Symbol;

/// The body of `POST /spin`: `{"bet": n}`, and for a spin the player can check,
/// `"clientSeed"` and `"nonce"` (both or neither) and the `"epoch"` whose commitment the player
/// holds. An empty body means a bet of 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SpinRequest {
    pub bet: Bet,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_seed: Option<ClientSeed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<Nonce>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<u64>,
}

impl SpinRequest {
    /// A plain spin of `bet`, the server choosing the client seed.
    pub fn bet(bet: Bet) -> SpinRequest {
        SpinRequest { bet, client_seed: None, nonce: None, epoch: None }
    }
}

/// What a spin was drawn from, so the player can check it once the epoch's seed is revealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FairProof {
    /// Always [`SCHEME`].
    pub scheme: Cow<'static, str>,
    pub epoch: u64,
    /// `SHA-256` of the epoch's server seed, published before the spin.
    pub commitment: Commitment,
    pub client_seed: ClientSeed,
    pub nonce: Nonce,
}

impl FairProof {
    pub fn new(epoch: u64, commitment: Commitment, client_seed: ClientSeed, nonce: Nonce) -> Self {
        FairProof { scheme: Cow::Borrowed(SCHEME), epoch, commitment, client_seed, nonce }
    }
}

/// The answer to `POST /spin`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpinResponse {
    /// The pay line as image file names, left to right.
    pub reels: [Symbol; REEL_COUNT],
    /// 0-based stop on each reel's strip.
    pub stops: [usize; REEL_COUNT],
    pub bet: Bet,
    /// Credits won (0 if none).
    pub payout: u32,
    /// True exactly when `payout > 0`.
    pub win: bool,
    /// The id of the rules that produced this spin, see [`rules_id`]. Borrowed when the server
    /// writes it (no allocation per spin), owned when a client reads it.
    pub rules: Cow<'static, str>,
    /// What the stops were drawn from (`spin-fair-v1`).
    pub fair: FairProof,
}

impl SpinResponse {
    /// The answer describing `spin`, drawn as `fair` says.
    pub fn new(spin: &Spin, fair: FairProof) -> Self {
        SpinResponse {
            reels: spin.line,
            stops: spin.stops,
            bet: spin.bet,
            payout: spin.payout,
            win: spin.win(),
            rules: Cow::Borrowed(rules_id()),
            fair,
        }
    }
}

/// Why a [`SpinResponse`] cannot be trusted by a client built from these rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseError {
    /// The server plays other rules (a newer or older deploy).
    OtherRules { server: String },
    /// The fields contradict each other or these rules.
    Inconsistent,
}

impl SpinResponse {
    /// Checks the answer against the rules this crate holds: same rules id, reels that match the
    /// stops, the payout the paytable gives. Returns the spin it describes.
    pub fn verify(&self) -> Result<Spin, ResponseError> {
        if self.rules != rules_id() {
            return Err(ResponseError::OtherRules { server: self.rules.to_string() });
        }
        Spin::landing_on(self.stops, self.bet)
            .filter(|spin| SpinResponse::new(spin, self.fair.clone()) == *self)
            .filter(|_| self.fair.scheme == SCHEME)
            .ok_or(ResponseError::Inconsistent)
    }
}

/// Every API error body: `{"error": "<message a person understands>"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

/// The `409` answer to a spin sent for an epoch that is not the current one: nothing was
/// drawn; the current epoch and its commitment let the player send it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochConflict {
    pub error: String,
    pub epoch: u64,
    pub commitment: Commitment,
}

/// An epoch's commitment, and its seed once the epoch has ended: `GET /fairness/{epoch}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochSeed {
    pub epoch: u64,
    pub commitment: Commitment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<RevealedSeed>,
}

impl EpochSeed {
    /// The epoch's commitment, with the seed only if `revealed`.
    pub fn of(epoch: u64, seed: &ServerSeed, revealed: bool) -> EpochSeed {
        EpochSeed {
            epoch,
            commitment: seed.commitment(),
            seed: revealed.then_some(RevealedSeed(*seed)),
        }
    }
}

/// A server seed on the wire: 64 lowercase hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevealedSeed(pub ServerSeed);

impl Serialize for RevealedSeed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_hex())
    }
}

impl<'de> Deserialize<'de> for RevealedSeed {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <Cow<'de, str>>::deserialize(deserializer)?;
        ServerSeed::from_hex(&text)
            .map(RevealedSeed)
            .ok_or_else(|| serde::de::Error::custom("seed: 64 lowercase hex digits"))
    }
}

/// The current epoch: its commitment and when it ends (unix seconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentEpoch {
    pub epoch: u64,
    pub commitment: Commitment,
    pub ends_at: u64,
}

/// `GET /fairness`: everything a verifier needs: the scheme, the epoch length, the rules and
/// their strips, the current and next commitments, and the latest revealed seeds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fairness {
    pub scheme: Cow<'static, str>,
    pub epoch_seconds: u64,
    pub rules: Cow<'static, str>,
    /// The three strips as symbol file names, as in `reels`.
    pub strips: Vec<Vec<Symbol>>,
    pub current: CurrentEpoch,
    pub next: EpochSeed,
    /// The last ended epochs, newest first, each with its seed.
    pub revealed: Vec<EpochSeed>,
}

impl Fairness {
    /// How many ended epochs `revealed` lists.
    pub const REVEALED: usize = 10;

    /// The document for `current` and `next`, with `revealed` (newest first).
    pub fn new(
        epoch_seconds: u64,
        current: CurrentEpoch,
        next: EpochSeed,
        revealed: Vec<EpochSeed>,
    ) -> Fairness {
        Fairness {
            scheme: Cow::Borrowed(SCHEME),
            epoch_seconds,
            rules: Cow::Borrowed(rules_id()),
            strips: STRIPS.iter().map(|strip| strip.to_vec()).collect(),
            current,
            next,
            revealed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proof() -> FairProof {
        let seed = ServerSeed::derive(b"secret", 5);
        FairProof::new(
            5,
            seed.commitment(),
            ClientSeed::new("abc").unwrap(),
            Nonce::new(3).unwrap(),
        )
    }

    #[test]
    fn response_has_the_documented_shape() {
        let spin = Spin::showing([Symbol::Cherry; 3], Bet::new(4).unwrap());
        let json = serde_json::to_value(SpinResponse::new(&spin, proof())).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "reels": ["cherry.svg", "cherry.svg", "cherry.svg"],
                "stops": spin.stops,
                "bet": 4,
                "payout": 100,
                "win": true,
                "rules": rules_id(),
                "fair": {
                    "scheme": "spin-fair-v1",
                    "epoch": 5,
                    "commitment": ServerSeed::derive(b"secret", 5).commitment().to_string(),
                    "clientSeed": "abc",
                    "nonce": 3,
                },
            })
        );
    }

    #[test]
    fn verify_accepts_honest_answers_and_rejects_tampered_ones() {
        let spin = Spin::showing([Symbol::Plum, Symbol::Bar, Symbol::Lemon], Bet::new(3).unwrap());
        let honest = SpinResponse::new(&spin, proof());
        assert_eq!(honest.verify(), Ok(spin));

        let mut richer = honest.clone();
        richer.payout += 1;
        assert_eq!(richer.verify(), Err(ResponseError::Inconsistent));

        let mut moved = honest.clone();
        moved.stops[1] = STRIPS[1].len();
        assert_eq!(moved.verify(), Err(ResponseError::Inconsistent));

        let mut other_scheme = honest.clone();
        other_scheme.fair.scheme = "spin-fair-v0".into();
        assert_eq!(other_scheme.verify(), Err(ResponseError::Inconsistent));

        let mut other = honest;
        other.rules = "000000000000".into();
        assert!(matches!(other.verify(), Err(ResponseError::OtherRules { .. })));
    }

    #[test]
    fn spin_requests_take_the_pair_or_neither() {
        let request = |json: &str| serde_json::from_str::<SpinRequest>(json);
        assert_eq!(request(r#"{"bet": 2}"#).unwrap(), SpinRequest::bet(Bet::new(2).unwrap()));
        let full =
            request(r#"{"bet": 1, "clientSeed": "a-Z_9", "nonce": 12, "epoch": 99}"#).unwrap();
        assert_eq!(full.client_seed, Some(ClientSeed::new("a-Z_9").unwrap()));
        assert_eq!((full.nonce.map(Nonce::get), full.epoch), (Some(12), Some(99)));
        for (bad, field) in [
            (r#"{"bet": 1, "clientSeed": "", "nonce": 1}"#, "clientSeed"),
            (r#"{"bet": 1, "clientSeed": "a b", "nonce": 1}"#, "clientSeed"),
            (r#"{"bet": 1, "clientSeed": 5, "nonce": 1}"#, "clientSeed"),
            (r#"{"bet": 1, "clientSeed": "a", "nonce": -1}"#, "nonce"),
            (r#"{"bet": 1, "clientSeed": "a", "nonce": 1.5}"#, "nonce"),
            (r#"{"bet": 1, "clientSeed": "a", "nonce": "1"}"#, "nonce"),
            (r#"{"bet": 1, "clientSeed": "a", "nonce": 9007199254740992}"#, "nonce"),
        ] {
            let error = request(bad).unwrap_err().to_string();
            assert!(error.contains(field), "{bad}: {error}");
        }
    }

    #[test]
    fn fairness_documents_carry_seeds_only_once_revealed() {
        let seed = ServerSeed::derive(b"secret", 8);
        let hidden = serde_json::to_value(EpochSeed::of(8, &seed, false)).unwrap();
        assert_eq!(
            hidden,
            serde_json::json!({"epoch": 8, "commitment": seed.commitment().to_string()})
        );
        let shown: EpochSeed =
            serde_json::from_value(serde_json::to_value(EpochSeed::of(8, &seed, true)).unwrap())
                .unwrap();
        assert_eq!(shown.seed, Some(RevealedSeed(seed)));
    }

    #[test]
    fn the_readmes_example_answer_is_one_these_rules_give() {
        let readme = include_str!("../../README.md");
        let example = readme.lines().find(|line| line.starts_with(r#"{"reels":"#));
        let answer: SpinResponse = serde_json::from_str(example.expect("an example")).unwrap();
        let spin = answer.verify().expect("a consistent answer");
        assert_eq!(SpinResponse::new(&spin, answer.fair.clone()), answer);
    }
}

//! The JSON that crosses the network. The API writes these types and the browser reads them,
//! so both ends share one definition of the contract.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::bet::Bet;
use crate::outcome::Spin;
use crate::reels::REEL_COUNT;
use crate::rules::rules_id;
use crate::symbol::Symbol;

/// The body of `POST /spin`: `{"bet": n}`. An empty body means a bet of 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpinRequest {
    pub bet: Bet,
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
}

impl From<&Spin> for SpinResponse {
    fn from(spin: &Spin) -> Self {
        SpinResponse {
            reels: spin.line,
            stops: spin.stops,
            bet: spin.bet,
            payout: spin.payout,
            win: spin.win(),
            rules: Cow::Borrowed(rules_id()),
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
            .filter(|spin| SpinResponse::from(spin) == *self)
            .ok_or(ResponseError::Inconsistent)
    }
}

/// Every API error body: `{"error": "<message a person understands>"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_has_the_documented_shape() {
        let spin = Spin::landing_on([0, 2, 3], Bet::new(4).unwrap()).unwrap();
        let json = serde_json::to_value(SpinResponse::from(&spin)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "reels": ["cherry.svg", "cherry.svg", "cherry.svg"],
                "stops": [0, 2, 3],
                "bet": 4,
                "payout": 100,
                "win": true,
                "rules": rules_id(),
            })
        );
    }

    #[test]
    fn verify_accepts_honest_answers_and_rejects_tampered_ones() {
        let spin = Spin::landing_on([4, 8, 0], Bet::new(3).unwrap()).unwrap();
        let honest = SpinResponse::from(&spin);
        assert_eq!(honest.verify(), Ok(spin));

        let mut richer = honest.clone();
        richer.payout += 1;
        assert_eq!(richer.verify(), Err(ResponseError::Inconsistent));

        let mut moved = honest.clone();
        moved.stops[1] = 99;
        assert_eq!(moved.verify(), Err(ResponseError::Inconsistent));

        let mut other = honest;
        other.rules = "000000000000".into();
        assert!(matches!(other.verify(), Err(ResponseError::OtherRules { .. })));
    }

    #[test]
    fn the_readmes_example_answer_is_one_these_rules_give() {
        let readme = include_str!("../../README.md");
        let example = readme.lines().find(|line| line.starts_with(r#"{"reels":"#));
        let answer: SpinResponse = serde_json::from_str(example.expect("an example")).unwrap();
        assert_eq!(answer.verify().map(|spin| SpinResponse::from(&spin)), Ok(answer));
    }
}

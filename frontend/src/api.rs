//! The call to `POST /spin`, with a client timeout, and the checks every answer passes before
//! the game believes it: a status we understand, JSON of the contract's shape, and a spin
//! that these rules could have produced.

use gloo_net::http::Request;
use spin_game::{Bet, ErrorBody, ResponseError, Spin, SpinRequest, SpinResponse};

use crate::config::Config;
use crate::game::SpinFailure;

/// How long a spin may take before the game gives up and refunds the bet.
pub const TIMEOUT_MS: u32 = 8_000;
/// The longest server error message the alert repeats.
const MAX_MESSAGE_CHARS: usize = 160;

/// Asks the API for a spin of `bet`.
pub async fn spin(config: &Config, bet: Bet) -> Result<Spin, SpinFailure> {
    let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
    // A network error and our own timeout both reject the fetch; the signal tells which.
    let failed = |_| {
        if signal.aborted() { SpinFailure::TimedOut } else { SpinFailure::Unreachable }
    };
    let response = Request::post(&config.spin_url())
        .abort_signal(Some(&signal))
        .json(&SpinRequest::bet(bet))
        .map_err(|_| SpinFailure::Garbled)?
        .send()
        .await
        .map_err(failed)?;
    let status = response.status();
    let body = response.text().await.map_err(failed)?;
    interpret(status, &body)
}

/// What an answer with `status` and `body` means for the game.
pub fn interpret(status: u16, body: &str) -> Result<Spin, SpinFailure> {
    match status {
        200 => {
            let answer: SpinResponse =
                serde_json::from_str(body).map_err(|_| SpinFailure::Garbled)?;
            answer.verify().map_err(|error| match error {
                ResponseError::OtherRules { .. } => SpinFailure::OtherRules,
                ResponseError::Inconsistent => SpinFailure::Garbled,
            })
        }
        429 => Err(SpinFailure::Throttled),
        _ => Err(SpinFailure::Refused { status, message: error_message(body) }),
    }
}

/// The API's `{"error": ...}` message, if the body is one and short enough to show.
fn error_message(body: &str) -> Option<String> {
    let message = serde_json::from_str::<ErrorBody>(body).ok()?.error;
    let message = message.trim().trim_end_matches('.');
    let printable = !message.is_empty() && !message.chars().any(char::is_control);
    (printable && message.chars().count() <= MAX_MESSAGE_CHARS).then(|| message.to_owned())
}

#[cfg(test)]
mod tests {
    use spin_game::{REEL_COUNT, Symbol};

    use super::*;

    /// A spin of three cherries at a bet of 4, and the API's honest answer for it.
    fn honest() -> (Spin, SpinResponse) {
        use spin_game::fair::{ClientSeed, Nonce, ServerSeed};
        let spin = Spin::showing([Symbol::Cherry; REEL_COUNT], Bet::new(4).unwrap());
        let seed = ServerSeed::derive(b"secret", 1);
        let client = ClientSeed::new("player").unwrap();
        let proof = spin_game::FairProof::new(1, seed.commitment(), client, Nonce::new(0).unwrap());
        (spin, SpinResponse::new(&spin, proof))
    }

    fn json(answer: &SpinResponse) -> String {
        serde_json::to_string(answer).unwrap()
    }

    #[test]
    fn an_honest_answer_is_the_spin_it_describes() {
        let (spin, answer) = honest();
        assert_eq!(interpret(200, &json(&answer)), Ok(spin));
    }

    #[test]
    fn garbage_is_refused() {
        let (_, answer) = honest();
        let richer = json(&SpinResponse { payout: answer.payout + 1, ..answer.clone() });
        let unknown_symbol = json(&answer).replacen("cherry.svg", "unicorn.svg", 1);
        for garbage in ["", "<html>", "{}", "null", "[1,2,3]", &richer, &unknown_symbol] {
            assert_eq!(interpret(200, garbage), Err(SpinFailure::Garbled), "{garbage}");
        }
    }

    #[test]
    fn other_rules_are_recognised() {
        let body = json(&honest().1);
        let other = body.replace(spin_game::rules_id(), "000000000000");
        assert_eq!(interpret(200, &other), Err(SpinFailure::OtherRules));
    }

    #[test]
    fn error_statuses_carry_the_servers_reason_when_readable() {
        assert_eq!(interpret(429, ""), Err(SpinFailure::Throttled));
        assert_eq!(
            interpret(400, r#"{"error":"bet must be from 1 to 10 credits, got 11"}"#),
            Err(SpinFailure::Refused {
                status: 400,
                message: Some("bet must be from 1 to 10 credits, got 11".into())
            })
        );
        assert_eq!(
            interpret(502, r#"{"message":"Internal Server Error"}"#),
            Err(SpinFailure::Refused { status: 502, message: None })
        );
        let long = format!(r#"{{"error":"{}"}}"#, "x".repeat(500));
        assert_eq!(interpret(500, &long), Err(SpinFailure::Refused { status: 500, message: None }));
    }

    #[test]
    fn the_readme_states_this_timeout() {
        let readme = include_str!("../../README.md");
        let seconds = TIMEOUT_MS / 1000;
        assert_eq!(seconds * 1000, TIMEOUT_MS, "the README speaks in whole seconds");
        for claim in [format!("within {seconds} seconds"), format!("the {seconds} s timeout")] {
            assert!(readme.contains(&claim), "README lacks {claim:?}");
        }
    }
}

//! The call to `POST /spin`, with a client timeout, and the checks every answer passes before
//! the game believes it: a status we understand, JSON of the contract's shape, and a spin
//! that these rules could have produced.

use gloo_net::http::Request;
use spin_game::fair::{ClientSeed, Commitment, Nonce};
use spin_game::{Bet, FairProof, REEL_COUNT, ResponseError, Spin, SpinResponse, Symbol};

use crate::config::Config;
use crate::game::SpinFailure;
use crate::json::{self, JsonValue};

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
        .header("content-type", "application/json")
        .body(request_body(bet))
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
            let answer = read_spin_response(body).ok_or(SpinFailure::Garbled)?;
            answer.verify().map_err(|error| match error {
                ResponseError::OtherRules { .. } => SpinFailure::OtherRules,
                ResponseError::Inconsistent => SpinFailure::Garbled,
            })
        }
        429 => Err(SpinFailure::Throttled),
        _ => Err(SpinFailure::Refused { status, message: error_message(body) }),
    }
}

/// The body of `POST /spin`, [`spin_game::SpinRequest`] as JSON: `{"bet":n}`.
fn request_body(bet: Bet) -> String {
    format!("{{\"bet\":{}}}", bet.credits())
}

/// A [`SpinResponse`] read from JSON: every field present and of its type (unknown fields are
/// ignored), reels that name known symbols. Whether it is a spin these rules could produce is
/// [`SpinResponse::verify`]'s job.
fn read_spin_response(body: &str) -> Option<SpinResponse> {
    let answer = json::parse(body)?;
    let field = |name: &str| answer.field(name);
    Some(SpinResponse {
        reels: per_reel(&field("reels")?, |item| Symbol::from_file_name(&item.text()?))?,
        stops: per_reel(&field("stops")?, |item| usize::try_from(item.whole_number()?).ok())?,
        bet: Bet::new(field("bet")?.whole_number()?).ok()?,
        payout: u32::try_from(field("payout")?.whole_number()?).ok()?,
        win: field("win")?.boolean()?,
        rules: field("rules")?.text()?.into(),
        fair: read_fair_proof(&field("fair")?)?,
    })
}

/// The `fair` part of an answer: what the spin was drawn from.
fn read_fair_proof(fair: &impl JsonValue) -> Option<FairProof> {
    let field = |name: &str| fair.field(name);
    Some(FairProof {
        scheme: field("scheme")?.text()?.into(),
        epoch: field("epoch")?.whole_number()?,
        commitment: Commitment::from_hex(&field("commitment")?.text()?)?,
        client_seed: ClientSeed::new(&field("clientSeed")?.text()?).ok()?,
        nonce: Nonce::new(field("nonce")?.whole_number()?).ok()?,
    })
}

/// An array of exactly one item per reel, each read by `item`.
fn per_reel<D: JsonValue, T>(array: &D, item: impl Fn(&D) -> Option<T>) -> Option<[T; REEL_COUNT]> {
    let items: Vec<T> = array.items()?.iter().map(item).collect::<Option<_>>()?;
    items.try_into().ok()
}

/// The API's `{"error": ...}` message ([`spin_game::ErrorBody`]), if the body is one and short
/// enough to show.
fn error_message(body: &str) -> Option<String> {
    let message = json::parse(body)?.field("error")?.text()?;
    let message = message.trim().trim_end_matches('.');
    let printable = !message.is_empty() && !message.chars().any(char::is_control);
    (printable && message.chars().count() <= MAX_MESSAGE_CHARS).then(|| message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    use spin_game::fair::ServerSeed;

    /// A spin showing `line` at `bet`, and the API's honest answer for it as JSON.
    fn honest(line: [Symbol; REEL_COUNT], bet: u64) -> (Spin, String) {
        let spin = Spin::showing(line, Bet::new(bet).unwrap());
        let commitment = ServerSeed::derive(b"secret", 9).commitment();
        let client = ClientSeed::new("player").unwrap();
        let proof = FairProof::new(9, commitment, client, Nonce::new(3).unwrap());
        (spin, serde_json::to_string(&SpinResponse::new(&spin, proof)).unwrap())
    }

    const CHERRIES: [Symbol; REEL_COUNT] = [Symbol::Cherry; REEL_COUNT];

    #[test]
    fn an_honest_answer_is_the_spin_it_describes() {
        let (spin, body) = honest(CHERRIES, 4);
        assert_eq!(interpret(200, &body), Ok(spin));
    }

    #[test]
    fn the_answer_is_read_as_serde_reads_the_contract() {
        use Symbol::*;
        for line in [CHERRIES, [Seven; 3], [Bar, Lemon, Plum], [Bell, Cherry, Orange]] {
            for bet in [1, 7, 10] {
                let (_, body) = honest(line, bet);
                let read = read_spin_response(&body).unwrap();
                assert_eq!(read, serde_json::from_str::<SpinResponse>(&body).unwrap());
            }
        }
        // Field order, whitespace and unknown fields do not matter, as with serde.
        let (spin, body) = honest(CHERRIES, 4);
        let mut fields: Vec<(String, serde_json::Value)> =
            serde_json::from_str::<serde_json::Map<_, _>>(&body).unwrap().into_iter().collect();
        fields.reverse();
        fields.push(("extra".into(), serde_json::json!([1, {}])));
        let reordered =
            serde_json::to_string_pretty(&fields.into_iter().collect::<serde_json::Map<_, _>>())
                .unwrap();
        assert_eq!(interpret(200, &reordered), Ok(spin));
    }

    #[test]
    fn the_request_is_the_contracts_json() {
        for credits in 1..=10 {
            let bet = Bet::new(credits).unwrap();
            let serde = serde_json::to_string(&spin_game::SpinRequest::bet(bet)).unwrap();
            assert_eq!(request_body(bet), serde);
        }
    }

    #[test]
    fn garbage_is_refused() {
        let (_, body) = honest(CHERRIES, 4);
        let richer = body.replace("\"payout\":100", "\"payout\":1000");
        let unknown_symbol = body.replacen("cherry.svg", "unicorn.svg", 1);
        let missing = body.replace("\"win\":true,", "");
        let two_reels = body.replacen("\"cherry.svg\",", "", 1);
        let negative = body.replace("\"bet\":4", "\"bet\":-4");
        let fraction = body.replace("\"payout\":100", "\"payout\":100.0");
        let text_bet = body.replace("\"bet\":4", "\"bet\":\"4\"");
        let no_proof = body.replace("\"clientSeed\":\"player\"", "\"clientSeed\":\"\"");
        for garbage in [
            "",
            "<html>",
            "{}",
            "null",
            "[1,2,3]",
            &richer,
            &unknown_symbol,
            &missing,
            &two_reels,
            &negative,
            &fraction,
            &text_bet,
            &no_proof,
        ] {
            assert_eq!(interpret(200, garbage), Err(SpinFailure::Garbled), "{garbage}");
        }
    }

    #[test]
    fn other_rules_are_recognised() {
        let (_, body) = honest(CHERRIES, 4);
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
}

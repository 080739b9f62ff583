//! The call to `POST /spin`, with a client timeout, and the checks every answer passes before
//! the game believes it: a status we understand, JSON of the contract's shape, and a spin
//! that these rules could have produced.

use spin_game::fair::{ClientSeed, Commitment, Epochs, Nonce, ServerSeed};
use spin_game::{Bet, FairProof, REEL_COUNT, ResponseError, Spin, SpinResponse, Symbol};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, Response};

use crate::config::Config;
use crate::fair::{Held, Record};
use crate::game::SpinFailure;
use crate::json::{self, JsonValue};

/// How long a call may take before the game gives up (and, for a spin, refunds the bet).
pub const TIMEOUT_MS: u32 = 8_000;
/// The longest server error message the alert repeats.
const MAX_MESSAGE_CHARS: usize = 160;

/// Asks the API for a spin of `bet` drawn as `proof` says (the held epoch and commitment, the
/// client seed and nonce), and returns it with its record for the Verify view. A `409` means
/// the server is in another epoch (the clocks disagree): the spin is sent once more under the
/// epoch and commitment the `409` names.
pub async fn spin(
    config: &Config,
    bet: Bet,
    mut proof: FairProof,
) -> Result<(Spin, Record), SpinFailure> {
    let url = config.url("/spin");
    let (mut status, mut body) = call(&url, Some(request_body(bet, &proof))).await?;
    if status == 409
        && let Some((epoch, commitment)) = json::parse(&body).as_ref().and_then(read_epoch)
    {
        (proof.epoch, proof.commitment) = (epoch, commitment);
        (status, body) = call(&url, Some(request_body(bet, &proof))).await?;
    }
    let spin = interpret(status, &body, &proof)?;
    Ok((spin, Record::new(&spin, proof, &body)))
}

/// `GET /fairness`: the commitments to spin under.
pub async fn fairness(config: &Config) -> Result<Held, SpinFailure> {
    let (status, body) = call(&config.url("/fairness"), None).await?;
    match status {
        200 => read_fairness(&body).ok_or(SpinFailure::Garbled),
        _ => Err(SpinFailure::Refused { status, message: error_message(&body) }),
    }
}

/// `GET /fairness/{epoch}`: the epoch's seed, once revealed.
pub async fn revealed_seed(config: &Config, epoch: u64) -> Option<ServerSeed> {
    let (status, body) = call(&config.url(&format!("/fairness/{epoch}")), None).await.ok()?;
    let seed = (status == 200).then(|| json::parse(&body)?.field("seed")?.text()).flatten()?;
    ServerSeed::from_hex(&seed)
}

/// One call to the API: a `POST` of `body`, or a `GET`. Gives up after [`TIMEOUT_MS`].
async fn call(url: &str, body: Option<String>) -> Result<(u16, String), SpinFailure> {
    let signal = AbortSignal::timeout_with_u32(TIMEOUT_MS);
    // A network error and our own timeout both reject the fetch; the signal tells which.
    let failed = |_| {
        if signal.aborted() { SpinFailure::TimedOut } else { SpinFailure::Unreachable }
    };
    let response = fetch(url, body, Some(&signal)).await.map_err(failed)?;
    Ok((response.status(), text(&response).await.map_err(failed)?))
}

/// The browser's `fetch` of `url`: a `POST` of the JSON `body`, or a `GET`, aborted by
/// `signal`. Called directly through `web_sys` rather than through an HTTP client crate, which
/// would weigh more in the wasm than the page's whole use of it.
pub async fn fetch(
    url: &str,
    body: Option<String>,
    signal: Option<&AbortSignal>,
) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_signal(signal);
    if let Some(body) = body {
        let headers = web_sys::Headers::new()?;
        headers.set("content-type", "application/json")?;
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&body.into());
    }
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    Ok(JsFuture::from(window.fetch_with_str_and_init(url, &init)).await?.unchecked_into())
}

/// A response's body as text.
pub async fn text(response: &Response) -> Result<String, JsValue> {
    JsFuture::from(response.text()?).await?.as_string().ok_or(JsValue::NULL)
}

/// What an answer with `status` and `body` means for the game, for a spin asked as `sent`.
pub fn interpret(status: u16, body: &str, sent: &FairProof) -> Result<Spin, SpinFailure> {
    match status {
        200 => {
            let (spin, proof) = read_answer(body)?;
            // Drawn from what was sent, under the commitment held: or it proves nothing.
            if proof != *sent {
                return Err(SpinFailure::Unfair);
            }
            Ok(spin)
        }
        429 => Err(SpinFailure::Throttled),
        _ => Err(SpinFailure::Refused { status, message: error_message(body) }),
    }
}

/// A spin answer (from the API, or saved) read and checked against these rules: the spin it
/// describes and the proof it carries.
pub fn read_answer(body: &str) -> Result<(Spin, FairProof), SpinFailure> {
    let answer = read_spin_response(body).ok_or(SpinFailure::Garbled)?;
    let spin = answer.verify().map_err(|error| match error {
        ResponseError::OtherRules { .. } => SpinFailure::OtherRules,
        ResponseError::Inconsistent => SpinFailure::Garbled,
    })?;
    Ok((spin, answer.fair))
}

/// The body of `POST /spin`, [`spin_game::SpinRequest`] as JSON:
/// `{"bet":n,"clientSeed":"…","nonce":n,"epoch":n}`.
fn request_body(bet: Bet, proof: &FairProof) -> String {
    format!(
        "{{\"bet\":{},\"clientSeed\":\"{}\",\"nonce\":{},\"epoch\":{}}}",
        bet.credits(),
        proof.client_seed.as_str(),
        proof.nonce.get(),
        proof.epoch
    )
}

/// `GET /fairness`'s answer: the epoch length, the current and the next commitments.
fn read_fairness(body: &str) -> Option<Held> {
    let doc = json::parse(body)?;
    let (epoch, commitment) = read_epoch(&doc.field("current")?)?;
    Some(Held {
        epochs: Epochs::new(doc.field("epochSeconds")?.whole_number()?)?,
        epoch,
        commitment,
        next: Some(read_epoch(&doc.field("next")?)?),
    })
}

/// An `{"epoch": n, "commitment": "…"}` object (as in `/fairness` and a `409`).
fn read_epoch(value: &impl JsonValue) -> Option<(u64, Commitment)> {
    let epoch = value.field("epoch")?.whole_number()?;
    Some((epoch, Commitment::from_hex(&value.field("commitment")?.text()?)?))
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

    /// What the game sent with its spin: the proof an honest answer carries back.
    fn sent() -> FairProof {
        let commitment = ServerSeed::derive(b"secret", 9).commitment();
        FairProof::new(9, commitment, ClientSeed::new("player").unwrap(), Nonce::new(3).unwrap())
    }

    fn interpret(status: u16, body: &str) -> Result<Spin, SpinFailure> {
        super::interpret(status, body, &sent())
    }

    /// A spin showing `line` at `bet`, and the API's honest answer for it as JSON.
    fn honest(line: [Symbol; REEL_COUNT], bet: u64) -> (Spin, String) {
        let spin = Spin::showing(line, Bet::new(bet).unwrap());
        (spin, serde_json::to_string(&SpinResponse::new(&spin, sent())).unwrap())
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
            let proof = sent();
            let request = spin_game::SpinRequest {
                bet,
                client_seed: Some(proof.client_seed.clone()),
                nonce: Some(proof.nonce),
                epoch: Some(proof.epoch),
            };
            assert_eq!(request_body(bet, &proof), serde_json::to_string(&request).unwrap());
        }
    }

    #[test]
    fn an_answer_for_other_seeds_or_another_commitment_proves_nothing() {
        let (_, body) = honest(CHERRIES, 4);
        let commitment = sent().commitment.to_string();
        let other = ServerSeed::derive(b"other", 9).commitment().to_string();
        for changed in [
            body.replace("\"player\"", "\"someone\""),
            body.replace("\"nonce\":3", "\"nonce\":4"),
            body.replace("\"epoch\":9", "\"epoch\":10"),
            body.replace(&commitment, &other),
        ] {
            assert_ne!(changed, body);
            assert_eq!(interpret(200, &changed), Err(SpinFailure::Unfair), "{changed}");
        }
    }

    #[test]
    fn fairness_is_read_as_serde_reads_the_contract() {
        use spin_game::{CurrentEpoch, EpochSeed, Fairness};
        let seed = |epoch| ServerSeed::derive(b"secret", epoch);
        let current =
            CurrentEpoch { epoch: 41, commitment: seed(41).commitment(), ends_at: 42 * 300 };
        let revealed = vec![EpochSeed::of(40, &seed(40), true)];
        let doc = Fairness::new(300, current, EpochSeed::of(42, &seed(42), false), revealed);
        let held = read_fairness(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(held.epochs.seconds(), 300);
        assert_eq!(
            (held.epoch, held.commitment, held.ends_at()),
            (41, seed(41).commitment(), 42 * 300)
        );
        assert_eq!(held.next, Some((42, seed(42).commitment())));
        for broken in ["", "{}", r#"{"epochSeconds": 0}"#, "[1]"] {
            assert_eq!(read_fairness(broken), None, "{broken}");
        }
    }

    #[test]
    fn a_conflict_names_the_epoch_to_retry_under() {
        let commitment = ServerSeed::derive(b"secret", 12).commitment();
        let conflict =
            spin_game::EpochConflict { error: "another epoch".into(), epoch: 12, commitment };
        let body = serde_json::to_string(&conflict).unwrap();
        assert_eq!(json::parse(&body).as_ref().and_then(read_epoch), Some((12, commitment)));
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

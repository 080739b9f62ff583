//! The `POST /spin` route: its handler, [`post_spin`], and the request it reads from the body.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use http::header::CONTENT_LENGTH;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use spin_game::fair::Nonce;
use spin_game::{FairProof, SpinRequest, SpinResponse, rules_id};

use crate::fairness::{Fair, random_client_seed};
use crate::{ApiError, MAX_BODY_BYTES};

/// The handler of `POST /spin`: draws the spin with `spin-fair-v1` from the current epoch's
/// seed, the player's client seed and nonce (or a client seed of the server's and nonce 0),
/// logs it and counts it.
///
/// Each spin is a `spin` span with the bet, payout and rules id as fields, which the Lambda
/// sends to X-Ray as a subsegment where tracing is on. The span is never entered, only
/// opened and closed: its parent is still the invocation's span, and log lines written
/// meanwhile keep that span (with the Lambda request id) as theirs.
pub(crate) async fn post_spin(
    State(fair): State<Fair>,
    RequestedSpin(request): RequestedSpin,
) -> Result<Json<SpinResponse>, ApiError> {
    let span = tracing::info_span!(
        "spin",
        bet = request.bet.credits(),
        payout = tracing::field::Empty,
        rules = rules_id()
    );
    let (client_seed, nonce) = match (request.client_seed, request.nonce) {
        (Some(client_seed), Some(nonce)) => (client_seed, nonce),
        (None, None) => (random_client_seed(), Nonce::new(0).expect("0 is a nonce")),
        (Some(_), None) | (None, Some(_)) => {
            return Err(ApiError::BadRequest(
                "invalid spin request: send clientSeed and nonce together, or neither".to_owned(),
            ));
        }
    };
    let epoch = fair.current_epoch();
    let keys = fair.epoch_keys(epoch).await?;
    if request.epoch.is_some_and(|asked| asked != epoch) {
        return Err(ApiError::OtherEpoch { epoch, commitment: keys.commitment });
    }
    let bet = request.bet;
    let drawn = keys.key.spin(&client_seed, nonce, bet);
    span.record("payout", drawn.payout);
    drop(span);
    tracing::info!(
        bet = bet.credits(),
        payout = drawn.payout,
        win = drawn.win(),
        stops = ?drawn.stops,
        rules = rules_id(),
        epoch,
        "spin"
    );
    metrics::counter!("Spins").increment(1);
    metrics::counter!("CreditsBet").increment(bet.credits().into());
    metrics::counter!("CreditsPaid").increment(drawn.payout.into());
    let proof = FairProof::new(epoch, keys.commitment, client_seed, nonce);
    Ok(Json(SpinResponse::new(&drawn, proof)))
}

/// The spin a request asks for: `{"bet": n, ...}`, or a bet of 1 when the body is empty.
pub(crate) struct RequestedSpin(SpinRequest);

impl<S: Send + Sync> FromRequest<S> for RequestedSpin {
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, ApiError> {
        let declared_length = request
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
        if declared_length.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
            return Err(ApiError::PayloadTooLarge);
        }
        let body = Limited::new(request.into_body(), MAX_BODY_BYTES)
            .collect()
            .await
            .map_err(|error| {
                if error.is::<LengthLimitError>() {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest("could not read the request body".to_owned())
                }
            })?
            .to_bytes();
        parse_request(&body).map(RequestedSpin)
    }
}

fn parse_request(body: &[u8]) -> Result<SpinRequest, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(SpinRequest::bet(Default::default()));
    }
    // serde would also read a struct from an array (`[1]`); only an object is a spin request.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::BadRequest(
            r#"invalid spin request: send a JSON object like {"bet": 1}"#.to_owned(),
        ));
    }
    serde_json::from_slice::<SpinRequest>(body)
        .map_err(|error| ApiError::BadRequest(format!("invalid spin request: {error}")))
}

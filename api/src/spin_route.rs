//! The `POST /spin` route: its handler, [`post_spin`], and the bet it reads from the body.

use axum::Json;
use axum::extract::{FromRequest, Request};
use http::header::CONTENT_LENGTH;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use spin_game::{Bet, SpinRequest, SpinResponse};

use crate::{ApiError, MAX_BODY_BYTES};

/// The handler of `POST /spin`: draws a spin from the thread's CSPRNG (ChaCha, seeded and
/// reseeded from the OS), logs it and counts it.
pub(crate) async fn post_spin(RequestedBet(bet): RequestedBet) -> Json<SpinResponse> {
    let drawn = spin_game::draw(&mut rand::rng(), bet);
    tracing::info!(
        bet = bet.credits(),
        payout = drawn.payout,
        win = drawn.win(),
        stops = ?drawn.stops,
        "spin"
    );
    metrics::counter!("Spins").increment(1);
    metrics::counter!("CreditsBet").increment(bet.credits().into());
    metrics::counter!("CreditsPaid").increment(drawn.payout.into());
    Json(SpinResponse::from(&drawn))
}

/// The bet a spin request asks for: `{"bet": n}`, or 1 when the body is empty.
pub(crate) struct RequestedBet(Bet);

impl<S: Send + Sync> FromRequest<S> for RequestedBet {
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
        parse_bet(&body).map(RequestedBet)
    }
}

fn parse_bet(body: &[u8]) -> Result<Bet, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Bet::default());
    }
    // serde would also read a struct from an array (`[1]`); only an object is a spin request.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::BadRequest(
            r#"invalid spin request: send a JSON object like {"bet": 1}"#.to_owned(),
        ));
    }
    serde_json::from_slice::<SpinRequest>(body)
        .map(|request| request.bet)
        .map_err(|error| ApiError::BadRequest(format!("invalid spin request: {error}")))
}

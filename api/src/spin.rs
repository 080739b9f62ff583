use axum::Json;
use axum::extract::{FromRequest, Request};
use http::header::CONTENT_LENGTH;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use spin_game::{Bet, SpinRequest, SpinResponse};

use crate::{ApiError, MAX_BODY_BYTES};

/// `POST /spin`: draws a spin from the thread's CSPRNG (ChaCha, seeded and reseeded from the
/// OS), logs it and counts it.
pub(crate) async fn spin(RequestedBet(bet): RequestedBet) -> Json<SpinResponse> {
    let spin = spin_game::draw(&mut rand::rng(), bet);
    tracing::info!(
        bet = bet.credits(),
        payout = spin.payout,
        win = spin.win(),
        stops = ?spin.stops,
        "spin"
    );
    metrics::counter!("Spins").increment(1);
    metrics::counter!("CreditsBet").increment(bet.credits().into());
    metrics::counter!("CreditsPaid").increment(spin.payout.into());
    Json(SpinResponse::from(&spin))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body: &str) -> String {
        match parse_bet(body.as_bytes()) {
            Err(ApiError::BadRequest(message)) => message,
            other => panic!("{body:?} gave {other:?}"),
        }
    }

    #[test]
    fn empty_body_bets_one() {
        assert_eq!(parse_bet(b"").unwrap(), Bet::MIN);
        assert_eq!(parse_bet(b" \n").unwrap(), Bet::MIN);
        assert_eq!(parse_bet(br#"{"bet": 7}"#).unwrap().credits(), 7);
    }

    #[test]
    fn explains_what_is_wrong() {
        assert!(message("{").contains("invalid spin request: EOF"));
        assert!(message(r#"{"bet": "5"}"#).contains("whole number of credits from 1 to 10"));
        assert!(message(r#"{"bet": 11}"#).contains("bet must be from 1 to 10 credits, got 11"));
        assert!(message(r#"{"bet": 2.5}"#).contains("whole number of credits"));
        assert!(message("{}").contains("missing field `bet`"));
        assert!(message(r#"{"bet": 1, "win": true}"#).contains("unknown field `win`"));
        assert!(message("[1]").contains(r#"send a JSON object like {"bet": 1}"#));
        assert!(message("null").contains("send a JSON object"));
    }
}

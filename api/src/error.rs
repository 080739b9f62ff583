use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::ALLOW;
use spin_game::fair::Commitment;
use spin_game::{EpochConflict, ErrorBody};

/// Everything the API can refuse, turned into `{"error": ...}` responses in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request is not valid; the message says why.
    BadRequest(String),
    NotFound,
    /// `GET /fairness/{epoch}` for an epoch after the next one: nothing is committed yet.
    /// `asked` is the epoch as asked, in decimal (it may be too large for any integer type).
    EpochNotBegun {
        asked: String,
        latest: u64,
    },
    /// A method the path does not take; `allow` lists those it does, `hint` says so in words.
    MethodNotAllowed {
        allow: &'static str,
        hint: &'static str,
    },
    /// A spin sent for another epoch than the current one: nothing was drawn.
    OtherEpoch {
        epoch: u64,
        commitment: Commitment,
    },
    PayloadTooLarge,
    /// The server secret could not be read (in Lambda, from Secrets Manager).
    SecretUnavailable,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound | ApiError::EpochNotBegun { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::OtherEpoch { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::SecretUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::BadRequest(why) => why.clone(),
            ApiError::NotFound => "no such endpoint: the API has POST /spin, GET /fairness and \
                                   GET /fairness/{epoch}"
                .to_owned(),
            ApiError::EpochNotBegun { asked, latest } => format!(
                "epoch {asked} has no commitment yet: the latest epoch with one is {latest}"
            ),
            ApiError::MethodNotAllowed { hint, .. } => (*hint).to_owned(),
            ApiError::OtherEpoch { epoch, .. } => format!(
                "the spin was sent for another epoch than the current one, {epoch}: nothing \
                 was drawn; send it again with this epoch's commitment"
            ),
            ApiError::PayloadTooLarge => format!(
                "request body is larger than {} bytes; send {{\"bet\": n}} or nothing",
                crate::MAX_BODY_BYTES
            ),
            ApiError::SecretUnavailable => {
                "the server cannot draw fair spins right now; try again in a moment".to_owned()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            ApiError::MethodNotAllowed { allow, .. } => {
                (status, [(ALLOW, allow)], Json(ErrorBody { error: self.message() }))
                    .into_response()
            }
            ApiError::OtherEpoch { epoch, commitment } => {
                let body = EpochConflict { error: self.message(), epoch, commitment };
                (status, Json(body)).into_response()
            }
            _ => (status, Json(ErrorBody { error: self.message() })).into_response(),
        }
    }
}

pub(crate) async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// What `POST /spin` answers to other methods.
pub(crate) async fn spin_takes_post() -> ApiError {
    ApiError::MethodNotAllowed { allow: "POST, OPTIONS", hint: "use POST to spin" }
}

/// What the fairness routes answer to other methods.
pub(crate) async fn fairness_takes_get() -> ApiError {
    ApiError::MethodNotAllowed {
        allow: "GET, HEAD, OPTIONS",
        hint: "use GET to read the fairness records",
    }
}

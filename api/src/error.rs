use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::ALLOW;
use spin_game::ErrorBody;

/// Everything the API can refuse, turned into `{"error": ...}` responses in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request body is not a valid spin request; the message says why.
    BadRequest(String),
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::BadRequest(why) => why.clone(),
            ApiError::NotFound => "no such endpoint: the API has only POST /spin".to_owned(),
            ApiError::MethodNotAllowed => "use POST to spin".to_owned(),
            ApiError::PayloadTooLarge => format!(
                "request body is larger than {} bytes; send {{\"bet\": n}} or nothing",
                crate::MAX_BODY_BYTES
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody { error: self.message() });
        match self {
            ApiError::MethodNotAllowed => {
                (self.status(), [(ALLOW, "POST, OPTIONS")], body).into_response()
            }
            _ => (self.status(), body).into_response(),
        }
    }
}

pub(crate) async fn not_found() -> ApiError {
    ApiError::NotFound
}

pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

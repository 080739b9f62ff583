//! The Spin HTTP API: one axum [`Router`] that both entry points serve, the Lambda (through
//! `lambda_http`) and the local development server (through `axum::serve`).
//!
//! The contract: `POST /spin` with an optional `{"bet": n}` body answers a
//! [`SpinResponse`](spin_game::SpinResponse); every error is `{"error": "..."}` with a fitting
//! status; CORS admits exactly the origins in `ALLOWED_ORIGINS`.

mod config;
mod error;
mod spin;

use std::time::Duration;

use axum::Router;
use axum::routing::post;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use http::{HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

pub use config::{Config, ConfigError};
pub use error::ApiError;

/// Request bodies larger than this are refused with 413 before they are parsed.
pub const MAX_BODY_BYTES: usize = 1024;

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// The whole API. Errors, CORS and the security headers apply to every response, including
/// 404s and 405s, so a browser page can always read why a call failed.
pub fn app(config: &Config) -> Router {
    Router::new()
        .route("/spin", post(spin::spin).fallback(error::method_not_allowed))
        .fallback(error::not_found)
        .layer(cors(config))
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

/// CORS for the site's origin(s) only. tower-http answers preflights, echoes an allowed
/// `Origin` in exactly one `Access-Control-Allow-Origin`, and adds `Vary: Origin` everywhere.
pub fn cors(config: &Config) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(config.allowed_origins().iter().cloned()))
        .allow_methods([Method::POST, Method::OPTIONS])
        .allow_headers([CONTENT_TYPE])
        .max_age(PREFLIGHT_MAX_AGE)
}

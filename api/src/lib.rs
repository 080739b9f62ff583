//! The Spin HTTP API: one service, [`app`], that both entry points serve, the Lambda (through
//! `lambda_http`) and the local development server (through `axum::serve`).
//!
//! The contract: `POST /spin` with an optional `{"bet": n}` body (and, for a spin the player
//! can check, `clientSeed`, `nonce` and `epoch`) answers a
//! [`SpinResponse`](spin_game::SpinResponse); `GET /fairness` and `GET /fairness/{epoch}`
//! publish the commitments and reveal the seeds of `spin-fair-v1`; every error is
//! `{"error": "..."}` with a fitting status; CORS admits exactly the origins in
//! `ALLOWED_ORIGINS`.

mod config;
mod error;
pub mod fairness;
mod spin_route;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, ORIGIN, X_CONTENT_TYPE_OPTIONS};
use http::{HeaderValue, Method};
use tower::ServiceBuilder;
use tower::util::MapResponse;
use tower_http::cors::{AllowOrigin, Cors, CorsLayer};

pub use config::{Config, ConfigError, env_var};
pub use error::ApiError;
pub use fairness::{Clock, Secret, secret_from_hex};

/// Request bodies larger than this are refused with 413 before they are parsed.
pub const MAX_BODY_BYTES: usize = 1024;

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// The API: the routes, wrapped in CORS and the headers every answer carries.
pub type App = MapResponse<Cors<Router>, fn(Response) -> Response>;

/// The whole API. Errors, CORS and the security headers apply to every response, including
/// 404s and 405s, so a browser page can always read why a call failed. The layers wrap the
/// router once, rather than each route (`Router::layer`), which would clone them per request.
pub fn app(config: &Config) -> App {
    let routes = Router::new()
        .route("/spin", post(spin_route::post_spin).fallback(error::spin_takes_post))
        .route("/fairness", get(fairness::get_fairness).fallback(error::fairness_takes_get))
        .route("/fairness/{epoch}", get(fairness::get_epoch).fallback(error::fairness_takes_get))
        .fallback(error::not_found)
        .with_state(config.fair.clone());
    ServiceBuilder::new()
        .map_response(with_fixed_headers as fn(Response) -> Response)
        .layer(cors(config))
        .service(routes)
}

/// Headers on every answer: nothing is cached (spins, commitments, errors) unless its route
/// says otherwise (an ended epoch's seed never changes), and browsers must not guess another
/// content type than the JSON we declare.
fn with_fixed_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.entry(CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// CORS for the site's origin(s) only. tower-http answers preflights, echoes an allowed
/// `Origin` in exactly one `Access-Control-Allow-Origin`, and adds `Vary: Origin` everywhere.
pub fn cors(config: &Config) -> CorsLayer {
    // A predicate over a shared list, rather than `AllowOrigin::list`: hyper clones the service
    // for every request, and cloning an `Arc` allocates nothing.
    let allowed: Arc<[HeaderValue]> = config.allowed_origins().into();
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, _| allowed.contains(origin)))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([CONTENT_TYPE])
        .max_age(PREFLIGHT_MAX_AGE)
        // Preflights are `no-store`, so no cache ever needs to tell them apart by their
        // request headers; an ended epoch's seed is the same for every origin, but its CORS
        // header is not: varying on `Origin` covers both.
        .vary([ORIGIN])
}

//! The Spin API as an AWS Lambda function.
//!
//! `lambda_http` turns each API Gateway (REST or HTTP API), Function URL or ALB event into an
//! `http::Request`; [`service`] routes it through the same [`spin_api::app`] the local server
//! runs. The one thing Lambda adds is the stage: API Gateway puts `/Prod` or `/dev` in front of
//! the path, and [`without_stage`] takes it off so one router serves every front door.

pub mod event;
pub mod log;
pub mod runtime;
pub mod secrets_extension;
pub mod xray;

use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use spin_api::Config;
use tower::ServiceExt;
use tower::util::MapRequest;

/// The service the Lambda runtime calls for each HTTP event.
pub type SpinService = MapRequest<spin_api::App, fn(Request) -> Request>;

/// The API router behind stage stripping.
pub fn service(config: &Config) -> SpinService {
    spin_api::app(config).map_request(without_stage as fn(Request) -> Request)
}

/// Removes the API Gateway stage from the request path: `/Prod/spin` becomes `/spin`.
///
/// lambda_http prefixes REST API (v1) paths with the stage, and HTTP API (v2) events of a named
/// stage already carry it in `rawPath`; `$default` stages, Function URLs and ALB carry none.
/// `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` only covers the first case, so we strip it here,
/// from the stage the event itself names.
pub fn without_stage(mut request: Request) -> Request {
    let stage = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(context)) => context.stage.clone(),
        Some(RequestContext::ApiGatewayV2(context)) => context.stage.clone(),
        _ => None,
    };
    let Some(stage) = stage.filter(|stage| !stage.is_empty() && stage != "$default") else {
        return request;
    };
    let uri = request.uri();
    let Some(rest) = uri.path().strip_prefix('/').and_then(|p| p.strip_prefix(stage.as_str()))
    else {
        return request;
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return request;
    }
    let path = if rest.is_empty() { "/" } else { rest };
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let mut parts = uri.clone().into_parts();
    if let Ok(path_and_query) = path_and_query.parse() {
        parts.path_and_query = Some(path_and_query);
        if let Ok(uri) = http::Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
    request
}

//! Reading an invocation's event as an HTTP request, parsing it once.
//!
//! `lambda_http` tries each front door's event type in turn: REST API (v1) first, then HTTP
//! API (v2), then ALB. An HTTP API event, the kind Spin's stack receives, is therefore parsed
//! twice, headers and all, before it is recognised. [`HttpEvent`] reads it as v2 directly
//! whenever the v1 attempt could only fail, and otherwise leaves the whole decision to
//! `lambda_http`, so that every event reads exactly as it did.

use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpRequest;
use lambda_http::request::LambdaRequest;
use serde::de::{Deserialize, Deserializer, Error};
use serde_json::value::RawValue;

/// An event as `lambda_http` reads it (see the module docs for what differs: only the cost).
#[derive(Debug)]
pub struct HttpEvent(pub LambdaRequest);

/// Whether a REST API (v1) reading of the event `text` must fail: it requires a top-level
/// `httpMethod` key, which no HTTP API (v2) event has. Read from the raw text, without a
/// second parse: a key spelled `httpMethod` appears verbatim unless it is written with `\u`
/// escapes (the only escapes that make letters), and an event with any `\u` at all is left to
/// the full reading. (Only for an object: serde would also read a struct from an array.)
fn cannot_be_v1(text: &str) -> bool {
    text.trim_start().starts_with('{') && !text.contains("\"httpMethod\"") && !text.contains("\\u")
}

impl<'de> Deserialize<'de> for HttpEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        // `lambda_http` would try v1 first; when that attempt can only fail, the answer is v2
        // if the event reads as v2. Looking for one key in the text costs far less than
        // building a v1 request's header map only to throw it away.
        if cannot_be_v1(text)
            && let Ok(event) = serde_json::from_str::<ApiGatewayV2httpRequest>(text)
        {
            return Ok(HttpEvent(LambdaRequest::ApiGatewayV2(event)));
        }
        // Everything else, errors included, exactly as `lambda_http` reads it.
        serde_json::from_str::<LambdaRequest>(text).map(HttpEvent).map_err(D::Error::custom)
    }
}

//! The Lambda event fixtures in `tests/fixtures/events/`, one per front door, and edits that
//! turn the fixture's `POST /spin` into any other request while keeping the format real.

use std::path::PathBuf;

use serde_json::{Value, json};

/// A way API requests reach a Lambda function; each has its own event format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Door {
    /// API Gateway REST API, payload 1.0, stage `Prod`.
    RestApiV1,
    /// API Gateway HTTP API, payload 2.0, `$default` stage.
    HttpApiV2Default,
    /// API Gateway HTTP API, payload 2.0, stage `dev` (in `rawPath`).
    HttpApiV2Stage,
    /// Lambda Function URL (base64 body).
    FunctionUrl,
    /// Application Load Balancer, single-value headers.
    Alb,
    /// Application Load Balancer with multi-value headers.
    AlbMultiValue,
}

/// What shape the function's answer must take for a door.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseFormat {
    /// `statusCode`, `headers`, `multiValueHeaders`, `body`, `isBase64Encoded`.
    ApiGatewayV1,
    /// `statusCode`, `headers`, `cookies`, `body`, `isBase64Encoded`.
    ApiGatewayV2,
    /// `statusCode`, `statusDescription`, `headers`, `multiValueHeaders`, `body`.
    Alb,
}

impl Door {
    pub const ALL: [Door; 6] = [
        Door::RestApiV1,
        Door::HttpApiV2Default,
        Door::HttpApiV2Stage,
        Door::FunctionUrl,
        Door::Alb,
        Door::AlbMultiValue,
    ];

    pub fn fixture_name(self) -> &'static str {
        match self {
            Door::RestApiV1 => "rest-api-v1.json",
            Door::HttpApiV2Default => "http-api-v2-default.json",
            Door::HttpApiV2Stage => "http-api-v2-stage.json",
            Door::FunctionUrl => "function-url.json",
            Door::Alb => "alb.json",
            Door::AlbMultiValue => "alb-multi-value.json",
        }
    }

    pub fn response_format(self) -> ResponseFormat {
        match self {
            Door::RestApiV1 => ResponseFormat::ApiGatewayV1,
            Door::HttpApiV2Default | Door::HttpApiV2Stage | Door::FunctionUrl => {
                ResponseFormat::ApiGatewayV2
            }
            Door::Alb | Door::AlbMultiValue => ResponseFormat::Alb,
        }
    }

    /// The fixture as written: `POST /spin` with body `{"bet": 3}` from
    /// [`EXAMPLE_ORIGIN`](crate::EXAMPLE_ORIGIN).
    pub fn event(self) -> Event {
        let path = fixtures_dir().join(self.fixture_name());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        Event { door: self, json: serde_json::from_str(&text).expect("fixture is JSON") }
    }
}

/// The folder holding the event fixtures.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/events")
}

/// A Lambda event of one door's format, edited in place.
#[derive(Clone, Debug)]
pub struct Event {
    pub door: Door,
    pub json: Value,
}

impl Event {
    /// The stage prefix this door puts in front of API paths, as API Gateway reports it.
    fn stage_prefix(&self) -> &'static str {
        match self.door {
            Door::HttpApiV2Stage => "/dev",
            _ => "",
        }
    }

    pub fn method(mut self, method: &str) -> Self {
        let j = &mut self.json;
        match self.door.response_format() {
            ResponseFormat::ApiGatewayV1 => {
                j["httpMethod"] = json!(method);
                j["requestContext"]["httpMethod"] = json!(method);
            }
            ResponseFormat::ApiGatewayV2 => {
                j["requestContext"]["http"]["method"] = json!(method);
                if j["routeKey"] != "$default" {
                    j["routeKey"] = json!(format!("{method} /spin"));
                    j["requestContext"]["routeKey"] = j["routeKey"].clone();
                }
            }
            ResponseFormat::Alb => j["httpMethod"] = json!(method),
        }
        self
    }

    /// Sets the API path (`/spin`); the door adds its stage the way AWS does.
    pub fn path(mut self, path: &str) -> Self {
        let staged = format!("{}{path}", self.stage_prefix());
        let j = &mut self.json;
        match self.door.response_format() {
            ResponseFormat::ApiGatewayV1 => {
                j["path"] = json!(path);
                j["resource"] = json!(path);
                j["requestContext"]["resourcePath"] = json!(path);
                j["requestContext"]["path"] = json!(format!("/Prod{path}"));
            }
            ResponseFormat::ApiGatewayV2 => {
                j["rawPath"] = json!(staged);
                j["requestContext"]["http"]["path"] = json!(staged);
            }
            ResponseFormat::Alb => j["path"] = json!(path),
        }
        self
    }

    /// Sets the body, base64-encoded where the fixture's door sends it so.
    pub fn body(mut self, body: &str) -> Self {
        use base64::Engine;
        let encoded = self.json["isBase64Encoded"] == true;
        self.json["body"] = if encoded {
            json!(base64::engine::general_purpose::STANDARD.encode(body))
        } else {
            json!(body)
        };
        let length = body.len().to_string();
        self.header("content-length", &length)
    }

    /// Removes the body entirely (`"body": null`).
    pub fn no_body(mut self) -> Self {
        self.json["body"] = Value::Null;
        self.json["isBase64Encoded"] = json!(false);
        self.without_header("content-length")
    }

    /// Sets a header, in every header map the format carries.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = name.to_ascii_lowercase();
        for map in ["headers", "multiValueHeaders"] {
            let Some(headers) = self.json.get_mut(map).and_then(Value::as_object_mut) else {
                continue;
            };
            headers.retain(|key, _| key.to_ascii_lowercase() != name);
            let value = if map == "headers" { json!(value) } else { json!([value]) };
            headers.insert(name.clone(), value);
        }
        self
    }

    pub fn without_header(mut self, name: &str) -> Self {
        for map in ["headers", "multiValueHeaders"] {
            if let Some(headers) = self.json.get_mut(map).and_then(Value::as_object_mut) {
                headers.retain(|key, _| !key.eq_ignore_ascii_case(name));
            }
        }
        self
    }
}

/// A function's answer to an HTTP event, read the same way whatever the door.
#[derive(Clone, Debug)]
pub struct HttpAnswer {
    pub status: u16,
    /// Header name (lower case) and every value it carries.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpAnswer {
    /// Reads a Lambda response JSON, checking it has the fields `door`'s format requires and
    /// taking headers from the map that door reads (REST APIs and multi-value ALBs read
    /// `multiValueHeaders`, the others `headers`).
    pub fn parse(door: Door, response: &Value) -> HttpAnswer {
        use base64::Engine;
        let format = door.response_format();
        let status = response["statusCode"].as_u64().expect("statusCode") as u16;
        match format {
            ResponseFormat::ApiGatewayV1 => assert!(response.get("multiValueHeaders").is_some()),
            ResponseFormat::ApiGatewayV2 => assert!(response.get("cookies").is_some()),
            ResponseFormat::Alb => {
                let description =
                    response["statusDescription"].as_str().expect("statusDescription");
                assert!(description.starts_with(&status.to_string()), "{description}");
            }
        }
        let mut headers = Vec::new();
        if matches!(door, Door::RestApiV1 | Door::AlbMultiValue) {
            let map = response["multiValueHeaders"].as_object().expect("multiValueHeaders");
            for (name, values) in map {
                for value in values.as_array().expect("multi-value header is a list") {
                    headers.push((name.to_ascii_lowercase(), value.as_str().unwrap().to_owned()));
                }
            }
        } else {
            for (name, value) in response["headers"].as_object().expect("headers") {
                headers.push((name.to_ascii_lowercase(), value.as_str().unwrap().to_owned()));
            }
        }
        let raw = response["body"].as_str().unwrap_or_default();
        let body = if response["isBase64Encoded"] == true {
            let bytes = base64::engine::general_purpose::STANDARD.decode(raw).expect("base64 body");
            String::from_utf8(bytes).expect("UTF-8 body")
        } else {
            raw.to_owned()
        };
        HttpAnswer { status, headers, body }
    }

    /// Every value of header `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }

    /// The single value of header `name`; panics if it is missing or repeated.
    pub fn one(&self, name: &str) -> &str {
        match self.all(name)[..] {
            [value] => value,
            ref values => panic!("expected one {name} header, got {values:?}"),
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("body {:?}: {e}", self.body))
    }
}

/// How a Lambda function ended an invocation, as it reported it to the Runtime API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ending {
    /// An HTTP answer with this status.
    Http(u16),
    /// An invocation error, the handler never having run: the event is of no HTTP format.
    NotHttp,
    /// An invocation error: lambda_http panicked turning the event into a request, and the
    /// runtime caught the panic.
    Panicked,
}

impl Ending {
    /// Reads the body of a reported invocation error (`{"errorType", "errorMessage"}`);
    /// panics on an error of another kind, which no test expects.
    pub fn of_error(body: &Value) -> Ending {
        let message = body["errorMessage"].as_str().unwrap_or_default();
        if message.starts_with("Lambda panicked") {
            Ending::Panicked
        } else if message.contains("failed to deserialize the incoming data") {
            Ending::NotHttp
        } else {
            panic!("an invocation error of an unexpected kind: {body}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `Origin` value in the event's header maps (`headers`, `multiValueHeaders`).
    fn origins(event: &Value) -> Vec<&str> {
        let mut found = Vec::new();
        for map in ["headers", "multiValueHeaders"] {
            for (name, value) in event[map].as_object().into_iter().flatten() {
                if name.eq_ignore_ascii_case("origin") {
                    let values = value.as_array().map_or(vec![value], |list| list.iter().collect());
                    found.extend(values.into_iter().filter_map(Value::as_str));
                }
            }
        }
        found
    }

    /// The JSON fixtures spell the origin out; it must be the one tests allow.
    #[test]
    fn every_fixture_comes_from_the_example_origin() {
        for door in Door::ALL {
            let event = door.event();
            let origins = origins(&event.json);
            assert!(!origins.is_empty(), "{door:?} sends no Origin");
            assert!(origins.iter().all(|o| *o == crate::EXAMPLE_ORIGIN), "{door:?}: {origins:?}");
        }
    }
}

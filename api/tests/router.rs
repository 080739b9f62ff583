//! The API's promises, checked on the router itself with `tower::ServiceExt::oneshot`: no
//! socket, no server, so `cargo test -p spin-api` catches a change to any route, status,
//! message or header in seconds. What needs a real connection (two origins on loopback, a
//! body refused before it is sent) is tested over HTTP in `tests/http/`.

use axum::body::Body;
use http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ALLOW,
    CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, ORIGIN, VARY, X_CONTENT_TYPE_OPTIONS,
};
use http::{Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use spin_api::{Config, MAX_BODY_BYTES};
use spin_game::SpinResponse;
use spin_tests::EXAMPLE_ORIGIN;
use tower::ServiceExt;

/// The README's promise for a body over the limit.
const TOO_LARGE: &str = r#"request body is larger than 1024 bytes; send {"bet": n} or nothing"#;

/// The API as deployed for the example site.
fn app() -> spin_api::App {
    spin_api::app(&Config::with_allowed_origins(EXAMPLE_ORIGIN).unwrap())
}

fn request(method: Method, path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder().method(method).uri(path).body(body.into()).unwrap()
}

/// `POST /spin` with `body`, its length declared as a client would.
fn post_spin(body: &str) -> Request<Body> {
    let mut request = request(Method::POST, "/spin", body.to_owned());
    request.headers_mut().insert(CONTENT_LENGTH, body.len().into());
    request
}

fn from_origin(mut request: Request<Body>, origin: &str) -> Request<Body> {
    request.headers_mut().insert(ORIGIN, origin.parse().unwrap());
    request
}

/// A body that arrives in `chunks` with no length announced, as a chunked upload does.
fn streamed(chunks: Vec<Result<Vec<u8>, std::io::Error>>) -> Body {
    Body::from_stream(futures_util::stream::iter(chunks))
}

async fn send(request: Request<Body>) -> Response<Body> {
    app().oneshot(request).await.unwrap()
}

async fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The status and the `{"error": ...}` message of an error answer, which must be JSON.
async fn error_of(response: Response<Body>) -> (StatusCode, String) {
    let status = response.status();
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json", "{status}");
    let body: Value = serde_json::from_str(&body_text(response).await).unwrap();
    let object = body.as_object().expect("an object");
    assert_eq!(object.len(), 1, "only an error field: {body}");
    (status, body["error"].as_str().expect("an error message").to_owned())
}

/// Every value of header `name` in `response`.
fn header(response: &Response<Body>, name: http::HeaderName) -> Vec<&str> {
    response.headers().get_all(name).iter().map(|v| v.to_str().unwrap()).collect()
}

#[tokio::test]
async fn a_spin_is_json_of_the_documented_shape_with_its_headers() {
    for bet in [1, 7, 10] {
        let response = send(post_spin(&format!(r#"{{"bet": {bet}}}"#))).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, CONTENT_TYPE), ["application/json"]);
        assert_eq!(header(&response, CACHE_CONTROL), ["no-store"]);
        assert_eq!(header(&response, X_CONTENT_TYPE_OPTIONS), ["nosniff"]);
        let body: Value = serde_json::from_str(&body_text(response).await).unwrap();
        let mut fields: Vec<_> = body.as_object().unwrap().keys().map(String::as_str).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["bet", "fair", "payout", "reels", "rules", "stops", "win"]);
        let spin: SpinResponse = serde_json::from_value(body).unwrap();
        assert_eq!(spin.bet.credits(), bet);
        assert!(spin.verify().is_ok(), "{spin:?}");
    }
}

#[tokio::test]
async fn an_empty_body_bets_one() {
    for body in ["", " \n"] {
        let response = send(post_spin(body)).await;
        assert_eq!(response.status(), StatusCode::OK, "{body:?}");
        let spin: SpinResponse = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(spin.bet.credits(), 1, "{body:?}");
    }
}

#[tokio::test]
async fn each_bad_request_gets_400_saying_exactly_what_is_wrong() {
    let whole_number = "a whole number of credits from 1 to 10";
    let cases = [
        ("{", "EOF while parsing an object at line 1 column 1".to_owned()),
        ("{bet: 1}", "key must be a string at line 1 column 2".to_owned()),
        (r#"{"bet": 0}"#, "bet must be from 1 to 10 credits, got 0 at line 1 column 9".to_owned()),
        (
            r#"{"bet": 11}"#,
            "bet must be from 1 to 10 credits, got 11 at line 1 column 10".to_owned(),
        ),
        (
            r#"{"bet": -1}"#,
            format!("invalid value: integer `-1`, expected {whole_number} at line 1 column 10"),
        ),
        (
            r#"{"bet": "3"}"#,
            format!(r#"invalid type: string "3", expected {whole_number} at line 1 column 11"#),
        ),
        (
            r#"{"bet": 1.5}"#,
            format!(
                "invalid type: floating point `1.5`, expected {whole_number} at line 1 column 11"
            ),
        ),
        (
            r#"{"bet": null}"#,
            format!("invalid type: null, expected {whole_number} at line 1 column 12"),
        ),
        ("{}", "missing field `bet` at line 1 column 2".to_owned()),
        (
            r#"{"bet": 1, "credits": 999}"#,
            "unknown field `credits`, expected one of `bet`, `clientSeed`, `nonce`, `epoch` at \
             line 1 column 20"
                .to_owned(),
        ),
    ];
    for (body, reason) in cases {
        let answer = error_of(send(post_spin(body)).await).await;
        assert_eq!(
            answer,
            (StatusCode::BAD_REQUEST, format!("invalid spin request: {reason}")),
            "{body}"
        );
    }
    for not_an_object in ["[1]", "null", "3", r#""bet""#] {
        let answer = error_of(send(post_spin(not_an_object)).await).await;
        let expected = r#"invalid spin request: send a JSON object like {"bet": 1}"#;
        assert_eq!(answer, (StatusCode::BAD_REQUEST, expected.to_owned()), "{not_an_object}");
    }
    let broken = streamed(vec![Ok(b"{\"bet\"".to_vec()), Err(std::io::Error::other("reset"))]);
    let answer = error_of(send(request(Method::POST, "/spin", broken)).await).await;
    assert_eq!(answer, (StatusCode::BAD_REQUEST, "could not read the request body".to_owned()));
}

/// The line after `$ {command}` in the README: what the README says the command prints.
fn readme_output(command: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("the workspace README");
    let mut lines = readme.lines();
    lines.find(|line| line.strip_prefix("$ ") == Some(command)).unwrap_or_else(|| {
        panic!("README.md no longer shows `$ {command}`: update this test with it")
    });
    lines.next().expect("an output line").to_owned()
}

/// The README's `curl` examples of the API are what the router answers, to the byte where
/// the answer is fixed.
#[tokio::test]
async fn the_readme_examples_are_what_the_api_answers() {
    let refused = readme_output(r#"curl -s -X POST http://127.0.0.1:9000/spin -d '{"bet": 11}'"#);
    assert_eq!(body_text(send(post_spin(r#"{"bet": 11}"#)).await).await, refused);

    let asked = r#"{"bet": 2, "clientSeed": "lucky-7", "nonce": 2}"#;
    let spin = readme_output(&format!("curl -s -X POST http://127.0.0.1:9000/spin -d '{asked}'"));
    let documented: Value = serde_json::from_str(&spin).unwrap();
    let answered: Value =
        serde_json::from_str(&body_text(send(post_spin(asked)).await).await).unwrap();
    let fields = |value: &Value| value.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(fields(&documented), fields(&answered), "the README's spin has other fields");
    assert_eq!(documented["bet"], answered["bet"]);
    assert_eq!(documented["fair"]["clientSeed"], answered["fair"]["clientSeed"]);
    assert_eq!(documented["fair"]["nonce"], answered["fair"]["nonce"]);

    let status_line = readme_output("curl -s -i http://127.0.0.1:9000/spin | head -n 1");
    let status = send(request(Method::GET, "/spin", Body::empty())).await.status();
    assert_eq!(status_line, format!("HTTP/1.1 {status}"));
}

#[tokio::test]
async fn unknown_paths_get_404_in_json() {
    for (method, path) in [(Method::POST, "/jackpot"), (Method::GET, "/"), (Method::POST, "/spin/")]
    {
        let response = send(request(method.clone(), path, Body::empty())).await;
        assert_eq!(header(&response, CACHE_CONTROL), ["no-store"], "{method} {path}");
        assert_eq!(header(&response, X_CONTENT_TYPE_OPTIONS), ["nosniff"], "{method} {path}");
        let expected = "no such endpoint: the API has POST /spin, GET /fairness and GET \
                        /fairness/{epoch}"
            .to_owned();
        assert_eq!(error_of(response).await, (StatusCode::NOT_FOUND, expected), "{method} {path}");
    }
}

#[tokio::test]
async fn other_methods_on_spin_get_405_naming_the_allowed_ones() {
    for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
        let response = send(request(method.clone(), "/spin", Body::empty())).await;
        assert_eq!(header(&response, ALLOW), ["POST, OPTIONS"], "{method}");
        let expected = "use POST to spin".to_owned();
        assert_eq!(
            error_of(response).await,
            (StatusCode::METHOD_NOT_ALLOWED, expected),
            "{method}"
        );
    }
}

#[tokio::test]
async fn bodies_over_one_kibibyte_get_413() {
    // From the declared length alone: the body is never read.
    let mut declared = request(Method::POST, "/spin", Body::empty());
    declared.headers_mut().insert(CONTENT_LENGTH, (MAX_BODY_BYTES + 1).into());
    let answer = error_of(send(declared).await).await;
    assert_eq!(answer, (StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE.to_owned()));

    // Streamed with no length: the limit holds while the body arrives.
    let padded = format!(r#"{{"bet": 1, "x": "{}"}}"#, " ".repeat(MAX_BODY_BYTES));
    let chunks = padded.as_bytes().chunks(100).map(|c| Ok(c.to_vec())).collect();
    let answer = error_of(send(request(Method::POST, "/spin", streamed(chunks))).await).await;
    assert_eq!(answer, (StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE.to_owned()));

    // Exactly the limit is fine, streamed or declared.
    let exact = format!(r#"{{"bet": 2}}{}"#, " ".repeat(MAX_BODY_BYTES - 10));
    assert_eq!(exact.len(), MAX_BODY_BYTES);
    assert_eq!(send(post_spin(&exact)).await.status(), StatusCode::OK);
    let chunks = exact.as_bytes().chunks(100).map(|c| Ok(c.to_vec())).collect();
    let streamed_exact = send(request(Method::POST, "/spin", streamed(chunks))).await;
    assert_eq!(streamed_exact.status(), StatusCode::OK);
}

/// One request of every kind of answer: a spin, each error, and a preflight.
fn every_kind_of_request() -> Vec<(&'static str, Request<Body>)> {
    let mut too_large = request(Method::POST, "/spin", Body::empty());
    too_large.headers_mut().insert(CONTENT_LENGTH, (MAX_BODY_BYTES + 1).into());
    let mut preflight = request(Method::OPTIONS, "/spin", Body::empty());
    preflight.headers_mut().insert(ACCESS_CONTROL_REQUEST_METHOD, "POST".parse().unwrap());
    preflight.headers_mut().insert(ACCESS_CONTROL_REQUEST_HEADERS, "content-type".parse().unwrap());
    vec![
        ("spin", post_spin(r#"{"bet": 2}"#)),
        ("fairness", request(Method::GET, "/fairness", Body::empty())),
        ("ended epoch", request(Method::GET, "/fairness/0", Body::empty())),
        ("409", post_spin(r#"{"bet": 1, "clientSeed": "a", "nonce": 0, "epoch": 0}"#)),
        ("400", post_spin("{")),
        ("404", request(Method::POST, "/jackpot", Body::empty())),
        ("405", request(Method::GET, "/spin", Body::empty())),
        ("413", too_large),
        ("preflight", preflight),
    ]
}

#[tokio::test]
async fn a_preflight_from_the_site_allows_get_and_post_with_json_for_ten_minutes() {
    let mut preflight =
        from_origin(request(Method::OPTIONS, "/spin", Body::empty()), EXAMPLE_ORIGIN);
    preflight.headers_mut().insert(ACCESS_CONTROL_REQUEST_METHOD, "POST".parse().unwrap());
    preflight.headers_mut().insert(ACCESS_CONTROL_REQUEST_HEADERS, "content-type".parse().unwrap());
    let response = send(preflight).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_ORIGIN), [EXAMPLE_ORIGIN]);
    assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_METHODS), ["GET,POST,OPTIONS"]);
    assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_HEADERS), ["content-type"]);
    assert_eq!(header(&response, ACCESS_CONTROL_MAX_AGE), ["600"]);
    assert_eq!(header(&response, CACHE_CONTROL), ["no-store"]);
    assert_eq!(body_text(response).await, "");
}

#[tokio::test]
async fn the_site_gets_exactly_one_grant_on_every_answer() {
    for (kind, request) in every_kind_of_request() {
        let response = send(from_origin(request, EXAMPLE_ORIGIN)).await;
        assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_ORIGIN), [EXAMPLE_ORIGIN], "{kind}");
    }
}

#[tokio::test]
async fn other_origins_get_no_grant() {
    let strangers = ["https://evil.example", &format!("{EXAMPLE_ORIGIN}.evil.example"), "null"];
    for stranger in strangers {
        for (kind, request) in every_kind_of_request() {
            let response = send(from_origin(request, stranger)).await;
            let grants = header(&response, ACCESS_CONTROL_ALLOW_ORIGIN);
            assert!(grants.is_empty(), "{kind} from {stranger}: {grants:?}");
        }
    }
}

#[tokio::test]
async fn every_answer_varies_by_origin() {
    for origin in [Some(EXAMPLE_ORIGIN), Some("https://evil.example"), None] {
        for (kind, request) in every_kind_of_request() {
            let request = match origin {
                Some(origin) => from_origin(request, origin),
                None => request,
            };
            let response = send(request).await;
            assert_eq!(header(&response, VARY), ["origin"], "{kind} from {origin:?}");
        }
    }
}

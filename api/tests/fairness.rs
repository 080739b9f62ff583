//! The provably fair routes and spins, on the router with `oneshot` and a clock the test
//! holds: commitments published, seeds revealed only once their epoch has ended (checked at
//! the boundary), spins drawn exactly as `spin-fair-v1` says, and every refusal.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use http::header::{CACHE_CONTROL, CONTENT_LENGTH};
use http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use spin_api::{Config, Secret};
use spin_game::fair::{self, ClientSeed, Epochs, Nonce, ServerSeed};
use spin_game::{STRIPS, SpinResponse, rules_id};
use spin_tests::EXAMPLE_ORIGIN;
use tower::ServiceExt;

const SECRET: [u8; 32] = [42; 32];
const EPOCH_SECONDS: u64 = 60;

/// The API with a known secret, 60-second epochs, and a clock the test sets.
struct Api {
    now: Arc<AtomicU64>,
    app: spin_api::App,
}

impl Api {
    fn at(unix_time: u64) -> Api {
        let now = Arc::new(AtomicU64::new(unix_time));
        let clock = now.clone();
        let config = Config::with_allowed_origins(EXAMPLE_ORIGIN)
            .unwrap()
            .with_epoch_seconds(&EPOCH_SECONDS.to_string())
            .unwrap()
            .with_secret(Secret::new(SECRET.to_vec()))
            .with_clock(Arc::new(move || clock.load(Ordering::SeqCst)));
        Api { now, app: spin_api::app(&config) }
    }

    fn set(&self, unix_time: u64) {
        self.now.store(unix_time, Ordering::SeqCst);
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: &str,
    ) -> (StatusCode, Option<String>, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if !body.is_empty() {
            request = request.header(CONTENT_LENGTH, body.len());
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::from(body.to_owned())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let cache = response.headers().get(CACHE_CONTROL).map(|v| v.to_str().unwrap().to_owned());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, cache, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (StatusCode, Option<String>, Value) {
        self.send(Method::GET, path, "").await
    }

    async fn spin(&self, body: &str) -> (StatusCode, Value) {
        let (status, _, json) = self.send(Method::POST, "/spin", body).await;
        (status, json)
    }
}

fn seed(epoch: u64) -> ServerSeed {
    ServerSeed::derive(&SECRET, epoch)
}

fn commitment(epoch: u64) -> String {
    seed(epoch).commitment().to_string()
}

/// Epoch 1000 starts at 60 000 s and ends at 60 060 s.
const EPOCH: u64 = 1000;
const STARTS: u64 = EPOCH * EPOCH_SECONDS;
const ENDS: u64 = STARTS + EPOCH_SECONDS;

#[tokio::test]
async fn fairness_publishes_the_scheme_rules_strips_commitments_and_ten_revealed_seeds() {
    let api = Api::at(STARTS + 30);
    let (status, cache, doc) = api.get("/fairness").await;
    assert_eq!((status, cache.as_deref()), (StatusCode::OK, Some("no-store")));
    assert_eq!(doc["scheme"], "spin-fair-v1");
    assert_eq!(doc["epochSeconds"], EPOCH_SECONDS);
    assert_eq!(doc["rules"], rules_id());
    let strips: Vec<Vec<&str>> =
        STRIPS.iter().map(|strip| strip.iter().map(|s| s.file_name()).collect()).collect();
    assert_eq!(doc["strips"], serde_json::json!(strips));
    assert_eq!(
        doc["current"],
        serde_json::json!({"epoch": EPOCH, "commitment": commitment(EPOCH), "endsAt": ENDS})
    );
    assert_eq!(
        doc["next"],
        serde_json::json!({"epoch": EPOCH + 1, "commitment": commitment(EPOCH + 1)})
    );
    let revealed = doc["revealed"].as_array().unwrap();
    assert_eq!(revealed.len(), 10);
    for (back, entry) in (1..=10).zip(revealed) {
        let epoch = EPOCH - back;
        assert_eq!(
            *entry,
            serde_json::json!({"epoch": epoch, "commitment": commitment(epoch), "seed": seed(epoch).to_hex()}),
            "newest first"
        );
    }
}

#[tokio::test]
async fn near_the_first_epoch_fewer_seeds_are_revealed() {
    let api = Api::at(2 * EPOCH_SECONDS + 1);
    let (_, _, doc) = api.get("/fairness").await;
    let epochs: Vec<u64> =
        doc["revealed"].as_array().unwrap().iter().map(|e| e["epoch"].as_u64().unwrap()).collect();
    assert_eq!(epochs, [1, 0]);
}

#[tokio::test]
async fn a_seed_is_revealed_exactly_when_its_epoch_ends() {
    let api = Api::at(ENDS - 1);
    let path = format!("/fairness/{EPOCH}");
    let (status, cache, before) = api.get(&path).await;
    assert_eq!((status, cache.as_deref()), (StatusCode::OK, Some("no-store")));
    assert_eq!(before, serde_json::json!({"epoch": EPOCH, "commitment": commitment(EPOCH)}));
    let (_, _, doc) = api.get("/fairness").await;
    assert_ne!(doc["revealed"][0]["epoch"], EPOCH, "not in the list before it ends");
    assert!(!doc.to_string().contains(&seed(EPOCH).to_hex()), "nowhere before it ends");

    api.set(ENDS);
    let (status, cache, after) = api.get(&path).await;
    assert_eq!(
        (status, cache.as_deref()),
        (StatusCode::OK, Some("public, max-age=31536000, immutable"))
    );
    assert_eq!(
        after,
        serde_json::json!({"epoch": EPOCH, "commitment": commitment(EPOCH), "seed": seed(EPOCH).to_hex()})
    );
    let (_, _, doc) = api.get("/fairness").await;
    assert_eq!(doc["revealed"][0]["epoch"], EPOCH);
    assert_eq!(doc["revealed"][0]["seed"], seed(EPOCH).to_hex());
}

#[tokio::test]
async fn the_next_epoch_has_a_commitment_and_later_ones_nothing() {
    let api = Api::at(STARTS);
    let (status, cache, next) = api.get(&format!("/fairness/{}", EPOCH + 1)).await;
    assert_eq!((status, cache.as_deref()), (StatusCode::OK, Some("no-store")));
    assert_eq!(next, serde_json::json!({"epoch": EPOCH + 1, "commitment": commitment(EPOCH + 1)}));
    let (status, _, later) = api.get(&format!("/fairness/{}", EPOCH + 2)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        later["error"],
        format!(
            "epoch {} has no commitment yet: the latest epoch with one is {}",
            EPOCH + 2,
            EPOCH + 1
        )
    );
    // Whole numbers however large, even beyond a 64-bit integer, are epochs not yet begun.
    for huge in
        ["18446744073709551615", "18446744073709551616", "000123456789012345678901234567890"]
    {
        let (status, _, body) = api.get(&format!("/fairness/{huge}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{huge}");
        let said = format!("epoch {} has no commitment yet", huge.trim_start_matches('0'));
        assert!(body["error"].as_str().unwrap().starts_with(&said), "{huge}: {body}");
    }
}

#[tokio::test]
async fn an_epoch_that_is_not_a_whole_number_is_a_bad_request() {
    let api = Api::at(STARTS);
    // `%FF` is not UTF-8: axum would refuse it in plain text.
    for bad in ["abc", "-1", "1.5", "+1", "1e3", "%20", "%FF", "1%FF"] {
        let (status, _, body) = api.get(&format!("/fairness/{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            body["error"].as_str().unwrap().starts_with("epoch must be a whole number"),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_players_spin_is_the_one_the_scheme_gives() {
    let api = Api::at(STARTS + 5);
    let body = format!(r#"{{"bet": 3, "clientSeed": "my-seed_1", "nonce": 41, "epoch": {EPOCH}}}"#);
    let (status, json) = api.spin(&body).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        json["fair"],
        serde_json::json!({
            "scheme": "spin-fair-v1",
            "epoch": EPOCH,
            "commitment": commitment(EPOCH),
            "clientSeed": "my-seed_1",
            "nonce": 41,
        })
    );
    let answer: SpinResponse = serde_json::from_value(json).unwrap();
    let client = ClientSeed::new("my-seed_1").unwrap();
    let expected = fair::spin(&seed(EPOCH), &client, Nonce::new(41).unwrap(), answer.bet);
    assert_eq!(answer.verify(), Ok(expected));
}

#[tokio::test]
async fn each_spin_draws_with_the_seed_of_the_epoch_it_is_made_in() {
    // The server keeps the current epoch's seed ready between spins: at the boundary, the
    // next spin must draw with the new epoch's seed, and a clock that goes back (another
    // instance's, or a test's) with the old one again.
    let api = Api::at(ENDS - 1);
    let client = ClientSeed::new("boundary").unwrap();
    for (now, epoch) in [(ENDS - 1, EPOCH), (ENDS, EPOCH + 1), (ENDS - 1, EPOCH), (ENDS, EPOCH + 1)]
    {
        api.set(now);
        let body =
            format!(r#"{{"bet": 1, "clientSeed": "boundary", "nonce": 7, "epoch": {epoch}}}"#);
        let (status, json) = api.spin(&body).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(json["fair"]["commitment"], commitment(epoch), "at {now}");
        let answer: SpinResponse = serde_json::from_value(json).unwrap();
        assert_eq!(answer.stops, fair::stops(&seed(epoch), &client, Nonce::new(7).unwrap()));
    }
}

#[tokio::test]
async fn without_a_client_seed_the_server_picks_one_and_nonce_zero() {
    let api = Api::at(STARTS);
    let mut seen = Vec::new();
    for body in ["", r#"{"bet": 2}"#] {
        let (status, json) = api.spin(body).await;
        assert_eq!(status, StatusCode::OK);
        let answer: SpinResponse = serde_json::from_value(json).unwrap();
        assert_eq!((answer.fair.epoch, answer.fair.nonce.get()), (EPOCH, 0));
        let expected = fair::stops(&seed(EPOCH), &answer.fair.client_seed, answer.fair.nonce);
        assert_eq!(answer.stops, expected);
        seen.push(answer.fair.client_seed);
    }
    assert_ne!(seen[0], seen[1], "a fresh client seed each time");
}

#[tokio::test]
async fn a_spin_for_another_epoch_is_a_conflict_and_draws_nothing() {
    let api = Api::at(STARTS + 59);
    for other in [EPOCH - 1, EPOCH + 1] {
        let body = format!(r#"{{"bet": 1, "clientSeed": "abc", "nonce": 0, "epoch": {other}}}"#);
        let (status, json) = api.spin(&body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{other}");
        let fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(fields, ["commitment", "epoch", "error"], "nothing else, no spin");
        assert_eq!(
            (json["epoch"].as_u64(), json["commitment"].as_str()),
            (Some(EPOCH), Some(&*commitment(EPOCH)))
        );
    }
    api.set(ENDS);
    let body = format!(r#"{{"bet": 1, "clientSeed": "abc", "nonce": 0, "epoch": {EPOCH}}}"#);
    let (status, json) = api.spin(&body).await;
    assert_eq!(
        (status, json["epoch"].as_u64()),
        (StatusCode::CONFLICT, Some(EPOCH + 1)),
        "no tolerance"
    );
}

#[tokio::test]
async fn malformed_fairness_fields_are_refused_naming_the_field() {
    let api = Api::at(STARTS);
    for (body, field) in [
        (r#"{"bet": 1, "clientSeed": "", "nonce": 0}"#, "clientSeed"),
        (
            &*format!(r#"{{"bet": 1, "clientSeed": "{}", "nonce": 0}}"#, "a".repeat(65)),
            "clientSeed",
        ),
        (r#"{"bet": 1, "clientSeed": "no spaces", "nonce": 0}"#, "clientSeed"),
        (r#"{"bet": 1, "clientSeed": "ünï", "nonce": 0}"#, "clientSeed"),
        (r#"{"bet": 1, "clientSeed": 7, "nonce": 0}"#, "clientSeed"),
        (r#"{"bet": 1, "clientSeed": "a", "nonce": -1}"#, "nonce"),
        (r#"{"bet": 1, "clientSeed": "a", "nonce": 0.5}"#, "nonce"),
        (r#"{"bet": 1, "clientSeed": "a", "nonce": 9007199254740992}"#, "nonce"),
        (r#"{"bet": 1, "clientSeed": "a", "nonce": "3"}"#, "nonce"),
        (r#"{"bet": 1, "clientSeed": "a"}"#, "nonce"),
        (r#"{"bet": 1, "nonce": 3}"#, "clientSeed"),
    ] {
        let (status, json) = api.spin(body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let error = json["error"].as_str().unwrap();
        assert!(
            error.starts_with("invalid spin request: ") && error.contains(field),
            "{body}: {error}"
        );
    }
}

#[tokio::test]
async fn the_fairness_routes_take_get_only() {
    let api = Api::at(STARTS);
    for path in ["/fairness", "/fairness/3"] {
        let request =
            Request::builder().method(Method::POST).uri(path).body(Body::empty()).unwrap();
        let response = api.app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(response.headers()["allow"], "GET, HEAD, OPTIONS", "{path}");
    }
}

#[tokio::test]
async fn an_unreadable_secret_is_a_503_and_read_again_next_time() {
    let calls = Arc::new(AtomicU64::new(0));
    let counted = calls.clone();
    let secret = Secret::fetched_once(move || {
        let call = counted.fetch_add(1, Ordering::SeqCst);
        async move {
            if call == 0 { Err("the extension is not up".to_owned()) } else { Ok(SECRET.to_vec()) }
        }
    });
    let config = Config::with_allowed_origins("").unwrap().with_secret(secret);
    let app = spin_api::app(&config);
    let post = || Request::builder().method(Method::POST).uri("/spin").body(Body::empty()).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0, "not read before a request needs it");
    let response = app.clone().oneshot(post()).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let response = app.clone().oneshot(post()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    app.clone().oneshot(post()).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2, "read until it worked, then kept");
}

#[test]
fn the_default_epoch_is_between_a_minute_and_an_hour() {
    let seconds = spin_api::fairness::DEFAULT_EPOCH_SECONDS;
    assert!((60..=3600).contains(&seconds));
    assert!(Epochs::new(seconds).is_some());
}

//! Malformed events, generated: real event JSON of every front door, mutated (wrong types,
//! missing fields, huge headers, invalid base64, odd methods and paths, unicode, bodies up to
//! 1 MB) and fed to the handler the way the Lambda runtime does. Whatever arrives, the answer
//! is a well-formed HTTP response or a clean invocation error: the event is refused before the
//! handler runs (a deserialization error), or lambda_http itself panics converting it, which
//! the runtime catches and reports (the release profile keeps `panic = "unwind"` for this).
//! A panic in Spin's own code fails the test. Every event must also read exactly as
//! `lambda_http` reads it: `HttpEvent` only takes a shorter way to the same result.
//!
//! The suite runs a bounded number of cases; the long run is
//! `PROPTEST_CASES=1000000 cargo test --release -p spin-lambda --test fuzz_events -- --nocapture`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, LambdaEvent, Service};
use proptest::prelude::*;
use serde_json::{Value, json};
use spin_api::Config;
use spin_game::SpinResponse;
use spin_lambda::event::HttpEvent;
use spin_tests::EXAMPLE_ORIGIN;
use spin_tests::events::Door;

/// Cases in the bounded run (override with `PROPTEST_CASES`).
const CASES: u32 = 2000;

/// Where the last panic happened: a file of ours or of a dependency.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);
static REFUSED: AtomicU64 = AtomicU64::new(0);
static ANSWERED: AtomicU64 = AtomicU64::new(0);
static LIBRARY_PANICS: AtomicU64 = AtomicU64::new(0);

/// Records panics quietly instead of printing a backtrace for each of thousands of cases.
fn install_panic_recorder() {
    std::panic::set_hook(Box::new(|info| {
        let place =
            info.location().map_or("unknown".to_owned(), |l| format!("{}:{}", l.file(), l.line()));
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{place}: {info}"));
    }));
}

/// A panic inside this workspace's crates (not in a dependency from the registry).
fn is_ours(place: &str) -> bool {
    let ours = ["api/src/", "spin-lambda/src/", "game/src/"];
    !place.contains(".cargo/registry")
        && !place.contains("/rustc/")
        && ours.iter().any(|p| place.contains(p))
}

/// A JSON value of any shape, with unicode and control characters in strings.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        "\\PC{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// One way to damage an event.
#[derive(Clone, Debug)]
enum Damage {
    /// Replace the value at a random path (by index into the flattened paths).
    Replace(usize, Value),
    Remove(usize),
    Method(String),
    Path(String),
    Body(String, bool),
    BigBody(usize, bool),
    ManyHeaders(usize, usize),
    Header(String, String),
}

fn damage() -> impl Strategy<Value = Damage> {
    let method = prop_oneof![
        Just("GET".to_owned()),
        Just("OPTIONS".to_owned()),
        Just("post".to_owned()),
        Just("BREW".to_owned()),
        Just(String::new()),
        "\\PC{0,12}",
    ];
    let path = prop_oneof![
        Just("/".to_owned()),
        Just("/spin/".to_owned()),
        Just("//spin".to_owned()),
        Just("/Prod/spin".to_owned()),
        Just("/dev/dev/spin".to_owned()),
        Just("/spin?bet=10".to_owned()),
        Just("/%00%ff".to_owned()),
        "/\\PC{0,30}",
        "[a-z/%?#]{0,64}",
    ];
    let body = prop_oneof![
        Just(r#"{"bet": 10}"#.to_owned()),
        Just(r#"{"bet": -1}"#.to_owned()),
        Just("%%% not base64 %%%".to_owned()),
        "\\PC{0,64}",
        any_json().prop_map(|v| v.to_string()),
    ];
    prop_oneof![
        (any::<usize>(), any_json()).prop_map(|(i, v)| Damage::Replace(i, v)),
        any::<usize>().prop_map(Damage::Remove),
        method.prop_map(Damage::Method),
        path.prop_map(Damage::Path),
        (body, any::<bool>()).prop_map(|(b, encoded)| Damage::Body(b, encoded)),
        (0usize..=1_000_000, any::<bool>()).prop_map(|(n, encoded)| Damage::BigBody(n, encoded)),
        (0usize..300, 0usize..20_000).prop_map(|(n, len)| Damage::ManyHeaders(n, len)),
        ("\\PC{1,16}", "\\PC{0,64}").prop_map(|(n, v)| Damage::Header(n, v)),
    ]
}

/// Every JSON pointer in `value`, depth first.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(path.clone());
                pointers(child, path, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let path = format!("{at}/{i}");
                out.push(path.clone());
                pointers(child, path, out);
            }
        }
        _ => {}
    }
}

fn apply(event: &mut Value, damage: &Damage) {
    let mut paths = Vec::new();
    pointers(event, String::new(), &mut paths);
    let base64 = |text: &str| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(text)
    };
    match damage {
        Damage::Replace(i, value) => {
            if let Some(target) = event.pointer_mut(&paths[i % paths.len()]) {
                *target = value.clone();
            }
        }
        Damage::Remove(i) => {
            let path = &paths[i % paths.len()];
            let (parent, key) = path.rsplit_once('/').unwrap();
            match event.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        items.remove(i.min(items.len().saturating_sub(1)));
                    }
                }
                _ => {}
            }
        }
        Damage::Method(method) => {
            for pointer in
                ["/httpMethod", "/requestContext/httpMethod", "/requestContext/http/method"]
            {
                if let Some(slot) = event.pointer_mut(pointer) {
                    *slot = json!(method);
                }
            }
        }
        Damage::Path(path) => {
            for pointer in
                ["/path", "/rawPath", "/requestContext/http/path", "/requestContext/path"]
            {
                if let Some(slot) = event.pointer_mut(pointer) {
                    *slot = json!(path);
                }
            }
        }
        Damage::Body(body, encoded) => {
            event["body"] = json!(if *encoded { base64(body) } else { body.clone() });
            event["isBase64Encoded"] = json!(encoded);
        }
        Damage::BigBody(len, encoded) => {
            let body = "x".repeat(*len);
            event["body"] = json!(if *encoded { base64(&body) } else { body });
            event["isBase64Encoded"] = json!(encoded);
        }
        Damage::ManyHeaders(count, len) => {
            for map in ["headers", "multiValueHeaders"] {
                if let Some(headers) = event.get_mut(map).and_then(Value::as_object_mut) {
                    for i in 0..*count {
                        let value = "v".repeat(*len / (*count).max(1));
                        let value = if map == "headers" { json!(value) } else { json!([value]) };
                        headers.insert(format!("x-fuzz-{i}"), value);
                    }
                }
            }
        }
        Damage::Header(name, value) => {
            for map in ["headers", "multiValueHeaders"] {
                if let Some(headers) = event.get_mut(map).and_then(Value::as_object_mut) {
                    let value = if map == "headers" { json!(value) } else { json!([value]) };
                    headers.insert(name.clone(), value);
                }
            }
        }
    }
}

/// The event as the function reads it ([`HttpEvent`]), which must be `lambda_http`'s own
/// reading: the same front door with the same fields, or the same error.
fn read(event: &Value) -> Result<Option<LambdaRequest>, TestCaseError> {
    let bytes = serde_json::to_vec(event).unwrap();
    match (
        serde_json::from_slice::<HttpEvent>(&bytes),
        serde_json::from_slice::<LambdaRequest>(&bytes),
    ) {
        (Ok(HttpEvent(ours)), Ok(theirs)) => {
            let same = match (&ours, &theirs) {
                (LambdaRequest::ApiGatewayV1(a), LambdaRequest::ApiGatewayV1(b)) => a == b,
                (LambdaRequest::ApiGatewayV2(a), LambdaRequest::ApiGatewayV2(b)) => a == b,
                (LambdaRequest::Alb(a), LambdaRequest::Alb(b)) => a == b,
                _ => false,
            };
            prop_assert!(same, "read as {ours:?}, lambda_http reads {theirs:?}");
            Ok(Some(ours))
        }
        (Err(ours), Err(theirs)) => {
            prop_assert_eq!(ours.to_string(), theirs.to_string());
            Ok(None)
        }
        (ours, theirs) => {
            Err(TestCaseError::fail(format!("read as {ours:?}, lambda_http reads {theirs:?}")))
        }
    }
}

/// Hands `event` to the handler as the runtime would and checks the outcome is clean.
fn check(runtime: &tokio::runtime::Runtime, event: Value) -> Result<(), TestCaseError> {
    let Some(request) = read(&event)? else {
        // The runtime reports a deserialization error; the handler never runs.
        REFUSED.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    };
    let config = Config::with_allowed_origins(EXAMPLE_ORIGIN).unwrap();
    *LAST_PANIC.lock().unwrap() = None;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut adapter = Adapter::from(spin_lambda::service(&config));
        runtime.block_on(adapter.call(LambdaEvent::new(request, Context::default())))
    }));
    match outcome {
        Err(_) => {
            let place = LAST_PANIC.lock().unwrap().take().unwrap_or_default();
            prop_assert!(!is_ours(&place), "Spin's own code panicked: {place}");
            LIBRARY_PANICS.fetch_add(1, Ordering::Relaxed);
        }
        Ok(Err(error)) => prop_assert!(false, "the router returned an error: {error:?}"),
        Ok(Ok(response)) => {
            // Damage can turn one door's event into another's format, so read the answer
            // whatever its format.
            let response = serde_json::to_value(response).unwrap();
            let body = response["body"].as_str().unwrap_or_default();
            prop_assert!(response["isBase64Encoded"] != true, "a JSON answer in base64");
            match response["statusCode"].as_u64().unwrap_or(0) {
                // A spin, or a preflight (no body).
                200 if !body.is_empty() => {
                    let spin = serde_json::from_str::<SpinResponse>(body);
                    prop_assert!(spin.is_ok_and(|s| s.verify().is_ok()), "not a spin: {body:?}");
                }
                200 => {}
                // The errors the API answers, in JSON (a HEAD answer has no body).
                400 | 404 | 405 | 413 if !body.is_empty() => {
                    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
                    prop_assert!(json["error"].is_string(), "error body {body:?}");
                }
                400 | 404 | 405 | 413 => {}
                status => prop_assert!(false, "status {status}, which the API never answers"),
            }
            ANSWERED.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(())
}

#[test]
fn no_event_makes_spin_panic_or_answer_malformed() {
    install_panic_recorder();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(CASES);
    let config = ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() };
    let doors = Door::ALL.map(|door| (door, door.event().json));
    let strategy = (0..doors.len(), prop::collection::vec(damage(), 1..4));
    let result =
        proptest::test_runner::TestRunner::new(config).run(&strategy, |(door, damages)| {
            let mut event = doors[door].1.clone();
            for damage in &damages {
                apply(&mut event, damage);
            }
            check(&runtime, event)
        });
    let _ = std::panic::take_hook();
    println!(
        "{cases} cases: {} answered with an HTTP response, {} refused as not an HTTP event, \
         {} caught panics inside lambda_http (reported as invocation errors), 0 in Spin",
        ANSWERED.load(Ordering::Relaxed),
        REFUSED.load(Ordering::Relaxed),
        LIBRARY_PANICS.load(Ordering::Relaxed),
    );
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

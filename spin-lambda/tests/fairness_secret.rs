//! Where the real binary gets its fairness secret: from the AWS Parameters and Secrets Lambda
//! Extension (here a stand-in on loopback that answers as the extension does), once per
//! process, on the first request and not during init; and a bad `SPIN_EPOCH_SECONDS` or
//! `SPIN_SECRET` stops it at start-up with a log line.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::get;
use lambda_emulator::{Emulator, Outcome};
use serde_json::{Value, json};
use spin_game::SpinResponse;
use spin_game::fair::ServerSeed;
use spin_tests::EXAMPLE_ORIGIN;
use spin_tests::events::{Door, HttpAnswer};

const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spin-fairness-AbC123";
const TOKEN: &str = "session-token-of-the-function";
const SECRET: [u8; 32] = [0x5c; 32];

/// The extension's stand-in: counts requests, answers `GetSecretValue` for `ARN` to callers
/// with the session token, and fails the first `failures` requests with 500.
#[derive(Clone)]
struct Extension {
    requests: Arc<AtomicUsize>,
    failures: usize,
}

async fn get_secret(
    State(extension): State<Extension>,
    headers: HeaderMap,
    uri: Uri,
) -> (StatusCode, String) {
    let number = extension.requests.fetch_add(1, Ordering::SeqCst);
    if headers.get("x-aws-parameters-secrets-token").is_none_or(|t| t != TOKEN) {
        return (StatusCode::UNAUTHORIZED, "no token".into());
    }
    let query = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes());
    if !query.into_iter().any(|(key, value)| key == "secretId" && value == ARN) {
        return (StatusCode::NOT_FOUND, "no such secret".into());
    }
    if number < extension.failures {
        return (StatusCode::INTERNAL_SERVER_ERROR, "not ready".into());
    }
    let hex: String = SECRET.iter().map(|b| format!("{b:02x}")).collect();
    (
        StatusCode::OK,
        json!({ "ARN": ARN, "Name": "spin-fairness", "SecretString": hex }).to_string(),
    )
}

async fn start_extension(failures: usize) -> (Extension, u16) {
    let extension = Extension { requests: Arc::new(AtomicUsize::new(0)), failures };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app =
        Router::new().route("/secretsmanager/get", get(get_secret)).with_state(extension.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (extension, port)
}

/// The spin event of the HTTP API's `$default` stage.
fn spin_event() -> Value {
    Door::HttpApiV2Default.event().json
}

async fn spin(emulator: &Emulator) -> HttpAnswer {
    let invocation = tokio::time::timeout(Duration::from_secs(10), emulator.invoke(&spin_event()))
        .await
        .expect("an answer within 10 s")
        .expect("the emulator is running");
    match invocation.outcome {
        Outcome::Response(response) => HttpAnswer::parse(Door::HttpApiV2Default, &response),
        other => panic!("expected an HTTP answer, got {other:?}"),
    }
}

/// The binary under `emulator`, told to read its secret from the ARN through the extension on
/// `port`, with `env` besides.
fn reading_the_arn(emulator: &Emulator, port: u16, env: &[(&str, &str)]) -> tokio::process::Child {
    emulator
        .command(env!("CARGO_BIN_EXE_spin-lambda"))
        .env("ALLOWED_ORIGINS", EXAMPLE_ORIGIN)
        .env("SPIN_SECRET_ARN", ARN)
        .env("AWS_SESSION_TOKEN", TOKEN)
        .env("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", port.to_string())
        .envs(env.iter().copied())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_secret_is_read_once_through_the_extension_and_not_during_init() {
    let (extension, port) = start_extension(1).await;
    let emulator = Emulator::start().await.unwrap();
    let mut child = reading_the_arn(&emulator, port, &[("SPIN_EPOCH_SECONDS", "60")]);
    tokio::time::timeout(Duration::from_secs(10), emulator.polled()).await.unwrap();
    assert_eq!(extension.requests.load(Ordering::SeqCst), 0, "init reads no secret");

    // The extension fails the first read: that spin is refused with 503, nothing is kept.
    let refused = spin(&emulator).await;
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(extension.requests.load(Ordering::SeqCst), 1);

    for _ in 0..3 {
        let answer = spin(&emulator).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let spin: SpinResponse = serde_json::from_str(&answer.body).unwrap();
        let seed = ServerSeed::derive(&SECRET, spin.fair.epoch);
        assert_eq!(spin.fair.commitment, seed.commitment(), "drawn with the extension's secret");
    }
    assert_eq!(extension.requests.load(Ordering::SeqCst), 2, "read until it worked, then kept");
    let _ = child.kill().await;
}

/// A template that leaves `SPIN_SECRET` empty, rather than unset, still gets the secret the ARN
/// names (`Config` reads an empty `SPIN_SECRET` as unset: the two must agree).
#[tokio::test(flavor = "multi_thread")]
async fn an_empty_spin_secret_counts_as_unset() {
    let (extension, port) = start_extension(0).await;
    let emulator = Emulator::start().await.unwrap();
    let mut child = reading_the_arn(&emulator, port, &[("SPIN_SECRET", "")]);
    let answer = spin(&emulator).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let spin: SpinResponse = serde_json::from_str(&answer.body).unwrap();
    let seed = ServerSeed::derive(&SECRET, spin.fair.epoch);
    assert_eq!(spin.fair.commitment, seed.commitment(), "drawn with the extension's secret");
    assert_eq!(extension.requests.load(Ordering::SeqCst), 1);
    let _ = child.kill().await;
}

/// Starts the binary with `env` and returns its exit status and what it logged.
async fn start_up_failure(env: &[(&str, &str)]) -> (bool, String) {
    let emulator = Emulator::start().await.unwrap();
    let mut command = emulator.command(env!("CARGO_BIN_EXE_spin-lambda"));
    command.env("ALLOWED_ORIGINS", EXAMPLE_ORIGIN).envs(env.iter().copied());
    let output = tokio::time::timeout(Duration::from_secs(10), command.output())
        .await
        .expect("it stops by itself")
        .unwrap();
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test]
async fn bad_fairness_settings_stop_the_function_at_start_up_saying_why() {
    for (name, value, says) in [
        (
            "SPIN_EPOCH_SECONDS",
            "0",
            "SPIN_EPOCH_SECONDS \\\"0\\\" is not a whole number of seconds",
        ),
        ("SPIN_EPOCH_SECONDS", "90000", "from 1 to 86400"),
        ("SPIN_SECRET", "abc", "SPIN_SECRET is not hexadecimal"),
        ("SPIN_SECRET", "abcd", "SPIN_SECRET has 2 bytes; use at least 32"),
    ] {
        let (succeeded, logged) = start_up_failure(&[(name, value)]).await;
        assert!(!succeeded, "{name}={value} started");
        assert!(logged.contains(says), "{name}={value}: {logged}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_any_secret_it_spins_with_its_own_and_warns_once() {
    let emulator = Emulator::start().await.unwrap();
    let mut child = emulator
        .command(env!("CARGO_BIN_EXE_spin-lambda"))
        .env("ALLOWED_ORIGINS", EXAMPLE_ORIGIN)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    assert_eq!(spin(&emulator).await.status, 200);
    assert_eq!(spin(&emulator).await.status, 200);
    let _ = child.start_kill();
    let output = child.wait_with_output().await.unwrap();
    let logged = String::from_utf8_lossy(&output.stdout);
    assert_eq!(logged.matches("random secret of its own").count(), 1, "{logged}");
}

//! The built `spin-lambda` executable, started the way AWS Lambda starts `bootstrap`: as its
//! own process, talking to a Runtime API (our emulator) for events. Proves the real binary
//! answers every door, survives malformed and non-HTTP events, and logs and counts spins.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lambda_emulator::{Emulator, Invocation, Outcome};
use serde_json::{Value, json};
use spin_game::SpinResponse;
use spin_tests::EXAMPLE_ORIGIN;
use spin_tests::events::{Door, Ending, HttpAnswer};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;

/// The function process and every line it wrote to stdout (where Lambda collects logs).
struct Function {
    emulator: Emulator,
    child: Child,
    stdout: Arc<Mutex<Vec<String>>>,
}

impl Function {
    async fn start(allowed_origins: &str) -> Function {
        let emulator = Emulator::start().await.unwrap();
        let mut child = emulator
            .command(env!("CARGO_BIN_EXE_spin-lambda"))
            .env("ALLOWED_ORIGINS", allowed_origins)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let sink = stdout.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                sink.lock().unwrap().push(line);
            }
        });
        Function { emulator, child, stdout }
    }

    async fn invoke(&mut self, event: &Value) -> Invocation {
        let invocation = tokio::time::timeout(Duration::from_secs(10), self.emulator.invoke(event))
            .await
            .expect("the function answers within 10 s")
            .expect("the emulator is running");
        assert!(self.child.try_wait().unwrap().is_none(), "the function process exited");
        invocation
    }

    async fn http(&mut self, door: Door, event: &Value) -> HttpAnswer {
        match self.invoke(event).await.outcome {
            Outcome::Response(response) => HttpAnswer::parse(door, &response),
            other => panic!("{door:?}: expected an HTTP response, got {other:?}"),
        }
    }

    fn stdout_json(&self) -> Vec<Value> {
        let lines = self.stdout.lock().unwrap();
        lines.iter().filter_map(|line| serde_json::from_str(line).ok()).collect()
    }
}

#[tokio::test]
async fn the_binary_answers_every_door() {
    let mut function = Function::start(EXAMPLE_ORIGIN).await;
    for door in Door::ALL {
        let answer = function.http(door, &door.event().json).await;
        assert_eq!(answer.status, 200, "{door:?}: {}", answer.body);
        assert_eq!(answer.one("access-control-allow-origin"), EXAMPLE_ORIGIN, "{door:?}");
        let spin: SpinResponse = serde_json::from_str(&answer.body).unwrap();
        assert!(spin.verify().is_ok(), "{door:?}");
        assert_eq!(spin.bet.credits(), 3);
    }
}

#[tokio::test]
async fn malformed_and_foreign_events_never_take_the_process_down() {
    let mut function = Function::start(EXAMPLE_ORIGIN).await;
    let good = Door::HttpApiV2Default.event().json;

    let mut bad_base64 = Door::FunctionUrl.event().json;
    bad_base64["body"] = json!("%%% not base64 %%%");
    let s3_event = json!({"Records": [{"eventSource": "aws:s3", "s3": {"bucket": {"name": "b"}}}]});
    let mut bad_host = Door::RestApiV1.event().json;
    bad_host["headers"]["Host"] = json!("bad host/with spaces");
    bad_host["multiValueHeaders"]["Host"] = json!(["bad host/with spaces"]);
    let bad_json = Door::AlbMultiValue.event().body("{").json;
    // lambda_http refuses what is no HTTP event (the handler never runs) and panics on some
    // broken ones (the runtime catches it: the profile keeps panic = "unwind"); what reaches
    // the router is answered in JSON.
    let malformed = [
        (bad_base64, Ending::Panicked),
        (s3_event, Ending::NotHttp),
        (json!("just a string"), Ending::NotHttp),
        (json!({}), Ending::NotHttp),
        (json!(null), Ending::NotHttp),
        (bad_host, Ending::Panicked),
        (bad_json, Ending::Http(400)),
    ];

    for (event, expected) in &malformed {
        let ending = match function.invoke(event).await.outcome {
            Outcome::Error { body, .. } => Ending::of_error(&body),
            Outcome::Response(response) => {
                let answer = HttpAnswer::parse(Door::AlbMultiValue, &response);
                assert!(answer.json()["error"].is_string(), "{event} answered {response}");
                Ending::Http(answer.status)
            }
        };
        assert_eq!(ending, *expected, "{event}");
        // The next good event is served as usual.
        let answer = function.http(Door::HttpApiV2Default, &good).await;
        assert_eq!(answer.status, 200, "after {event}");
    }
}

#[tokio::test]
async fn each_spin_is_logged_as_json_and_counted_in_embedded_metric_format() {
    let mut function = Function::start(EXAMPLE_ORIGIN).await;
    let answer = function.http(Door::HttpApiV2Default, &Door::HttpApiV2Default.event().json).await;
    let spin: SpinResponse = serde_json::from_str(&answer.body).unwrap();
    // Let the output reader catch up with the process.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lines = function.stdout_json();

    let log = lines
        .iter()
        .find(|line| line["fields"]["message"] == "spin")
        .unwrap_or_else(|| panic!("no JSON spin log in {lines:?}"));
    assert_eq!(log["level"], "INFO");
    assert_eq!(log["fields"]["bet"], 3);
    assert_eq!(log["fields"]["payout"], spin.payout);

    let emf = lines
        .iter()
        .find(|line| line.get("_aws").is_some() && line.get("Spins").is_some())
        .unwrap_or_else(|| panic!("no EMF metrics line in {lines:?}"));
    assert_eq!(emf["_aws"]["CloudWatchMetrics"][0]["Namespace"], "Spin");
    assert_eq!(emf["Spins"], 1);
    assert_eq!(emf["CreditsBet"], 3);
    assert_eq!(emf["CreditsPaid"], spin.payout);
    assert!(emf["RequestId"].as_str().unwrap().starts_with("emulated-"));
}

#[tokio::test]
async fn a_bad_allowed_origins_setting_stops_start_up_with_a_clear_message() {
    let not_an_origin = EXAMPLE_ORIGIN.strip_prefix("https://").unwrap();
    let mut function = Function::start(not_an_origin).await;
    let status = tokio::time::timeout(Duration::from_secs(10), function.child.wait())
        .await
        .expect("the process exits")
        .unwrap();
    assert!(!status.success());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lines = function.stdout_json();
    let error = lines
        .iter()
        .find(|line| line["level"] == "ERROR")
        .unwrap_or_else(|| panic!("no error logged in {lines:?}"));
    assert_eq!(error["fields"]["message"], "invalid configuration");
    let why = error["fields"]["error"].as_str().unwrap();
    let expected = format!("ALLOWED_ORIGINS entry {not_an_origin:?} is not an origin");
    assert!(why.contains(&expected), "{why}");
}

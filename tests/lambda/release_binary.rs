//! The release `spin-lambda` exactly as Lambda runs it (static musl, x86_64 here), under the
//! Runtime API emulator, on a long stream of mixed good and malformed events.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use lambda_emulator::{Emulator, Invocation, Outcome};
use serde_json::{Value, json};
use spin_game::SpinResponse;
use spin_tests::EXAMPLE_ORIGIN;
use spin_tests::events::{Door, Ending, HttpAnswer};
use xtask::lambda::{self, Arch};

const EVENTS: usize = 10_000;

/// Resident memory of process `pid`, from /proc, in kB.
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A malformed or foreign event, and how the function must end it.
fn bad_events() -> [(Door, Value, Ending); 4] {
    let mut bad_base64 = Door::FunctionUrl.event().json;
    bad_base64["body"] = json!("!!not base64!!");
    let bad_bet = Door::RestApiV1.event().body(r#"{"bet": "all"}"#).json;
    [
        (Door::FunctionUrl, bad_base64, Ending::Panicked),
        (Door::RestApiV1, json!({"Records": []}), Ending::NotHttp),
        (Door::RestApiV1, json!([1, 2, 3]), Ending::NotHttp),
        (Door::RestApiV1, bad_bet, Ending::Http(400)),
    ]
}

/// How the function ended `invocation` of an event from `door`; a spin must be a valid one
/// with the bet the fixtures ask for, and a refusal a JSON error.
fn ending(door: Door, invocation: Invocation) -> Ending {
    let response = match invocation.outcome {
        Outcome::Response(response) => response,
        Outcome::Error { body, .. } => return Ending::of_error(&body),
    };
    let answer = HttpAnswer::parse(door, &response);
    if answer.status == 200 {
        let spin: SpinResponse = serde_json::from_str(&answer.body).unwrap();
        assert!(spin.verify().is_ok() && spin.bet.credits() == 3, "{spin:?}");
    } else {
        assert!(answer.json()["error"].is_string(), "{}", answer.body);
    }
    Ending::Http(answer.status)
}

/// Ten thousand events, one in four malformed or foreign: the process never exits, every
/// good event gets a valid spin, every bad one the answer or invocation error it must, and
/// its memory stays flat.
///
/// It must be the musl build: a glibc build of any `lambda_runtime` function grows by about
/// 120 bytes per invocation, because the runtime sets `_X_AMZN_TRACE_ID` for every event and
/// glibc's `setenv` keeps every value it was ever given; musl frees the old one.
#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_mixed_events_leave_the_process_serving_and_its_memory_flat() {
    xtask::test::check_prepared().unwrap_or_else(|missing| panic!("{missing}"));
    let binary =
        tokio::task::spawn_blocking(|| lambda::build(Arch::X86_64)).await.unwrap().unwrap();
    let emulator = Emulator::start().await.unwrap();
    let mut child = emulator
        .command(&binary)
        .env("ALLOWED_ORIGINS", EXAMPLE_ORIGIN)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();

    let good: Vec<_> =
        Door::ALL.iter().map(|&door| (door, door.event().json, Ending::Http(200))).collect();
    let bad = bad_events();
    let mut endings = BTreeMap::new();
    let mut rss_after_warm_up = 0;
    for i in 0..EVENTS {
        let (door, event, expected) =
            if i % 4 == 3 { &bad[(i / 4) % bad.len()] } else { &good[i % good.len()] };
        let invocation = tokio::time::timeout(Duration::from_secs(10), emulator.invoke(event))
            .await
            .expect("an answer within 10 s")
            .expect("the emulator is running");
        let ending = ending(*door, invocation);
        assert_eq!(ending, *expected, "event {i}: {event}");
        *endings.entry(ending).or_insert(0) += 1;
        if i == 999 {
            rss_after_warm_up = rss_kb(pid);
        }
    }
    assert!(child.try_wait().unwrap().is_none(), "the process is still running");
    let rss_at_end = rss_kb(pid);
    println!(
        "{EVENTS} events through the release binary: {endings:?}; \
         RSS {rss_after_warm_up} kB after 1 000 events, {rss_at_end} kB after {EVENTS}"
    );
    // Three in four spin; the bad quarter is split evenly over the four kinds of bad event.
    let expected = BTreeMap::from([
        (Ending::Http(200), 7500),
        (Ending::Http(400), 625),
        (Ending::NotHttp, 1250),
        (Ending::Panicked, 625),
    ]);
    assert_eq!(endings, expected);
    assert!(
        rss_at_end <= rss_after_warm_up + 256,
        "memory grew from {rss_after_warm_up} kB to {rss_at_end} kB"
    );
}

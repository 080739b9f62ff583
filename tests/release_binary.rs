//! The release `spin-lambda` exactly as Lambda runs it (static musl, x86_64 here), under the
//! Runtime API emulator, on a long stream of mixed good and malformed events.

use std::process::Stdio;
use std::time::Duration;

use lambda_emulator::{Emulator, Outcome};
use serde_json::json;
use spin_game::SpinResponse;
use spin_tests::events::{Door, HttpAnswer};
use xtask::lambda::{self, Arch};

const EVENTS: usize = 10_000;

/// Resident memory of process `pid`, from /proc, in kB.
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Ten thousand events, one in four malformed or foreign: the process never exits, every
/// good event gets a valid spin, and its memory stays flat.
///
/// It must be the musl build: a glibc build of any `lambda_runtime` function grows by about
/// 120 bytes per invocation, because the runtime sets `_X_AMZN_TRACE_ID` for every event and
/// glibc's `setenv` keeps every value it was ever given; musl frees the old one.
#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_mixed_events_leave_the_process_serving_and_its_memory_flat() {
    let binary =
        tokio::task::spawn_blocking(|| lambda::build(Arch::X86_64)).await.unwrap().unwrap();
    let emulator = Emulator::start().await.unwrap();
    let mut child = emulator
        .command(&binary)
        .env("ALLOWED_ORIGINS", "https://spin.example.com")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();

    let mut bad_base64 = Door::FunctionUrl.event().json;
    bad_base64["body"] = json!("!!not base64!!");
    let mut bad_bet = Door::RestApiV1.event().json;
    bad_bet["body"] = json!(r#"{"bet": "all"}"#);
    let malformed = [bad_base64, json!({"Records": []}), json!([1, 2, 3]), bad_bet];
    let good_events: Vec<_> = Door::ALL.iter().map(|door| (*door, door.event().json)).collect();

    let (mut good, mut spins, mut rss_after_warm_up) = (0, 0, 0);
    for i in 0..EVENTS {
        let is_good = i % 4 != 3;
        let (door, event) = if is_good {
            good_events[i % good_events.len()].clone()
        } else {
            (Door::RestApiV1, malformed[(i / 4) % malformed.len()].clone())
        };
        let invocation = tokio::time::timeout(Duration::from_secs(10), emulator.invoke(&event))
            .await
            .expect("an answer within 10 s")
            .expect("the emulator is running");
        if is_good {
            good += 1;
            let Outcome::Response(response) = invocation.outcome else {
                panic!("good event {i} failed")
            };
            let spin: SpinResponse =
                serde_json::from_str(&HttpAnswer::parse(door, &response).body).unwrap();
            assert!(spin.verify().is_ok(), "event {i}");
            spins += 1;
        }
        if i == 999 {
            rss_after_warm_up = rss_kb(pid);
        }
    }
    assert!(child.try_wait().unwrap().is_none(), "the process is still running");
    let rss_at_end = rss_kb(pid);
    println!(
        "{EVENTS} events ({good} good, {} malformed) through the release binary: {spins} valid spins; \
         RSS {rss_after_warm_up} kB after 1 000 events, {rss_at_end} kB after {EVENTS}",
        EVENTS - good
    );
    assert_eq!(spins, good);
    assert!(
        rss_at_end <= rss_after_warm_up + 256,
        "memory grew from {rss_after_warm_up} kB to {rss_at_end} kB"
    );
}

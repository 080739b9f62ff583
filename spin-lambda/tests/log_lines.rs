//! The function's JSON log lines ([`spin_lambda::log::JsonLogs`]) are byte for byte the lines
//! `tracing-subscriber`'s JSON formatter wrote with the function's former settings: the field
//! names and value formats are what CloudWatch Logs Insights queries and the tests read.

use std::cell::RefCell;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use spin_lambda::log::JsonLogs;
use tracing::field::Empty;
use tracing::span::{Attributes, Id};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, SubscriberExt};

thread_local! {
    static WRITTEN: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn capture(line: &[u8]) {
    WRITTEN.with(|written| written.borrow_mut().extend_from_slice(line));
}

/// A layer that wants every span and event, as the X-Ray layer wants spans at any level: beside
/// it, spans below the log level exist, and an event inside one is written with the nearest
/// enabled span around it.
struct WantsEverything;

impl<S: tracing::Subscriber> Layer<S> for WantsEverything {}

/// What `JsonLogs` writes for the events of `scenario` at `level`, beside a layer that wants
/// everything or alone.
fn json_logs(level: LevelFilter, beside: bool, scenario: fn()) -> String {
    WRITTEN.with(|written| written.borrow_mut().clear());
    let subscriber = tracing_subscriber::registry()
        .with(match beside {
            true => JsonLogs::to(level, capture).without_level_hint(),
            false => JsonLogs::to(level, capture),
        })
        .with(beside.then_some(WantsEverything));
    tracing::subscriber::with_default(subscriber, scenario);
    String::from_utf8(WRITTEN.with(|written| written.take())).unwrap()
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Buffer {
        self.clone()
    }
}

/// What the formatter the function used before writes for the same events.
fn tracing_subscriber_json(level: LevelFilter, beside: bool, scenario: fn()) -> String {
    let buffer = Buffer::default();
    let layer = tracing_subscriber::fmt::layer()
        .json()
        .with_target(false)
        .with_current_span(true)
        .with_span_list(false)
        .without_time()
        .with_writer(buffer.clone())
        .with_filter(level);
    let subscriber =
        tracing_subscriber::registry().with(layer).with(beside.then_some(WantsEverything));
    tracing::subscriber::with_default(subscriber, scenario);
    String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap()
}

/// An invocation as the function runs it: `lambda_runtime`'s span, the handler's `spin` span
/// (opened, recorded, closed, never entered) and the spin's log line.
fn a_spin() {
    let invocation = tracing::info_span!(
        "Lambda runtime invoke",
        requestId = "emulated-1",
        xrayTraceId = "Root=1-00000000-00000000000000emulated-1;Sampled=0"
    );
    let _entered = invocation.enter();
    let span = tracing::info_span!("spin", bet = 3u8, payout = Empty, rules = "e8a86595c376");
    span.record("payout", 6u32);
    drop(span);
    tracing::info!(
        bet = 3u8,
        payout = 6u32,
        win = true,
        stops = ?[7u8, 2, 1],
        rules = "e8a86595c376",
        epoch = 5987396u64,
        "spin"
    );
}

/// Every kind of value and span the formatter handles differently.
fn everything_else() {
    tracing::error!(error = %"ALLOWED_ORIGINS entry \"x\" is not an origin", "invalid configuration");
    tracing::warn!(
        text = "quote \" backslash \\ newline \n tab \t bell \u{7} é 🎰",
        negative = -5i64,
        half = 1.5f64,
        nan = f64::NAN,
        big = u64::MAX,
        wide = 1u128 << 100,
        debugged = ?Some("a\"b"),
        "no span: {} {}", 1, "two"
    );
    tracing::debug!("below the level: never written");
    let outer = tracing::warn_span!("outer", zeta = 1, alpha = "a", middle = false, late = Empty);
    let _outer = outer.enter();
    outer.record("late", "recorded");
    outer.record("zeta", 2);
    tracing::info!("in the outer span");
    {
        let quiet = tracing::debug_span!("quiet", hidden = 1);
        let _quiet = quiet.enter();
        tracing::info!("in a span below the level: the outer span is the current one");
        let bare = tracing::error_span!("bare");
        let _bare = bare.enter();
        tracing::error!(bytes = ?b"ab", "in a span without fields");
    }
    let other = tracing::info_span!("other", bytes = &b"\x00\xff"[..], r#type = ?"debug");
    tracing::info!(parent: &other, "with an explicit parent");
    tracing::info!(parent: None, "a root event still names the current span");
}

#[test]
fn a_spin_is_logged_exactly_as_before() {
    let written = json_logs(LevelFilter::INFO, false, a_spin);
    assert_eq!(written, tracing_subscriber_json(LevelFilter::INFO, false, a_spin));
    assert_eq!(json_logs(LevelFilter::INFO, true, a_spin), written);
    // The contract itself, so that it holds even if both formatters changed together.
    assert_eq!(
        written,
        r#"{"level":"INFO","fields":{"message":"spin","bet":3,"payout":6,"win":true,"stops":"[7, 2, 1]","rules":"e8a86595c376","epoch":5987396},"span":{"requestId":"emulated-1","xrayTraceId":"Root=1-00000000-00000000000000emulated-1;Sampled=0","name":"Lambda runtime invoke"}}"#
            .to_owned()
            + "\n"
    );
}

#[test]
fn every_value_span_and_level_is_written_as_before() {
    let levels = [LevelFilter::TRACE, LevelFilter::INFO, LevelFilter::WARN, LevelFilter::OFF];
    for (level, beside) in levels.into_iter().flat_map(|level| [(level, false), (level, true)]) {
        let written = json_logs(level, beside, everything_else);
        let expected = tracing_subscriber_json(level, beside, everything_else);
        assert_eq!(written, expected, "at {level}, beside another layer: {beside}");
        let lines = written.lines().count();
        let expected = match level {
            LevelFilter::TRACE => 8,
            LevelFilter::INFO => 7,
            LevelFilter::WARN => 3,
            _ => 0,
        };
        assert_eq!(lines, expected, "at {level}, beside another layer: {beside}: {written}");
        for line in written.lines() {
            serde_json::from_str::<serde_json::Value>(line).unwrap();
        }
    }
}

/// Counts the spans it sees.
struct CountsSpans(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for CountsSpans {
    fn on_new_span(&self, _: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn without_the_level_hint_other_layers_see_spans_above_the_log_level() {
    let seen = Arc::new(AtomicUsize::new(0));
    let logs = JsonLogs::to(LevelFilter::ERROR, capture).without_level_hint();
    let subscriber = tracing_subscriber::registry().with(logs).with(CountsSpans(Arc::clone(&seen)));
    tracing::subscriber::with_default(subscriber, || {
        drop(tracing::info_span!("spin", bet = 1));
        drop(tracing::trace_span!("spin_detail"));
    });
    assert_eq!(seen.load(Ordering::Relaxed), 2);
}

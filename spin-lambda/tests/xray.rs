//! Each spin's span, as X-Ray gets it: a subsegment with the bet, payout and rules id, sent to
//! a stand-in X-Ray daemon (a UDP socket on loopback) when the invocation is sampled, and
//! nothing at all otherwise. The invocation span is `lambda_runtime`'s own, so the trace
//! header is read from the field the runtime really writes.

use std::net::UdpSocket;
use std::time::Duration;

use lambda_http::lambda_runtime::layers::trace::request_span;
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, LambdaEvent, Service};
use serde_json::Value;
use spin_api::Config;
use spin_game::SpinResponse;
use spin_lambda::xray::{XrayLayer, daemon_address};
use spin_tests::EXAMPLE_ORIGIN;
use spin_tests::events::{Door, HttpAnswer};
use tracing::Instrument;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::SubscriberExt;

const TRACE_ID: &str = "1-5759e988-bd862e3fe1be46a994272793";
const PARENT_ID: &str = "53995c3f42cd8ad8";

/// Serves one `POST /spin` (bet 3) inside an invocation with the trace header `header`, with
/// the X-Ray layer sending to `daemon`, as `main` sets it up. Returns the spin.
async fn spin_traced(daemon: &UdpSocket, header: &str) -> SpinResponse {
    let layer = XrayLayer::to(daemon.local_addr().unwrap()).unwrap();
    let subscriber =
        tracing_subscriber::registry().with(layer.with_filter(filter_fn(XrayLayer::wants)));
    let _default = tracing::subscriber::set_default(subscriber);

    let config = Config::with_allowed_origins(EXAMPLE_ORIGIN).unwrap();
    let mut adapter = Adapter::from(spin_lambda::service(&config));
    let event = Door::HttpApiV2Default.event();
    let request: LambdaRequest = serde_json::from_value(event.json).unwrap();
    let mut context = Context::default();
    context.request_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd".into();
    context.xray_trace_id = Some(header.into());
    let span = request_span(&context);
    let response = adapter.call(LambdaEvent::new(request, context)).instrument(span).await.unwrap();
    let answer = HttpAnswer::parse(event.door, &serde_json::to_value(response).unwrap());
    assert_eq!(answer.status, 200, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

/// The stand-in daemon, waiting at most `wait` for each datagram.
fn daemon(wait: Duration) -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(wait)).unwrap();
    socket
}

/// The next datagram as the daemon protocol has it: a header line, then one segment document.
fn received(daemon: &UdpSocket) -> Option<(Value, Value)> {
    let mut buffer = vec![0; 65_536];
    let length = daemon.recv(&mut buffer).ok()?;
    let text = std::str::from_utf8(&buffer[..length]).unwrap();
    let (header, document) = text.split_once('\n').expect("a header line, then the document");
    Some((serde_json::from_str(header).unwrap(), serde_json::from_str(document).unwrap()))
}

#[tokio::test]
async fn a_sampled_spin_becomes_a_subsegment_with_bet_payout_and_rules() {
    let daemon = daemon(Duration::from_secs(5));
    let header = format!("Root={TRACE_ID};Parent={PARENT_ID};Sampled=1");
    let spin = spin_traced(&daemon, &header).await;

    let (header, segment) = received(&daemon).expect("one subsegment for the spin");
    assert_eq!(header, serde_json::json!({"format": "json", "version": 1}));
    assert_eq!(segment["type"], "subsegment");
    assert_eq!(segment["name"], "spin");
    assert_eq!(segment["trace_id"], TRACE_ID);
    assert_eq!(segment["parent_id"], PARENT_ID);
    let id = segment["id"].as_str().unwrap();
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    let (start, end) =
        (segment["start_time"].as_f64().unwrap(), segment["end_time"].as_f64().unwrap());
    assert!(start > 1.7e9 && start <= end && end - start < 5.0, "{start} … {end}");
    assert_eq!(
        segment["annotations"],
        serde_json::json!({"bet": 3, "payout": spin.payout, "rules": spin.rules})
    );
    let mut rest = [0; 16];
    daemon.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    assert!(daemon.recv(&mut rest).is_err(), "one subsegment per spin, nothing else");
}

#[tokio::test]
async fn an_invocation_x_ray_did_not_sample_sends_nothing() {
    let daemon = daemon(Duration::from_millis(300));
    spin_traced(&daemon, &format!("Root={TRACE_ID};Parent={PARENT_ID};Sampled=0")).await;
    assert!(received(&daemon).is_none(), "an unsampled invocation is not traced");
}

#[test]
fn without_a_daemon_address_there_is_no_layer() {
    // Lambda sets AWS_XRAY_DAEMON_ADDRESS when active tracing is on; locally, in the emulator
    // and in the tests nothing does, so the function opens no socket and traces nothing.
    assert!(XrayLayer::from_setting(None).is_none());
    assert!(XrayLayer::from_setting(Some("")).is_none());
    assert!(XrayLayer::from_setting(Some("not an address")).is_none());
    assert!(XrayLayer::from_setting(Some("127.0.0.1:2000")).is_some());
    assert!(daemon_address("udp:127.0.0.1:2000 tcp:127.0.0.1:2000").is_some());
}

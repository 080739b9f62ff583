//! Spin's own spans as AWS X-Ray subsegments, sent straight to the X-Ray daemon that Lambda
//! runs beside every function with active tracing.
//!
//! Why not OpenTelemetry: its Rust SDK, an OTLP exporter (with its protobuf or JSON encoding
//! and HTTP client) and `tracing-opentelemetry` would grow a 1.5 MB zip held under 2 MB and
//! add a batching task to every instance, and they need the
//! AWS Distro for OpenTelemetry collector layer in Lambda, which adds its own start-up time to
//! every cold start. There is no well-kept Rust X-Ray SDK, but X-Ray's daemon protocol is one
//! JSON document per UDP datagram, so this module is all it takes: a `tracing` layer that
//! turns each closed `spin_*` span into a subsegment of the invocation's segment.
//!
//! Where nothing asks for it, it costs nothing: without `AWS_XRAY_DAEMON_ADDRESS` (locally, in
//! the emulator, in the tests) [`XrayLayer::from_env`] gives no layer and opens no socket, and
//! an invocation that X-Ray did not sample (`Sampled=0` in its trace header) sends nothing.
//! Sending never waits: the socket is non-blocking, a datagram that does not fit is dropped,
//! and X-Ray is never waited for, so a response is delayed by one system call at most.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// The field of `lambda_runtime`'s per-invocation span that holds the X-Ray trace header
/// (`Root=1-…;Parent=…;Sampled=1`), the same value Lambda puts in `_X_AMZN_TRACE_ID`.
const TRACE_FIELD: &str = "xrayTraceId";

/// Every datagram to the daemon starts with this line.
const DAEMON_HEADER: &str = "{\"format\":\"json\",\"version\":1}\n";

/// Sends each closed `spin_*` span of a sampled invocation to the X-Ray daemon.
pub struct XrayLayer {
    socket: UdpSocket,
}

impl XrayLayer {
    /// The layer for the daemon `AWS_XRAY_DAEMON_ADDRESS` names, as Lambda sets it when active
    /// tracing is on; `None` when it is not set or names no address.
    pub fn from_env() -> Option<XrayLayer> {
        XrayLayer::from_setting(std::env::var("AWS_XRAY_DAEMON_ADDRESS").ok().as_deref())
    }

    /// The layer for an `AWS_XRAY_DAEMON_ADDRESS` of `value`: none, and no socket, without
    /// one.
    pub fn from_setting(value: Option<&str>) -> Option<XrayLayer> {
        XrayLayer::to(daemon_address(value?)?).ok()
    }

    /// The layer for the daemon at `daemon`.
    pub fn to(daemon: SocketAddr) -> io::Result<XrayLayer> {
        let local: SocketAddr =
            if daemon.is_ipv4() { ([0, 0, 0, 0], 0).into() } else { ([0u16; 8], 0).into() };
        let socket = UdpSocket::bind(local)?;
        socket.connect(daemon)?;
        socket.set_nonblocking(true)?;
        Ok(XrayLayer { socket })
    }

    /// The spans this layer needs to see: Spin's own, and the invocation span that carries the
    /// trace header. A filter built from this is decided once per call site, so every other
    /// span and every event costs the layer nothing.
    pub fn wants(metadata: &Metadata<'_>) -> bool {
        metadata.is_span()
            && (metadata.target().starts_with("spin_")
                || metadata.fields().field(TRACE_FIELD).is_some())
    }
}

/// The daemon's UDP address from `AWS_XRAY_DAEMON_ADDRESS`: `host:port`, or the
/// `udp:host:port tcp:host:port` form X-Ray's SDKs also accept.
pub fn daemon_address(value: &str) -> Option<SocketAddr> {
    let words: Vec<&str> = value.split_whitespace().collect();
    let udp = match words.as_slice() {
        [one] => one.strip_prefix("udp:").unwrap_or(one),
        many => many.iter().find_map(|word| word.strip_prefix("udp:"))?,
    };
    udp.to_socket_addrs().ok()?.next()
}

/// Where a sampled invocation's subsegments go: its trace and the segment they belong under.
struct Sampled {
    trace_id: String,
    parent_id: String,
}

impl Sampled {
    /// Reads `Root=…;Parent=…;Sampled=1`; `None` unless the invocation is sampled.
    fn parse(header: &str) -> Option<Sampled> {
        let part = |key: &str| {
            header.split(';').find_map(|part| part.trim().strip_prefix(key)?.strip_prefix('='))
        };
        (part("Sampled")? == "1")
            .then(|| Sampled {
                trace_id: part("Root").unwrap_or_default().to_owned(),
                parent_id: part("Parent").unwrap_or_default().to_owned(),
            })
            .filter(|sampled| !sampled.trace_id.is_empty() && !sampled.parent_id.is_empty())
    }
}

/// A Spin span of a sampled invocation, on its way to becoming a subsegment.
struct Open {
    trace_id: String,
    parent_id: String,
    start: f64,
    annotations: Map<String, Value>,
}

/// The span's fields as X-Ray annotations (indexed, so traces can be searched by them:
/// `annotation.payout > 100`).
struct Annotations<'a>(&'a mut Map<String, Value>);

impl Visit for Annotations<'_> {
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}").into());
    }
}

/// Finds the trace header among a span's fields.
struct TraceHeader(Option<Sampled>);

impl Visit for TraceHeader {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == TRACE_FIELD {
            self.0 = Sampled::parse(value);
        }
    }
    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

fn now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |since| since.as_secs_f64())
}

impl<S> Layer<S> for XrayLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        if !attributes.metadata().target().starts_with("spin_") {
            let mut header = TraceHeader(None);
            attributes.record(&mut header);
            if let Some(sampled) = header.0 {
                span.extensions_mut().insert(sampled);
            }
            return;
        }
        // Only spans inside a sampled invocation become subsegments.
        let Some((trace_id, parent_id)) = span.scope().skip(1).find_map(|ancestor| {
            let extensions = ancestor.extensions();
            let sampled = extensions.get::<Sampled>()?;
            Some((sampled.trace_id.clone(), sampled.parent_id.clone()))
        }) else {
            return;
        };
        let mut annotations = Map::new();
        attributes.record(&mut Annotations(&mut annotations));
        span.extensions_mut().insert(Open { trace_id, parent_id, start: now(), annotations });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        if let Some(open) = span.extensions_mut().get_mut::<Open>() {
            values.record(&mut Annotations(&mut open.annotations));
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let Some(open) = span.extensions_mut().remove::<Open>() else { return };
        let document = json!({
            "type": "subsegment",
            "name": span.name(),
            "id": format!("{:016x}", rand::random::<u64>()),
            "trace_id": open.trace_id,
            "parent_id": open.parent_id,
            "start_time": open.start,
            "end_time": now(),
            "annotations": open.annotations,
        });
        // Best effort by design: a full buffer or an absent daemon loses this subsegment,
        // never the response.
        let _ = self.socket.send(format!("{DAEMON_HEADER}{document}").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daemon_address_is_read_in_both_forms() {
        let expected: SocketAddr = "169.254.79.129:2000".parse().unwrap();
        assert_eq!(daemon_address("169.254.79.129:2000"), Some(expected));
        assert_eq!(daemon_address("tcp:127.0.0.1:2001 udp:169.254.79.129:2000"), Some(expected));
        assert_eq!(daemon_address(""), None);
        assert_eq!(daemon_address("not an address"), None);
    }

    #[test]
    fn only_sampled_invocations_are_traced() {
        let sampled = Sampled::parse(
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        )
        .unwrap();
        assert_eq!(sampled.trace_id, "1-5759e988-bd862e3fe1be46a994272793");
        assert_eq!(sampled.parent_id, "53995c3f42cd8ad8");
        assert!(
            Sampled::parse(
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0"
            )
            .is_none()
        );
        assert!(Sampled::parse("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1").is_none());
    }
}

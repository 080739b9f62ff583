//! The function's JSON log lines: one object per event, as CloudWatch Logs Insights reads them.
//!
//! Each line is exactly what `tracing_subscriber::fmt::layer().json()` wrote when configured
//! without time and target, with the current span and without the span list:
//!
//! ```json
//! {"level":"INFO","fields":{"message":"spin","bet":3,…},"span":{"requestId":"…","xrayTraceId":"…","name":"Lambda runtime invoke"}}
//! ```
//!
//! The event's fields in the order they were written, then the innermost enabled span's fields
//! sorted by name, then its name. Only the cost differs: that formatter keeps a span's fields
//! as JSON text and parses it back into a map for every event (and on every `Span::record`),
//! which was a tenth of a warm invocation; here a span keeps its fields already encoded and an
//! event is written straight into one buffer, then to stdout in one write.

use std::cell::RefCell;
use std::fmt;
use std::io::Write;

use serde::Serializer as _;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::{LookupSpan, SpanRef};

/// Where finished lines go: each call is one whole line, newline included.
pub type Sink = fn(&[u8]);

/// Writes each line to stdout in one write (stdout is line-buffered: a whole line is one
/// system call).
fn to_stdout(line: &[u8]) {
    // A log line that cannot be written has nowhere else to go.
    let _ = std::io::stdout().lock().write_all(line);
}

/// The layer writing the JSON log lines of events at or below a level.
pub struct JsonLogs {
    max: LevelFilter,
    sink: Sink,
    hint: bool,
}

impl JsonLogs {
    /// Lines of events (and spans) at `max` or more severe, to stdout.
    pub fn new(max: LevelFilter) -> JsonLogs {
        JsonLogs::to(max, to_stdout)
    }

    /// The same lines, handed to `sink`.
    pub fn to(max: LevelFilter, sink: Sink) -> JsonLogs {
        JsonLogs { max, sink, hint: true }
    }

    /// For a subscriber where another layer wants spans or events above the log level (the
    /// X-Ray layer wants Spin's spans at any level): without this, the level this layer
    /// announces would make `tracing` skip them before any layer sees them.
    pub fn without_level_hint(self) -> JsonLogs {
        JsonLogs { hint: false, ..self }
    }

    fn enabled(&self, level: &Level) -> bool {
        *level <= self.max
    }
}

/// A span's fields, each value already encoded as JSON, kept sorted by name (the order
/// `tracing-subscriber` gave them); a field recorded again replaces its value.
#[derive(Default)]
struct SpanFields(Vec<(&'static str, String)>);

impl SpanFields {
    fn insert(&mut self, name: &'static str, json: String) {
        match self.0.binary_search_by(|(known, _)| known.cmp(&name)) {
            Ok(at) => self.0[at].1 = json,
            Err(at) => self.0.insert(at, (name, json)),
        }
    }

    fn encode<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Ok(json) = serde_json::to_string(value) {
            self.insert(name, json);
        }
    }
}

/// How `tracing-subscriber`'s JSON formatter encoded span fields: numbers, booleans and strings
/// as themselves, bytes as an array of numbers, anything else by its `Debug` text (a `r#`
/// prefix taken off the name).
impl Visit for SpanFields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.encode(field.name(), &value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.encode(field.name(), &value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.encode(field.name(), &value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.encode(field.name(), &value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.encode(field.name(), value);
    }

    fn record_bytes(&mut self, field: &Field, value: &[u8]) {
        self.encode(field.name(), value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let name = field.name();
        let name = name.strip_prefix("r#").unwrap_or(name);
        self.encode(name, &format_args!("{value:?}"));
    }
}

/// Writes an event's fields as JSON object entries, in the order they come, as `tracing-serde`
/// did: numbers, booleans and strings as themselves, anything else by its `Debug` text.
struct EventFields<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl EventFields<'_> {
    fn entry<T: serde::Serialize + ?Sized>(&mut self, field: &Field, value: &T) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        write_json(self.out, field.name());
        self.out.push(b':');
        write_json(self.out, value);
    }
}

impl Visit for EventFields<'_> {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.entry(field, &value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.entry(field, &value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.entry(field, &value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.entry(field, &value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.entry(field, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        write_json(self.out, field.name());
        self.out.push(b':');
        // Escaped as it is formatted, without an intermediate `String`.
        let _ = serde_json::Serializer::new(&mut *self.out).collect_str(&format_args!("{value:?}"));
    }
}

/// Appends `value` as JSON (writing to memory cannot fail; a value that cannot be serialised
/// is written as `null`).
fn write_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    let mark = out.len();
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.truncate(mark);
        out.extend_from_slice(b"null");
    }
}

fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => "ERROR",
        Level::WARN => "WARN",
        Level::INFO => "INFO",
        Level::DEBUG => "DEBUG",
        Level::TRACE => "TRACE",
    }
}

/// The nearest span from `span` outwards that this layer keeps fields for.
fn with_fields<'a, S>(span: SpanRef<'a, S>) -> Option<SpanRef<'a, S>>
where
    S: for<'l> LookupSpan<'l>,
{
    span.scope().find(|span| span.extensions().get::<SpanFields>().is_some())
}

/// The largest line buffer kept for the next event.
const MAX_KEPT_LINE: usize = 16 * 1024;

thread_local! {
    /// The line being written, kept between events so that a line costs no allocation.
    static LINE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl JsonLogs {
    fn write_line<S>(&self, event: &Event<'_>, ctx: &Context<'_, S>, line: &mut Vec<u8>)
    where
        S: Subscriber + for<'l> LookupSpan<'l>,
    {
        line.clear();
        line.extend_from_slice(b"{\"level\":\"");
        line.extend_from_slice(level_name(event.metadata().level()).as_bytes());
        line.extend_from_slice(b"\",\"fields\":{");
        event.record(&mut EventFields { out: line, first: true });
        line.push(b'}');
        let span = event
            .parent()
            .and_then(|id| ctx.span(id))
            .and_then(with_fields)
            .or_else(|| ctx.lookup_current().and_then(with_fields));
        if let Some(span) = span {
            line.extend_from_slice(b",\"span\":{");
            if let Some(fields) = span.extensions().get::<SpanFields>() {
                for (name, json) in &fields.0 {
                    write_json(line, *name);
                    line.push(b':');
                    line.extend_from_slice(json.as_bytes());
                    line.push(b',');
                }
            }
            line.extend_from_slice(b"\"name\":");
            write_json(line, span.name());
            line.push(b'}');
        }
        line.extend_from_slice(b"}\n");
        (self.sink)(line);
        // One huge event must not pin its buffer for the life of the process.
        if line.capacity() > MAX_KEPT_LINE {
            *line = Vec::new();
        }
    }
}

impl<S> Layer<S> for JsonLogs
where
    S: Subscriber + for<'l> LookupSpan<'l>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if !self.enabled(attrs.metadata().level()) {
            return;
        }
        let Some(span) = ctx.span(id) else { return };
        let mut fields = SpanFields::default();
        attrs.record(&mut fields);
        span.extensions_mut().insert(fields);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        if let Some(fields) = span.extensions_mut().get_mut::<SpanFields>() {
            values.record(fields);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if !self.enabled(event.metadata().level()) {
            return;
        }
        LINE.with(|line| match line.try_borrow_mut() {
            Ok(mut line) => self.write_line(event, &ctx, &mut line),
            // An event while a line is being written (from a field's `Debug`): a buffer of
            // its own.
            Err(_) => self.write_line(event, &ctx, &mut Vec::new()),
        });
    }

    /// Nothing above `max` is ever wanted here, so where no other layer wants it either,
    /// `tracing` skips such call sites before building their events (`lambda_runtime` has a
    /// few at `trace` and `debug` level on every invocation).
    fn max_level_hint(&self) -> Option<LevelFilter> {
        self.hint.then_some(self.max)
    }
}

//! A Lambda Runtime API emulator: the HTTP interface AWS Lambda offers a function's process.
//!
//! A custom runtime (our `bootstrap`) loops: `GET /2018-06-01/runtime/invocation/next` to take
//! an event, then `POST .../invocation/{id}/response` or `.../{id}/error` with the outcome.
//! This crate serves those endpoints on 127.0.0.1 so tests and benchmarks can start the real
//! binary, hand it events and read back what it answered, exactly as Lambda would.
//! See <https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html>.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use bytes::Bytes;
use tokio::sync::{mpsc, oneshot, watch};

/// How an invocation ended, as the runtime reported it.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// `POST .../response`: the function's return value (for HTTP events, the response JSON).
    Response(serde_json::Value),
    /// `POST .../error`: the runtime reported an invocation error.
    Error { error_type: Option<String>, body: serde_json::Value },
}

/// One invocation's outcome and how long the function took, from the moment the event was
/// handed out on `/next` to the moment the outcome arrived.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub outcome: Outcome,
    pub latency: Duration,
}

struct Pending {
    event: Bytes,
    reply: oneshot::Sender<Invocation>,
}

struct InFlight {
    handed_out: Instant,
    reply: oneshot::Sender<Invocation>,
}

struct Shared {
    queue: tokio::sync::Mutex<mpsc::UnboundedReceiver<Pending>>,
    in_flight: Mutex<HashMap<String, InFlight>>,
    next_id: AtomicU64,
    /// The instant of the latest `/next` poll, to time cold starts.
    polled: watch::Sender<Option<Instant>>,
}

/// A running emulator. Dropping it stops accepting new invocations.
pub struct Emulator {
    addr: SocketAddr,
    events: mpsc::UnboundedSender<Pending>,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Emulator {
    /// Serves the Runtime API on an ephemeral 127.0.0.1 port.
    pub async fn start() -> std::io::Result<Emulator> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (events, queue) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            queue: tokio::sync::Mutex::new(queue),
            in_flight: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            polled: watch::channel(None).0,
        });
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Emulator { addr, events, shared, server })
    }

    /// The value for `AWS_LAMBDA_RUNTIME_API`.
    pub fn runtime_api(&self) -> String {
        self.addr.to_string()
    }

    /// A command that starts `program` as Lambda would: with the runtime API address and the
    /// function's environment (name, memory, version, log names) set.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(program);
        command
            .env("AWS_LAMBDA_RUNTIME_API", self.runtime_api())
            .env("AWS_LAMBDA_FUNCTION_NAME", "spin")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/spin")
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "emulated")
            .env("AWS_REGION", "us-east-1")
            .kill_on_drop(true);
        command
    }

    /// Hands `event` to the function and waits for its outcome. Returns `None` if the
    /// emulator is gone before the function answers.
    pub async fn invoke(&self, event: &serde_json::Value) -> Option<Invocation> {
        let (reply, answer) = oneshot::channel();
        let event = Bytes::from(serde_json::to_vec(event).ok()?);
        self.events.send(Pending { event, reply }).ok()?;
        answer.await.ok()
    }

    /// Waits until a runtime polls for its next event; returns when it did. The first poll of
    /// a fresh process marks the end of its cold start.
    pub async fn polled(&self) -> Instant {
        let mut polled = self.shared.polled.subscribe();
        let seen = polled.wait_for(Option::is_some).await.expect("emulator alive");
        seen.expect("checked by wait_for")
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn now_epoch_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis())
}

async fn next(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    shared.polled.send_replace(Some(Instant::now()));
    let Some(Pending { event, reply }) = shared.queue.lock().await.recv().await else {
        return (StatusCode::GONE, HeaderMap::new(), Bytes::new());
    };
    let id = format!("emulated-{}", shared.next_id.fetch_add(1, Ordering::Relaxed));
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = value.parse() {
            headers.insert(name, value);
        }
    };
    set("lambda-runtime-aws-request-id", id.clone());
    set("lambda-runtime-deadline-ms", (now_epoch_ms() + 30_000).to_string());
    set(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:us-east-1:123456789012:function:spin".into(),
    );
    set("lambda-runtime-trace-id", format!("Root=1-00000000-{id:0>24};Sampled=0"));
    set("content-type", "application/json".into());
    let handed_out = Instant::now();
    shared.in_flight.lock().expect("not poisoned").insert(id, InFlight { handed_out, reply });
    (StatusCode::OK, headers, event)
}

fn finish(shared: &Shared, id: &str, outcome: Outcome) -> StatusCode {
    let Some(in_flight) = shared.in_flight.lock().expect("not poisoned").remove(id) else {
        return StatusCode::BAD_REQUEST;
    };
    let latency = in_flight.handed_out.elapsed();
    let _ = in_flight.reply.send(Invocation { outcome, latency });
    StatusCode::ACCEPTED
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(body).into_owned()))
}

async fn response(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> StatusCode {
    finish(&shared, &id, Outcome::Response(json(&body)))
}

async fn error(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let error_type = headers
        .get("lambda-runtime-function-error-type")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    finish(&shared, &id, Outcome::Error { error_type, body: json(&body) })
}

/// `POST /init/error`: acknowledged as Lambda does. The runtime exits after reporting, which is
/// what a test observes, so the report itself is not kept.
async fn init_error() -> StatusCode {
    StatusCode::ACCEPTED
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;

    /// The status line the emulator answers to a `POST` of `body` to `path`.
    fn post(runtime_api: &str, path: &str, body: &str) -> String {
        let mut stream = std::net::TcpStream::connect(runtime_api).unwrap();
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: {runtime_api}\r\nConnection: close\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer.lines().next().unwrap_or_default().to_owned()
    }

    #[tokio::test]
    async fn an_init_error_is_acknowledged() {
        let emulator = Emulator::start().await.unwrap();
        let runtime_api = emulator.runtime_api();
        let report = r#"{"errorMessage":"no config","errorType":"Runtime.InitError"}"#;
        let status = tokio::task::spawn_blocking(move || {
            post(&runtime_api, "/2018-06-01/runtime/init/error", report)
        });
        assert_eq!(status.await.unwrap(), "HTTP/1.1 202 Accepted");
    }
}

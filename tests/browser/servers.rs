//! The site and API servers the browser plays against: the site exactly as `cargo xtask build`
//! makes it (plus a console recorder the tests read), and the real API behind a recorder that
//! can fail the first spins in a chosen way, or reveal wrong seeds (a dishonest server, for the
//! Verify view).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};
use spin_game::{REEL_COUNT, Spin, SpinResponse, Symbol};
use xtask::serve::Servers;

/// How the API misbehaves for the first spins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Nothing listens at the API's address until [`GameServers::revive`].
    Down,
    /// Answers this status with a JSON error body.
    Status(u16),
    /// Answers 200 with a body that is not JSON.
    Garbage,
    /// Answers a real spin, but only after this long.
    Slow(Duration),
    /// Never answers (the client must time out).
    Hang,
    /// Answers a real spin whose first reel names an image that does not exist.
    UnknownSymbol,
    /// Answers a real spin from a server that claims other rules.
    OtherRules,
}

/// The site on one loopback port and the API on another, as `cargo xtask serve` runs them.
pub struct GameServers {
    servers: Servers,
    site: tempfile::TempDir,
    recorded: Arc<Mutex<Vec<SpinResponse>>>,
    down_at: Option<SocketAddr>,
    revived: Option<tokio::task::JoinHandle<()>>,
}

/// The site as `cargo xtask build` makes it, built once per test run into a folder of the
/// tests' own (never the `target/site/` a developer may be serving).
pub fn built_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        xtask::test::check_prepared().unwrap_or_else(|missing| panic!("{missing}"));
        let out = xtask::target_dir().join("tests/site");
        xtask::site::build_into(&out).expect("the site builds");
        out
    })
}

/// The `sessionStorage` key under which `console-watch.js` records the page's warnings and
/// errors.
pub const CONSOLE_KEY: &str = "spin-test-console";

/// Adds `console-watch.js` and `audio-watch.js` (which counts the audio contexts the page
/// makes) to the site in `dir`, loaded before the game: classic scripts, so they run before
/// the game's module; from the site's own origin, so the page's Content-Security-Policy
/// allows them.
fn watch_console(dir: &Path) {
    std::fs::write(dir.join("console-watch.js"), include_str!("console-watch.js")).unwrap();
    std::fs::write(dir.join("audio-watch.js"), include_str!("audio-watch.js")).unwrap();
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    let scripts = "  <script src=\"console-watch.js\"></script>\n  <script src=\"audio-watch.js\"></script>\n</head>";
    let html = html.replacen("</head>", scripts, 1);
    std::fs::write(index, html).unwrap();
}

#[derive(Clone)]
struct Recorder {
    fault: Option<Fault>,
    failures_left: Arc<AtomicUsize>,
    recorded: Arc<Mutex<Vec<SpinResponse>>>,
    /// Reveal, for every ended epoch, a seed other than the one committed to.
    tamper_seeds: bool,
    /// Answer every spin with this line (the true draw's proof, so the page takes it; it would
    /// fail verification).
    line: Option<[Symbol; REEL_COUNT]>,
    /// Spins answered before the faults begin.
    good_first: Arc<AtomicUsize>,
}

impl Recorder {
    fn new(
        fault: Option<Fault>,
        failures: usize,
        recorded: Arc<Mutex<Vec<SpinResponse>>>,
    ) -> Recorder {
        let failures_left = Arc::new(AtomicUsize::new(failures));
        let good_first = Arc::new(AtomicUsize::new(0));
        Recorder { fault, failures_left, recorded, tamper_seeds: false, line: None, good_first }
    }
}

/// How long an epoch lasts in [`GameServers::with_epochs`]: short, so a test can spin, wait
/// for the epoch to end and verify within seconds.
pub const SHORT_EPOCH_SECONDS: u64 = 3;

impl GameServers {
    /// The game with a healthy API.
    pub async fn start() -> GameServers {
        GameServers::start_with(None, 0).await
    }

    /// The game whose API fails its first `failures` spins with `fault`, then recovers.
    pub async fn failing(fault: Fault, failures: usize) -> GameServers {
        GameServers::start_with(Some(fault), failures).await
    }

    /// The game with epochs of [`SHORT_EPOCH_SECONDS`], whose API reveals every ended epoch's
    /// true seed, or, if `tamper_seeds`, another one.
    pub async fn with_epochs(tamper_seeds: bool) -> GameServers {
        let epochs = Some(SHORT_EPOCH_SECONDS);
        GameServers::start_configured(None, 0, tamper_seeds, epochs, Answer::default()).await
    }

    /// The game whose API answers every spin with `line`; after `good_first` spins, the next
    /// `failures` fail with `fault`.
    pub async fn answering(
        line: [Symbol; REEL_COUNT],
        good_first: usize,
        fault: Option<Fault>,
        failures: usize,
    ) -> GameServers {
        let answer = Answer { line: Some(line), good_first };
        GameServers::start_configured(fault, failures, false, None, answer).await
    }

    async fn start_with(fault: Option<Fault>, failures: usize) -> GameServers {
        GameServers::start_configured(fault, failures, false, None, Answer::default()).await
    }

    async fn start_configured(
        fault: Option<Fault>,
        failures: usize,
        tamper_seeds: bool,
        epoch_seconds: Option<u64>,
        answer: Answer,
    ) -> GameServers {
        let site = tempfile::tempdir().unwrap();
        xtask::site::copy_dir(built_site(), site.path()).unwrap();
        watch_console(site.path());
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let recorder = Recorder {
            tamper_seeds,
            line: answer.line,
            good_first: Arc::new(AtomicUsize::new(answer.good_first)),
            ..Recorder::new(fault, failures, recorded.clone())
        };
        let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let servers = xtask::serve::start_with(site.path().to_owned(), any, any, |config| {
            let config = match epoch_seconds {
                Some(seconds) => config.clone().with_epoch_seconds(&seconds.to_string()).unwrap(),
                None => config.clone(),
            };
            recorded_api(&config, recorder)
        })
        .await
        .unwrap();
        let down_at = (fault == Some(Fault::Down)).then(|| {
            let free = SocketAddr::from(([127, 0, 0, 1], xtask::free_port().unwrap()));
            xtask::site::write_config(site.path(), &format!("http://{free}")).unwrap();
            free
        });
        GameServers { servers, site, recorded, down_at, revived: None }
    }

    pub fn url(&self) -> String {
        format!("{}/", self.servers.site_url())
    }

    /// For [`Fault::Down`]: starts the API at the address the site was pointed at.
    pub async fn revive(&mut self) {
        let addr = self.down_at.expect("only a Down API can be revived");
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let config = spin_api::Config::with_allowed_origins(&self.servers.site_url()).unwrap();
        let api = recorded_api(&config, Recorder::new(None, 0, self.recorded.clone()));
        self.revived = Some(tokio::spawn(async move {
            let _ = axum::serve(listener, api).await;
        }));
    }

    /// Deletes a file from this site (to test what a broken deploy looks like).
    pub fn remove_from_site(&self, name: &str) {
        std::fs::remove_file(self.site.path().join(name)).unwrap();
    }

    /// Every spin the API answered successfully, in order.
    pub fn spins(&self) -> Vec<SpinResponse> {
        self.recorded.lock().unwrap().clone()
    }
}

impl Drop for GameServers {
    fn drop(&mut self) {
        if let Some(task) = &self.revived {
            task.abort();
        }
    }
}

/// What the API answers in [`GameServers::answering`].
#[derive(Default)]
struct Answer {
    line: Option<[Symbol; REEL_COUNT]>,
    good_first: usize,
}

/// The real API, with the recorder in front and CORS around both (so faults carry CORS
/// headers too and the page can read them, as it could from API Gateway).
fn recorded_api(config: &spin_api::Config, recorder: Recorder) -> Router {
    Router::new()
        .fallback_service(spin_api::app(config))
        .layer(middleware::from_fn_with_state(recorder, record))
        .layer(spin_api::cors(config))
}

async fn record(State(recorder): State<Recorder>, request: Request, next: Next) -> Response {
    if request.method() == Method::GET && recorder.tamper_seeds {
        return tamper_seed(next.run(request).await).await;
    }
    // Faults are for spins: the page's other calls (`GET /fairness`) pass.
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let good = recorder
        .good_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| left.checked_sub(1))
        .is_ok();
    let fail = !good
        && recorder
            .failures_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| left.checked_sub(1))
            .is_ok();
    let fault = recorder.fault.filter(|_| fail);
    match fault {
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap();
            let body = axum::Json(serde_json::json!({ "error": "injected failure" }));
            return (status, body).into_response();
        }
        Some(Fault::Garbage) => return (StatusCode::OK, "<html>not a spin</html>").into_response(),
        Some(Fault::Hang) => {
            tokio::time::sleep(Duration::from_secs(120)).await;
            return StatusCode::GATEWAY_TIMEOUT.into_response();
        }
        _ => {}
    }
    let answer = next.run(request).await;
    // Slow to answer, not to draw: the spin is drawn as it arrives, in the epoch it was sent
    // under, so the delay never turns it into a 409 at an epoch's end.
    if let Some(Fault::Slow(delay)) = fault {
        tokio::time::sleep(delay).await;
    }
    let (mut parts, body) = answer.into_parts();
    let bytes = to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let Ok(mut spin) = serde_json::from_slice::<SpinResponse>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Some(line) = recorder.line {
        spin = SpinResponse::new(&Spin::showing(line, spin.bet), spin.fair);
        parts.headers.remove(http::header::CONTENT_LENGTH);
        recorder.recorded.lock().unwrap().push(spin.clone());
        return Response::from_parts(parts, Body::from(serde_json::to_string(&spin).unwrap()));
    }
    let tampered = match fault {
        Some(Fault::UnknownSymbol) => {
            Some(("reels", serde_json::json!(["unicorn.svg", "bell.svg", "bar.svg"])))
        }
        Some(Fault::OtherRules) => Some(("rules", serde_json::json!("0123456789ab"))),
        _ => None,
    };
    if let Some((field, value)) = tampered {
        let mut json = serde_json::to_value(&spin).unwrap();
        json[field] = value;
        parts.headers.remove(http::header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from(json.to_string()));
    }
    recorder.recorded.lock().unwrap().push(spin);
    Response::from_parts(parts, Body::from(bytes))
}

/// An answer that reveals a seed, revealing another one instead: the true seed with its first
/// hex digit changed, so it no longer hashes to the commitment.
async fn tamper_seed(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let mut tampered = false;
    let mut lie = |value: &mut serde_json::Value| {
        if let Some(seed) = value.get("seed").and_then(|seed| seed.as_str()) {
            let first = if seed.starts_with('0') { "1" } else { "0" };
            value["seed"] = serde_json::json!(format!("{first}{}", &seed[1..]));
            tampered = true;
        }
    };
    lie(&mut json);
    if let Some(revealed) = json.get_mut("revealed").and_then(|list| list.as_array_mut()) {
        revealed.iter_mut().for_each(&mut lie);
    }
    if tampered {
        parts.headers.remove(http::header::CONTENT_LENGTH);
    }
    Response::from_parts(parts, Body::from(json.to_string()))
}

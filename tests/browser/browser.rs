//! One browser session in any of the three engines players use, driven over W3C WebDriver:
//! what the scenarios do with a page (evaluate, wait, click, tap, type, screenshot, read the
//! console, run axe-core), the same in every engine. How each engine and its driver start is
//! in its own module ([`chromium`], [`firefox`], [`webkit`]).

use std::fmt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, PointerAction, TouchActions};
use fantoccini::error::NewSessionError;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::process::{Child, Command};

use crate::{chromium, firefox, webkit};

/// A browser engine, with the WebDriver that drives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Debian's Chromium with ChromeDriver (Chrome, Edge and most Android browsers).
    Chromium,
    /// Debian's Firefox ESR with geckodriver.
    Firefox,
    /// WebKitGTK's MiniBrowser with WebKitWebDriver (the engine of Safari, and of every
    /// browser on iPhones and iPads).
    WebKit,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The engine's name in test names, `SPIN_BROWSERS` and folders.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }

    /// The engines to run: those `SPIN_BROWSERS` names (comma-separated), or all.
    pub fn selected() -> Result<Vec<Engine>, String> {
        let Ok(names) = std::env::var("SPIN_BROWSERS") else {
            return Ok(Engine::ALL.to_vec());
        };
        names
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                Engine::ALL.into_iter().find(|e| e.name() == name).ok_or_else(|| {
                    format!("SPIN_BROWSERS: unknown engine {name:?} (chromium, firefox, webkit)")
                })
            })
            .collect()
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a page's window is set up.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// The page's viewport (`innerWidth` × `innerHeight`), not the window's outer size.
    pub width: u32,
    pub height: u32,
    /// Start the browser with `prefers-reduced-motion: reduce`.
    pub reduced_motion: bool,
}

impl Window {
    pub const DESKTOP: Window = Window { width: 1280, height: 900, reduced_motion: false };
    pub const PHONE: Window = Window { width: 360, height: 740, reduced_motion: false };
    /// An iPhone 12 to 14 in portrait.
    pub const IPHONE: Window = Window { width: 390, height: 844, reduced_motion: false };
}

/// What an engine module hands over to start its driver: the command (a driver that starts
/// the browser on a new session), the session's capabilities, and temporary folders (profile,
/// settings) that must live as long as the browser.
pub struct Launch {
    pub driver: std::process::Command,
    pub capabilities: Capabilities,
    pub folders: Vec<tempfile::TempDir>,
}

/// A driver process and one browser session on it; both end when dropped.
pub struct Browser {
    pub engine: Engine,
    pub client: Client,
    driver: Child,
    /// What the driver (and the browser it started) printed, for a failure's report.
    driver_log: tempfile::NamedTempFile,
    _folders: Vec<tempfile::TempDir>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_process_group(&self.driver);
    }
}

/// The browser's processes are the driver's children, in its process group: end them all,
/// or every test would leave a browser running.
fn kill_process_group(driver: &Child) {
    if let Some(pid) = driver.id() {
        let _ =
            std::process::Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).status();
    }
}

/// Held while a driver picks its port and starts listening.
static DRIVER_PORTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long a driver may take to open a session. A loaded machine starts a browser within
/// seconds; but now and then MiniBrowser never answers WebKitWebDriver's new-session request
/// at all, and a fresh driver and browser then start at once: so give up on a session after
/// this long and try again, up to [`ATTEMPTS`] times.
const SESSION_START: Duration = Duration::from_secs(40);
const ATTEMPTS: usize = 3;

/// A session on the driver at `url`, retried while the driver is still starting (nothing
/// listens on its port yet).
async fn connect(url: &str, capabilities: &Capabilities) -> Result<Client, NewSessionError> {
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(capabilities.clone()).connect(url).await {
            Err(
                NewSessionError::Failed(_) | NewSessionError::FailedC(_) | NewSessionError::Lost(_),
            ) => tokio::time::sleep(Duration::from_millis(100)).await,
            result => return result,
        }
    }
}

impl Browser {
    /// Starts `engine`'s driver on a free port and a fresh browser with an empty profile (size
    /// its viewport with [`Browser::resize`]).
    pub async fn start(engine: Engine, window: Window) -> Browser {
        let mut failures = Vec::new();
        for _ in 0..ATTEMPTS {
            match Browser::try_start(engine, window).await {
                Ok(browser) => return browser,
                Err(failure) => failures.push(failure),
            }
        }
        panic!("{engine}: no WebDriver session in {ATTEMPTS} attempts:\n{}", failures.join("\n"));
    }

    /// One driver and one session, or why not (with the driver's last words).
    async fn try_start(engine: Engine, window: Window) -> Result<Browser, String> {
        // A free port is only free until something binds it: while one test's driver starts,
        // no other test's driver may be handed the same port, or both would talk to one driver.
        let starting = DRIVER_PORTS.lock().await;
        let port = xtask::free_port().unwrap();
        let launch = match engine {
            Engine::Chromium => chromium::launch(port, window),
            Engine::Firefox => firefox::launch(port, window),
            Engine::WebKit => webkit::launch(port, window),
        };
        let program = launch.driver.get_program().to_owned();
        let driver_log = tempfile::NamedTempFile::new().unwrap();
        let mut driver = Command::from(launch.driver)
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(driver_log.reopen().unwrap())
            .stderr(driver_log.reopen().unwrap())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{engine}: {program:?}: {e}: run `cargo xtask test`, which installs it")
            });
        let listening = tokio::time::timeout(SESSION_START, async {
            while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        let listening = listening.await.is_ok();
        drop(starting);
        let url = format!("http://127.0.0.1:{port}");
        let session = tokio::time::timeout(SESSION_START, connect(&url, &launch.capabilities));
        let error = match session.await {
            // The session is ours only if our driver still runs: one that could not bind its
            // port has exited, and another process answered.
            Ok(Ok(client)) if listening && driver.try_wait().is_ok_and(|exit| exit.is_none()) => {
                let folders = launch.folders;
                return Ok(Browser { engine, client, driver, driver_log, _folders: folders });
            }
            Ok(Ok(client)) => {
                let _ = client.close().await;
                "the driver exited: another process answered on its port".to_owned()
            }
            Ok(Err(error)) => error.to_string(),
            Err(_) => format!("no session within {SESSION_START:?}"),
        };
        kill_process_group(&driver);
        let log = std::fs::read_to_string(driver_log.path()).unwrap_or_default();
        let last: Vec<&str> = log.lines().rev().take(10).collect();
        let last: Vec<&str> = last.into_iter().rev().collect();
        Err(format!("{error}; the driver's last lines:\n{}", last.join("\n")))
    }

    /// Makes the viewport `width` × `height`. Drivers size the outer window, which in Firefox
    /// and MiniBrowser keeps room for toolbars even headless: set it, measure the viewport,
    /// and correct by the difference. An X11 window (MiniBrowser's) resizes after the driver
    /// has answered, so measure a moment later, and correct again until the viewport fits.
    pub async fn resize(&self, width: u32, height: u32) {
        let (mut outer_width, mut outer_height) = (width, height);
        for _ in 0..20 {
            self.client.set_window_rect(0, 0, outer_width, outer_height).await.unwrap();
            tokio::time::sleep(Duration::from_millis(100)).await;
            let (inner_width, inner_height): (u32, u32) =
                self.eval("return [innerWidth, innerHeight];").await;
            if (inner_width, inner_height) == (width, height) {
                return;
            }
            outer_width = (outer_width + width).saturating_sub(inner_width);
            outer_height = (outer_height + height).saturating_sub(inner_height);
        }
    }

    /// What the driver and the browser printed so far.
    pub fn driver_log(&self) -> String {
        std::fs::read_to_string(self.driver_log.path()).unwrap_or_default()
    }

    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// Evaluates `body` (a function body, `return` its result) in the page.
    pub async fn eval<T: DeserializeOwned>(&self, body: &str) -> T {
        let value = self
            .client
            .execute(body, vec![])
            .await
            .unwrap_or_else(|e| panic!("{}: {body}: {e}", self.engine));
        serde_json::from_value(value).unwrap()
    }

    /// Polls `condition` (a JS expression) until it is true, or fails after `within`.
    pub async fn wait_until(&self, condition: &str, within: Duration) {
        assert!(
            self.becomes_true(condition, within).await,
            "not true within {within:?}: {condition}"
        );
    }

    /// Polls `condition` (a JS expression) until it is true (then true), or `within` passes.
    pub async fn becomes_true(&self, condition: &str, within: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < within {
            if self.eval::<bool>(&format!("return Boolean({condition});")).await {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// A real WebDriver click on the element `css` selects.
    pub async fn click(&self, css: &str) {
        self.client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
    }

    /// A finger's tap on the element `css` selects: touch down and up at its centre, with no
    /// mouse anywhere. WebKitGTK's driver turns touch actions into mouse events, so there a tap
    /// is a click; Chromium and Firefox send touch events.
    pub async fn tap(&self, css: &str) {
        let element = self.client.find(Locator::Css(css)).await.unwrap();
        let finger = TouchActions::new("finger".to_owned())
            .then(PointerAction::MoveToElement { element, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: 0 })
            .then(PointerAction::Up { button: 0 });
        self.client.perform_actions(finger).await.unwrap();
    }

    /// Sends keys to whatever has focus, as a keyboard would.
    pub async fn press(&self, keys: &str) {
        self.client.active_element().await.unwrap().send_keys(keys).await.unwrap();
    }

    pub async fn screenshot(&self) -> Vec<u8> {
        self.client.screenshot().await.unwrap()
    }

    /// The warnings and errors the page reported, as `(level, message)` pairs: from
    /// ChromeDriver's log (which has failed loads too) in Chromium, and from the recorder the
    /// test site loads before the game (`console-watch.js`) elsewhere, as geckodriver and
    /// WebKitWebDriver have no log to read and Debian's WebKitGTK no BiDi.
    pub async fn console_problems(&self) -> Vec<(String, String)> {
        match self.engine {
            Engine::Chromium => chromium::console(&self.client)
                .await
                .into_iter()
                .filter(|(level, _)| level != "INFO" && level != "DEBUG")
                .collect(),
            Engine::Firefox | Engine::WebKit => {
                self.eval(&format!(
                    "return JSON.parse(sessionStorage.getItem('{}') || '[]');",
                    crate::servers::CONSOLE_KEY
                ))
                .await
            }
        }
    }

    /// Runs axe-core (its default rules, best practices included) on the page and returns
    /// the violations: rule id, impact and the first offending node.
    pub async fn axe_violations(&self, axe_source: &str) -> Vec<Value> {
        self.client.execute(axe_source, vec![]).await.expect("axe-core loads");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document).then(r => done(r.violations.map(v => ({
                     id: v.id, impact: v.impact, help: v.help,
                     node: v.nodes[0] && v.nodes[0].html,
                     summary: v.nodes[0] && v.nodes[0].failureSummary,
                 }))), e => done([{ id: 'axe-error', help: String(e) }]));",
                vec![],
            )
            .await
            .unwrap();
        result.as_array().cloned().unwrap_or_default()
    }
}

//! The browser tests' own harness (libtest-mimic, so `cargo test` filters, lists and reports
//! as usual): every scenario becomes one test per engine, named `ENGINE::SCENARIO`; the
//! engines' tests run side by side; `SPIN_BROWSERS` picks engines; and a failing test leaves
//! what its browsers showed under `target/tests/e2e/failures/ENGINE/SCENARIO/`.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};

use crate::browser::{Browser, Engine, Window};

/// A scenario's body: it starts its browsers through the [`Session`] it is given.
pub type Body = fn(Session) -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// One thing the game must do, checked in each of `engines`.
pub struct Scenario {
    pub name: &'static str,
    pub body: Body,
    pub engines: &'static [Engine],
}

/// `scenario!(name)` runs the `async fn name(Session)` in every engine;
/// `scenario!(name, [Engine::Chromium])` in those listed.
macro_rules! scenario {
    ($name:ident) => {
        scenario!($name, Engine::ALL)
    };
    ($name:ident, $engines:expr) => {
        $crate::harness::Scenario {
            name: stringify!($name),
            body: |session| Box::pin($name(session)),
            engines: &$engines,
        }
    };
}

/// What a scenario is given: its engine, and the browsers it starts, kept so that a failure
/// can be recorded.
pub struct Session {
    pub engine: Engine,
    browsers: Arc<Mutex<Vec<Arc<Browser>>>>,
}

impl Session {
    /// A fresh browser of this session's engine, its viewport sized to `window`.
    pub async fn browser(&self, window: Window) -> Arc<Browser> {
        let browser = Arc::new(Browser::start(self.engine, window).await);
        self.browsers.lock().unwrap().push(browser.clone());
        browser.resize(window.width, window.height).await;
        browser
    }
}

/// How long one scenario may take, its browsers' start included (the longest, every API
/// fault in turn, takes about a minute).
const LIMIT: Duration = Duration::from_secs(240);

/// Browsers running at once when `--test-threads` does not say. Scenarios spend most of
/// their time waiting on reels and timeouts, so one browser per engine keeps a 2-core
/// machine busy without slowing the animations the tests time.
const DEFAULT_THREADS: usize = 3;

/// Runs `scenarios` in the selected engines, as `cargo test` runs tests.
pub fn main(scenarios: &'static [Scenario]) -> ExitCode {
    let mut args = Arguments::from_args();
    let selected = match Engine::selected() {
        Ok(engines) => engines,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    args.test_threads = args.test_threads.or(Some(DEFAULT_THREADS));
    // Engine by engine within each scenario, so all engines make progress together.
    let trials = scenarios
        .iter()
        .flat_map(|scenario| {
            let selected = &selected;
            scenario.engines.iter().map(move |&engine| {
                Trial::test(format!("{engine}::{}", scenario.name), move || run(engine, scenario))
                    .with_ignored_flag(!selected.contains(&engine))
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    crate::webkit::stop_display();
    conclusion.exit_code()
}

/// Where a failing scenario leaves its screenshots, console logs and driver logs.
pub fn failure_folder(engine: Engine, scenario: &str) -> PathBuf {
    xtask::target_dir().join("tests/e2e/failures").join(engine.name()).join(scenario)
}

fn run(engine: Engine, scenario: &'static Scenario) -> Result<(), Failed> {
    // Built once for all tests, before any test's clock starts.
    crate::servers::built_site();
    let folder = failure_folder(engine, scenario.name);
    let _ = std::fs::remove_dir_all(&folder);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let browsers = Arc::new(Mutex::new(Vec::new()));
        let session = Session { engine, browsers: browsers.clone() };
        let task = tokio::spawn((scenario.body)(session));
        let failure = match tokio::time::timeout(LIMIT, task).await {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(error)) if error.is_panic() => panic_message(error.into_panic()),
            Ok(Err(error)) => error.to_string(),
            Err(_) => format!("did not finish within {LIMIT:?}"),
        };
        let browsers: Vec<Arc<Browser>> = browsers.lock().unwrap().clone();
        for (index, browser) in browsers.iter().enumerate() {
            record_failure(browser, &folder, index).await;
        }
        let kept = if browsers.is_empty() {
            "no browser had started".to_owned()
        } else {
            format!("screenshot, console and driver log in {}", folder.display())
        };
        Err(format!("in {engine}: {failure}\n({kept})").into())
    })
}

/// Saves what `browser` shows and logged, as `screenshot.png`, `console.txt` and
/// `driver.log` (numbered after the first browser).
async fn record_failure(browser: &Arc<Browser>, folder: &std::path::Path, index: usize) {
    std::fs::create_dir_all(folder).unwrap();
    let suffix = if index == 0 { String::new() } else { format!("-{}", index + 1) };
    let wait = Duration::from_secs(10);
    if let Ok(Ok(png)) = tokio::time::timeout(wait, browser.client.screenshot()).await {
        let _ = std::fs::write(folder.join(format!("screenshot{suffix}.png")), png);
    }
    // In a task of its own, so a browser in a bad state fails this read and not the report.
    let read = tokio::spawn(console_entries(browser.clone()));
    let console = match tokio::time::timeout(wait, read).await {
        Ok(Ok(lines)) => lines,
        _ => "(the console could not be read)\n".to_owned(),
    };
    let _ = std::fs::write(folder.join(format!("console{suffix}.txt")), console);
    let _ = std::fs::write(folder.join(format!("driver{suffix}.log")), browser.driver_log());
}

async fn console_entries(browser: Arc<Browser>) -> String {
    let mut lines = String::new();
    for (level, message) in browser.console_problems().await {
        lines.push_str(&format!("{level}: {message}\n"));
    }
    if lines.is_empty() { "(no warnings or errors)\n".to_owned() } else { lines }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "panicked".to_owned())
}

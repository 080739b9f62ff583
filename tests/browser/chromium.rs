//! A real headless Chromium, driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`), for the end-to-end tests.

use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::process::{Child, Command};
use xtask::prerequisites::{CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS};

/// How a page's window is set up.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub width: u32,
    pub height: u32,
    /// Start Chromium with `prefers-reduced-motion: reduce`.
    pub reduced_motion: bool,
}

impl Window {
    pub const DESKTOP: Window = Window { width: 1280, height: 900, reduced_motion: false };
    pub const PHONE: Window = Window { width: 360, height: 740, reduced_motion: false };
}

/// A chromedriver process and one browser session on it; both end when dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    /// Chromium's processes are chromedriver's children, in its process group: end them all,
    /// or every test would leave a browser running.
    fn drop(&mut self) {
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
        }
    }
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium with an empty profile, run as
    /// everywhere in the project ([`CHROMIUM_FLAGS`]).
    pub async fn start(window: Window) -> Browser {
        let port = xtask::free_port().unwrap();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{CHROMEDRIVER}: {e}: run `cargo xtask test`, which installs chromium-driver"
                )
            });
        let profile = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = CHROMIUM_FLAGS.map(str::to_owned).to_vec();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push(format!("--window-size={},{}", window.width, window.height));
        if window.reduced_motion {
            args.push("--force-prefers-reduced-motion".to_owned());
        }
        let mut capabilities = Capabilities::new();
        capabilities
            .insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));

        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(error) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!("no WebDriver session: {error}"),
            }
        };
        Browser { client, driver, _profile: profile }
    }

    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// Evaluates `body` (a function body, `return` its result) in the page.
    pub async fn eval<T: DeserializeOwned>(&self, body: &str) -> T {
        let value =
            self.client.execute(body, vec![]).await.unwrap_or_else(|e| panic!("{body}: {e}"));
        serde_json::from_value(value).unwrap()
    }

    /// Polls `condition` (a JS expression) until it is true, or fails after `within`.
    pub async fn wait_until(&self, condition: &str, within: Duration) {
        let started = Instant::now();
        loop {
            if self.eval::<bool>(&format!("return Boolean({condition});")).await {
                return;
            }
            assert!(started.elapsed() < within, "not true within {within:?}: {condition}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// A real WebDriver click on the element `css` selects.
    pub async fn click(&self, css: &str) {
        self.client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
    }

    /// Sends keys to whatever has focus, as a keyboard would.
    pub async fn press(&self, keys: &str) {
        self.client.active_element().await.unwrap().send_keys(keys).await.unwrap();
    }

    pub async fn screenshot(&self) -> Vec<u8> {
        self.client.screenshot().await.unwrap()
    }

    /// What the browser logged to its console (including failed loads) since the last call:
    /// `(level, message)` pairs.
    pub async fn console(&self) -> Vec<(String, String)> {
        let entries = self.client.issue_cmd(BrowserLog).await.unwrap();
        entries
            .as_array()
            .into_iter()
            .flatten()
            .map(|entry| {
                let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
                (text("level"), text("message"))
            })
            .collect()
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

/// chromedriver's log endpoint (outside the W3C standard, still served by ChromeDriver).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

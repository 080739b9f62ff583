//! Chromium (Debian's `chromium` and `chromium-driver`): how it starts, and its console log,
//! read through ChromeDriver's own endpoint.

use fantoccini::Client;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use serde_json::json;
use xtask::prerequisites::{CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS};

use crate::browser::{Launch, Window};

/// ChromeDriver on `port`, starting a headless Chromium with an empty profile, run as
/// everywhere in the project ([`CHROMIUM_FLAGS`]).
pub fn launch(port: u16, window: Window) -> Launch {
    let mut driver = std::process::Command::new(CHROMEDRIVER);
    driver.arg(format!("--port={port}"));
    let profile = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = CHROMIUM_FLAGS.map(str::to_owned).to_vec();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    args.push(format!("--window-size={},{}", window.width, window.height));
    if window.reduced_motion {
        args.push("--force-prefers-reduced-motion".to_owned());
    }
    let mut capabilities = Capabilities::new();
    capabilities.insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
    capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    Launch { driver, capabilities, folders: vec![profile] }
}

/// What the browser logged to its console (including failed loads) since the last call:
/// `(level, message)` pairs.
pub async fn console(client: &Client) -> Vec<(String, String)> {
    let entries = client.issue_cmd(BrowserLog).await.unwrap();
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

//! Firefox (Debian's `firefox-esr`), driven by geckodriver (built from crates.io by
//! `cargo xtask test`), headless.

use fantoccini::wd::Capabilities;
use serde_json::json;
use xtask::prerequisites::{FIREFOX, geckodriver};

use crate::browser::{Launch, Window};

/// geckodriver on `port`, starting a headless Firefox ESR with a fresh profile.
pub fn launch(port: u16, window: Window) -> Launch {
    let mut driver = std::process::Command::new(geckodriver());
    driver.args(["--port", &port.to_string()]);
    let profile = tempfile::tempdir().unwrap();
    // Firefox keeps its window at least 500 px wide, even headless, because of the minimum
    // widths of its own toolbars: a userChrome.css (read only with the pref below) lets
    // the window shrink to a phone's width.
    let chrome = profile.path().join("chrome");
    std::fs::create_dir_all(&chrome).unwrap();
    std::fs::write(chrome.join("userChrome.css"), "* { min-width: 0 !important; }\n").unwrap();
    let mut prefs = json!({ "toolkit.legacyUserProfileCustomizations.stylesheets": true });
    if window.reduced_motion {
        prefs["ui.prefersReducedMotion"] = json!(1);
    }
    let mut capabilities = Capabilities::new();
    capabilities.insert(
        "moz:firefoxOptions".into(),
        json!({
            "binary": FIREFOX,
            "args": ["-headless", "-profile", profile.path()],
            "prefs": prefs,
        }),
    );
    Launch { driver, capabilities, folders: vec![profile] }
}

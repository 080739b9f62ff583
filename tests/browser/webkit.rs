//! WebKit, the engine of Safari: WebKitGTK's MiniBrowser driven by WebKitWebDriver (Debian's
//! `webkit2gtk-driver`), drawing into a virtual X server (Debian's `xvfb`), as WebKitGTK has no
//! headless mode.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

use fantoccini::wd::Capabilities;
use serde_json::json;
use xtask::prerequisites::{WEBKIT_WEBDRIVER, XVFB, minibrowser};

use crate::browser::{Launch, Window};

/// WebKitWebDriver on `port`, starting MiniBrowser on the shared X display. WebKitWebDriver
/// serves one session per process, so each browser gets its own driver.
pub fn launch(port: u16, window: Window) -> Launch {
    let settings = gtk_settings(window.reduced_motion);
    let mut driver = Command::new(WEBKIT_WEBDRIVER);
    driver
        .arg(format!("--port={port}"))
        .env("DISPLAY", display())
        .env("XDG_CONFIG_HOME", settings.path());
    let mut capabilities = Capabilities::new();
    // "webkit" is refused as a browserName; MiniBrowser needs `--automation` to accept a
    // session at all (without it the session never starts).
    capabilities.insert("browserName".into(), json!("MiniBrowser"));
    capabilities.insert(
        "webkitgtk:browserOptions".into(),
        json!({ "binary": minibrowser(), "args": ["--automation"] }),
    );
    Launch { driver, capabilities, folders: vec![settings] }
}

/// A GTK configuration folder (for `XDG_CONFIG_HOME`). Its stylesheet zeroes the minimum
/// sizes of MiniBrowser's own widgets, which otherwise keep the window at least 447 px wide,
/// wider than the phones the layout is tested at. GTK's animations setting is what WebKitGTK
/// reports as `prefers-reduced-motion`.
fn gtk_settings(reduced_motion: bool) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let gtk = folder.path().join("gtk-3.0");
    std::fs::create_dir_all(&gtk).unwrap();
    std::fs::write(
        gtk.join("gtk.css"),
        "* { min-width: 0; min-height: 0; padding: 0; margin: 0; }\n",
    )
    .unwrap();
    let animations = if reduced_motion { 0 } else { 1 };
    std::fs::write(
        gtk.join("settings.ini"),
        format!("[Settings]\ngtk-enable-animations={animations}\n"),
    )
    .unwrap();
    folder
}

/// The X server every MiniBrowser of this test run draws into, started on first use.
static XVFB_SERVER: Mutex<Option<(Child, String)>> = Mutex::new(None);

/// The shared X server's display (`:N`). Xvfb picks a free display number itself
/// (`-displayfd`), so test runs side by side do not collide; its screen is large enough for
/// the desktop window (the default is 640×480).
fn display() -> String {
    let mut server = XVFB_SERVER.lock().unwrap();
    if let Some((_, display)) = server.as_ref() {
        return display.clone();
    }
    let mut xvfb = Command::new(XVFB)
        .args(["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{XVFB}: {e}: run `cargo xtask test`, which installs xvfb"));
    let mut number = String::new();
    BufReader::new(xvfb.stdout.take().unwrap()).read_line(&mut number).unwrap();
    let display = format!(":{}", number.trim());
    *server = Some((xvfb, display.clone()));
    display
}

/// Ends the shared X server, if one was started.
pub fn stop_display() {
    if let Some((mut xvfb, _)) = XVFB_SERVER.lock().unwrap().take() {
        let _ = xvfb.kill();
        let _ = xvfb.wait();
    }
}

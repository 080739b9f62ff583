//! The game end to end in real browsers of the three engines players use (Chromium, Firefox,
//! WebKit), against the site and API that `cargo xtask serve` runs: playing with mouse,
//! keyboard and touch, credits that survive a reload, every API fault refunded, reduced
//! motion, phone screens, and axe-core's accessibility rules.
//!
//! Each scenario is an `async fn(Session)` listed in [`SCENARIOS`]; it runs once per engine,
//! as the test `ENGINE::SCENARIO` (see `harness.rs`).

use std::process::ExitCode;
use std::time::Duration;

#[macro_use]
mod harness;
mod browser;
mod chromium;
mod firefox;
mod servers;
mod webkit;

use browser::{Browser, Engine, Window};
use harness::{Scenario, Session};
use servers::{Fault, GameServers};
use spin_game::{REEL_COUNT, SpinResponse, Symbol};

/// Every scenario, and the engines it runs in. The longest come first, so the run ends with
/// short ones filling the gaps.
static SCENARIOS: [Scenario; 25] = [
    scenario!(api_faults_refund_the_bet_and_the_next_spin_works),
    scenario!(stop_rests_the_reels_at_once_on_the_outcome_of_an_unhurried_spin),
    scenario!(a_big_win_counts_up_and_a_press_skips_to_the_next_spin),
    scenario!(autoplay_runs_by_keyboard_and_stops_at_its_limits_on_stop_and_on_an_error),
    scenario!(autoplay_stops_on_a_big_win_and_when_the_page_is_hidden),
    scenario!(calm_play_slows_the_game_and_reminds_of_the_session_each_half_hour),
    scenario!(a_spin_settles_on_the_symbols_the_api_returned),
    scenario!(the_game_plays_by_keyboard_alone),
    scenario!(a_slow_answer_keeps_the_reels_spinning_and_is_no_error),
    scenario!(corrupted_saved_credits_start_afresh_with_a_message),
    scenario!(it_fits_phones_and_plays_by_touch),
    scenario!(axe_finds_no_accessibility_violations),
    scenario!(reduced_motion_replaces_spinning_with_a_quick_fade),
    scenario!(credits_survive_a_reload),
    scenario!(the_session_facts_match_the_spins_played_and_survive_a_reload),
    scenario!(reduced_motion_shows_the_win_at_once_and_its_tier_in_words),
    scenario!(a_failed_spin_clears_the_last_win),
    scenario!(a_double_click_charges_once),
    scenario!(a_server_with_other_rules_offers_a_reload),
    scenario!(the_page_allows_connections_to_its_own_api_only),
    scenario!(a_missing_config_or_module_says_so_instead_of_a_blank_page),
    scenario!(every_spin_verifies_once_its_epoch_has_ended),
    scenario!(a_seed_that_does_not_match_its_commitment_fails_verification),
    scenario!(the_player_can_choose_the_client_seed),
    scenario!(sound_is_off_until_the_player_turns_it_on_and_stays_as_chosen),
];

fn main() -> ExitCode {
    harness::main(&SCENARIOS)
}

const SETTLE: Duration = Duration::from_secs(15);

/// True once the page is ready for a spin: config loaded, reels at rest, Spin enabled.
const READY: &str = "document.querySelector('button.spin') && !document.querySelector('button.spin').disabled \
    && [...document.querySelectorAll('[data-testid=reel]')].every(r => r.dataset.symbol)";

/// Records in the page when the Spin button is activated and when the reels next come to
/// rest, so timings come from the browser's own clock rather than WebDriver round trips.
const WATCH: &str = "window.__spin = {};
    const spinButton = () => document.querySelector('button.spin');
    // A press starts a new record unless a spin is still under way (a second press then is Stop).
    const mark = e => { if (e.target.closest && e.target.closest('button.spin')
        && (!window.__spin.started || window.__spin.settled)) { window.__spin = { started: performance.now() }; } };
    document.addEventListener('click', mark, true);
    document.addEventListener('keydown', e => { if (e.key === ' ' || e.key === 'Enter') mark(e); }, true);
    document.addEventListener('pointerdown', e => { window.__pointer = e.pointerType; }, true);
    // Settled: the reels have moved since the press (the Spin button stays enabled as Stop, so
    // a change before the spin's first render must not count) and all name a symbol again.
    new MutationObserver(() => {
        const reels = [...document.querySelectorAll('[data-testid=reel]')];
        const named = reels.every(r => r.dataset.symbol);
        if (window.__spin.started && !named) window.__spin.moved = true;
        if (window.__spin.moved && !window.__spin.settled && named
            && spinButton() && !spinButton().disabled) { window.__spin.settled = performance.now(); }
    }).observe(document.body, { subtree: true, attributes: true, childList: true });
    return true;";

async fn open_game(browser: &Browser, game: &GameServers) {
    browser.open(&game.url()).await;
    browser.wait_until(READY, SETTLE).await;
    let _: bool = browser.eval(WATCH).await;
}

async fn credits(browser: &Browser) -> u32 {
    let text: String =
        browser.eval("return document.querySelector('[data-testid=credits]').textContent;").await;
    text.trim().parse().unwrap_or_else(|_| panic!("credits {text:?} is not an integer"))
}

async fn reel_symbols(browser: &Browser) -> Vec<Option<String>> {
    browser.eval("return [...document.querySelectorAll('[data-testid=reel]')].map(r => r.dataset.symbol || null);").await
}

async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .eval(&format!(
            "const e = document.querySelector('{css}'); return e ? e.textContent.trim() : '';"
        ))
        .await
}

/// Waits for the spin started last to come to rest; returns milliseconds from the click.
async fn settled_ms(browser: &Browser) -> f64 {
    if !browser.becomes_true("window.__spin.settled", SETTLE).await {
        let state: String = browser
            .eval(
                "return JSON.stringify({ spin: window.__spin, now: performance.now(),
                status: document.querySelector('[role=status]')?.textContent,
                spinDisabled: document.querySelector('button.spin')?.disabled });",
            )
            .await;
        panic!("the reels did not come to rest within {SETTLE:?}: {state}");
    }
    browser.eval("return window.__spin.settled - window.__spin.started;").await
}

/// Waits until the alert shows a message and returns it.
async fn alert_text(browser: &Browser) -> String {
    browser
        .wait_until(
            "(document.querySelector('[role=alert]')?.textContent ?? '').trim().length > 0",
            SETTLE,
        )
        .await;
    text_of(browser, "[role=alert] p").await
}

fn symbols_of(spin: &SpinResponse) -> Vec<Option<String>> {
    spin.reels.iter().map(|s| Some(s.file_name().to_owned())).collect()
}

/// The sentence the status region announces for `spin`, exactly as in every engine:
/// "Cherry, Cherry, Bell — you win 5 credits".
fn result_sentence(spin: &SpinResponse) -> String {
    let names: Vec<&str> = spin.reels.iter().map(|s| s.name()).collect();
    let outcome = match spin.payout {
        0 => "no win".to_owned(),
        1 => "you win 1 credit".to_owned(),
        n => format!("you win {n} credits"),
    };
    format!("{} — {outcome}", names.join(", "))
}

async fn a_spin_settles_on_the_symbols_the_api_returned(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    assert_eq!(credits(&browser).await, 100);
    assert_eq!(
        browser
            .eval::<usize>("return document.querySelectorAll('[data-testid=reel]').length;")
            .await,
        3
    );

    // Raise the bet to 3, then spin.
    for _ in 0..2 {
        browser.click("button[aria-label='Raise bet']").await;
    }
    browser.click("button.spin").await;
    assert_eq!(reel_symbols(&browser).await, vec![None, None, None], "moving reels name no symbol");
    let elapsed = settled_ms(&browser).await;

    let spins = game.spins();
    assert_eq!(spins.len(), 1);
    let spin = &spins[0];
    assert_eq!(spin.bet.credits(), 3);
    assert_eq!(reel_symbols(&browser).await, symbols_of(spin));
    assert_eq!(i64::from(credits(&browser).await), 100 - 3 + i64::from(spin.payout));
    assert_eq!(text_of(&browser, "[role=status]").await, result_sentence(spin));
    println!("{}: click to all reels stopped: {elapsed:.0} ms", t.engine);

    tokio::time::sleep(Duration::from_millis(800)).await; // let the win meter finish counting
    let screenshot = browser.screenshot().await;
    let out = xtask::target_dir().join("tests/e2e").join(t.engine.name());
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("screenshot.png"), &screenshot).unwrap();
    if t.engine == Engine::Chromium && std::env::var_os("UPDATE_SCREENSHOT").is_some() {
        std::fs::write(xtask::workspace_root().join("docs/screenshot.png"), &screenshot).unwrap();
    }

    let problems = browser.console_problems().await;
    assert!(problems.is_empty(), "console not clean: {problems:?}");
}

async fn the_game_plays_by_keyboard_alone(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;

    // Tab from the top of the page until the Spin button has focus.
    for _ in 0..20 {
        if browser
            .eval::<bool>(
                "return document.activeElement === document.querySelector('button.spin');",
            )
            .await
        {
            break;
        }
        browser.press("\u{e004}").await; // Tab
    }
    let focused: String = browser.eval("return document.activeElement.textContent;").await;
    assert!(focused.contains("Spin"), "focus is on {focused:?}");

    browser.press(" ").await;
    settled_ms(&browser).await;
    assert_eq!(game.spins().len(), 1, "Space spins");
    assert!(
        browser.becomes_true(SPIN_FOCUSED, REFOCUS).await,
        "focus returns to Spin after the reels stop"
    );

    browser.press("\u{e007}").await; // Enter
    settled_ms(&browser).await;
    assert_eq!(game.spins().len(), 2, "Enter spins");
    assert!(browser.becomes_true(SPIN_FOCUSED, REFOCUS).await, "focus returns to Spin");
    let focus_ring: String =
        browser.eval("return getComputedStyle(document.activeElement).outlineStyle;").await;
    assert_ne!(focus_ring, "none", "focus is visible");
}

/// Whether the Spin button has focus.
const SPIN_FOCUSED: &str = "document.activeElement === document.querySelector('button.spin')";

/// How soon after the reels rest focus must be back on Spin: the game hands it back in the
/// render that enables the button, which a loaded machine may run a little after the change
/// the tests see.
const REFOCUS: Duration = Duration::from_millis(500);

async fn credits_survive_a_reload(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    let after_spin = credits(&browser).await;
    assert_eq!(i64::from(after_spin), 100 - 1 + i64::from(game.spins()[0].payout));

    browser.client.refresh().await.unwrap();
    browser.wait_until(READY, SETTLE).await;
    assert_eq!(credits(&browser).await, after_spin);
}

/// The session's facts as the page shows them: time played in seconds, spins, net result.
async fn session_facts(browser: &Browser) -> (u64, String, String) {
    let played = text_of(browser, "[data-testid=session-time]").await;
    let seconds =
        played.split(':').try_fold(0, |total, part| Some(total * 60 + part.parse::<u64>().ok()?));
    let seconds = seconds.unwrap_or_else(|| panic!("time played {played:?} is not M:SS"));
    let spins = text_of(browser, "[data-testid=session-spins]").await;
    (seconds, spins, text_of(browser, "[data-testid=session-net]").await)
}

/// Three spins at bets of 1, 2 and 1: the facts count them, net the credits won minus those
/// bet (the change in credits, with its sign), time played runs, and a reload keeps all three.
async fn the_session_facts_match_the_spins_played_and_survive_a_reload(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    assert_eq!(session_facts(&browser).await, (0, "0".to_owned(), "0".to_owned()));
    for change in [None, Some("Raise bet"), Some("Lower bet")] {
        if let Some(name) = change {
            browser.click(&format!("button[aria-label='{name}']")).await;
        }
        browser.click("button.spin").await;
        settled_ms(&browser).await;
    }
    let spins = game.spins();
    assert_eq!(spins.iter().map(|spin| spin.bet.credits()).collect::<Vec<_>>(), [1, 2, 1]);
    let net: i64 =
        spins.iter().map(|spin| i64::from(spin.payout) - i64::from(spin.bet.credits())).sum();
    assert_eq!(i64::from(credits(&browser).await), 100 + net);
    let net = if net == 0 { "0".to_owned() } else { format!("{net:+}") };
    let (played, shown_spins, shown_net) = session_facts(&browser).await;
    assert_eq!((shown_spins.as_str(), shown_net.as_str()), ("3", net.as_str()));
    // Three spins of at least 1.8 s each; the clock ticks every second.
    assert!((4..60).contains(&played), "time played {played} s");

    browser.client.refresh().await.unwrap();
    browser.wait_until(READY, SETTLE).await;
    let (replayed, shown_spins, shown_net) = session_facts(&browser).await;
    assert_eq!((shown_spins.as_str(), shown_net.as_str()), ("3", net.as_str()), "after a reload");
    assert!(replayed >= played, "time played went from {played} s to {replayed} s");
    let problems = browser.console_problems().await;
    assert!(problems.is_empty(), "console not clean: {problems:?}");
}

async fn a_double_click_charges_once(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    let _: bool = browser.eval("const b = document.querySelector('button.spin'); b.click(); b.click(); b.click(); return true;").await;
    settled_ms(&browser).await;
    assert_eq!(game.spins().len(), 1);
    assert_eq!(i64::from(credits(&browser).await), 99 + i64::from(game.spins()[0].payout));
}

/// Each fault: the reels stop, the alert says what happened, no credit is lost, and the next
/// spin works.
async fn api_faults_refund_the_bet_and_the_next_spin_works(t: Session) {
    let browser = t.browser(Window::DESKTOP).await;
    let faults = [
        (Fault::Down, "Can't reach the Spin server"),
        (Fault::Status(500), "error 500"),
        (Fault::Garbage, "can't read"),
        (Fault::Status(429), "busy"),
        (Fault::UnknownSymbol, "can't read"),
        (Fault::Hang, "took too long"),
    ];
    for (fault, expected) in faults {
        let mut game = GameServers::failing(fault, 1).await;
        open_game(&browser, &game).await;
        browser.click("button.spin").await;
        let alert = alert_text(&browser).await;
        assert!(alert.contains(expected), "{fault:?}: {alert}");
        assert!(alert.contains("Your bet was returned"), "{fault:?}: {alert}");
        browser.wait_until(READY, SETTLE).await;
        assert_eq!(credits(&browser).await, 100, "{fault:?} cost credits");

        if fault == Fault::Down {
            game.revive().await;
        }
        browser.click("button.spin").await;
        settled_ms(&browser).await;
        let spins = game.spins();
        assert_eq!(spins.len(), 1, "{fault:?}: the next spin works");
        assert_eq!(reel_symbols(&browser).await, symbols_of(&spins[0]));
        assert_eq!(
            i64::from(credits(&browser).await),
            99 + i64::from(spins[0].payout),
            "{fault:?}"
        );
        assert_eq!(text_of(&browser, "[role=alert]").await, "", "{fault:?}: the alert clears");
    }
}

async fn corrupted_saved_credits_start_afresh_with_a_message(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    for corrupt in ["lots", "-20", "1e9", ""] {
        let _: bool = browser
            .eval(&format!("localStorage.setItem('spin.credits', '{corrupt}'); return true;"))
            .await;
        browser.client.refresh().await.unwrap();
        browser.wait_until(READY, SETTLE).await;
        let alert = alert_text(&browser).await;
        assert!(alert.contains("could not be read"), "{corrupt:?}: {alert}");
        assert_eq!(credits(&browser).await, 100, "{corrupt:?}");
    }
    let _: bool = browser.eval(WATCH).await;
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    // The page saves once the reels rest, in an effect after the render that shows them:
    // wait for it rather than race it.
    let saved_again = "localStorage.getItem('spin.credits')
        === document.querySelector('[data-testid=credits]').textContent.trim()";
    let saved_in_time = browser.becomes_true(saved_again, SETTLE).await;
    let saved: String = browser.eval("return localStorage.getItem('spin.credits');").await;
    assert!(
        saved_in_time,
        "a good value is saved again: {saved:?}, {} shown",
        credits(&browser).await
    );
}

async fn the_page_allows_connections_to_its_own_api_only(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    let policy: String = browser
        .eval("return document.querySelector('meta[http-equiv=Content-Security-Policy]').content;")
        .await;
    let api: String =
        browser.eval("return fetch('config.json').then(r => r.json()).then(c => c.apiUrl);").await;
    assert!(policy.contains(&format!("connect-src 'self' {api};")), "{policy}");
    assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"), "{policy}");
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    // The policy is enforced: the page may not call anywhere else.
    let blocked: String = browser
        .eval("return fetch('http://127.0.0.1:9/').then(() => 'allowed', e => 'blocked: ' + e.message);")
        .await;
    assert!(blocked.starts_with("blocked"), "{blocked}");
}

async fn a_slow_answer_keeps_the_reels_spinning_and_is_no_error(t: Session) {
    let game = GameServers::failing(Fault::Slow(Duration::from_secs(3)), 1).await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    browser.click("button.spin").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(reel_symbols(&browser).await, vec![None, None, None], "still spinning at 2.5 s");
    let elapsed = settled_ms(&browser).await;
    assert!(elapsed >= 3000.0, "settled after {elapsed} ms, before the answer");
    assert_eq!(text_of(&browser, "[role=alert]").await, "");
    let spin = &game.spins()[0];
    assert_eq!(reel_symbols(&browser).await, symbols_of(spin));
    assert_eq!(i64::from(credits(&browser).await), 99 + i64::from(spin.payout));
}

async fn a_server_with_other_rules_offers_a_reload(t: Session) {
    let game = GameServers::failing(Fault::OtherRules, 1).await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    browser.click("button.spin").await;
    let alert = alert_text(&browser).await;
    assert!(alert.contains("different rules"), "{alert}");
    assert_eq!(credits(&browser).await, 100);
    let reload: String = browser.eval("return [...document.querySelectorAll('[role=alert] button')].map(b => b.textContent).join(',');").await;
    assert!(reload.contains("Reload"), "{reload}");
}

async fn reduced_motion_replaces_spinning_with_a_quick_fade(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window { reduced_motion: true, ..Window::DESKTOP }).await;
    open_game(&browser, &game).await;
    assert!(
        browser
            .eval::<bool>("return matchMedia('(prefers-reduced-motion: reduce)').matches;")
            .await
    );
    browser.click("button.spin").await;
    let elapsed = settled_ms(&browser).await;
    // Timed from the API's answer (the browser's own resource timing), as the game can only
    // show the line once it has it: on a loaded machine the round trip alone, in WebKit
    // especially, can take most of a second.
    let after_answer: f64 = browser
        .eval(
            "const spins = performance.getEntriesByType('resource')
            .filter(e => e.initiatorType === 'fetch' && e.name.endsWith('/spin'));
            return window.__spin.settled - spins[spins.length - 1].responseEnd;",
        )
        .await;
    println!(
        "{}: reduced motion: click to settled {elapsed:.0} ms, answer to settled {after_answer:.0} ms",
        t.engine
    );
    assert!(after_answer < 1000.0, "reduced motion settled {after_answer} ms after the answer");
    let spin = &game.spins()[0];
    assert_eq!(reel_symbols(&browser).await, symbols_of(spin));

    // Mid-spin the bands do not scroll: their animation is the fade, or none.
    let _: bool = browser.eval(WATCH).await;
    browser.click("button.spin").await;
    let names: Vec<String> = browser.eval("return [...document.querySelectorAll('.band')].map(b => getComputedStyle(b).animationName);").await;
    assert!(names.iter().all(|n| n == "none" || n == "reel-fade"), "{names:?}");
    settled_ms(&browser).await;
}

/// What of the reels and the Spin button lies outside the viewport as the page opens (so it
/// would take scrolling to see), as `selector: rectangle` strings.
const OUT_OF_VIEW: &str = "return [...document.querySelectorAll('[data-testid=reel]'), document.querySelector('button.spin')]
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([, r]) => r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth)
    .map(([e, r]) => `${e.dataset.testid || e.className}: ${r.left},${r.top} ${r.width}x${r.height}`);";

/// At 360 px and at 390×844 the reels and Spin are in view without scrolling and nothing
/// scrolls sideways; tapping Spin spins; every control shows without hovering.
async fn it_fits_phones_and_plays_by_touch(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::PHONE).await;
    for (window, spins) in [(Window::PHONE, 1), (Window::IPHONE, 2)] {
        browser.resize(window.width, window.height).await;
        open_game(&browser, &game).await;
        let size = (window.width, window.height);
        let viewport: (u32, u32) = browser.eval("return [innerWidth, innerHeight];").await;
        assert_eq!(viewport, size, "the viewport, before judging the layout");

        let (scroll, client): (u32, u32) = browser
            .eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];")
            .await;
        assert!(scroll <= client, "{size:?}: page is {scroll} px wide in a {client} px window");
        let hidden: Vec<String> = browser.eval(OUT_OF_VIEW).await;
        assert!(hidden.is_empty(), "{size:?}: out of view: {hidden:?}");
        let unseen: Vec<String> = browser
            .eval(
                "return [...document.querySelectorAll('button')].filter(b => {
                const s = getComputedStyle(b), r = b.getBoundingClientRect();
                return r.width === 0 || s.visibility !== 'visible' || Number(s.opacity) === 0;
            }).map(b => b.getAttribute('aria-label') || b.textContent);",
            )
            .await;
        assert!(unseen.is_empty(), "{size:?}: controls that only show on hover: {unseen:?}");

        browser.tap("button.spin").await;
        settled_ms(&browser).await;
        assert_eq!(game.spins().len(), spins, "{size:?}: a tap on Spin spins");
        // WebKitGTK's driver turns touch into mouse input: there the tap is a click.
        let finger = if t.engine == Engine::WebKit { "mouse" } else { "touch" };
        let pointer: String = browser.eval("return window.__pointer;").await;
        assert_eq!(pointer, finger, "{size:?}: the tap's pointer");

        // The autoplay form, opened, fits too.
        browser.tap("button.autoplay").await;
        browser.wait_until("document.querySelector('#autoplay')", SETTLE).await;
        let overflowing: Vec<String> = browser
            .eval(
                "return [...document.querySelectorAll('#autoplay label, #autoplay button')]
                    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
                    .map(e => e.textContent);",
            )
            .await;
        assert!(overflowing.is_empty(), "{size:?}: autoplay form overflows: {overflowing:?}");
        let (scroll, client): (u32, u32) = browser
            .eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];")
            .await;
        assert!(scroll <= client, "{size:?}: with the autoplay form, {scroll} px in {client} px");
        browser.tap("button.autoplay").await;
    }
}

/// axe-core, to run in the page.
fn axe_source() -> String {
    std::fs::read_to_string(xtask::workspace_root().join("node_modules/axe-core/axe.min.js"))
        .expect("axe-core from npm: run `cargo xtask test`, which installs it")
}

async fn axe_finds_no_accessibility_violations(t: Session) {
    let axe = axe_source();
    let game = GameServers::failing(Fault::Status(500), 1).await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;

    // With an error shown...
    browser.click("button.spin").await;
    alert_text(&browser).await;
    browser.wait_until(READY, SETTLE).await;
    let violations = browser.axe_violations(&axe).await;
    assert!(violations.is_empty(), "with an error: {violations:#?}");

    // ...and after a spin.
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    let violations = browser.axe_violations(&axe).await;
    assert!(violations.is_empty(), "after a spin: {violations:#?}");

    // ...and with the autoplay form open.
    browser.click("button.autoplay").await;
    browser.wait_until("document.querySelector('#autoplay')", SETTLE).await;
    let violations = browser.axe_violations(&axe).await;
    assert!(violations.is_empty(), "with the autoplay form: {violations:#?}");
}

async fn a_missing_config_or_module_says_so_instead_of_a_blank_page(t: Session) {
    let browser = t.browser(Window::DESKTOP).await;

    let game = GameServers::start().await;
    game.remove_from_site("config.json");
    browser.open(&game.url()).await;
    let alert = alert_text(&browser).await;
    assert!(alert.contains("config.json"), "{alert}");

    let game = GameServers::start().await;
    game.remove_from_site("spin_bg.wasm");
    browser.open(&game.url()).await;
    let alert = alert_text(&browser).await;
    assert!(alert.contains("could not start"), "{alert}");
}

/// Statuses of the Verify view's proofs, in page order (newest first).
async fn proof_statuses(browser: &Browser) -> Vec<String> {
    browser
        .eval("return [...document.querySelectorAll('[data-testid=proof]')].map(p => p.dataset.status);")
        .await
}

/// Spins `count` times, then opens the Verify view by keyboard and waits until no proof is
/// pending any more: each epoch's seed is revealed once it has ended. Returns each proof's
/// status and text, newest first.
async fn spin_then_verify(
    browser: &Browser,
    game: &GameServers,
    count: usize,
) -> Vec<(String, String)> {
    for _ in 0..count {
        let _: bool = browser.eval(WATCH).await;
        browser.click("button.spin").await;
        settled_ms(browser).await;
    }
    assert_eq!(game.spins().len(), count);

    // The Verify button: named "Verify", not "spin"; Spin stays the first button naming spin,
    // and the game's result region stays the first live region (its news region next, then
    // the view's).
    let (name, expanded): (String, String) = browser
        .eval("const b = document.querySelector('.verify > button'); return [b.textContent, b.getAttribute('aria-expanded')];")
        .await;
    assert!(name.contains("Verify") && !name.to_lowercase().contains("spin"), "{name}");
    assert_eq!(expanded, "false");
    let _: bool =
        browser.eval("document.querySelector('.verify > button').focus(); return true;").await;
    browser.press("\u{e007}").await; // Enter
    let order: bool = browser
        .eval("const spin = [...document.querySelectorAll('button')].find(b => /spin/i.test(b.textContent));
               const status = document.querySelectorAll('[role=status]');
               return spin === document.querySelector('button.spin') && status[0].classList.contains('status')
                   && status.length === 3 && status[1].dataset.testid === 'news' && document.querySelector('.verify > button[aria-expanded=true]') !== null;")
        .await;
    assert!(order, "Spin first among buttons naming spin, the game's status first, the view open");

    // The newest spin's epoch has not ended (or just has): it says when it can be checked.
    let newest: Vec<String> = browser
        .eval("return [...document.querySelectorAll('[data-testid=proof]')].slice(0, 1).map(p => p.textContent);")
        .await;
    assert_eq!(proof_statuses(browser).await.len(), count);
    println!("newest proof right after spinning: {newest:?}");

    // Every spin's epoch ends, and its seed is revealed within 5 s: the view checks them all.
    let last_epoch = game.spins().iter().map(|spin| spin.fair.epoch).max().unwrap();
    let ends_at = (last_epoch + 1) * servers::SHORT_EPOCH_SECONDS;
    browser
        .wait_until(
            &format!("Date.now() / 1000 > {ends_at} && [...document.querySelectorAll('[data-testid=proof]')].every(p => p.dataset.status !== 'pending')"),
            Duration::from_secs(servers::SHORT_EPOCH_SECONDS + 5) + SETTLE,
        )
        .await;
    browser
        .eval("return [...document.querySelectorAll('[data-testid=proof]')].map(p => [p.dataset.status, p.textContent]);")
        .await
}

async fn every_spin_verifies_once_its_epoch_has_ended(t: Session) {
    let game = GameServers::with_epochs(false).await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    let proofs = spin_then_verify(&browser, &game, 4).await;
    assert_eq!(proofs.len(), 4);
    for (status, text) in &proofs {
        assert_eq!(status, "verified", "{text}");
    }
    // Each proof names its epoch and client seed:nonce, newest first.
    for (spin, (_, text)) in game.spins().iter().rev().zip(&proofs) {
        let fair = &spin.fair;
        let named =
            format!("Epoch {}, {}:{}", fair.epoch, fair.client_seed.as_str(), fair.nonce.get());
        assert!(text.contains(&named), "{text} lacks {named}");
    }
    let seeds: Vec<_> = game.spins().iter().map(|spin| spin.fair.client_seed.clone()).collect();
    assert!(seeds.windows(2).all(|pair| pair[0] == pair[1]), "one client seed per visit");
    let nonces: Vec<u64> = game.spins().iter().map(|spin| spin.fair.nonce.get()).collect();
    assert_eq!(nonces, [0, 1, 2, 3]);

    // The records survive a reload, and are checked again (nothing stored is trusted).
    browser.client.refresh().await.unwrap();
    browser.wait_until(READY, SETTLE).await;
    browser.click(".verify > button").await;
    browser
        .wait_until(
            "[...document.querySelectorAll('[data-testid=proof]')].length === 4 && [...document.querySelectorAll('[data-testid=proof]')].every(p => p.dataset.status === 'verified')",
            SETTLE,
        )
        .await;

    let axe = axe_source();
    let violations = browser.axe_violations(&axe).await;
    assert!(violations.is_empty(), "with the Verify view open: {violations:#?}");
    let problems = browser.console_problems().await;
    assert!(problems.is_empty(), "console not clean: {problems:?}");
}

async fn a_seed_that_does_not_match_its_commitment_fails_verification(t: Session) {
    let game = GameServers::with_epochs(true).await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    let proofs = spin_then_verify(&browser, &game, 2).await;
    assert_eq!(proofs.len(), 2);
    for (status, text) in &proofs {
        assert_eq!(status, "failed", "{text}");
        assert!(text.contains("the revealed seed hashes to"), "{text}");
        assert!(text.contains("not to the commitment"), "{text}");
    }
    let note = text_of(&browser, ".verify [role=status]").await;
    assert!(note.contains("failed"), "{note}");
}

async fn the_player_can_choose_the_client_seed(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    browser.click(".verify > button").await;
    let drawn: String = browser.eval("return document.querySelector('#client-seed').value;").await;
    assert_eq!(drawn.len(), 16, "{drawn:?}: a drawn seed is shown");

    // Typed, then committed with Enter, or by leaving the field with Tab.
    for (typed, commit, accepted) in
        [("not valid!", "\u{e007}", false), ("my-own_seed", "\u{e004}", true)]
    {
        let _: bool = browser
            .eval("const i = document.querySelector('#client-seed'); i.focus(); i.select(); return true;")
            .await;
        browser.press(typed).await;
        // Typing takes time: the page's clocks (time played) tick meanwhile and must not reset
        // the field.
        tokio::time::sleep(Duration::from_millis(1200)).await;
        browser.press(commit).await;
        let note_has = if accepted { "Client seed set" } else { "1 to 64 characters" };
        browser
            .wait_until(&format!("document.querySelector('.verify [role=status]').textContent.includes('{note_has}')"), SETTLE)
            .await;
    }
    let _: bool = browser.eval(WATCH).await;
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    let fair = &game.spins()[0].fair;
    assert_eq!((fair.client_seed.as_str(), fair.nonce.get()), ("my-own_seed", 0));
    assert_eq!(proof_statuses(&browser).await, ["pending"]);
}

/// Records in the page, for the first press of Stop after it runs, when it was pressed and
/// when the reels had settled: all three naming their symbol, with no animation running on
/// or inside any reel (checked after every change to the page and every frame).
const WATCH_STOP: &str = "window.__stop = {};
    document.addEventListener('click', e => {
        const button = e.target.closest && e.target.closest('button.spin');
        if (!button || button.textContent.trim() !== 'Stop' || window.__stop.pressed) return;
        window.__stop = { pressed: performance.now() };
        const settled = () => [...document.querySelectorAll('[data-testid=reel]')]
            .every(r => r.dataset.symbol && r.getAnimations({ subtree: true }).length === 0);
        const check = () => {
            if (window.__stop.settled === undefined && settled()) window.__stop.settled = performance.now();
            return window.__stop.settled !== undefined;
        };
        // On every change to the page (a microtask after it, so no frame's delay is counted),
        // and every frame, for animations that end without one.
        const watcher = new MutationObserver(() => check() && watcher.disconnect());
        watcher.observe(document.body, { subtree: true, attributes: true, childList: true });
        const frame = () => check() || requestAnimationFrame(frame);
        requestAnimationFrame(frame);
    }, true);
    return true;";

/// Every button's accessible name as far as this page goes (its `aria-label`, else its
/// text), lowercased, in page order.
const BUTTON_NAMES: &str = "return [...document.querySelectorAll('button')]
    .map(b => (b.getAttribute('aria-label') || b.textContent).trim().toLowerCase());";

/// Waits for the Stop press recorded by [`WATCH_STOP`] to settle; returns the milliseconds
/// from the press, and from the API's last answer, to settled.
async fn stop_settled_ms(browser: &Browser) -> (f64, f64) {
    browser.wait_until("window.__stop.settled", SETTLE).await;
    browser
        .eval(
            "const spins = performance.getEntriesByType('resource')
                .filter(e => e.initiatorType === 'fetch' && e.name.endsWith('/spin'));
            const s = window.__stop;
            return [s.settled - s.pressed, s.settled - spins[spins.length - 1].responseEnd];",
        )
        .await
}

/// While the reels turn the button is Stop: no button names spin, none before it names stop.
async fn assert_the_button_says_stop(browser: &Browser) {
    browser
        .wait_until("document.querySelector('button.spin').textContent === 'Stop'", SETTLE)
        .await;
    let names: Vec<String> = browser.eval(BUTTON_NAMES).await;
    assert!(names.iter().all(|name| !name.contains("spin")), "{names:?}");
    assert_eq!(names.iter().find(|name| name.contains("stop")).map(String::as_str), Some("stop"));
    let enabled: bool =
        browser.eval("return !document.querySelector('button.spin').disabled;").await;
    assert!(enabled, "Stop can be pressed");
}

/// What the player sees of a spin once it has settled: the reels, the credits gained since
/// `before`, the result sentence and the tier.
async fn outcome(browser: &Browser, before: u32) -> (Vec<Option<String>>, i64, String, String) {
    (
        reel_symbols(browser).await,
        i64::from(credits(browser).await) - i64::from(before),
        text_of(browser, "[role=status]").await,
        text_of(browser, "[data-testid=news]").await,
    )
}

/// An unhurried spin, Stop before the answer (the reels rest the moment it lands), and Stop by
/// keyboard after the answer (they rest at once): the same answer each time, the same reels,
/// credits and announcement.
///
/// The unhurried spin comes first: the first answer a page handles runs code the engine has
/// not compiled yet (WebKit takes 30-50 ms over it on an idle machine, several times that on a
/// busy one), which every first spin pays, Stop or not; the stops are timed on warm code.
async fn stop_rests_the_reels_at_once_on_the_outcome_of_an_unhurried_spin(t: Session) {
    const LINE: [Symbol; REEL_COUNT] = [Symbol::Cherry, Symbol::Cherry, Symbol::Bell];
    // Only the second answer is slow, and slow enough that the WebDriver round trips between
    // the Spin and Stop clicks (seconds for WebKit on a busy machine) cannot outlast it.
    let slow = Fault::Slow(Duration::from_secs(5));
    let game = GameServers::answering(LINE, 1, Some(slow), 1).await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;

    // Unhurried.
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    let unhurried = outcome(&browser, 99).await;

    // Stop before the answer: the reels keep turning until it lands, then rest at once.
    let _: bool = browser.eval(WATCH_STOP).await;
    let before = credits(&browser).await;
    browser.click("button.spin").await;
    assert_the_button_says_stop(&browser).await;
    browser.click("button.spin").await;
    let (after_press, after_answer) = stop_settled_ms(&browser).await;
    assert!(after_press > after_answer, "Stop was pressed before the answer");
    println!("{}: answer to reels at rest, Stop pressed before it: {after_answer:.0} ms", t.engine);
    assert!(after_answer <= 300.0, "settled {after_answer:.0} ms after the answer");
    let early = outcome(&browser, before - 1).await;

    // Stop by keyboard once the answer is in: Space on the focused button.
    let _: bool = browser.eval(WATCH_STOP).await;
    let before = credits(&browser).await;
    let _: bool = browser.eval("document.querySelector('button.spin').focus(); return true;").await;
    browser.press(" ").await;
    // The reels turn for at least 0.6 s and rest over 1 s more: press as soon as the answer
    // is in, while the button still says Stop (a press too late would spin again, and the
    // spin count below would say so).
    let answered = "performance.getEntriesByType('resource').filter(e => e.name.endsWith('/spin')).length === 3";
    browser.wait_until(answered, SETTLE).await;
    browser.press(" ").await;
    let (after_press, _) = stop_settled_ms(&browser).await;
    println!("{}: Stop pressed to reels at rest: {after_press:.0} ms", t.engine);
    assert!(after_press <= 300.0, "settled {after_press:.0} ms after Stop");
    let stopped = outcome(&browser, before - 1).await;
    assert!(browser.eval::<bool>(&format!("return {SPIN_FOCUSED};")).await, "focus stayed");

    let spins = game.spins();
    assert_eq!(spins.len(), 3);
    let expected = (symbols_of(&spins[0]), i64::from(spins[0].payout), result_sentence(&spins[0]));
    assert_eq!((unhurried.0.clone(), unhurried.1, unhurried.2.clone()), expected);
    assert_eq!(early, unhurried, "Stop before the answer");
    assert_eq!(stopped, unhurried, "Stop after the answer");
    assert_eq!(credits(&browser).await, 100 + 3 * (spins[0].payout - 1));
    let problems = browser.console_problems().await;
    assert!(problems.is_empty(), "console not clean: {problems:?}");
}

/// Records every figure the Win and Credits meters show, in order.
const WATCH_METERS: &str = "window.__meters = { win: [], credits: [] };
    const record = () => {
        for (const name of ['win', 'credits']) {
            const text = document.querySelector(`[data-testid=${name}]`).textContent;
            const seen = window.__meters[name];
            if (seen[seen.length - 1] !== text) seen.push(text);
        }
    };
    record();
    new MutationObserver(record).observe(document.querySelector('.meters'),
        { subtree: true, characterData: true, childList: true });
    return true;";

async fn meters(browser: &Browser, name: &str) -> Vec<u32> {
    let shown: Vec<String> = browser.eval(&format!("return window.__meters.{name};")).await;
    shown.iter().map(|figure| figure.parse().unwrap()).collect()
}

/// Three Bells at a bet of 1: 20 credits, a big win.
const BIG_WIN: [Symbol; REEL_COUNT] = [Symbol::Bell; REEL_COUNT];

async fn a_big_win_counts_up_and_a_press_skips_to_the_next_spin(t: Session) {
    let game = GameServers::answering(BIG_WIN, 0, None, 0).await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    let _: bool = browser.eval(WATCH_METERS).await;
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    let payout = game.spins()[0].payout;
    assert_eq!(payout, 20);
    assert_eq!(credits(&browser).await, 99 + payout, "the new balance as soon as the reels rest");
    assert_eq!(text_of(&browser, "[data-testid=news]").await, "Big win");
    let counting = "Number(document.querySelector('[data-testid=win]').textContent) >= 3";
    browser.wait_until(counting, SETTLE).await;

    // Press Spin mid-count: the next spin starts at once.
    let _: bool = browser.eval(WATCH).await;
    let at_press: u32 = browser
        .eval(
            "const win = document.querySelector('[data-testid=win]').textContent;
            document.querySelector('button.spin').click(); return Number(win);",
        )
        .await;
    assert!(3 <= at_press && at_press < payout, "pressed mid-count, at {at_press}");
    assert_eq!(credits(&browser).await, 99 + payout - 1, "the bet taken at once");
    assert_eq!(text_of(&browser, "[data-testid=win]").await, "0", "the meter clears");
    assert_eq!(text_of(&browser, "[data-testid=news]").await, "", "the news clears");
    settled_ms(&browser).await;
    assert_eq!(game.spins().len(), 2, "the press spun");
    assert_eq!(credits(&browser).await, 98 + 2 * payout);
    browser
        .wait_until("document.querySelector('[data-testid=win]').textContent === '20'", SETTLE)
        .await;

    // The first count, cut short by the press; the second, to the end.
    let win = meters(&browser, "win").await;
    let cut = 1 + win[1..].iter().position(|&w| w == 0).expect("the press cleared the meter");
    let first = &win[1..cut];
    assert!(first.iter().filter(|&&w| 0 < w && w < payout).count() >= 3, "counted: {win:?}");
    assert!(first.windows(2).all(|pair| pair[0] < pair[1]), "up only: {win:?}");
    assert!(win[cut..].windows(2).all(|pair| pair[0] < pair[1]), "up only: {win:?}");
    assert_eq!(win.last(), Some(&payout));
    let credits_seen = meters(&browser, "credits").await;
    assert_eq!(credits_seen, [100, 99, 119, 118, 138], "credits right throughout");
}

/// Whether the Calm play toggle shows as on.
const CALM_PRESSED: &str = "document.querySelector('button.calm').getAttribute('aria-pressed')";

/// Calm play, off by default and kept across a reload: the button never turns into Stop, a
/// spin takes at least 2.5 s, a big win shows at once and plays no fanfare (a spin out of
/// Calm play, the same win, does); with half an hour played a reminder with the session's
/// facts takes focus, and Spin waits until it is dismissed.
async fn calm_play_slows_the_game_and_reminds_of_the_session_each_half_hour(t: Session) {
    let game = GameServers::answering(BIG_WIN, 0, None, 0).await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    assert_eq!(browser.eval::<String>(&format!("return {CALM_PRESSED};")).await, "false");
    browser.click(SOUND).await;
    sound_shows(&browser, "true").await;
    browser.click("button.calm").await;
    browser.wait_until(&format!("{CALM_PRESSED} === 'true'"), SETTLE).await;

    let _: bool = browser.eval(WATCH_METERS).await;
    browser.click("button.spin").await;
    browser
        .wait_until("!document.querySelector('[data-testid=reel]').dataset.symbol", SETTLE)
        .await;
    let names: Vec<String> = browser.eval(BUTTON_NAMES).await;
    assert!(names.iter().all(|name| !name.contains("stop")), "no quick stop: {names:?}");
    let disabled: bool =
        browser.eval("return document.querySelector('button.spin').disabled;").await;
    assert!(disabled, "Spin waits while the reels turn");
    let took = settled_ms(&browser).await;
    println!("{}: Calm play, click to reels at rest: {took:.0} ms", t.engine);
    assert!(took >= 2500.0, "a calm spin took {took:.0} ms");
    let win_shown = "document.querySelector('[data-testid=win]').textContent === '20'";
    browser.wait_until(win_shown, SETTLE).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(meters(&browser, "win").await, [0, 20], "no count-up");
    let (_, calm_sounds) = audio(&browser).await;

    // The same win out of Calm play: a fanfare's notes more.
    browser.click("button.calm").await;
    browser.wait_until(&format!("{CALM_PRESSED} === 'false'"), SETTLE).await;
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    let (_, all_sounds) = audio(&browser).await;
    assert!(
        all_sounds - calm_sounds >= calm_sounds + 3,
        "oscillators: {calm_sounds} in calm play, {all_sounds} after one more spin"
    );
    browser.click("button.calm").await;

    // Half an hour played (the session's start moved back): the reminder, once reloaded.
    let facts: String = browser
        .eval(
            "const saved = JSON.parse(sessionStorage.getItem('spin.session'));
            saved.started -= 31 * 60;
            sessionStorage.setItem('spin.session', JSON.stringify(saved));
            return JSON.stringify(saved);",
        )
        .await;
    browser.client.refresh().await.unwrap();
    browser.wait_until(&format!("{CALM_PRESSED} === 'true'"), SETTLE).await;
    browser.wait_until("document.querySelector('[role=alertdialog]')", SETTLE).await;
    let reminder = text_of(&browser, "[role=alertdialog]").await;
    assert!(reminder.contains("You have played for 31:"), "{reminder} ({facts})");
    assert!(reminder.contains("2 spins, net result +38 credits"), "{reminder} ({facts})");
    let focused: String = browser.eval("return document.activeElement.textContent.trim();").await;
    assert_eq!(focused, "Keep playing", "the reminder takes focus");
    let disabled: bool =
        browser.eval("return document.querySelector('button.spin').disabled;").await;
    assert!(disabled, "Spin waits for the reminder");
    let axe = axe_source();
    let violations = browser.axe_violations(&axe).await;
    assert!(violations.is_empty(), "with the reminder: {violations:#?}");
    browser.press("\u{e007}").await;
    browser.wait_until("!document.querySelector('[role=alertdialog]')", SETTLE).await;
    browser
        .wait_until(
            &format!("{SPIN_FOCUSED} && !document.querySelector('button.spin').disabled"),
            SETTLE,
        )
        .await;
    let problems = browser.console_problems().await;
    assert!(problems.is_empty(), "console not clean: {problems:?}");
}

async fn reduced_motion_shows_the_win_at_once_and_its_tier_in_words(t: Session) {
    let game = GameServers::answering(BIG_WIN, 0, None, 0).await;
    let browser = t.browser(Window { reduced_motion: true, ..Window::DESKTOP }).await;
    open_game(&browser, &game).await;
    let _: bool = browser.eval(WATCH_METERS).await;
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    assert_eq!(text_of(&browser, "[data-testid=news]").await, "Big win");
    browser
        .wait_until("document.querySelector('[data-testid=win]').textContent === '20'", SETTLE)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(meters(&browser, "win").await, [0, 20], "no count-up");
    let moving: usize = browser
        .eval("return document.querySelector('.reels').getAnimations({ subtree: true }).length;")
        .await;
    assert_eq!(moving, 0, "nothing flashes");
    let framed: usize =
        browser.eval("return document.querySelectorAll('.reel.is-winning').length;").await;
    assert_eq!(framed, REEL_COUNT, "the winning symbols are still highlighted");
}

async fn a_failed_spin_clears_the_last_win(t: Session) {
    let game = GameServers::answering(BIG_WIN, 1, Some(Fault::Status(500)), 1).await;
    let browser = t.browser(Window::DESKTOP).await;
    open_game(&browser, &game).await;
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    browser
        .wait_until("document.querySelector('[data-testid=win]').textContent === '20'", SETTLE)
        .await;
    let lit = "document.querySelectorAll('.is-win, .is-winning').length";
    assert!(browser.eval::<usize>(&format!("return {lit};")).await > 0, "the win is lit");

    browser.click("button.spin").await;
    let alert = alert_text(&browser).await;
    assert!(alert.contains("error 500"), "{alert}");
    browser.wait_until(READY, SETTLE).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(browser.eval::<usize>(&format!("return {lit};")).await, 0, "no glow left");
    assert_eq!(text_of(&browser, "[data-testid=win]").await, "0");
    assert_eq!(text_of(&browser, "[data-testid=news]").await, "");
    assert_eq!(credits(&browser).await, 119, "the bet returned");
}
/// The Sound toggle, the first control named "Sound".
const SOUND: &str = "button.sound";

/// The Sound toggle's `aria-pressed`, if it is the first control whose name says "Sound"
/// (`null` otherwise).
const SOUND_PRESSED: &str = "(() => {
    const named = [...document.querySelectorAll('button, input, [role=switch]')]
        .find(e => (e.getAttribute('aria-label') || e.textContent || '').includes('Sound'));
    return named && named === document.querySelector('button.sound') ? named.getAttribute('aria-pressed') : null;
})()";

/// Waits until the Sound toggle shows `pressed` ("true" or "false").
async fn sound_shows(browser: &Browser, pressed: &str) {
    browser.wait_until(&format!("{SOUND_PRESSED} === '{pressed}'"), Duration::from_secs(2)).await;
}

/// How many audio contexts the page has made, and oscillators started, since it loaded
/// (counted by `audio-watch.js`).
async fn audio(browser: &Browser) -> (u32, u32) {
    browser.eval("return [window.spinAudio.contexts, window.spinAudio.oscillators];").await
}

/// Where the reels, Spin and the Sound toggle are, if any is not wholly in view.
const SOUND_OUT_OF_VIEW: &str = "return ['[data-testid=reel]', 'button.spin', 'button.sound']
    .flatMap(css => [...document.querySelectorAll(css)]).map(e => [e, e.getBoundingClientRect()])
    .filter(([, r]) => r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth)
    .map(([e, r]) => `${e.dataset.testid || e.className}: ${r.left},${r.top} ${r.width}x${r.height}`);";

/// The Sound toggle's place and size.
const SOUND_BOX: &str = "const r = document.querySelector('button.sound').getBoundingClientRect();
    return [r.left, r.top, r.width, r.height];";

/// Sound is off at first and no audio context exists, even after a spin; turning it on makes
/// one, and a spin then plays with a clean console; the choice survives a reload, where the
/// context waits for the first press; the keyboard reaches and presses it. On a 390×844 phone,
/// the toggle is in view with the reels and Spin, and its state never changes its size.
async fn sound_is_off_until_the_player_turns_it_on_and_stays_as_chosen(t: Session) {
    let game = GameServers::start().await;
    let browser = t.browser(Window::IPHONE).await;
    open_game(&browser, &game).await;
    sound_shows(&browser, "false").await;
    let hidden: Vec<String> = browser.eval(SOUND_OUT_OF_VIEW).await;
    assert!(hidden.is_empty(), "out of view at 390×844: {hidden:?}");
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    assert_eq!(audio(&browser).await, (0, 0), "no audio context while sound is off");

    let off: Vec<f64> = browser.eval(SOUND_BOX).await;
    browser.click(SOUND).await;
    sound_shows(&browser, "true").await;
    assert_eq!(browser.eval::<Vec<f64>>(SOUND_BOX).await, off, "turning sound on moves nothing");
    assert_eq!(audio(&browser).await.0, 1, "turning sound on makes the audio context");
    let _: bool = browser.eval(WATCH).await;
    browser.click("button.spin").await;
    settled_ms(&browser).await;
    let (contexts, oscillators) = audio(&browser).await;
    assert_eq!(contexts, 1, "one context for the whole visit");
    assert!(
        oscillators >= 4,
        "the reels, their stops and the end of the spin sounded: {oscillators}"
    );
    assert_eq!(game.spins().len(), 2);

    browser.client.refresh().await.unwrap();
    browser.wait_until(READY, SETTLE).await;
    sound_shows(&browser, "true").await;
    assert_eq!(audio(&browser).await, (0, 0), "after a reload, no context before a press");
    let _: bool = browser.eval(WATCH).await;
    browser.click("button.spin").await;
    assert_eq!(audio(&browser).await.0, 1, "the first press makes the context");
    settled_ms(&browser).await;
    assert!(audio(&browser).await.1 >= 4, "and the spin sounds");

    // Off it stays; on a fresh page the keyboard reaches it by Tab, with its focus shown, and
    // turns it on, which makes the context.
    browser.click(SOUND).await;
    sound_shows(&browser, "false").await;
    browser.client.refresh().await.unwrap();
    browser.wait_until(READY, SETTLE).await;
    sound_shows(&browser, "false").await;
    assert_eq!(audio(&browser).await, (0, 0));
    let toggle_focused = format!("document.activeElement === document.querySelector('{SOUND}')");
    for _ in 0..30 {
        if browser.eval::<bool>(&format!("return {toggle_focused};")).await {
            break;
        }
        browser.press("\u{e004}").await; // Tab
    }
    assert!(browser.eval::<bool>(&format!("return {toggle_focused};")).await, "Tab reaches Sound");
    browser.press(" ").await;
    sound_shows(&browser, "true").await;
    // WebKitGTK, driven by its WebDriver, never matches `:focus-visible` on a Tab-focused
    // button (the keyboard scenario's ring check there is on a refocused Spin).
    if t.engine != Engine::WebKit {
        let focus_ring: String =
            browser.eval("return getComputedStyle(document.activeElement).outlineStyle;").await;
        assert_ne!(focus_ring, "none", "focus on the toggle is visible");
    }
    assert_eq!(audio(&browser).await.0, 1, "the keyboard's press makes the context");

    let problems = browser.console_problems().await;
    assert!(problems.is_empty(), "console not clean: {problems:?}");
}

/// Records every text the news region and the Autoplay fact show, in order.
const WATCH_AUTOPLAY: &str = "window.__news = []; window.__left = [];
    const record = () => {
        const news = document.querySelector('[data-testid=news]').textContent.trim();
        const left = document.querySelector('[data-testid=autoplay-left]').textContent.trim();
        if (news && window.__news[window.__news.length - 1] !== news) window.__news.push(news);
        if (window.__left[window.__left.length - 1] !== left) window.__left.push(left);
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, characterData: true, childList: true });
    return true;";

/// Waits until the news region has said `words` (since [`WATCH_AUTOPLAY`]).
async fn news_says(browser: &Browser, words: &str) {
    let said = format!("window.__news.includes({words:?})");
    if !browser.becomes_true(&said, SETTLE).await {
        let news: Vec<String> = browser.eval("return window.__news;").await;
        panic!("the news never said {words:?}: {news:?}");
    }
}

/// What the Autoplay fact shows: "off", or the spins left.
async fn autoplay_left(browser: &Browser) -> String {
    text_of(browser, "[data-testid=autoplay-left]").await
}

/// Opens the autoplay form with clicks, chooses a run of `spins`, types the limits and
/// starts it.
async fn start_autoplay(browser: &Browser, spins: u32, below: &str, win: &str) {
    browser.click("button.autoplay").await;
    browser.wait_until("document.querySelector('#autoplay')", SETTLE).await;
    browser.click(&format!("#autoplay input[value='{spins}']")).await;
    for (name, value) in [("below", below), ("win", win)] {
        let field = format!("#autoplay input[name={name}]");
        let field = browser.client.find(fantoccini::Locator::Css(&field)).await.unwrap();
        field.clear().await.unwrap();
        if !value.is_empty() {
            field.send_keys(value).await.unwrap();
        }
    }
    browser.click("#autoplay .start").await;
}

/// The spin button's text.
async fn spin_button_says(browser: &Browser) -> String {
    text_of(browser, "button.spin").await
}

/// Autoplay by keyboard alone, then its stops: the player's credits limit, a run that would
/// stop at once refused, Stop, an API error mid-run (bet returned), Calm play, and credits
/// that cannot cover the bet. Reduced motion keeps the runs short.
async fn autoplay_runs_by_keyboard_and_stops_at_its_limits_on_stop_and_on_an_error(t: Session) {
    const LOSER: [Symbol; REEL_COUNT] = [Symbol::Bar, Symbol::Bell, Symbol::Seven];
    let game = GameServers::answering(LOSER, 7, Some(Fault::Status(500)), 1).await;
    let browser = t.browser(Window { reduced_motion: true, ..Window::DESKTOP }).await;
    open_game(&browser, &game).await;
    let _: bool = browser.eval(WATCH_AUTOPLAY).await;

    // From Spin, Tab reaches Autoplay after the settings; Enter opens the form, which follows
    // it; Tab to the run length, the right arrow picks 25; Tab to the credits limit, 97; Tab
    // to the win limit; Enter starts.
    let _: bool = browser.eval("document.querySelector('button.spin').focus(); return true;").await;
    let mut tabs = Vec::new();
    for _ in 0..3 {
        browser.press("\u{e004}").await;
        tabs.push(
            browser.eval::<String>("return document.activeElement.textContent.trim();").await,
        );
    }
    assert_eq!(tabs, ["Sound", "Calm play", "Autoplay"], "Autoplay follows Spin and the settings");
    browser.press("\u{e007}").await;
    browser.wait_until("document.querySelector('#autoplay')", SETTLE).await;
    browser.press("\u{e004}").await;
    let run: String = browser.eval("return document.activeElement.value;").await;
    assert_eq!(run, "10", "the form offers 10 spins first");
    browser.press("\u{e014}").await;
    browser.press("\u{e004}").await;
    browser.press("97").await;
    browser.press("\u{e004}").await;
    browser.press("\u{e007}").await;
    news_says(&browser, "Autoplay started: 25 spins.").await;
    assert!(browser.becomes_true(SPIN_FOCUSED, REFOCUS).await, "focus on Stop, which ends it");
    assert_eq!(spin_button_says(&browser).await, "Stop");
    news_says(&browser, "Autoplay stopped: credits below 97.").await;
    browser.wait_until(READY, SETTLE).await;
    assert_eq!((game.spins().len(), credits(&browser).await), (4, 96));
    let left: Vec<String> = browser.eval("return window.__left;").await;
    assert_eq!(left, ["off", "24 left", "23 left", "22 left", "21 left", "off"]);
    assert_eq!(spin_button_says(&browser).await, "Spin");

    // The form keeps the last limits: a run that would stop at once does not start.
    browser.click("button.autoplay").await;
    browser.wait_until("document.querySelector('#autoplay')", SETTLE).await;
    browser.click("#autoplay .start").await;
    news_says(&browser, "Autoplay did not start: credits below 97.").await;
    browser.click("button.autoplay").await;

    // Stop ends a run: pressed during its second spin.
    start_autoplay(&browser, 10, "", "").await;
    browser.wait_until("window.__left.includes('8 left')", SETTLE).await;
    browser.click("button.spin").await;
    news_says(&browser, "Autoplay stopped: you pressed Stop.").await;
    browser.wait_until(READY, SETTLE).await;
    assert_eq!((game.spins().len(), credits(&browser).await), (6, 94));

    // An API error mid-run: the seventh spin lands, the eighth fails; its bet comes back.
    start_autoplay(&browser, 10, "", "").await;
    news_says(&browser, "Autoplay stopped: the spin failed.").await;
    assert!(alert_text(&browser).await.ends_with("Your bet was returned."));
    browser.wait_until(READY, SETTLE).await;
    assert_eq!((game.spins().len(), credits(&browser).await), (7, 93));
    assert_eq!(autoplay_left(&browser).await, "off");

    // Calm play has no autoplay: turned on mid-run, it ends the run.
    start_autoplay(&browser, 10, "", "").await;
    browser.wait_until("window.__left.includes('9 left')", SETTLE).await;
    browser.click("button.calm").await;
    news_says(&browser, "Autoplay stopped: Calm play is on.").await;
    browser.wait_until(READY, SETTLE).await;
    let spins = game.spins().len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(game.spins().len(), spins, "no spin after the run ended");
    let disabled: bool =
        browser.eval("return document.querySelector('button.autoplay').disabled;").await;
    assert!(disabled, "no autoplay in Calm play");
    browser.click("button.calm").await;

    // Credits that cannot cover the bet: 5 credits at a bet of 3 play one spin.
    let _: bool = browser.eval("localStorage.setItem('spin.credits', '5'); return true;").await;
    browser.client.refresh().await.unwrap();
    browser.wait_until(READY, SETTLE).await;
    let _: bool = browser.eval(WATCH_AUTOPLAY).await;
    browser.click("button[aria-label='Raise bet']").await;
    browser.click("button[aria-label='Raise bet']").await;
    start_autoplay(&browser, 10, "", "").await;
    news_says(&browser, "Autoplay stopped: not enough credits for the bet.").await;
    browser.wait_until(READY, SETTLE).await;
    assert_eq!(credits(&browser).await, 2);
    // Chromium reports the injected error's response itself; nothing else may show.
    let mut problems = browser.console_problems().await;
    problems.retain(|(_, message)| {
        !message
            .contains("/spin - Failed to load resource: the server responded with a status of 500")
    });
    assert!(problems.is_empty(), "console not clean: {problems:?}");
}

/// A run stops on a single win of at least the player's amount (said after the win's tier),
/// and when the page is hidden: another tab brought to the front.
async fn autoplay_stops_on_a_big_win_and_when_the_page_is_hidden(t: Session) {
    let game = GameServers::answering(BIG_WIN, 0, None, 0).await;
    let browser = t.browser(Window { reduced_motion: true, ..Window::DESKTOP }).await;
    open_game(&browser, &game).await;
    let _: bool = browser.eval(WATCH_AUTOPLAY).await;
    start_autoplay(&browser, 50, "", "20").await;
    news_says(&browser, "Big win. Autoplay stopped: a win of 20 or more.").await;
    browser.wait_until(READY, SETTLE).await;
    assert_eq!((game.spins().len(), credits(&browser).await), (1, 119));

    let _: bool = browser
        .eval(
            "window.__hidden = 0;
            document.addEventListener('visibilitychange', () => document.hidden && window.__hidden++);
            return true;",
        )
        .await;
    start_autoplay(&browser, 100, "", "").await;
    browser.wait_until("window.__left.includes('98 left')", SETTLE).await;
    // Another tab in front hides the page in Chromium and Firefox; WebKitGTK keeps a page in
    // a background tab visible, so there the window is minimised instead.
    let game_tab = browser.client.window().await.unwrap();
    let other = browser.client.new_window(true).await.unwrap();
    browser.client.switch_to_window(other.handle).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    browser.client.close_window().await.unwrap();
    browser.client.switch_to_window(game_tab).await.unwrap();
    let mut hidden: u32 = browser.eval("return window.__hidden;").await;
    if hidden == 0 {
        browser.client.minimize_window().await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        browser.client.maximize_window().await.unwrap();
        hidden = browser.eval("return window.__hidden;").await;
    }
    assert!(hidden > 0, "neither another tab nor minimising hid the page");
    news_says(&browser, "Autoplay stopped: the page was hidden.").await;
    browser.wait_until(READY, SETTLE).await;
    let spins = game.spins().len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(game.spins().len(), spins, "no spin after the run ended");
    let problems = browser.console_problems().await;
    assert!(problems.is_empty(), "console not clean: {problems:?}");
}

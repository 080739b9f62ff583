use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::platform::spawn_local;
use yew::prelude::*;

use spin_game::FairProof;
use spin_game::fair::{ClientSeed, Nonce};

use super::screen::Screen;
use crate::config::Config;
use crate::fair::{self, Held};
use crate::game::{Action, Game, Phase, SpinFailure, Tier};
use crate::sound;
use crate::timing::{AUTOPLAY_PAUSE_MS, CALM_SPIN_MS, Timing, count_up_ms};
use crate::{api, storage};

type Dispatch = UseReducerDispatcher<Game>;

/// How long the page waits before asking `/fairness` again when the server's clock was behind
/// its own (clocks that keep time differ by well under this).
const FAIRNESS_RETRY_MS: u32 = 2000;

/// The game: state in one reducer, and the effects that feed it events from the outside
/// world (the settings file, the API, the epochs' clock, the reel timers) and save its
/// credits and spins.
#[function_component]
pub fn App() -> Html {
    let game = use_reducer(|| {
        let (credits, notice, records) = storage::load();
        let (now, sound) = (unix_seconds(), sound::load_setting());
        let (session, calm) = (storage::load_session(now), storage::load_switch(storage::CALM_KEY));
        Game { sound, session, now, calm, ..Game::new(credits, notice, records) }
    });
    let config: Rc<RefCell<Option<Config>>> = use_mut_ref(|| None);
    let spin_started_at = use_mut_ref(|| 0.0);

    // Save the balance, the spins and the session whenever they are settled (never mid-spin:
    // a reload then voids the spin).
    {
        let records = game.clone();
        let key = (game.credits, game.is_settled(), game.session);
        use_effect_with(key, move |&(credits, settled, session)| {
            if settled {
                storage::save(credits, &records.records, &session);
            }
        });
    }

    // At start-up: read config.json; start the clock the session's time played reads; and
    // watch the page's visibility, as autoplay stops when the page is hidden. (One effect:
    // each costs the wasm module bytes.)
    {
        let dispatch = game.dispatcher();
        let config = config.clone();
        use_effect_with((), move |_| {
            let loaded = dispatch.clone();
            spawn_local(async move {
                match load_config().await {
                    Ok(config_json) => {
                        *config.borrow_mut() = Some(config_json);
                        loaded.dispatch(Action::ConfigLoaded);
                    }
                    Err(why) => loaded.dispatch(Action::ConfigFailed(why)),
                }
            });
            let ticks = dispatch.clone();
            let tick =
                Interval::new(1000, move || ticks.dispatch(Action::ClockTicked(unix_seconds())));
            let document = web_sys::window().and_then(|window| window.document());
            let on_change = Closure::<dyn Fn()>::new(move || {
                let document = web_sys::window().and_then(|window| window.document());
                if document.is_some_and(|document| document.hidden()) {
                    dispatch.dispatch(Action::PageHidden);
                }
            });
            if let Some(document) = &document {
                document.set_onvisibilitychange(Some(on_change.as_ref().unchecked_ref()));
            }
            move || {
                if let Some(document) = document {
                    document.set_onvisibilitychange(None);
                }
                drop((tick, on_change))
            }
        });
    }

    // Fairness: fetch the commitments once the settings are in and whenever the page has
    // moved to the next epoch (for the one after), and move on at each epoch's end by this
    // page's clock, so spins never meet a 409 in normal play. A server whose clock is behind
    // the page's answers without the commitment after the held one: ask again a moment later.
    // While the Verify view is open, fetch the seeds of ended epochs that have spins to check.
    {
        let dispatch = game.dispatcher();
        let config = config.clone();
        let held = game.held.clone();
        let epochs = game.checkable_epochs();
        let behind = game.fairness_behind;
        let key = (
            game.phase == Phase::Starting,
            held.as_ref().map(|held| held.epoch),
            game.verify_open,
            behind,
        );
        use_effect_with(key, move |_| {
            let fetch_fairness = held.as_ref().is_none_or(|held| held.next.is_none());
            if let Some(config) = config.borrow().clone() {
                let dispatch = dispatch.clone();
                spawn_local(async move {
                    if fetch_fairness {
                        if behind > 0 {
                            gloo_timers::future::TimeoutFuture::new(FAIRNESS_RETRY_MS).await;
                        }
                        let _ = load_fairness(&config, &dispatch).await;
                    }
                    for epoch in epochs {
                        if let Some(seed) = api::revealed_seed(&config, epoch).await {
                            dispatch.dispatch(Action::SeedRevealed(epoch, seed));
                        }
                    }
                });
            }
            let timer = held.map(|held| {
                let delay = (held.ends_at() as f64 * 1000.0 - unix_ms()).max(0.0) as u32;
                Timeout::new(delay, move || dispatch.dispatch(Action::EpochEnded(held.epoch)))
            });
            move || drop(timer)
        });
    }

    // A spin started: ask the API.
    {
        let dispatch = game.dispatcher();
        let phase = game.phase.clone();
        let config = config.clone();
        let spin_started_at = spin_started_at.clone();
        let (held, client, nonce) = (game.held.clone(), game.client.clone(), game.nonce);
        use_effect_with(game.spin_count, move |_| {
            if let (Phase::Spinning { bet }, Some(config)) = (phase, config.borrow().clone()) {
                *spin_started_at.borrow_mut() = now_ms();
                spawn_local(async move {
                    let spun = async {
                        // No commitment yet (the API was down at start-up): fetch one first.
                        let (held, client) = match (held, client) {
                            (Some(held), Some(client)) => (held, client),
                            (_, client) => {
                                let (held, fresh) = load_fairness(&config, &dispatch).await?;
                                (held, client.unwrap_or(fresh))
                            }
                        };
                        let nonce = Nonce::new(nonce).map_err(|_| SpinFailure::Garbled)?;
                        let (epoch, commitment, wait_ms) = held.spin_under(unix_ms() as u64);
                        if wait_ms > 0 {
                            gloo_timers::future::TimeoutFuture::new(wait_ms).await;
                        }
                        let proof = FairProof::new(epoch, commitment, client, nonce);
                        api::spin(&config, bet, proof).await
                    };
                    dispatch.dispatch(match spun.await {
                        Ok((spin, record)) => Action::SpinLanded(spin, record),
                        Err(failure) => Action::SpinFailed(failure),
                    });
                });
            }
        });
    }

    // The API answered: brake the reels one after another.
    {
        let dispatch = game.dispatcher();
        let (landed, calm) = (matches!(game.phase, Phase::Settling { .. }), game.calm);
        let spin_started_at = spin_started_at.clone();
        use_effect_with((game.spin_count, landed), move |&(_, landed)| {
            let mut timers = Vec::new();
            if landed {
                let pace =
                    if prefers_reduced_motion() { Timing::REDUCED } else { Timing::SPINNING };
                let timing = if calm { pace.lasting_at_least(CALM_SPIN_MS) } else { pace };
                let elapsed = (now_ms() - *spin_started_at.borrow()).max(0.0) as u32;
                for (reel, (brake, rest)) in timing.schedule(elapsed).into_iter().enumerate() {
                    let (on_brake, on_rest) = (dispatch.clone(), dispatch.clone());
                    timers.push(Timeout::new(brake, move || {
                        on_brake.dispatch(Action::ReelStopping(reel))
                    }));
                    timers.push(Timeout::new(rest, move || {
                        on_rest.dispatch(Action::ReelStopped(reel))
                    }));
                }
            }
            move || drop(timers)
        });
    }

    // Keyboard players keep their place: focus that fell to the page (the Spin button
    // disabled mid-spin in Calm play, the autoplay form gone once its run starts) goes back to
    // Spin, or Stop, as a spin starts and when the reels rest.
    use_effect_with((game.phase == Phase::Idle, game.spin_count), |&(_, spins)| {
        if spins > 0 {
            refocus_spin_button();
        }
    });

    // Autoplay: the next spin once the player has seen this one's outcome and its win counted.
    {
        let dispatch = game.dispatcher();
        let idle = game.autoplay.is_some() && game.phase == Phase::Idle;
        let tier = game.last.as_ref().and_then(Tier::of);
        let pause = idle.then(|| {
            AUTOPLAY_PAUSE_MS + tier.map_or(0, |tier| count_up_ms(tier, !prefers_reduced_motion()))
        });
        use_effect_with((game.spin_count, pause), move |&(_, pause)| {
            let timer =
                pause.map(|ms| Timeout::new(ms, move || dispatch.dispatch(Action::AutoplayPaused)));
            move || drop(timer)
        });
    }

    // Sound: each beat of a spin plays once; Calm play has no win sounds.
    sound::follow(&game, !game.calm);

    // The break reminder takes focus while it shows (it waits for the player), then hands it
    // back to Spin.
    let reminded = use_mut_ref(|| false);
    use_effect_with(game.reminder, move |&showing| {
        if showing {
            focus(".reminder button");
        } else if *reminded.borrow() {
            focus("button.spin");
        }
        *reminded.borrow_mut() = showing;
    });

    let on_action = {
        let dispatch = game.dispatcher();
        let (sound_on, calm) = (game.sound, game.calm);
        Callback::from(move |action| {
            // Audio starts only in answer to a press, so wake or hush the speaker here, in
            // the click itself, before the state changes; and keep the player's choice.
            match action {
                Action::SoundToggled => {
                    if sound_on {
                        sound::sleep()
                    } else {
                        sound::wake()
                    }
                    sound::save_setting(!sound_on);
                }
                Action::SpinPressed | Action::AutoplayRequested(..) if sound_on => sound::wake(),
                Action::CalmToggled => storage::save_switch(storage::CALM_KEY, !calm),
                _ => {}
            }
            dispatch.dispatch(action)
        })
    };
    html! { <Screen game={(*game).clone()} on_action={on_action} /> }
}

async fn load_config() -> Result<Config, String> {
    let unreachable = |_| {
        "Spin could not load its settings (config.json). Reload the page to try again.".to_owned()
    };
    let response = api::fetch("config.json", None, None).await.map_err(unreachable)?;
    if !response.ok() {
        return Err(format!(
            "Spin could not load its settings: config.json answered {} {}.",
            response.status(),
            response.status_text()
        ));
    }
    Config::parse(&api::text(&response).await.map_err(unreachable)?)
}

/// Fetches the commitments and hands them to the game, with a client seed drawn only now that
/// a commitment is held (the game keeps the seed it has, if any). Returns what it handed.
async fn load_fairness(
    config: &Config,
    dispatch: &Dispatch,
) -> Result<(Held, ClientSeed), SpinFailure> {
    let held = api::fairness(config).await?;
    let mut bytes = [0; 16];
    let crypto = web_sys::window().and_then(|window| window.crypto().ok());
    crypto
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).ok())
        .ok_or(SpinFailure::Garbled)?;
    let fresh = fair::client_seed_from(bytes);
    dispatch.dispatch(Action::FairnessLoaded(held.clone(), fresh.clone()));
    Ok((held, fresh))
}

/// The time now, in unix milliseconds, by this page's clock.
fn unix_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |p| p.time_origin() + p.now())
}

/// The time now, in whole unix seconds, by this page's clock.
fn unix_seconds() -> u64 {
    (unix_ms() / 1000.0) as u64
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |p| p.now())
}

pub(crate) fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|window| window.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|query| query.matches())
}

/// Puts focus back on the Spin button if the page lost it (focus fell to `<body>`).
fn refocus_spin_button() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    if document.active_element().is_none_or(|element| element.tag_name() == "BODY") {
        focus("button.spin");
    }
}

/// Moves focus to the first element matching `selector`, if there is one.
fn focus(selector: &str) {
    let document = web_sys::window().and_then(|window| window.document());
    let element = document.and_then(|document| document.query_selector(selector).ok().flatten());
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

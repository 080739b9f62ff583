use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::screen::Screen;
use crate::config::Config;
use crate::game::{Action, Game, Phase};
use crate::timing::Timing;
use crate::{api, storage};

/// The game: state in one reducer, and the effects that feed it events from the outside
/// world (the settings file, the API, the reel timers) and save its credits.
#[function_component]
pub fn App() -> Html {
    let game = use_reducer(|| {
        let (credits, notice) = storage::load();
        Game::new(credits, notice)
    });
    let config: Rc<RefCell<Option<Config>>> = use_mut_ref(|| None);
    let spin_started_at = use_mut_ref(|| 0.0);

    // Read config.json once, at start-up.
    {
        let dispatch = game.dispatcher();
        let config = config.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match load_config().await {
                    Ok(loaded) => {
                        *config.borrow_mut() = Some(loaded);
                        dispatch.dispatch(Action::ConfigLoaded);
                    }
                    Err(why) => dispatch.dispatch(Action::ConfigFailed(why)),
                }
            });
        });
    }

    // Save the balance whenever it is settled (never mid-spin: a reload then voids the spin).
    use_effect_with((game.credits, game.is_settled()), |&(credits, settled)| {
        if settled {
            storage::save(credits);
        }
    });

    // A spin started: ask the API.
    {
        let dispatch = game.dispatcher();
        let phase = game.phase.clone();
        let config = config.clone();
        let spin_started_at = spin_started_at.clone();
        use_effect_with(game.spin_count, move |_| {
            if let (Phase::Spinning { bet }, Some(config)) = (phase, config.borrow().clone()) {
                *spin_started_at.borrow_mut() = now_ms();
                spawn_local(async move {
                    let action = match api::spin(&config, bet).await {
                        Ok(spin) => Action::SpinLanded(spin),
                        Err(failure) => Action::SpinFailed(failure),
                    };
                    dispatch.dispatch(action);
                });
            }
        });
    }

    // The API answered: brake the reels one after another.
    {
        let dispatch = game.dispatcher();
        let landed = matches!(game.phase, Phase::Settling { .. });
        let spin_started_at = spin_started_at.clone();
        use_effect_with((game.spin_count, landed), move |&(_, landed)| {
            let mut timers = Vec::new();
            if landed {
                let timing =
                    if prefers_reduced_motion() { Timing::REDUCED } else { Timing::SPINNING };
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

    // Keyboard players keep their place: the Spin button is disabled mid-spin, which drops
    // its focus, so hand focus back when the reels rest.
    use_effect_with((game.phase == Phase::Idle, game.spin_count), |&(idle, spins)| {
        if idle && spins > 0 {
            refocus_spin_button();
        }
    });

    let on_action = {
        let dispatch = game.dispatcher();
        Callback::from(move |action| dispatch.dispatch(action))
    };
    html! { <Screen game={(*game).clone()} on_action={on_action} /> }
}

async fn load_config() -> Result<Config, String> {
    let unreachable = |_| {
        "Spin could not load its settings (config.json). Reload the page to try again.".to_owned()
    };
    let response = gloo_net::http::Request::get("config.json").send().await.map_err(unreachable)?;
    if !response.ok() {
        return Err(format!(
            "Spin could not load its settings: config.json answered {} {}.",
            response.status(),
            response.status_text()
        ));
    }
    Config::parse(&response.text().await.map_err(unreachable)?)
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |p| p.now())
}

fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|window| window.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|query| query.matches())
}

/// Puts focus back on the Spin button if the page lost it (focus fell to `<body>`).
fn refocus_spin_button() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let lost = document.active_element().is_none_or(|element| element.tag_name() == "BODY");
    let button = document.query_selector("button.spin").ok().flatten();
    if let (true, Some(button)) =
        (lost, button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()))
    {
        let _ = button.focus();
    }
}

use spin_game::Bet;
use yew::prelude::*;

use super::GameProps;
use super::autoplay::autoplay_form;

use crate::game::{Action, Phase, Round, STARTING_CREDITS, Tier};
use crate::timing::{COUNT_STEP_MS, count_up_ms};

/// Credits, bet and win meters, the bet buttons, the Spin button, and a row with the
/// session's facts (time played, spins, net result, autoplay's spins left), the Sound and Calm
/// play toggles, and Autoplay, whose form follows it.
#[function_component]
pub fn Controls(props: &GameProps) -> Html {
    let game = &props.game;
    let send = |action: Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let lower = Bet::new(u64::from(game.bet.credits()) - 1).ok();
    let raise =
        Bet::new(u64::from(game.bet.credits()) + 1).ok().filter(|bet| *bet <= game.max_bet());
    // A − or + button that sets the bet to `to`, disabled where there is no such bet.
    let bet_step = |label: &'static str, text: &'static str, to: Option<Bet>| {
        html! {
            <button
                type="button"
                class="bet-step"
                aria-label={label}
                disabled={to.is_none() || game.autoplay.is_some()}
                onclick={send(Action::BetChosen(to.unwrap_or(game.bet)))}
            >{ text }</button>
        }
    };
    let spinning = matches!(game.phase, Phase::Spinning { .. } | Phase::Settling { .. });
    let win = game.last.filter(|_| game.phase == Phase::Idle);
    // One button, Spin or Stop, so a keyboard player's focus stays on it throughout.
    let stop = game.can_stop();
    let (label, action) =
        if stop { ("Stop", Action::StopPressed) } else { ("Spin", Action::SpinPressed) };
    let session = game.session;
    let autoplay_left = game.autoplay.map_or("off".to_owned(), |run| format!("{} left", run.left));

    html! {
        <div class="controls">
            <dl class="meters">
                <div class="meter">
                    <dt>{ "Credits" }</dt>
                    <dd><output data-testid="credits">{ game.credits }</output></dd>
                </div>
                <div class="meter">
                    <dt>{ "Bet" }</dt>
                    <dd><output data-testid="bet">{ game.bet.credits() }</output></dd>
                </div>
                <div class="meter">
                    <dt>{ "Win" }</dt>
                    <dd><WinMeter round={win} calm={game.calm} /></dd>
                </div>
            </dl>
            <div class="buttons">
                <div class="bet" role="group" aria-label="Bet">
                    { bet_step("Lower bet", "−", lower) }
                    { bet_step("Raise bet", "+", raise) }
                </div>
                if game.out_of_credits() && !spinning {
                    <button type="button" class="spin restart" onclick={send(Action::CreditsRefilled)}>
                        { format!("Start again with {STARTING_CREDITS} credits") }
                    </button>
                } else {
                    <button
                        type="button"
                        class="spin"
                        disabled={!game.can_spin() && !stop}
                        onclick={send(action)}
                    >{ label }</button>
                }
            </div>
            <div class="settings">
                <dl class="session">
                    { fact("Played", "session-time", session.played(game.now)) }
                    { fact("Spins", "session-spins", session.spins.to_string()) }
                    { fact("Net", "session-net", session.net_text()) }
                    { fact("Autoplay", "autoplay-left", autoplay_left) }
                </dl>
                { toggle("Sound", "toggle sound", game.sound, send(Action::SoundToggled)) }
                { toggle("Calm play", "toggle calm", game.calm, send(Action::CalmToggled)) }
                <button
                    type="button"
                    class="toggle autoplay"
                    aria-expanded={if game.autoplay_open { "true" } else { "false" }}
                    aria-controls={game.autoplay_open.then_some("autoplay")}
                    disabled={!game.can_autoplay()}
                    onclick={send(Action::AutoplayFormToggled)}
                >{ "Autoplay" }</button>
            </div>
            if game.autoplay_open {
                { autoplay_form(game, &props.on_action) }
            }
        </div>
    }
}

/// A setting named `label`, on or off (`aria-pressed`), switched by a press.
fn toggle(label: &str, class: &'static str, on: bool, onclick: Callback<MouseEvent>) -> Html {
    let pressed = if on { "true" } else { "false" };
    html! { <button type="button" {class} aria-pressed={pressed} {onclick}>{ label }</button> }
}

/// One of the session's facts, named `label`, its value marked with `testid` for the tests.
fn fact(label: &'static str, testid: &'static str, value: String) -> Html {
    html! { <div><dt>{ label }</dt><dd data-testid={testid}>{ value }</dd></div> }
}

#[derive(Properties, PartialEq)]
struct WinMeterProps {
    round: Option<Round>,
    /// Calm play: no count-up.
    calm: bool,
}

/// The last win, counting up from 0 when it lands, longer for bigger tiers; with reduced
/// motion or in Calm play the figure just appears. A new spin clears the round, which ends
/// the count at once. Screen readers hear the win in the status line instead, so the moving
/// number is hidden from them.
#[function_component]
fn WinMeter(props: &WinMeterProps) -> Html {
    let amount = props.round.map_or(0, |round| round.payout);
    let shown = use_state_eq(|| amount);
    {
        let shown = shown.clone();
        use_effect_with((props.round, props.calm), move |&(round, calm)| {
            let payout = round.map_or(0, |round| round.payout);
            // The one switch for the count-up.
            let animate = !super::app::prefers_reduced_motion() && !calm;
            let ms =
                round.and_then(|round| Tier::of(&round)).map_or(0, |t| count_up_ms(t, animate));
            let (amount, steps) = (u64::from(payout), u64::from((ms / COUNT_STEP_MS).max(1)));
            shown.set(if ms == 0 { payout } else { 0 });
            let mut step = 0;
            let interval = (ms > 0).then(|| {
                gloo_timers::callback::Interval::new(COUNT_STEP_MS, move || {
                    step = (step + 1).min(steps);
                    shown.set(u32::try_from(amount * step / steps).unwrap_or(u32::MAX));
                })
            });
            move || drop(interval)
        });
    }
    html! { <output aria-hidden="true" data-testid="win">{ *shown }</output> }
}

use spin_game::Bet;
use yew::prelude::*;

use super::GameProps;

use crate::game::{Action, Phase, STARTING_CREDITS};

/// Credits, bet and win meters, the bet buttons, the Spin button and the Sound toggle.
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
                disabled={to.is_none()}
                onclick={send(Action::BetChosen(to.unwrap_or(game.bet)))}
            >{ text }</button>
        }
    };
    let spinning = matches!(game.phase, Phase::Spinning { .. } | Phase::Settling { .. });
    let win = game.last.filter(|_| game.phase == Phase::Idle).map_or(0, |round| round.payout);

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
                    <dd><WinMeter amount={win} /></dd>
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
                        disabled={!game.can_spin()}
                        onclick={send(Action::SpinPressed)}
                    >{ if spinning { "Spinning…" } else { "Spin" } }</button>
                }
            </div>
            <button
                type="button"
                class="toggle sound"
                aria-pressed={if game.sound { "true" } else { "false" }}
                onclick={send(Action::SoundToggled)}
            >{ "Sound" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct WinMeterProps {
    amount: u32,
}

/// The last win, counting up from 0 when it lands. Screen readers hear the win in the status
/// line instead, so the moving number is hidden from them.
#[function_component]
fn WinMeter(props: &WinMeterProps) -> Html {
    let shown = use_state(|| props.amount);
    {
        let shown = shown.clone();
        use_effect_with(props.amount, move |&amount| {
            shown.set(0);
            let steps = amount.clamp(1, 20);
            let mut step = 0;
            let interval = (amount > 0).then(|| {
                gloo_timers::callback::Interval::new(30, move || {
                    step += 1;
                    shown.set(amount * step.min(steps) / steps);
                })
            });
            move || drop(interval)
        });
    }
    html! { <output aria-hidden="true" data-testid="win">{ *shown }</output> }
}

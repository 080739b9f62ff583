use yew::prelude::*;

use super::GameProps;

use crate::game::{Action, Game};

/// What the break reminder (Calm play) says: the session's facts in a sentence.
fn reminder_facts(game: &Game) -> String {
    let session = &game.session;
    let spins = if session.spins == 1 { "spin" } else { "spins" };
    format!(
        "You have played for {} this session: {} {spins}, net result {} credits.",
        session.played(game.now),
        session.spins,
        session.net_text()
    )
}

/// The break reminder (Calm play, every half hour), which Spin waits for. The live regions:
/// `status` announces each outcome politely, `news` after it the win's tier (said once, when
/// the reels rest), `alert` interrupts with what went wrong. All stay in the page so screen
/// readers notice when their text changes.
#[function_component]
pub fn Messages(props: &GameProps) -> Html {
    let game = &props.game;
    let dismiss = props.on_action.reform(|_: MouseEvent| Action::AlertDismissed);
    let reload = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    html! {
        <div class="messages">
            <p role="status" class="status">{ &game.status }</p>
            <p class="news" role="status" data-testid="news">{ &game.news }</p>
            if game.reminder {
                <div class="reminder" role="alertdialog" aria-labelledby="break" aria-describedby="break-facts">
                    <p id="break"><strong>{ "Time for a break?" }</strong></p>
                    <p id="break-facts">{ reminder_facts(game) }</p>
                    <button type="button" onclick={props.on_action.reform(|_: MouseEvent| Action::ReminderDismissed)}>
                        { "Keep playing" }
                    </button>
                </div>
            }
            <div role="alert" class="alert">
                if let Some(alert) = &game.alert {
                    <p>{ &alert.message }</p>
                    <div class="alert-actions">
                        if alert.offer_reload {
                            <button type="button" onclick={reload}>{ "Reload" }</button>
                        }
                        <button type="button" onclick={dismiss}>{ "Dismiss" }</button>
                    </div>
                }
            </div>
        </div>
    }
}

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::autoplay::RUN_LENGTHS;
use crate::game::{Action, Game};

/// The autoplay form: the run's length and the player's two limits, then Start. A plain
/// function, like the Verify view: the game holds its state. The fields take the last limits
/// as default values, not live ones, so the page's render every second leaves the player's
/// typing alone; the form is read once, on Start (or Enter), and the game checks it.
pub fn autoplay_form(game: &Game, on_action: &Callback<Action>) -> Html {
    let limits = game.autoplay_limits;
    let start = on_action.reform(|event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
        let fields = form.and_then(|form| web_sys::FormData::new_with_form(&form).ok());
        let field =
            |name| fields.as_ref().and_then(|f| f.get(name).as_string()).unwrap_or_default();
        Action::AutoplayRequested(field("spins"), field("below"), field("win"))
    });
    let amount = |limit: Option<u32>| limit.map_or(String::new(), |limit| limit.to_string());
    html! {
        <form id="autoplay" class="autoplay-form" aria-label="Autoplay settings" onsubmit={start}>
            <fieldset>
                <legend>{ "Spins" }</legend>
                for spins in RUN_LENGTHS {
                    <label>
                        <input type="radio" name="spins" value={spins.to_string()} ~defaultChecked={spins == limits.spins} />
                        { spins }
                    </label>
                }
            </fieldset>
            <label>
                { "Stop if credits fall below" }
                <input type="number" name="below" min="1" placeholder="No limit" ~defaultValue={amount(limits.credits_below)} />
            </label>
            <label>
                { "Stop on a win of at least" }
                <input type="number" name="win" min="1" placeholder="No limit" ~defaultValue={amount(limits.win_at_least)} />
            </label>
            <button type="submit" class="start">{ "Start autoplay" }</button>
        </form>
    }
}

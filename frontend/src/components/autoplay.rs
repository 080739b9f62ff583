use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::autoplay::{Limits, RUN_LENGTHS};
use crate::game::{Action, Game};

/// The autoplay form: the run's length and the player's two limits, then Start. It is read
/// once, on Start (or Enter in a field), and the game checks what it read.
///
/// Its fields are plain HTML that Yew inserts as it is: built element by element they weighed
/// more in the wasm module, for fields Yew never needs to touch (this and merging two effects
/// came to 0.5 kB brotli). The last limits are their default values; the page renders again
/// every second (time played), and as long as the limits are the same, the same HTML leaves
/// the player's typing alone.
pub fn autoplay_form(game: &Game, on_action: &Callback<Action>) -> Html {
    let start = on_action.reform(|event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
        let fields = form.and_then(|form| web_sys::FormData::new_with_form(&form).ok());
        let field =
            |name| fields.as_ref().and_then(|f| f.get(name).as_string()).unwrap_or_default();
        Action::AutoplayRequested(field("spins"), field("below"), field("win"))
    });
    let fields = Html::from_html_unchecked(fields_html(game.autoplay_limits).into());
    html! {
        <form id="autoplay" class="autoplay-form" aria-label="Autoplay settings" onsubmit={start}>
            { fields }
        </form>
    }
}

/// The form's fields, showing `limits`. (Numbers only go in: nothing to escape.)
fn fields_html(limits: Limits) -> String {
    let runs: String = RUN_LENGTHS
        .iter()
        .map(|&run| {
            let checked = if run == limits.spins { " checked" } else { "" };
            format!(
                r#"<label><input type="radio" name="spins" value="{run}"{checked}>{run}</label>"#
            )
        })
        .collect();
    let field = |label: &str, name: &str, limit: Option<u32>| {
        let value = limit.map_or(String::new(), |limit| limit.to_string());
        format!(
            r#"<label>{label} <input type="number" name="{name}" min="1" placeholder="No limit" value="{value}"></label>"#
        )
    };
    format!(
        r#"<fieldset><legend>Spins</legend>{runs}</fieldset>{}{}<button type="submit" class="start">Start autoplay</button>"#,
        field("Stop if credits fall below", "below", limits.credits_below),
        field("Stop on a win of at least", "win", limits.win_at_least),
    )
}

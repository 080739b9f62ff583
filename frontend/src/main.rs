//! Spin's browser front end (placeholder until the game lands).

use yew::prelude::*;

#[function_component]
fn App() -> Html {
    html! {
        <main>
            <h1>{ "Spin" }</h1>
            <p>{ format!("Rules {}", spin_game::rules_id()) }</p>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}

use yew::prelude::*;

use super::symbol::symbol_image;
use crate::game::Round;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub rounds: Vec<Round>,
}

/// The last few spins, newest first, with what each won or cost.
#[function_component]
pub fn History(props: &HistoryProps) -> Html {
    let items = props.rounds.iter().map(|round| {
        let net = round.net();
        let (class, text) = if net > 0 {
            ("net up", format!("+{net}"))
        } else {
            ("net down", format!("−{}", -net))
        };
        html! {
            <li>
                <span class="combo">
                    { for round.line.iter().map(|&symbol| symbol_image(symbol, false)) }
                </span>
                <span class={class}>{ text }</span>
            </li>
        }
    });
    html! {
        <section class="panel history" aria-labelledby="history-title">
            <h2 id="history-title">{ "Last spins" }</h2>
            if props.rounds.is_empty() {
                <p class="empty">{ "No spins yet." }</p>
            } else {
                <ol>{ for items }</ol>
            }
        </section>
    }
}

use yew::prelude::*;

use super::symbol::image_html;
use crate::game::Round;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub rounds: Vec<Round>,
}

/// The last few spins, newest first, with what each won or cost. Written as an HTML string, as
/// the paytable is: it changes once a spin, and element by element it weighs more in the wasm
/// module. Symbol names and numbers only: nothing to escape.
#[function_component]
pub fn History(props: &HistoryProps) -> Html {
    let items: String = props
        .rounds
        .iter()
        .map(|round| {
            let net = round.net();
            let (class, text) = if net > 0 {
                ("net up", format!("+{net}"))
            } else {
                ("net down", format!("−{}", -net))
            };
            let line: String =
                round.line.iter().map(|&symbol| image_html(symbol, symbol.name())).collect();
            format!(
                r#"<li><span class="combo">{line}</span><span class="{class}">{text}</span></li>"#
            )
        })
        .collect();
    let list = if items.is_empty() {
        r#"<p class="empty">No spins yet.</p>"#.to_owned()
    } else {
        format!("<ol>{items}</ol>")
    };
    Html::from_html_unchecked(
        format!(
            r#"<section class="panel history" aria-labelledby="history-title"><h2 id="history-title">Last spins</h2>{list}</section>"#
        )
        .into(),
    )
}

use spin_game::{Bet, PAYTABLE};
use yew::prelude::*;

use super::symbol::SymbolImage;

#[derive(Properties, PartialEq)]
pub struct PaytableProps {
    pub bet: Bet,
}

/// Every prize, straight from the rules crate, with what it pays at the current bet.
#[function_component]
pub fn Paytable(props: &PaytableProps) -> Html {
    let bet = props.bet.credits();
    let rows = PAYTABLE.iter().map(|prize| {
        let pictures = prize.pattern.pictured().into_iter().map(|symbol| {
            html! { <SymbolImage symbol={symbol} decorative=true /> }
        });
        html! {
            <tr>
                <th scope="row">
                    <span class="prize">
                        <span class="combo" aria-hidden="true">
                            { for pictures }
                        </span>
                        { prize.pattern.describe() }
                    </span>
                </th>
                <td>{ format!("{}×", prize.multiplier) }</td>
                <td>{ prize.multiplier * bet }</td>
            </tr>
        }
    });
    // Exact odds by enumeration: cheap, but only worth doing once.
    let odds = use_memo((), |_| (spin_game::return_to_player(), spin_game::hit_frequency()));
    let (rtp, hits) = *odds;
    html! {
        <section class="panel paytable" aria-labelledby="paytable-title">
            <h2 id="paytable-title">{ "Paytable" }</h2>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{ "Pay line" }</th>
                        <th scope="col">{ "Pays" }</th>
                        <th scope="col">{ format!("Bet {bet}") }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="odds">
                { format!(
                    "Returns {:.1} % of bets over time; {:.0} % of spins win something.",
                    100.0 * rtp.to_f64(),
                    100.0 * hits.to_f64(),
                ) }
            </p>
        </section>
    }
}

use spin_game::{Bet, PAYTABLE, Symbol};
use yew::prelude::*;

use super::symbol::image_html;

#[derive(Properties, PartialEq)]
pub struct PaytableProps {
    pub bet: Bet,
}

/// Every prize, straight from the rules crate, with what it pays at the current bet.
///
/// Written as an HTML string that Yew inserts as it is: the table changes only with the bet,
/// and built element by element it cost the wasm module 0.4 kB brotli more. What goes in is
/// the rules crate's names, file names and numbers: nothing to escape.
#[function_component]
pub fn Paytable(props: &PaytableProps) -> Html {
    let bet = props.bet.credits();
    let rows: String = PRIZES
        .iter()
        .zip(PAYTABLE)
        .map(|((name, pictures), prize)| {
            let pictures: String = pictures.iter().map(|&symbol| image_html(symbol, "")).collect();
            format!(
                r#"<tr><th scope="row"><span class="prize"><span class="combo" aria-hidden="true">{pictures}</span>{name}</span></th><td>{}×</td><td>{}</td></tr>"#,
                prize.multiplier,
                prize.multiplier * bet
            )
        })
        .collect();
    Html::from_html_unchecked(
        format!(
            r#"<section class="panel paytable" aria-labelledby="paytable-title"><h2 id="paytable-title">Paytable</h2><table><thead><tr><th scope="col">Pay line</th><th scope="col">Pays</th><th scope="col">Bet {bet}</th></tr></thead><tbody>{rows}</tbody></table><p class="odds">{ODDS}</p></section>"#
        )
        .into(),
    )
}

// `PRIZES` and `ODDS`, from the rules crate at build time (see build.rs).
include!(concat!(env!("OUT_DIR"), "/paytable.rs"));

#[cfg(test)]
mod tests {
    use spin_game::Fraction;

    use super::*;

    #[test]
    fn the_table_is_the_rules_crates_own() {
        assert_eq!(PRIZES.len(), PAYTABLE.len());
        for ((name, pictures), prize) in PRIZES.iter().zip(PAYTABLE) {
            assert_eq!(*name, prize.pattern.describe());
            assert_eq!(*pictures, prize.pattern.pictured().as_slice());
        }
        // The odds as exact fractions, rounded as the sentence prints them.
        let percent = |f: Fraction, scale: u64| {
            (f.numerator * scale * 2 + f.denominator) / (f.denominator * 2)
        };
        let (rtp, hits) = (
            percent(spin_game::return_to_player(), 1000),
            percent(spin_game::hit_frequency(), 100),
        );
        let expected = format!(
            "Returns {}.{} % of bets over time; {hits} % of spins win something.",
            rtp / 10,
            rtp % 10
        );
        assert_eq!(ODDS, expected);
    }
}

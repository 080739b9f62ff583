use spin_game::{Bet, Fraction, PAYTABLE};
use yew::prelude::*;

use super::symbol::image_html;

#[derive(Properties, PartialEq)]
pub struct PaytableProps {
    pub bet: Bet,
}

/// Every prize, straight from the rules crate, with what it pays at the current bet.
///
/// Written as an HTML string that Yew inserts as it is: the table changes only with the bet,
/// and built element by element it cost the wasm module 1.5 kB brotli more. What goes in is
/// the rules crate's names and numbers: letters, digits and spaces, nothing to escape.
#[function_component]
pub fn Paytable(props: &PaytableProps) -> Html {
    // Exact odds by enumeration: cheap, but only worth doing once.
    let odds =
        use_memo((), |_| odds_sentence(spin_game::return_to_player(), spin_game::hit_frequency()));
    let bet = props.bet.credits();
    let rows: String = PAYTABLE
        .iter()
        .map(|prize| {
            let pictures: String = prize.pattern.pictured().into_iter().map(image_html).collect();
            format!(
                r#"<tr><th scope="row"><span class="prize"><span class="combo" aria-hidden="true">{pictures}</span>{}</span></th><td>{}×</td><td>{}</td></tr>"#,
                prize.pattern.describe(),
                prize.multiplier,
                prize.multiplier * bet
            )
        })
        .collect();
    Html::from_html_unchecked(
        format!(
            r#"<section class="panel paytable" aria-labelledby="paytable-title"><h2 id="paytable-title">Paytable</h2><table><thead><tr><th scope="col">Pay line</th><th scope="col">Pays</th><th scope="col">Bet {bet}</th></tr></thead><tbody>{rows}</tbody></table><p class="odds">{odds}</p></section>"#
        )
        .into(),
    )
}

/// "Returns 95.3 % of bets over time; 21 % of spins win something." Whole-number arithmetic
/// only: formatting floats would add about 10 kB to the wasm module.
fn odds_sentence(rtp: Fraction, hits: Fraction) -> String {
    let rtp = rounded(rtp, 1000);
    format!(
        "Returns {}.{} % of bets over time; {} % of spins win something.",
        rtp / 10,
        rtp % 10,
        rounded(hits, 100)
    )
}

/// `fraction × scale`, rounded to the nearest whole number.
fn rounded(fraction: Fraction, scale: u64) -> u64 {
    (fraction.numerator * scale * 2 + fraction.denominator) / (fraction.denominator * 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_odds_read_as_float_formatting_would_print_them() {
        let float = |rtp: Fraction, hits: Fraction| {
            format!(
                "Returns {:.1} % of bets over time; {:.0} % of spins win something.",
                100.0 * rtp.to_f64(),
                100.0 * hits.to_f64(),
            )
        };
        let (rtp, hits) = (spin_game::return_to_player(), spin_game::hit_frequency());
        assert_eq!(odds_sentence(rtp, hits), float(rtp, hits));
        for (n, d) in [(953, 1000), (1, 3), (2, 3), (9999, 10000), (0, 7), (7, 7), (123, 4567)] {
            let f = Fraction::new(n, d);
            assert_eq!(odds_sentence(f, f), float(f, f), "{n}/{d}");
        }
    }
}

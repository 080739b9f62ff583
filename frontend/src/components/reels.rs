use spin_game::{REEL_COUNT, STRIPS, Symbol};
use yew::prelude::*;

use super::symbol::SymbolImage;
use crate::game::{Game, Motion, Phase};

#[derive(Properties, PartialEq)]
struct ReelProps {
    index: usize,
    motion: Motion,
    /// The stop the reel rests on, or is braking onto.
    stop: usize,
    /// The symbol on the pay line, once the reel is at rest.
    symbol: Option<Symbol>,
}

/// One reel: a band of its strip, printed three times so the spin can loop, seen through a window
/// three symbols high. The band only ever moves by `transform`, so the browser animates it on
/// the compositor without layout.
#[function_component]
fn Reel(props: &ReelProps) -> Html {
    let strip = STRIPS[props.index];
    let reel = use_node_ref();
    {
        // The band's resting offset puts `stop` in the middle row. CSS reads it from the
        // `--stop` custom property, set through the CSSOM (allowed by a strict CSP, unlike a
        // style attribute).
        let reel = reel.clone();
        let offset = offset_percent(props.stop, strip.len());
        use_effect_with(offset, move |offset| {
            if let Some(element) = reel.cast::<web_sys::HtmlElement>() {
                let _ = element.style().set_property("--stop", &format!("-{offset:.4}%"));
            }
        });
    }
    let class = match props.motion {
        Motion::Stopped => "reel is-resting",
        Motion::Spinning => "reel is-spinning",
        Motion::Stopping => "reel is-stopping",
    };
    let position = props.index + 1;
    let label = match props.symbol {
        Some(symbol) => format!("Reel {position}: {}", symbol.name()),
        None => format!("Reel {position}: spinning"),
    };
    let band = strip.iter().cycle().take(BAND_COPIES * strip.len()).map(|&symbol| {
        html! { <div class="cell"><SymbolImage symbol={symbol} decorative=true /></div> }
    });
    html! {
        <div
            ref={reel}
            class={class}
            data-testid="reel"
            data-symbol={props.symbol.map(|symbol| symbol.file_name())}
            role="img"
            aria-label={label}
        >
            <div class="band">{ for band }</div>
        </div>
    }
}

/// How many times the band repeats the strip: the loop scrolls through the first copy, and
/// a stop lands in the second, so braking always travels most of a strip and the rows above
/// and below the pay line always exist.
const BAND_COPIES: usize = 3;

/// How far up (in % of the band) the band moves so that `stop` sits in the middle of the
/// three visible rows: the top row shows `stop - 1` of the second copy.
fn offset_percent(stop: usize, strip_len: usize) -> f64 {
    let top_row = strip_len + stop - 1;
    100.0 * top_row as f64 / (BAND_COPIES * strip_len) as f64
}

#[derive(Properties, PartialEq)]
pub struct ReelsProps {
    pub game: Game,
}

/// The three reels behind the pay line; the line glows after a win.
#[function_component]
pub fn Reels(props: &ReelsProps) -> Html {
    let game = &props.game;
    let won = game.phase == Phase::Idle && game.last.is_some_and(|round| round.payout > 0);
    let reels = (0..REEL_COUNT).map(|index| {
        let (motion, stop) = match &game.phase {
            Phase::Spinning { .. } => (Motion::Spinning, game.resting[index]),
            Phase::Settling { spin, reels } => match reels[index] {
                Motion::Spinning => (Motion::Spinning, game.resting[index]),
                braking_or_stopped => (braking_or_stopped, spin.stops[index]),
            },
            _ => (Motion::Stopped, game.resting[index]),
        };
        let symbol = game.symbol_at_rest(index);
        html! { <Reel index={index} motion={motion} stop={stop} symbol={symbol} /> }
    });
    html! {
        <div class={classes!("reels", won.then_some("is-win"))}>
            { for reels }
            <div class="payline" aria-hidden="true"></div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stop_lands_in_the_middle_row_with_rows_above_and_below() {
        for len in STRIPS.map(<[Symbol]>::len) {
            let items = (BAND_COPIES * len) as f64;
            // Stop 0: the top row is the strip's last symbol, the pay line the second copy's first.
            assert!((offset_percent(0, len) - 100.0 * (len - 1) as f64 / items).abs() < 1e-9);
            for stop in 0..len {
                let top_row = offset_percent(stop, len) / 100.0 * items;
                let pay_line = top_row.round() as usize + 1;
                assert_eq!(pay_line % len, stop);
                assert!(pay_line + 1 < BAND_COPIES * len, "a row below stop {stop}");
                assert!(pay_line >= len, "braking travels at least a strip for stop {stop}");
            }
        }
    }
}

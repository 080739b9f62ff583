use spin_game::{REEL_COUNT, STRIPS, Symbol};
use yew::prelude::*;

use super::symbol::symbol_src;
use crate::game::{Game, Motion, Phase, Tier, winning_reels};

#[derive(Properties, PartialEq)]
struct ReelProps {
    index: usize,
    motion: Motion,
    /// The stop the reel rests on, or is braking onto.
    stop: usize,
    /// The symbol on the pay line, once the reel is at rest.
    symbol: Option<Symbol>,
    /// The symbol on the pay line is part of the last win: framed, without motion.
    winning: bool,
}

/// One reel, seen through a window three symbols high. At rest its band holds just those three
/// symbols; moving, it holds one full turn of the strip plus the rows the window shows at the
/// end of the turn, so the spin can loop and the brake lands on `stop`. The band only ever
/// moves by `transform`, so the browser animates it on the compositor without layout.
#[function_component]
fn Reel(props: &ReelProps) -> Html {
    let strip = STRIPS[props.index];
    let reel = use_node_ref();
    {
        // A turn of the band is `--rows` symbols: the CSS animations read it from this custom
        // property, set through the CSSOM (allowed by a strict CSP, unlike a style attribute).
        let reel = reel.clone();
        use_effect_with(strip.len(), move |rows| {
            if let Some(element) = reel.cast::<web_sys::HtmlElement>() {
                let _ = element.style().set_property("--rows", &rows.to_string());
            }
        });
    }
    let motion = match props.motion {
        Motion::Stopped => "is-resting",
        Motion::Spinning => "is-spinning",
        Motion::Stopping => "is-stopping",
    };
    let class = classes!("reel", motion, props.winning.then_some("is-winning"));
    let position = props.index + 1;
    let label = match props.symbol {
        Some(symbol) => format!("Reel {position}: {}", symbol.name()),
        None => format!("Reel {position}: spinning"),
    };
    // One <img> per symbol (decorative: the reel's label names the symbol on the pay line).
    let band = band(props.motion, props.stop, strip.len()).map(|row| {
        html! { <img class="cell" src={symbol_src(strip[row])} alt="" /> }
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

/// Rows the window shows.
const VISIBLE_ROWS: usize = 3;
/// Rows a moving band holds after its full turn: the three the window shows when the turn
/// ends, and one below them for the brake's overshoot.
const TAIL_ROWS: usize = VISIBLE_ROWS + 1;

/// The strip positions a band holds, top to bottom, with `stop` in the middle row of the
/// window. At rest, only the three visible rows. Moving, the band starts the same way and
/// goes on for a full turn of the strip and [`TAIL_ROWS`] more: the loop scrolls one turn
/// (its first frame is the resting view), and the brake scrolls one turn onto `stop`.
fn band(motion: Motion, stop: usize, strip_len: usize) -> impl Iterator<Item = usize> {
    let rows = match motion {
        Motion::Stopped => VISIBLE_ROWS,
        Motion::Spinning | Motion::Stopping => strip_len + TAIL_ROWS,
    };
    let top = stop + strip_len - 1;
    (0..rows).map(move |row| (top + row) % strip_len)
}

#[derive(Properties, PartialEq)]
pub struct ReelsProps {
    pub game: Game,
}

/// The three reels behind the pay line. After a win the winning symbols are framed (still:
/// nothing moves inside a reel at rest) and the pay line, outside the reels, glows, longer for
/// bigger tiers.
#[function_component]
pub fn Reels(props: &ReelsProps) -> Html {
    let game = &props.game;
    let last = game.last.filter(|round| game.phase == Phase::Idle && round.payout > 0);
    let winning = last.map_or([false; REEL_COUNT], |round| winning_reels(round.line));
    let tier = match last.and_then(|round| Tier::of(&round)) {
        Some(Tier::BigWin) => Some("is-big"),
        Some(Tier::Jackpot) => Some("is-jackpot"),
        _ => None,
    };
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
        let winning = winning[index];
        html! { <Reel index={index} motion={motion} stop={stop} symbol={symbol} winning={winning} /> }
    });
    html! {
        <div class={classes!("reels", last.map(|_| "is-win"), tier)}>
            { for reels }
            <div class="payline" aria-hidden="true"></div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_rest_the_band_is_the_three_visible_rows_around_the_stop() {
        for len in STRIPS.map(<[Symbol]>::len) {
            assert_eq!(band(Motion::Stopped, 5, len).collect::<Vec<_>>(), [4, 5, 6]);
            assert_eq!(band(Motion::Stopped, 0, len).collect::<Vec<_>>(), [len - 1, 0, 1]);
            assert_eq!(
                band(Motion::Stopped, len - 1, len).collect::<Vec<_>>(),
                [len - 2, len - 1, 0]
            );
        }
    }

    #[test]
    fn a_moving_band_starts_as_at_rest_and_lands_on_its_stop_after_one_turn() {
        for len in STRIPS.map(<[Symbol]>::len) {
            for motion in [Motion::Spinning, Motion::Stopping] {
                for stop in 0..len {
                    let rows: Vec<_> = band(motion, stop, len).collect();
                    assert_eq!(rows.len(), len + TAIL_ROWS);
                    // First frame of the loop or brake: the resting view of `stop`.
                    assert_eq!(rows[..3], band(Motion::Stopped, stop, len).collect::<Vec<_>>());
                    // After one turn (`--rows` symbols) the window shows the same rows, and one
                    // more row is below it for the overshoot.
                    assert_eq!(rows[len..len + 3], rows[..3]);
                    assert_eq!(rows[len + 3], (stop + 2) % len);
                }
            }
        }
    }
}

use spin_game::{REEL_COUNT, STRIPS, Symbol};
use yew::prelude::*;

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

/// One reel, seen through a window three symbols high. Its band is the strip painted once
/// as a column of backgrounds ([`band_css`]) and never changes: a spin only changes classes,
/// so the band is placed by `translate` and moved by a `transform` animation, without
/// creating, loading or laying out anything.
#[function_component]
fn Reel(props: &ReelProps) -> Html {
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
    // The band is decorative: the reel's label names the symbol on the pay line.
    let band = format!("band at-{}", top_row(props.stop, STRIPS[props.index].len()));
    html! {
        <div
            class={class}
            data-testid="reel"
            data-symbol={props.symbol.map(|symbol| symbol.file_name())}
            role="img"
            aria-label={label}
        >
            <div class={band}><div class="strip"></div></div>
        </div>
    }
}

/// Rows the window shows.
#[cfg(any(feature = "ssr", test))]
const VISIBLE_ROWS: usize = 3;

/// The band row at the top of the window when the reel rests on `stop`: the row above the
/// pay line, which shows `stop`.
fn top_row(stop: usize, strip_len: usize) -> usize {
    (stop + strip_len - 1) % strip_len
}

/// Rows a band paints for a strip of `strip_len`: a whole turn can scroll from any top row
/// (the loop and the brake each scroll one turn), and the window still shows
/// [`VISIBLE_ROWS`] after it, with one more row below for the brake's overshoot.
#[cfg(any(feature = "ssr", test))]
fn band_rows(strip_len: usize) -> usize {
    2 * strip_len + VISIBLE_ROWS
}

/// The rules that paint every reel's band, made from the rules crate's strips; the site build
/// appends them to `style.css`. Row `r` of reel `k`'s strip shows `STRIPS[k][r % len]`, one
/// background layer per row, `r` cells down; class `at-N` puts row `N` at the top of the
/// window (`--top`). Each reel's loop and brake scroll one turn: `len` rows of the band's
/// [`band_rows`], as a percentage of its height, so the keyframes hold no `var()` and the
/// browser can run them on the compositor.
#[cfg(feature = "ssr")]
pub fn band_css() -> String {
    use super::symbol::symbol_src;
    let mut css = String::new();
    for (index, strip) in STRIPS.iter().enumerate() {
        let (reel, rows) = (index + 1, band_rows(strip.len()));
        let images: Vec<_> =
            (0..rows).map(|row| format!("url({})", symbol_src(strip[row % strip.len()]))).collect();
        let positions: Vec<_> = (0..rows).map(|row| format!("0 calc(var(--cell)*{row})")).collect();
        let turn = 100.0 * strip.len() as f64 / rows as f64;
        css += &format!(
            ".reel:nth-child({reel}){{--loop:loop-{reel};--brake:brake-{reel}}}\
             .reel:nth-child({reel}) .strip{{height:calc(var(--cell)*{rows});background-image:{};background-position:{}}}\
             @keyframes loop-{reel}{{to{{transform:translateY(-{turn:.4}%)}}}}\
             @keyframes brake-{reel}{{to{{transform:translateY(-{turn:.4}%)}}}}\n",
            images.join(","),
            positions.join(","),
        );
    }
    let longest = STRIPS.iter().map(|strip| strip.len()).max().unwrap_or(0);
    for top in 0..longest {
        css += &format!(".at-{top}{{--top:{top}}}");
    }
    css + "\n"
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
    fn at_rest_the_pay_line_shows_the_stop() {
        for len in STRIPS.map(<[Symbol]>::len) {
            assert_eq!(top_row(5, len), 4);
            assert_eq!(top_row(0, len), len - 1);
            assert_eq!(top_row(len - 1, len), len - 2);
        }
    }

    #[test]
    fn a_band_scrolls_a_whole_turn_from_any_stop_and_still_fills_the_window() {
        for len in STRIPS.map(<[Symbol]>::len) {
            let last_top = (0..len).map(|stop| top_row(stop, len)).max().unwrap();
            // After a turn from the lowest top row, the window and the overshoot row are
            // still painted.
            assert_eq!(last_top + len + VISIBLE_ROWS + 1, band_rows(len));
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_band_css_paints_each_strip_in_order_twice_over() {
        let css = band_css();
        for (index, strip) in STRIPS.iter().enumerate() {
            let rule = css
                .lines()
                .find(|line| line.starts_with(&format!(".reel:nth-child({})", index + 1)))
                .unwrap();
            let images: Vec<_> =
                rule.match_indices("url(symbols/").map(|(at, _)| &rule[at + 12..]).collect();
            assert_eq!(images.len(), band_rows(strip.len()));
            for (row, image) in images.iter().enumerate() {
                let symbol = strip[row % strip.len()];
                assert!(image.starts_with(symbol.file_name()), "reel {index} row {row}");
            }
            // A turn is `len` of the band's rows.
            let turn =
                format!("{:.4}%", 100.0 * strip.len() as f64 / band_rows(strip.len()) as f64);
            assert_eq!(rule.matches(&format!("translateY(-{turn})")).count(), 2, "{rule}");
        }
        for top in 0..STRIPS.map(<[Symbol]>::len).into_iter().max().unwrap() {
            assert!(css.contains(&format!(".at-{top}{{--top:{top}}}")), "{top}");
        }
    }
}

//! The pace of the reels, in one place: when each starts braking and comes to rest, and how
//! long the CSS animations run. `static/style.css` holds no durations of its own; it reads the
//! custom properties that [`css_properties`] lists, which the site build writes into it
//! ([`root_css`]).

use spin_game::REEL_COUNT;

use crate::game::Tier;

/// The pace of a spin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// The reels spin at least this long after the click, however fast the API is.
    pub min_spin_ms: u32,
    /// Each reel brakes this long after the one to its left.
    pub stagger_ms: u32,
    /// Braking (or, with reduced motion, fading in) lasts this long.
    pub stop_ms: u32,
}

impl Timing {
    /// Reels that spin and stop one after another: at most 2 s from click to rest with a
    /// prompt API.
    pub const SPINNING: Timing = Timing { min_spin_ms: 600, stagger_ms: 350, stop_ms: 500 };
    /// `prefers-reduced-motion`: no spinning, all reels fade in together, well within 1 s.
    pub const REDUCED: Timing = Timing { min_spin_ms: 0, stagger_ms: 0, stop_ms: 200 };

    /// This pace slowed, if need be, so a spin takes at least `total_ms` from click to rest
    /// with a prompt API (Calm play): the reels spin longer before they brake.
    pub fn lasting_at_least(self, total_ms: u32) -> Timing {
        let braking = self.stagger_ms * (REEL_COUNT as u32 - 1) + self.stop_ms;
        Timing { min_spin_ms: self.min_spin_ms.max(total_ms.saturating_sub(braking)), ..self }
    }

    /// For each reel, the delays (from the API's answer) at which it starts to brake and at
    /// which it rests, given how long the spin has already run.
    pub fn schedule(self, elapsed_ms: u32) -> [(u32, u32); REEL_COUNT] {
        let first = self.min_spin_ms.saturating_sub(elapsed_ms);
        std::array::from_fn(|reel| {
            let brake = first + self.stagger_ms * reel as u32;
            (brake, brake + self.stop_ms)
        })
    }
}

/// The shortest spin, from click to rest, in Calm play.
pub const CALM_SPIN_MS: u32 = 2500;

/// How long the Win meter counts up to a win of `tier`: longer for bigger wins, and not at
/// all when `animate` is off (reduced motion, Calm play).
pub fn count_up_ms(tier: Tier, animate: bool) -> u32 {
    match (animate, tier) {
        (false, _) => 0,
        (true, Tier::Win) => 600,
        (true, Tier::BigWin) => 2000,
        (true, Tier::Jackpot) => 4000,
    }
}

/// Autoplay's pause between the reels' rest and its next spin: time to see the outcome, and
/// for the Win meter to finish counting (`count_up_ms`) after a win.
pub const AUTOPLAY_PAUSE_MS: u32 = 1000;

/// How often the Win meter's figure moves while counting.
pub const COUNT_STEP_MS: u32 = 50;

/// One glow of the pay line after a win (a flash at most every this long: under three a
/// second, as WCAG 2.3.1 asks).
pub const FLASH_MS: u32 = 700;

/// One loop of a spinning reel: the time its band takes to scroll through one copy of the strip.
pub const LOOP_MS: u32 = 360;

/// The CSS custom properties the reel and win animations read, with their values: the loop,
/// the pay line's glow, braking, and the reduced-motion fade.
pub fn css_properties() -> [(&'static str, String); 4] {
    [
        ("--reel-loop-ms", format!("{LOOP_MS}ms")),
        ("--win-flash-ms", format!("{FLASH_MS}ms")),
        ("--reel-stop-ms", format!("{}ms", Timing::SPINNING.stop_ms)),
        ("--reel-fade-ms", format!("{}ms", Timing::REDUCED.stop_ms)),
    ]
}

/// [`css_properties`] as the stylesheet rule that sets them on the root element: the site build
/// appends it to `style.css`, so the page has its durations before the wasm arrives and the app
/// never restyles the whole page at start-up to set them.
#[cfg(feature = "ssr")]
pub fn root_css() -> String {
    let declarations: Vec<_> =
        css_properties().iter().map(|(name, value)| format!("{name}:{value}")).collect();
    format!(":root{{{}}}\n", declarations.join(";"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calm_play_spins_last_at_least_its_minimum_at_either_pace() {
        for pace in [Timing::SPINNING, Timing::REDUCED] {
            let calm = pace.lasting_at_least(CALM_SPIN_MS);
            assert_eq!(calm.schedule(0)[REEL_COUNT - 1].1, CALM_SPIN_MS, "{pace:?}");
            assert_eq!((calm.stagger_ms, calm.stop_ms), (pace.stagger_ms, pace.stop_ms));
        }
        // A pace already that slow stays as it is.
        assert_eq!(Timing::SPINNING.lasting_at_least(1000), Timing::SPINNING);
    }

    #[test]
    fn reels_stop_left_to_right_after_the_minimum_spin() {
        assert_eq!(Timing::SPINNING.schedule(100), [(500, 1000), (850, 1350), (1200, 1700)]);
        // A slow answer: the reels start braking at once.
        assert_eq!(Timing::SPINNING.schedule(3000), [(0, 500), (350, 850), (700, 1200)]);
    }

    #[test]
    fn a_prompt_spin_rests_within_two_seconds() {
        let (_, last_rest) = Timing::SPINNING.schedule(0)[REEL_COUNT - 1];
        assert!(last_rest <= 2000, "the last reel rests after {last_rest} ms");
    }

    #[test]
    fn reduced_motion_settles_all_reels_together_within_a_second() {
        let schedule = Timing::REDUCED.schedule(0);
        assert!(schedule.iter().all(|&(brake, rest)| brake == 0 && rest <= 1000));
        let readme = include_str!("../../README.md");
        assert!(readme.contains("the new line fades in within a second"), "as the README says");
    }

    #[test]
    fn bigger_wins_count_longer_and_nothing_flashes_three_times_a_second() {
        let tiers = [Tier::Win, Tier::BigWin, Tier::Jackpot];
        let counts = tiers.map(|tier| count_up_ms(tier, true));
        assert!(counts.windows(2).all(|pair| pair[0] < pair[1]), "{counts:?}");
        assert!(tiers.iter().all(|&tier| count_up_ms(tier, false) == 0));
        const { assert!(FLASH_MS * 3 > 1000, "the glow flashes three times a second or more") };
        let css = include_str!("../../static/style.css");
        let glows: Vec<_> =
            css.match_indices("animation: payline-glow").map(|(at, _)| at).collect();
        assert!(!glows.is_empty(), "the pay line glows");
        for at in glows {
            assert!(css[at..].starts_with("animation: payline-glow var(--win-flash-ms)"));
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_root_rule_sets_every_duration() {
        let rule = root_css();
        assert!(rule.starts_with(":root{") && rule.ends_with("}\n"), "{rule}");
        for (name, value) in css_properties() {
            assert!(rule.contains(&format!("{name}:{value}")), "{rule} lacks {name}");
        }
        assert!(rule.contains("--reel-loop-ms:360ms"), "{rule}");
    }

    #[test]
    fn the_stylesheet_reads_every_duration_and_sets_none() {
        let css = include_str!("../../static/style.css");
        for (name, _) in css_properties() {
            assert!(css.contains(&format!("var({name})")), "style.css never reads {name}");
            assert!(!css.contains(&format!("{name}:")), "style.css sets {name} itself");
        }
    }
}

//! The pace of the reels, in one place: when each starts braking and comes to rest, and how
//! long the CSS animations run. `static/style.css` holds no durations of its own; it reads the
//! custom properties that [`css_properties`] lists and the app sets at start-up.

use spin_game::REEL_COUNT;

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

/// One loop of a spinning reel: the time its band takes to scroll through one copy of the strip.
pub const LOOP_MS: u32 = 360;

/// The CSS custom properties the reel animations read, with their values: the loop, braking,
/// and the reduced-motion fade.
pub fn css_properties() -> [(&'static str, String); 3] {
    [
        ("--reel-loop-ms", format!("{LOOP_MS}ms")),
        ("--reel-stop-ms", format!("{}ms", Timing::SPINNING.stop_ms)),
        ("--reel-fade-ms", format!("{}ms", Timing::REDUCED.stop_ms)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_stylesheet_reads_every_duration_and_sets_none() {
        let css = include_str!("../../static/style.css");
        for (name, _) in css_properties() {
            assert!(css.contains(&format!("var({name})")), "style.css never reads {name}");
            assert!(!css.contains(&format!("{name}:")), "style.css sets {name} itself");
        }
    }
}

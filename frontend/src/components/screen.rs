use yew::prelude::*;

use super::GameProps;

use super::controls::Controls;
use super::history::History;
use super::messages::Messages;
use super::paytable::Paytable;
use super::reels::Reels;
use super::verify::verify_view;

/// The whole game as a pure view of its state: the machine, then the paytable and history.
#[function_component]
pub fn Screen(props: &GameProps) -> Html {
    let game = &props.game;
    html! {
        <>
            <section class="machine" aria-label="Slot machine">
                <Reels game={game.clone()} />
                <Controls game={game.clone()} on_action={props.on_action.clone()} />
                <Messages game={game.clone()} on_action={props.on_action.clone()} />
            </section>
            <div class="side">
                <Paytable bet={game.bet} />
                <History rounds={game.history.clone()} />
                { verify_view(game, &props.on_action) }
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use spin_game::{Bet, PAYTABLE, REEL_COUNT, Spin, Symbol};

    use super::*;
    use crate::game::{ATTRACT_LINE, Action, Game, STARTING_CREDITS, SpinFailure};

    async fn render(game: Game) -> String {
        let props = GameProps { game, on_action: Callback::noop() };
        yew::LocalServerRenderer::<Screen>::with_props(props).hydratable(false).render().await
    }

    fn ready(credits: u32) -> Game {
        Game::new(credits, None, Vec::new()).apply(Action::ConfigLoaded)
    }

    fn count(html: &str, needle: &str) -> usize {
        html.matches(needle).count()
    }

    /// The Spin button's whole element, or `None` when the page shows none.
    fn spin_button(html: &str) -> Option<&str> {
        let class = html.find(r#"class="spin""#)?;
        let start = html[..class].rfind("<button")?;
        let end = class + html[class..].find("</button>")? + "</button>".len();
        Some(&html[start..end])
    }

    #[tokio::test]
    async fn a_ready_game_shows_the_test_contract() {
        let html = render(ready(STARTING_CREDITS)).await;
        assert_eq!(count(&html, r#"data-testid="reel""#), REEL_COUNT);
        assert_eq!(count(&html, "data-symbol="), REEL_COUNT, "reels at rest name their symbol");
        for symbol in ATTRACT_LINE.map(Symbol::file_name) {
            assert!(html.contains(&format!(r#"data-symbol="{symbol}""#)), "{symbol}");
        }
        assert!(html.contains(r#"<output data-testid="credits">100</output>"#));
        assert!(html.contains(r#"role="status""#) && html.contains(r#"role="alert""#));
        let enabled = r#"<button type="button" class="spin">Spin</button>"#;
        assert_eq!(spin_button(&html), Some(enabled));
        assert!(html.contains(&format!(r#"aria-label="Reel 1: {}""#, ATTRACT_LINE[0].name())));
        assert_eq!(count(&html, "<tr>") - 1, PAYTABLE.len(), "one row per prize");
        assert!(html.contains("Three Sevens") && html.contains("Any two Cherries"));
        assert!(html.contains("No spins yet."));
    }

    #[tokio::test]
    async fn moving_reels_name_no_symbol_and_spin_is_disabled() {
        let html = render(ready(100).apply(Action::SpinPressed)).await;
        assert_eq!(count(&html, "data-symbol="), 0);
        assert_eq!(count(&html, "Reel 1: spinning"), 1);
        assert!(html.contains(r#"<output data-testid="credits">99</output>"#));
        let stop = r#"<button type="button" class="spin">Stop</button>"#;
        assert_eq!(spin_button(&html), Some(stop), "Spin turns into an enabled Stop");
    }

    #[tokio::test]
    async fn the_session_facts_follow_the_spins_played() {
        let fresh = render(ready(100)).await;
        for fact in [r#"session-time">0:00<"#, r#"session-spins">0<"#, r#"session-net">0<"#] {
            assert!(fresh.contains(fact), "{fact}");
        }
        let game = ready(100).apply(Action::ClockTicked(75)).apply(Action::SpinPressed);
        let lost = crate::game::tests::landed(Spin::showing(ATTRACT_LINE, Bet::MIN));
        let html = render(game.apply(lost).apply(Action::StopPressed)).await;
        for fact in [r#"session-time">1:15<"#, r#"session-spins">1<"#, r#"session-net">-1<"#] {
            assert!(html.contains(fact), "{fact}");
        }
    }

    /// Every button's text, in page order.
    fn button_names(html: &str) -> Vec<String> {
        html.match_indices("<button")
            .map(|(at, _)| {
                let inner = &html[at..at + html[at..].find("</button>").unwrap()];
                let label = inner.split("aria-label=\"").nth(1).and_then(|l| l.split('"').next());
                let text = &inner[inner.find('>').unwrap() + 1..];
                label.unwrap_or(text).to_lowercase()
            })
            .collect()
    }

    #[tokio::test]
    async fn while_the_reels_turn_no_button_says_spin_and_stop_comes_first() {
        let spinning = ready(100).apply(Action::SpinPressed);
        let landed = spinning
            .clone()
            .apply(crate::game::tests::landed(Spin::showing(ATTRACT_LINE, Bet::MIN)))
            .apply(Action::ReelStopped(0));
        // Autoplay between its spins: still Stop.
        let asked = Action::AutoplayRequested("10".into(), String::new(), String::new());
        let lost = crate::game::tests::landed(Spin::showing(ATTRACT_LINE, Bet::MIN));
        let between = ready(100).apply(asked).apply(lost);
        let between =
            (0..REEL_COUNT).fold(between, |game, reel| game.apply(Action::ReelStopped(reel)));
        assert!(between.autoplay.is_some() && between.phase == crate::game::Phase::Idle);
        for game in [spinning.clone(), spinning.apply(Action::StopPressed), landed, between] {
            let names = button_names(&render(game).await);
            assert!(names.iter().all(|name| !name.contains("spin")), "{names:?}");
            let first_stop = names.iter().position(|name| name.contains("stop"));
            assert_eq!(first_stop.map(|at| names[at].as_str()), Some("stop"), "{names:?}");
        }
        let idle = button_names(&render(ready(100)).await);
        assert!(idle.iter().all(|name| !name.contains("stop")), "{idle:?}");
    }

    #[tokio::test]
    async fn the_news_region_follows_the_result_and_names_a_big_win_once_at_rest() {
        let empty = r#"<p role="status" data-testid="news" class="news"></p>"#;
        let idle = render(ready(100)).await;
        let status = idle.find(r#"role="status" class="status""#).unwrap();
        let news = idle.find(empty).expect("the news region is there from the start, empty");
        assert!(news > status, "after the result region");
        let game = ready(100).apply(Action::SpinPressed);
        let bells = Spin::showing([Symbol::Bell; REEL_COUNT], Bet::MIN);
        let game = game.apply(crate::game::tests::landed(bells));
        let braking = game.clone().apply(Action::ReelStopped(0)).apply(Action::ReelStopped(1));
        assert!(render(braking.clone()).await.contains(empty), "nothing before the reels rest");
        let html = render(braking.apply(Action::ReelStopped(2))).await;
        assert!(html.contains(r#"data-testid="news" class="news">Big win</p>"#));
        assert!(html.contains("reels is-win is-big"));
        assert_eq!(count(&html, "reel is-resting is-winning"), REEL_COUNT);
        assert!(html.contains("Bell, Bell, Bell — you win 20 credits"), "the sentence as ever");
    }

    #[tokio::test]
    async fn only_the_winning_cherries_are_framed_and_a_failed_spin_clears_them() {
        let mut game = ready(100).apply(Action::SpinPressed);
        let line = [Symbol::Cherry, Symbol::Bar, Symbol::Cherry];
        game = game.apply(crate::game::tests::landed(Spin::showing(line, Bet::MIN)));
        let game = game.apply(Action::StopPressed);
        let html = render(game.clone()).await;
        assert_eq!(count(&html, "is-winning"), 2);
        assert!(html.contains(r#"<output aria-hidden="true" data-testid="win">"#));
        assert!(html.contains(r#"class="reels is-win""#));
        let failed =
            game.apply(Action::SpinPressed).apply(Action::SpinFailed(SpinFailure::Unreachable));
        let html = render(failed).await;
        assert_eq!(count(&html, "is-winning") + count(&html, "is-win"), 0);
        assert!(html.contains(r#"<output aria-hidden="true" data-testid="win">0</output>"#));
    }

    #[tokio::test]
    async fn a_win_lights_the_pay_line_and_joins_the_history() {
        let mut game = ready(100).apply(Action::SpinPressed);
        let jackpot = Spin::showing([Symbol::Cherry; REEL_COUNT], Bet::MIN);
        game = game.apply(crate::game::tests::landed(jackpot));
        for reel in 0..REEL_COUNT {
            game = game.apply(Action::ReelStopped(reel));
        }
        let html = render(game).await;
        assert!(html.contains("reels is-win"));
        let payout = jackpot.payout;
        assert!(html.contains(&format!("Cherry, Cherry, Cherry — you win {payout} credits")));
        assert!(html.contains(&format!(r#"<span class="net up">+{}</span>"#, payout - 1)));
        assert_eq!(count(&html, r#"data-symbol="cherry.svg""#), REEL_COUNT);
    }

    #[tokio::test]
    async fn errors_show_in_the_alert_with_a_way_forward() {
        let game = ready(100)
            .apply(Action::SpinPressed)
            .apply(Action::SpinFailed(SpinFailure::OtherRules));
        let html = render(game).await;
        assert!(html.contains("different rules"));
        assert!(html.contains(">Reload</button>") && html.contains(">Dismiss</button>"));
    }

    #[tokio::test]
    async fn the_verify_view_lists_each_spin_with_its_status_after_the_games_regions() {
        use crate::fair::tests::record;
        let closed = render(ready(100)).await;
        assert!(
            closed.contains(r#"aria-expanded="false""#)
                && !closed.contains("data-testid=\"proof\"")
        );

        let mut failed = record(1);
        failed.check(&spin_game::fair::ServerSeed::derive(b"liar", 7));
        let mut verified = record(2);
        verified.check(&spin_game::fair::ServerSeed::derive(b"secret", 7));
        let game = Game::new(100, None, vec![verified, failed, record(3)])
            .apply(Action::ConfigLoaded)
            .apply(Action::VerifyToggled);
        let html = render(game).await;
        assert!(html.contains(r#"aria-expanded="true""#));
        for (status, text) in [
            ("verified", "Epoch 7, player-1:2: verified"),
            ("failed", "Epoch 7, player-1:1: failed: the revealed seed hashes to "),
            ("pending", "Epoch 7, player-1:3: pending"),
        ] {
            let item = format!(r#"<li data-testid="proof" data-status="{status}">{text}"#);
            assert!(html.contains(&item), "{item}");
        }
        // The Spin button is the first button naming spin; the game's status region comes first.
        let first_spin_button = html.match_indices("<button").find(|&(at, _)| {
            let end = at + html[at..].find("</button>").unwrap();
            html[at..end].to_lowercase().contains("spin")
        });
        assert_eq!(
            first_spin_button.map(|(at, _)| &html[at..at + 40]),
            spin_button(&html).map(|b| &b[..40])
        );
        let statuses: Vec<_> = html.match_indices(r#"role="status""#).map(|(at, _)| at).collect();
        assert_eq!(statuses.len(), 3, "the game's result and news, and the Verify view's");
        let game_status = html.find(r#"role="status" class="status""#).unwrap();
        assert_eq!(statuses[0], game_status, "the game's result region comes first");
    }

    #[tokio::test]
    async fn the_sound_toggle_is_the_first_control_named_sound_and_starts_off() {
        let toggle = |pressed: &str| {
            format!(
                r#"<button type="button" aria-pressed="{pressed}" class="toggle sound">Sound</button>"#
            )
        };
        let html = render(ready(100)).await;
        let first_named_sound = html.match_indices("<button").find_map(|(at, _)| {
            let end = at + html[at..].find("</button>")? + "</button>".len();
            html[at..end].contains("Sound").then_some(&html[at..end])
        });
        assert_eq!(first_named_sound, Some(toggle("false").as_str()));
        let on = render(ready(100).apply(Action::SoundToggled)).await;
        assert!(on.contains(&toggle("true")), "pressed once the player turns it on");
    }

    #[tokio::test]
    async fn autoplay_follows_spin_opens_its_form_and_shows_the_spins_left() {
        let html = render(ready(100)).await;
        let spin = html.find(r#"class="spin""#).unwrap();
        let autoplay = r#"<button type="button" aria-expanded="false" class="toggle autoplay">Autoplay</button>"#;
        assert!(html.find(autoplay).is_some_and(|at| at > spin), "after Spin, closed");
        assert!(html.contains(r#"data-testid="autoplay-left">off<"#) && !html.contains("<form"));

        let open = ready(100).apply(Action::AutoplayFormToggled);
        let html = render(open.clone()).await;
        assert!(html.contains(r#"aria-expanded="true" aria-controls="autoplay""#));
        let form = &html[html.find(r#"<form id="autoplay""#).expect("the form")..];
        for run in [10, 25, 50, 100] {
            let checked = if run == 10 { " checked" } else { "" };
            let radio = format!(r#"<input type="radio" name="spins" value="{run}"{checked}>{run}"#);
            assert!(form.contains(&radio), "{radio}");
        }
        assert!(form.contains(r#"name="below" min="1" placeholder="No limit" value="""#));
        assert!(form.contains(r#"<button type="submit" class="start">Start autoplay</button>"#));

        let asked = Action::AutoplayRequested("25".into(), "50".into(), String::new());
        let running = open
            .apply(asked)
            .apply(crate::game::tests::landed(Spin::showing(ATTRACT_LINE, Bet::MIN)));
        let html = render(running.apply(Action::StopPressed)).await;
        assert!(html.contains(r#"data-testid="autoplay-left">off<"#), "Stop ended the run");
        let asked = Action::AutoplayRequested("25".into(), "50".into(), String::new());
        let html = render(ready(100).apply(asked)).await;
        assert!(html.contains(r#"data-testid="autoplay-left">24 left<"#));
        assert!(
            html.contains(r#"aria-expanded="false" disabled="disabled" class="toggle autoplay""#)
        );
        let stop = r#"<button type="button" class="spin">Stop</button>"#;
        assert_eq!(spin_button(&html), Some(stop));
        assert!(html.contains(r#"aria-label="Raise bet" disabled="disabled""#), "the bet is fixed");
    }

    #[tokio::test]
    async fn an_empty_purse_offers_a_fresh_start() {
        let html = render(ready(0)).await;
        assert!(html.contains(r#"class="spin restart">Start again with 100 credits<"#));
        assert_eq!(spin_button(&html), None);
    }
}

//! Spin's browser game.
//!
//! The game's state changes live in [`game`], a plain reducer tested natively; components only
//! render that state and report what the player did. Everything from outside (`config.json`,
//! API answers, `localStorage`) is checked in [`config`], [`api`] and [`storage`] before the
//! reducer sees it.

pub mod api;
pub mod autoplay;
pub mod config;
pub mod fair;
pub mod game;
pub mod json;
pub mod session;
pub mod sound;
pub mod storage;
pub mod timing;

mod components;

pub use components::app::App;
#[cfg(feature = "ssr")]
pub use components::band_css;
#[cfg(feature = "ssr")]
pub use timing::root_css;

/// The game's first screen (100 credits, Spin not yet enabled) as HTML. The site build puts it
/// in `index.html`, so the page is complete before the wasm arrives; the app then replaces it
/// with the same markup, live.
#[cfg(feature = "ssr")]
pub async fn prerender() -> String {
    use components::GameProps;
    use components::screen::Screen;
    let game = game::Game::new(game::STARTING_CREDITS, None, Vec::new());
    let props = GameProps { game, on_action: yew::Callback::noop() };
    yew::LocalServerRenderer::<Screen>::with_props(props).hydratable(false).render().await
}

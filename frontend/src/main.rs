//! The wasm entry point: replaces the page's loading placeholder with the game.

fn main() {
    let document = web_sys::window().and_then(|window| window.document());
    let Some(root) = document.and_then(|document| document.get_element_by_id("app")) else {
        return;
    };
    root.set_inner_html("");
    yew::Renderer::<spin_frontend::App>::with_root(root).render();
}

//! The wasm entry point: hands the stylesheet the reel durations, then replaces the page's
//! loading placeholder with the game.

use wasm_bindgen::JsCast;

/// Talc rather than Rust's default dlmalloc: a much smaller allocator (see BENCHMARKS.md), and
/// the page allocates little.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    let document = web_sys::window().and_then(|window| window.document());
    let Some(document) = document else { return };
    // Through the CSSOM, which a strict CSP allows (a `style` attribute it would not).
    let root =
        document.document_element().and_then(|root| root.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(root) = root {
        for (name, value) in spin_frontend::timing::css_properties() {
            let _ = root.style().set_property(name, &value);
        }
    }
    let Some(app) = document.get_element_by_id("app") else { return };
    app.set_inner_html("");
    yew::Renderer::<spin_frontend::App>::with_root(app).render();
}

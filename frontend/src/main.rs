//! The wasm entry point: replaces the page's prerendered first screen with the live game.

/// Talc rather than Rust's default dlmalloc: a much smaller allocator (see BENCHMARKS.md), and
/// the page allocates little.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    let document = web_sys::window().and_then(|window| window.document());
    let Some(document) = document else { return };
    let Some(app) = document.get_element_by_id("app") else { return };
    app.set_inner_html("");
    yew::Renderer::<spin_frontend::App>::with_root(app).render();
}

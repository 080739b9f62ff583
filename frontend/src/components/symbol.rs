use spin_game::Symbol;
use yew::prelude::*;

/// A symbol's picture, with its name as text alternative, or none when `decorative` (the
/// surrounding text already names it). A plain function rather than a component: the page
/// shows dozens of these, and a component each would cost a scope, a hook list and scheduler
/// work at every render.
pub fn symbol_image(symbol: Symbol, decorative: bool) -> Html {
    let alt = if decorative { "" } else { symbol.name() };
    html! {
        <img
            src={symbol_src(symbol)}
            alt={alt}
            width="100"
            height="100"
            draggable="false"
        />
    }
}

/// A decorative picture, the symbol file `file_name`, as HTML, for views written as strings
/// (the paytable).
pub fn image_html(file_name: &str) -> String {
    format!(r#"<img src="symbols/{file_name}" alt="" width="100" height="100" draggable="false">"#)
}

/// Where the site serves `symbol`'s picture.
pub fn symbol_src(symbol: Symbol) -> String {
    format!("symbols/{}", symbol.file_name())
}

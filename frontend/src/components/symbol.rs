use spin_game::Symbol;

/// `symbol`'s picture as HTML, for the views written as strings (the paytable, the history),
/// with `alt` as its text alternative: empty where the text beside it already names the symbol.
pub fn image_html(symbol: Symbol, alt: &str) -> String {
    let src = symbol_src(symbol);
    format!(r#"<img src="{src}" alt="{alt}" width="100" height="100" draggable="false">"#)
}

/// Where the site serves `symbol`'s picture.
pub fn symbol_src(symbol: Symbol) -> String {
    format!("symbols/{}", symbol.file_name())
}

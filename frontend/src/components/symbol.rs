use spin_game::Symbol;

/// The picture in the symbol file `file_name` as HTML, for the views written as strings (the
/// paytable, the history), with `alt` as its text alternative: empty where the text beside it
/// already names the symbol.
pub fn image_html(file_name: &str, alt: &str) -> String {
    format!(
        r#"<img src="symbols/{file_name}" alt="{alt}" width="100" height="100" draggable="false">"#
    )
}

/// Where the site serves `symbol`'s picture.
pub fn symbol_src(symbol: Symbol) -> String {
    format!("symbols/{}", symbol.file_name())
}

//! The art and the rules name the same symbols: every symbol has an image in
//! `static/symbols/`, and that folder holds nothing but symbol images.

use std::collections::BTreeSet;
use std::path::Path;

use spin_game::Symbol;

#[test]
fn static_symbols_folder_holds_exactly_the_symbol_images() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/symbols");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&folder)
        .expect("static/symbols exists")
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    let in_rules: BTreeSet<String> = Symbol::ALL.iter().map(|s| s.file_name().to_owned()).collect();
    assert_eq!(on_disk, in_rules);
}

#[test]
fn symbol_images_are_svg_documents() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/symbols");
    for symbol in Symbol::ALL {
        let svg = std::fs::read_to_string(folder.join(symbol.file_name())).unwrap();
        assert!(svg.trim_start().starts_with("<svg"), "{} is not an SVG", symbol.file_name());
        assert!(svg.contains(r#"xmlns="http://www.w3.org/2000/svg""#));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}

use spin_game::Symbol;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SymbolImageProps {
    pub symbol: Symbol,
    /// Hide from assistive technology when the surrounding text already names it.
    #[prop_or_default]
    pub decorative: bool,
}

/// A symbol's picture, with its name as text alternative.
#[function_component]
pub fn SymbolImage(props: &SymbolImageProps) -> Html {
    let alt = if props.decorative { "" } else { props.symbol.name() };
    html! {
        <img
            src={format!("symbols/{}", props.symbol.file_name())}
            alt={alt}
            width="100"
            height="100"
            draggable="false"
        />
    }
}

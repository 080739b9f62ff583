use yew::prelude::*;

use super::symbol::symbol_image;
use crate::fair::{self, REVEAL_SECONDS, Verdict};
use crate::game::{Action, Game};

/// The Verify view: a button that opens this browser's spins, each checked against its
/// epoch's revealed seed by the rules crate, and the client seed, which the player may change.
/// Its messages go in a live region of its own, after the game's. A plain function rather
/// than a component: it holds no state of its own (the game does).
pub fn verify_view(game: &Game, on_action: &Callback<Action>) -> Html {
    let toggle = on_action.reform(|_: MouseEvent| Action::VerifyToggled);
    let choose = on_action.reform(|event: Event| {
        Action::ClientSeedChosen(event.target_unchecked_into::<web_sys::HtmlInputElement>().value())
    });
    let proofs = game.records.iter().map(|record| {
        let proof = &record.proof;
        let (status, text) = match &record.verdict {
            Verdict::Verified => ("verified", "verified".to_owned()),
            Verdict::Failed(mismatch) => ("failed", format!("failed: {mismatch}")),
            Verdict::Pending => ("pending", match &game.held {
                Some(held) => {
                    let from = held.epochs.ends_at(proof.epoch) + REVEAL_SECONDS;
                    format!("pending: can be checked from {}", fair::clock(from))
                }
                None => "pending".to_owned(),
            }),
        };
        html! {
            <li data-testid="proof" data-status={status}>
                <span class="combo">
                    { for record.line.iter().map(|&symbol| symbol_image(symbol, false)) }
                </span>
                <span>
                    { "Epoch " }{ proof.epoch }{ ", " }<code>{ proof.client_seed.as_str() }{ ":" }{ proof.nonce.get() }</code>
                    { ": " }{ text }
                </span>
            </li>
        }
    });
    html! {
        <section class="panel verify" aria-labelledby="verify-title">
            <h2 id="verify-title">{ "Fairness" }</h2>
            <button type="button" aria-expanded={game.verify_open.to_string()} onclick={toggle}>
                { "Verify fairness" }
            </button>
            <p role="status">{ &game.verify_note }</p>
            if game.verify_open {
                <form onsubmit={|event: SubmitEvent| event.prevent_default()}>
                    <label for="client-seed">{ "Client seed" }</label>
                    <input
                        id="client-seed"
                        value={game.client.as_ref().map(|seed| seed.as_str().to_owned())}
                        maxlength="64"
                        autocomplete="off"
                        spellcheck="false"
                        onchange={choose}
                    />
                    <button type="submit">{ "Set" }</button>
                </form>
                <ol class="proofs">{ for proofs }</ol>
            }
        </section>
    }
}

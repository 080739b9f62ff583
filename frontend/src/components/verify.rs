use yew::prelude::*;

use crate::fair::{self, REVEAL_SECONDS, Verdict};
use crate::game::{Action, Game};

/// The Verify view: a button that opens this browser's spins, each checked against its
/// epoch's revealed seed by the rules crate, and the client seed, which the player may change
/// (committed on Enter or on leaving the field). Its messages go in a live region of its own,
/// after the game's. A plain function rather than a component, and few elements: it holds no
/// state of its own (the game does), and every element costs bytes in the wasm module.
pub fn verify_view(game: &Game, on_action: &Callback<Action>) -> Html {
    let toggle = on_action.reform(|_: MouseEvent| Action::VerifyToggled);
    let choose = on_action.reform(|event: Event| {
        Action::ClientSeedChosen(event.target_unchecked_into::<web_sys::HtmlInputElement>().value())
    });
    let proofs = game.records.iter().map(|record| {
        let proof = &record.proof;
        let (status, outcome) = match &record.verdict {
            Verdict::Verified => ("verified", "verified".to_owned()),
            Verdict::Failed(mismatch) => ("failed", format!("failed: {mismatch}")),
            Verdict::Pending => {
                let from = game.held.as_ref().map(|held| held.epochs.ends_at(proof.epoch));
                let from = from.map_or(String::new(), |end| fair::clock(end + REVEAL_SECONDS));
                ("pending", format!("pending, can be checked from {from}"))
            }
        };
        let text = format!(
            "Epoch {}, {}:{}: {outcome}",
            proof.epoch,
            proof.client_seed.as_str(),
            proof.nonce.get()
        );
        html! { <li data-testid="proof" data-status={status}>{ text }</li> }
    });
    html! {
        <section class="panel verify" aria-label="Fairness">
            <button type="button" aria-expanded={if game.verify_open { "true" } else { "false" }} onclick={toggle}>
                { "Verify fairness" }
            </button>
            <p role="status">{ &game.verify_note }</p>
            if game.verify_open {
                // The seed as the field's default value, not its live value: the page renders
                // again every second (time played), and a live value would undo the player's
                // typing each time.
                <input
                    id="client-seed"
                    aria-label="Client seed"
                    ~defaultValue={game.client.as_ref().map(|seed| seed.as_str().to_owned())}
                    maxlength="64"
                    onchange={choose}
                />
                <ol>{ for proofs }</ol>
            }
        </section>
    }
}

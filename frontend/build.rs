//! Takes what the paytable shows from the rules crate at build time: each prize's name and
//! pictures, and the odds sentence, computed by enumerating every spin. The page then shows
//! the rules crate's own table without carrying the code that names patterns, enumerates
//! spins and formats the odds (about 1 kB brotli of the wasm module).

use std::fmt::Write;

use spin_game::PAYTABLE;

fn main() {
    let mut code = String::from("/// Each prize's name and pictures, in paytable order.\n");
    writeln!(code, "pub const PRIZES: [(&str, &[Symbol]); {}] = [", PAYTABLE.len()).unwrap();
    for prize in PAYTABLE {
        let pictures: Vec<_> =
            prize.pattern.pictured().iter().map(|symbol| format!("Symbol::{symbol:?}")).collect();
        writeln!(code, "    ({:?}, &[{}]),", prize.pattern.describe(), pictures.join(", "))
            .unwrap();
    }
    code.push_str("];\n");
    let (rtp, hits) = (spin_game::return_to_player(), spin_game::hit_frequency());
    writeln!(
        code,
        "/// The paytable's odds, exact by enumeration.\npub const ODDS: &str = \"Returns {:.1} % of bets over time; {:.0} % of spins win something.\";",
        100.0 * rtp.to_f64(),
        100.0 * hits.to_f64(),
    )
    .unwrap();
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    std::fs::write(out.join("paytable.rs"), code).unwrap();
}

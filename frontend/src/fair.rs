//! The player's side of `spin-fair-v1` (see `spin_game::fair`): the commitments the page holds,
//! the client seed it draws, and this browser's spins as records it can check once their
//! epoch's seed is revealed. Records are kept in `localStorage` as the API's answers, one per
//! line, so they are read back exactly as an answer is ([`crate::api::read_answer`]): a line
//! that is not a valid answer is dropped.

use std::rc::Rc;

use spin_game::fair::{ClientSeed, Commitment, Epochs, ServerSeed};
use spin_game::{FairProof, Mismatch, REEL_COUNT, Spin, Symbol};

use crate::api;

/// How many of this browser's spins are kept (and saved) for the Verify view.
pub const MAX_RECORDS: usize = 50;
/// An ended epoch's seed is revealed at the latest this long after the end.
pub const REVEAL_SECONDS: u64 = 5;

/// What `GET /fairness` told the page: the epoch length, the current epoch's commitment, and
/// the next one's, which the page moves to by its own clock when the current epoch ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub epochs: Epochs,
    pub epoch: u64,
    pub commitment: Commitment,
    /// Taken when the page moves to it; `/fairness` is then asked for the one after.
    pub next: Option<(u64, Commitment)>,
}

/// A spin asked this close to its epoch's end could reach the server after the end, meet a
/// `409` and need a second request: it goes under the next epoch instead, sent once that epoch
/// has begun. The reels spin longer than this anyway, so the player waits no longer.
const EPOCH_EDGE_MS: u64 = 500;
/// How long after the next epoch's start such a spin is sent (timers are not exact).
const EPOCH_START_MARGIN_MS: u64 = 50;

impl Held {
    /// When the current epoch ends, in unix seconds.
    pub fn ends_at(&self) -> u64 {
        self.epochs.ends_at(self.epoch)
    }

    /// The epoch and commitment a spin asked for at `now_ms` (unix milliseconds, by this
    /// page's clock) goes under, and how many milliseconds it waits before it is sent: the
    /// held ones, or near their end (or past it, if the page's timer is late) the next ones.
    pub fn spin_under(&self, now_ms: u64) -> (u64, Commitment, u32) {
        let end_ms = self.ends_at() * 1000;
        match &self.next {
            Some((next, commitment)) if now_ms + EPOCH_EDGE_MS >= end_ms => {
                let wait = (end_ms + EPOCH_START_MARGIN_MS).saturating_sub(now_ms);
                (*next, *commitment, u32::try_from(wait).unwrap_or(u32::MAX))
            }
            _ => (self.epoch, self.commitment, 0),
        }
    }
}

/// A client seed made from 16 random bytes: 16 characters of the scheme's 64-character
/// alphabet (96 bits), each byte's low 6 bits picking one, so every character is equally
/// likely.
pub fn client_seed_from(bytes: [u8; 16]) -> ClientSeed {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let text: String =
        bytes.iter().map(|&byte| char::from(ALPHABET[usize::from(byte & 63)])).collect();
    ClientSeed::new(&text).expect("drawn from the allowed alphabet")
}

/// Where a record stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Its epoch's seed is not yet known.
    Pending,
    Verified,
    /// The first thing that did not match.
    Failed(Mismatch),
}

/// One spin this browser made: what it was drawn from, and what the reels showed.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub proof: FairProof,
    pub stops: [usize; REEL_COUNT],
    pub line: [Symbol; REEL_COUNT],
    pub verdict: Verdict,
    /// The API's answer as received: what is saved.
    pub answer: Rc<str>,
}

impl Record {
    /// The record of `spin`, drawn as `proof` says, from the API's `answer`.
    pub fn new(spin: &Spin, proof: FairProof, answer: &str) -> Record {
        let (stops, line, answer) = (spin.stops, spin.line, answer.into());
        Record { proof, stops, line, verdict: Verdict::Pending, answer }
    }

    /// A saved answer's record, if the answer is one these rules could have given. Its verdict
    /// is pending: nothing read from storage is trusted.
    pub fn from_answer(answer: &str) -> Option<Record> {
        let (spin, proof) = api::read_answer(answer).ok()?;
        Some(Record::new(&spin, proof, answer))
    }

    /// Checks the record against its epoch's revealed `seed` with the rules crate.
    pub fn check(&mut self, seed: &ServerSeed) {
        let proof = &self.proof;
        self.verdict = match spin_game::verify(proof, proof.epoch, seed, self.stops, self.line) {
            Ok(_) => Verdict::Verified,
            Err(mismatch) => Verdict::Failed(mismatch),
        };
    }
}

/// Records as [`save`] writes them, newest first, at most [`MAX_RECORDS`]; invalid lines are
/// dropped.
pub fn parse_records(saved: &str) -> Vec<Record> {
    saved.lines().filter_map(Record::from_answer).take(MAX_RECORDS).collect()
}

/// The records as saved: their answers, one per line (the API's JSON holds no line breaks).
pub fn save(records: &[Record]) -> String {
    records.iter().map(|record| &*record.answer).collect::<Vec<_>>().join("\n")
}

/// `unix` seconds as a time of day, `HH:MM:SS UTC`.
pub fn clock(unix: u64) -> String {
    format!("{:02}:{:02}:{:02} UTC", unix / 3600 % 24, unix / 60 % 60, unix % 60)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    use spin_game::fair::Nonce;

    pub(crate) fn record(nonce: u64) -> Record {
        let seed = ServerSeed::derive(b"secret", 7);
        let client = ClientSeed::new("player-1").unwrap();
        let nonce = Nonce::new(nonce).unwrap();
        let spin = spin_game::fair::spin(&seed, &client, nonce, spin_game::Bet::MIN);
        let proof = FairProof::new(7, seed.commitment(), client, nonce);
        let answer = serde_json::to_string(&spin_game::SpinResponse::new(&spin, proof.clone()));
        Record::new(&spin, proof, &answer.unwrap())
    }

    #[test]
    fn a_spin_near_its_epochs_end_waits_for_the_next_epoch() {
        let commitment = |epoch| ServerSeed::derive(b"secret", epoch).commitment();
        let held = Held {
            epochs: Epochs::new(3600).unwrap(),
            epoch: 10,
            commitment: commitment(10),
            next: Some((11, commitment(11))),
        };
        let end_ms = held.ends_at() * 1000;
        assert_eq!(held.spin_under(end_ms - 600_000), (10, commitment(10), 0), "mid-epoch");
        assert_eq!(held.spin_under(end_ms - 501), (10, commitment(10), 0));
        assert_eq!(held.spin_under(end_ms - 500), (11, commitment(11), 550), "near the end");
        assert_eq!(held.spin_under(end_ms + 20), (11, commitment(11), 30));
        assert_eq!(held.spin_under(end_ms + 900), (11, commitment(11), 0), "a late timer");
        // Without the next commitment yet, the held one (a 409 then says what to use).
        let alone = Held { next: None, ..held };
        assert_eq!(alone.spin_under(end_ms - 100), (10, commitment(10), 0));
    }

    #[test]
    fn records_survive_storage() {
        let records: Vec<Record> = (0..5).map(record).collect();
        assert_eq!(parse_records(&save(&records)), records);
        assert_eq!(parse_records(""), []);
    }

    #[test]
    fn storage_keeps_at_most_the_bound() {
        let records: Vec<Record> = (0..MAX_RECORDS as u64 + 7).map(record).collect();
        let read = parse_records(&save(&records));
        assert_eq!(read.len(), MAX_RECORDS);
        assert_eq!(read[..], records[..MAX_RECORDS], "the newest are kept");
    }

    #[test]
    fn corrupt_lines_are_dropped_and_the_rest_kept() {
        let good = record(3).answer.to_string();
        let commitment = record(3).proof.commitment.to_string();
        for bad in [
            "".to_owned(),
            "{}".to_owned(),
            "7".to_owned(),
            good.replace("player-1", "player 1"),
            good.replace(&commitment, &commitment.to_uppercase()),
            good.replace("\"epoch\":7", "\"epoch\":-7"),
            good.replace("\"nonce\":3", "\"nonce\":9007199254740992"),
            good.replace("spin-fair-v1", "spin-fair-v0"),
            good.replace(spin_game::rules_id(), "0123456789ab"),
            good.replacen(".svg\"", "x.svg\"", 1),
            good.replace("\"stops\":[", "\"stops\":[22,"),
            good.replace("\"payout\":0", "\"payout\":5"),
            good[..good.len() - 1].to_owned(),
        ] {
            assert_ne!(bad, good);
            let saved = format!("{bad}\n{good}");
            assert_eq!(parse_records(&saved), [record(3)], "{bad}");
        }
    }

    #[test]
    fn records_verify_with_the_revealed_seed_and_name_a_mismatch() {
        let mut honest = record(4);
        assert_eq!(honest.verdict, Verdict::Pending);
        honest.check(&ServerSeed::derive(b"secret", 7));
        assert_eq!(honest.verdict, Verdict::Verified);

        let mut tampered = record(4);
        tampered.check(&ServerSeed::derive(b"another secret", 7));
        let Verdict::Failed(mismatch) = tampered.verdict else { panic!("{tampered:?}") };
        assert!(mismatch.to_string().contains("hashes to"), "{mismatch}");

        // What the page showed is part of the check: a repainted reel fails.
        let mut painted = record(4);
        painted.line[1] = Symbol::ALL.into_iter().find(|&s| s != painted.line[1]).unwrap();
        painted.check(&ServerSeed::derive(b"secret", 7));
        assert!(matches!(painted.verdict, Verdict::Failed(Mismatch::Symbol { reel: 1, .. })));
    }

    #[test]
    fn drawn_client_seeds_follow_the_rules_and_use_every_bit() {
        let seed = client_seed_from([0; 16]);
        assert_eq!(seed.as_str(), "A".repeat(16));
        let every: Vec<u8> = (0..=255).collect();
        let mut seen = std::collections::HashSet::new();
        for chunk in every.chunks(16) {
            seen.extend(client_seed_from(chunk.try_into().unwrap()).as_str().chars());
        }
        assert_eq!(seen.len(), 64, "all 64 characters appear");
    }

    #[test]
    fn times_read_as_a_clock() {
        assert_eq!(clock(0), "00:00:00 UTC");
        assert_eq!(clock(86_400 + 3_600 * 13 + 60 * 5 + 9), "13:05:09 UTC");
    }
}

//! The player's side of `spin-fair-v1` (see `spin_game::fair`): the commitments the page holds,
//! the client seed it draws, and this browser's spins as records it can check once their
//! epoch's seed is revealed. Records are kept in `localStorage` as one short line each, and
//! read back as strictly as the credits: a line that is not a valid record is dropped.

use spin_game::fair::{ClientSeed, Commitment, Epochs, Nonce, ServerSeed};
use spin_game::{Bet, FairProof, Mismatch, REEL_COUNT, Spin, Symbol};

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

impl Held {
    /// When the current epoch ends, in unix seconds.
    pub fn ends_at(&self) -> u64 {
        self.epochs.ends_at(self.epoch)
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
}

impl Record {
    pub fn new(spin: &Spin, proof: FairProof) -> Record {
        Record { proof, stops: spin.stops, line: spin.line, verdict: Verdict::Pending }
    }

    /// Checks the record against its epoch's revealed `seed` with the rules crate.
    pub fn check(&mut self, seed: &ServerSeed) {
        let proof = &self.proof;
        self.verdict = match spin_game::verify(proof, proof.epoch, seed, self.stops, self.line) {
            Ok(_) => Verdict::Verified,
            Err(mismatch) => Verdict::Failed(mismatch),
        };
    }

    /// The record as one line: epoch, commitment, client seed, nonce, the three stops and the
    /// three symbols shown, separated by spaces.
    pub fn to_line(&self) -> String {
        let (p, s, l) = (&self.proof, self.stops, self.line.map(Symbol::file_name));
        format!(
            "{} {} {} {} {} {} {} {} {} {}",
            p.epoch,
            p.commitment,
            p.client_seed.as_str(),
            p.nonce.get(),
            s[0],
            s[1],
            s[2],
            l[0],
            l[1],
            l[2]
        )
    }

    /// A record from [`Record::to_line`]'s form, if every field is valid: stops on their
    /// strips, known symbols, a client seed and nonce by the scheme's rules. Its verdict is
    /// pending: nothing read from storage is trusted.
    pub fn from_line(line: &str) -> Option<Record> {
        let fields: Vec<&str> = line.split(' ').collect();
        let &[epoch, commitment, client, nonce, s0, s1, s2, y0, y1, y2] = &fields[..] else {
            return None;
        };
        let proof = FairProof::new(
            epoch.parse().ok()?,
            Commitment::from_hex(commitment)?,
            ClientSeed::new(client).ok()?,
            Nonce::new(nonce.parse().ok()?).ok()?,
        );
        let stops = [s0.parse().ok()?, s1.parse().ok()?, s2.parse().ok()?];
        Spin::landing_on(stops, Bet::MIN)?;
        let line =
            [Symbol::from_file_name(y0)?, Symbol::from_file_name(y1)?, Symbol::from_file_name(y2)?];
        Some(Record { proof, stops, line, verdict: Verdict::Pending })
    }
}

/// Records saved as [`save`] writes them, newest first; invalid lines are dropped.
pub fn parse_records(saved: &str) -> Vec<Record> {
    saved.lines().filter_map(Record::from_line).take(MAX_RECORDS).collect()
}

/// The records as saved: one line each.
pub fn save(records: &[Record]) -> String {
    records.iter().map(Record::to_line).collect::<Vec<_>>().join("\n")
}

/// `unix` seconds as a time of day, `HH:MM:SS UTC`.
pub fn clock(unix: u64) -> String {
    format!("{:02}:{:02}:{:02} UTC", unix / 3600 % 24, unix / 60 % 60, unix % 60)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn record(nonce: u64) -> Record {
        let seed = ServerSeed::derive(b"secret", 7);
        let client = ClientSeed::new("player-1").unwrap();
        let nonce = Nonce::new(nonce).unwrap();
        let spin = spin_game::fair::spin(&seed, &client, nonce, Bet::MIN);
        Record::new(&spin, FairProof::new(7, seed.commitment(), client, nonce))
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
        let good = record(3).to_line();
        let replace = |from: &str, to: &str| good.replacen(from, to, 1);
        let fields: Vec<&str> = good.split(' ').collect();
        let stop_off_strip = {
            let mut f = fields.clone();
            f[4] = "22";
            f.join(" ")
        };
        for bad in [
            String::new(),
            "garbage".to_owned(),
            good.replace(' ', "  "),
            format!("{good} extra"),
            replace("player-1", "player 1"),
            replace("player-1", "pläyer"),
            replace(fields[1], &fields[1].to_uppercase()),
            replace(fields[0], "-7"),
            replace(fields[3], "9007199254740992"),
            replace(fields[7], "unicorn.svg"),
            stop_off_strip,
            good[..good.len() - 3].to_owned(),
        ] {
            let saved = format!("{bad}\n{good}");
            assert_eq!(parse_records(&saved), [record(3)], "{bad:?}");
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

//! `spin-fair-v1` against a worked example written down in the README, and against an
//! independent computation with the `openssl` command line, so the scheme's documentation,
//! its code and a reader's own check cannot drift apart.

use std::io::Write;
use std::process::{Command, Stdio};

use spin_game::fair::{self, ClientSeed, Nonce, SCHEME, ServerSeed, first_accepted, words};
use spin_game::{Bet, REEL_COUNT, STRIPS};

/// The example's inputs: a secret that is only ever used here, an epoch, the player's seed
/// and nonce.
const SECRET: [u8; 32] = [0x2a; 32];
const EPOCH: u64 = 5_987_283;
const CLIENT_SEED: &str = "lucky-7";
const NONCE: u64 = 2;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `openssl dgst -sha256` of `input`, with `-mac HMAC -macopt hexkey:<key>` when a key is given;
/// the digest as lowercase hex.
fn openssl(input: &[u8], hmac_key: Option<&[u8]>) -> String {
    let mut command = Command::new("openssl");
    command.args(["dgst", "-sha256", "-r"]);
    if let Some(key) = hmac_key {
        command.args(["-mac", "HMAC", "-macopt", &format!("hexkey:{}", hex(key))]);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the openssl command line (Debian's openssl package)");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().split_whitespace().next().unwrap().to_owned()
}

/// The worked example as the README prints it, computed by this crate.
fn worked_example() -> String {
    let seed = ServerSeed::derive(&SECRET, EPOCH);
    let client = ClientSeed::new(CLIENT_SEED).unwrap();
    let nonce = Nonce::new(NONCE).unwrap();
    let mut text = format!(
        "secret      {} (32 bytes of 0x2a: this example's only)\n\
         epoch       {EPOCH}\n\
         seed        HMAC-SHA256(key = secret, \"{SCHEME} seed {EPOCH}\")\n\
         \x20           = {}\n\
         commitment  SHA-256(seed) = {}\n\
         client seed {CLIENT_SEED}\n\
         nonce       {NONCE}\n",
        hex(&SECRET),
        seed.to_hex(),
        seed.commitment()
    );
    let stops = fair::stops(&seed, &client, nonce);
    for (reel, strip) in STRIPS.iter().enumerate() {
        let len = strip.len() as u32;
        let message = format!("{CLIENT_SEED}:{NONCE}:{reel}:0");
        let hash = hmac(&seed, &message);
        let words = words(&hash);
        let word = words[0];
        let limit = (1u64 << 32) - (1u64 << 32) % u64::from(len);
        assert_eq!(first_accepted(&words, len), Some(word % len), "the example needs no rejection");
        assert_eq!(stops[reel], (word % len) as usize);
        text.push_str(&format!(
            "reel {reel}      HMAC-SHA256(key = seed, \"{message}\")\n\
             \x20           = {}\n\
             \x20           first word 0x{} = {word} < {limit}, so it is taken\n\
             \x20           stop = {word} mod {len} = {} -> {}\n",
            hex(&hash),
            hex(&hash[..4]),
            word % len,
            strip[stops[reel]].name()
        ));
    }
    let spin = fair::spin(&seed, &client, nonce, Bet::MIN);
    let names: Vec<&str> = spin.line.iter().map(|s| s.name()).collect();
    text.push_str(&format!("line        {}: pays {}× the bet\n", names.join(", "), spin.payout));
    text
}

/// HMAC-SHA256 keyed with the seed, straight from the RustCrypto crates.
fn hmac(seed: &ServerSeed, message: &str) -> [u8; 32] {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(seed.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().into()
}

#[test]
fn the_readme_shows_the_worked_example_this_code_computes() {
    let readme = include_str!("../../README.md");
    let example = worked_example();
    assert!(
        readme.contains(&example),
        "README.md's worked example differs from the code's; the code gives:\n{example}"
    );
}

#[test]
fn openssl_computes_the_same_seed_commitment_and_hmacs() {
    let seed = ServerSeed::derive(&SECRET, EPOCH);
    let message = format!("{SCHEME} seed {EPOCH}");
    assert_eq!(openssl(message.as_bytes(), Some(&SECRET)), seed.to_hex(), "the seed");
    let seed_bytes = seed.as_bytes();
    assert_eq!(openssl(seed_bytes, None), seed.commitment().to_string(), "the commitment");
    for reel in 0..REEL_COUNT {
        for round in 0..3 {
            let message = format!("{CLIENT_SEED}:{NONCE}:{reel}:{round}");
            assert_eq!(
                openssl(message.as_bytes(), Some(seed_bytes)),
                hex(&hmac(&seed, &message)),
                "{message}"
            );
        }
    }
}

#[test]
fn stops_read_words_big_endian_in_order() {
    let mut hash = [0u8; 32];
    hash[..4].copy_from_slice(&0x0102_0304u32.to_be_bytes());
    hash[28..].copy_from_slice(&u32::MAX.to_be_bytes());
    let words = words(&hash);
    assert_eq!((words[0], words[1], words[7]), (0x0102_0304, 0, u32::MAX));
}

#[test]
fn the_readmes_api_example_and_hand_check_are_this_spin() {
    let readme = include_str!("../../README.md");
    let seed = ServerSeed::derive(&SECRET, EPOCH);
    let stops =
        fair::stops(&seed, &ClientSeed::new(CLIENT_SEED).unwrap(), Nonce::new(NONCE).unwrap());
    let line = readme.lines().find(|line| line.starts_with(r#"{"reels":"#)).expect("an example");
    let answer: spin_game::SpinResponse = serde_json::from_str(line).unwrap();
    assert_eq!(answer.stops, stops);
    assert_eq!((answer.fair.epoch, answer.fair.commitment), (EPOCH, seed.commitment()));
    assert_eq!((answer.fair.client_seed.as_str(), answer.fair.nonce.get()), (CLIENT_SEED, NONCE));
    let first_word = hex(&hmac(&seed, &format!("{CLIENT_SEED}:{NONCE}:0:0"))[..4]);
    for shown in [
        format!("seed={}", seed.to_hex()),
        format!("echo -n \"{CLIENT_SEED}:{NONCE}:0:0\""),
        format!("$(( 0x{first_word} % {} ))", STRIPS[0].len()),
    ] {
        assert!(readme.contains(&shown), "the README's check by hand lacks {shown}");
    }
}

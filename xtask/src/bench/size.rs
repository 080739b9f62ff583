//! What players and AWS download: the site's first load, compressed as a CDN serves it, and
//! the Lambda package.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::Figure;
use super::lambda::build_both;
use crate::lambda::{self, Arch};
use crate::{Result, dist, site};

/// The most the first load may weigh, brotli, in kB.
const PAGE_BUDGET_KB: f64 = 100.0;
/// js-framework-benchmark's Yew entry, brotli, for scale (published, not measured here).
const YEW_REFERENCE_KB: f64 = 57.0;

/// Raw, gzip and brotli sizes (kB) of everything a first visit downloads, each file
/// compressed on its own as a CDN would (gzip level 9, brotli quality 11), and what each file
/// weighs.
pub(super) fn page_weight(_out: &Path) -> Result<Vec<Figure>> {
    let built = tempfile::tempdir()?;
    let site = dist::build_site_into(built.path())?;
    site::write_config(&site, "https://abc123.execute-api.us-east-1.amazonaws.com")?;
    let (mut raw, mut gzip, mut brotli) = (0, 0, 0);
    let (mut wasm_raw, mut wasm_brotli) = (0, 0);
    eprintln!("{:>9} {:>9} {:>9}  file", "raw B", "gzip B", "brotli B");
    for file in dist::manifest(&site)?.iter().filter(|file| counts_in_first_load(&file.path)) {
        let bytes = fs::read(site.join(&file.path))?;
        let (g, b) = (gzip_len(&bytes)?, brotli_len(&bytes)?);
        eprintln!("{:>9} {g:>9} {b:>9}  {}", bytes.len(), file.path);
        raw += bytes.len();
        gzip += g;
        brotli += b;
        if file.path.ends_with(".wasm") {
            (wasm_raw, wasm_brotli) = (bytes.len(), b);
        }
    }
    let kb = |bytes: usize| bytes as f64 / 1000.0;
    Ok(vec![
        Figure::new("Page weight, first load, brotli", kb(brotli), "kB")
            .against("Yew in js-framework-benchmark (published)", YEW_REFERENCE_KB)
            .target(&format!("≤ {PAGE_BUDGET_KB} kB"), kb(brotli) <= PAGE_BUDGET_KB),
        Figure::new("Page weight, first load, gzip", kb(gzip), "kB"),
        Figure::new("Page weight, first load, raw", kb(raw), "kB"),
        Figure::new("wasm module, brotli", kb(wasm_brotli), "kB"),
        Figure::new("wasm module, raw", kb(wasm_raw), "kB"),
    ])
}

/// Whether a site file counts: everything a browser may fetch (lazily or not), but not source
/// maps or precompressed copies of other files.
fn counts_in_first_load(path: &str) -> bool {
    ![".map", ".br", ".gz"].iter().any(|extension| path.ends_with(extension))
}

/// `bootstrap.zip` for arm64 (what deploys), against the bare runtime zipped the same way for
/// the same architecture.
pub(super) fn package(out: &Path) -> Result<Vec<Figure>> {
    let (spin, hello) = build_both(Some(Arch::Arm64))?;
    let (spin_zip, hello_zip) = (out.join("bootstrap.zip"), out.join("hello-bootstrap.zip"));
    lambda::package(&spin, &spin_zip)?;
    lambda::package(&hello, &hello_zip)?;
    let mb = |path: &Path| -> Result<f64> { Ok(fs::metadata(path)?.len() as f64 / 1e6) };
    let (value, baseline) = (mb(&spin_zip)?, mb(&hello_zip)?);
    Ok(vec![
        Figure::new("Lambda package bootstrap.zip (arm64)", value, "MB")
            .against("bare lambda_runtime zip (arm64)", baseline)
            .target("≤ 2 MB", value <= 2.0),
    ])
}

/// The bytes of `data` compressed as a CDN would send them.
fn gzip_len(data: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    Ok(encoder.finish()?.len())
}

fn brotli_len(data: &[u8]) -> Result<usize> {
    let mut compressed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &data[..], &mut compressed, &params)?;
    Ok(compressed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_and_precompressed_copies_do_not_count() {
        assert!(counts_in_first_load("spin_bg.0123456789ab.wasm"));
        assert!(counts_in_first_load("symbols/cherry.svg"));
        assert!(!counts_in_first_load("spin.js.map"));
        assert!(!counts_in_first_load("style.css.br"));
    }

    #[test]
    fn compression_shrinks_repetitive_data() {
        let data = b"spin ".repeat(1000);
        assert!(brotli_len(&data).unwrap() < 100 && gzip_len(&data).unwrap() < 100);
    }
}

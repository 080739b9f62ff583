//! `cargo xtask dist`: the two deployable artefacts.
//!
//! - `dist/site/`: the static site with content-hashed names for the code (cached for a year:
//!   a new build is a new name) and `dist/manifest.json`, the `Content-Type` and
//!   `Cache-Control` each file must be uploaded with.
//! - `dist/lambda/bootstrap.zip`: the function, a static musl executable named `bootstrap`
//!   with its execute bit, as `cargo lambda build --output-format zip` lays it out.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::lambda::{self, Arch};
use crate::{Result, site, workspace_root};

/// The files that get content-hashed names, in an order where every file comes after the
/// files it names (the module names the wasm, the boot script the module, the page all).
const FINGERPRINTED: [&str; 4] = ["spin_bg.wasm", "spin.js", "style.css", "boot.js"];
/// The text files whose references to fingerprinted names are rewritten.
const REFERENCING: [&str; 3] = ["spin.js", "boot.js", "index.html"];

/// Where `dist` put things.
pub struct Dist {
    pub site: PathBuf,
    pub manifest: PathBuf,
    pub lambda_zip: PathBuf,
}

/// Where `cargo xtask dist` writes: `dist/` in the workspace.
pub fn dist_dir() -> PathBuf {
    workspace_root().join("dist")
}

/// `cargo xtask dist`: both artefacts for a function on `arch`, in `dist/` (replacing what
/// was there).
pub fn build(arch: Arch) -> Result<Dist> {
    build_into(arch, &dist_dir())
}

/// Both artefacts for a function on `arch`, in `out` (emptied first). Tests and benchmarks
/// build into a folder of their own, so they never touch a developer's `dist/`.
pub fn build_into(arch: Arch, out: &Path) -> Result<Dist> {
    let site = build_site_into(out)?;
    let lambda_zip = out.join("lambda/bootstrap.zip");
    lambda::package(&lambda::build(arch)?, &lambda_zip)?;
    Ok(Dist { manifest: out.join("manifest.json"), site, lambda_zip })
}

/// Only the site half of [`build_into`]: `out/site/` and `out/manifest.json`.
pub fn build_site_into(out: &Path) -> Result<PathBuf> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    let built = tempfile::tempdir()?;
    site::build_into(built.path())?;
    let site = out.join("site");
    fingerprint(built.path(), &site)?;
    write_manifest(&site, &out.join("manifest.json"))?;
    Ok(site)
}

/// Copies the built site to `to`, renaming the code to `name.<hash>.ext` and rewriting the
/// references. A deploy-time `config.json` is not copied: `deploy` writes the real one.
pub fn fingerprint(from: &Path, to: &Path) -> Result<()> {
    site::copy_dir(from, to)?;
    let _ = fs::remove_file(to.join("config.json"));
    for name in FINGERPRINTED {
        let bytes = fs::read(to.join(name))?;
        let hashed = hashed_name(name, &bytes);
        fs::rename(to.join(name), to.join(&hashed))?;
        let mut referenced = false;
        for referrer in REFERENCING {
            let path = to.join(referrer);
            let Ok(text) = fs::read_to_string(&path) else { continue }; // already renamed
            let rewritten = rewrite_references(&text, name, &hashed);
            referenced |= rewritten != text;
            fs::write(&path, rewritten)?;
        }
        if !referenced {
            return Err(
                format!("nothing references {name}: the fingerprinting is out of date").into()
            );
        }
    }
    Ok(())
}

/// `spin.js` → `spin.1a2b3c4d5e6f.js`, from the content's SHA-256.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{hash}.{extension}"),
        None => format!("{name}.{hash}"),
    }
}

/// Replaces references to `name` that are whole quoted names (`"spin.js"`, `'./spin.js'`),
/// never a substring of a longer name.
fn rewrite_references(text: &str, name: &str, hashed: &str) -> String {
    let mut text = text.to_owned();
    for quote in ['"', '\''] {
        for prefix in ["", "./"] {
            let from = format!("{quote}{prefix}{name}{quote}");
            let to = format!("{quote}{prefix}{hashed}{quote}");
            text = text.replace(&from, &to);
        }
    }
    text
}

/// How a file must be served.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileHeaders {
    /// Path inside the site, `/`-separated: the S3 object key.
    pub path: String,
    pub content_type: String,
    pub cache_control: String,
}

/// A year, and never revalidated: a hashed name never changes content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Symbol images keep their names (the API returns them), so they may change in place.
pub const SHORT: &str = "public, max-age=86400";
/// The page and its settings are checked on every load, so a deploy shows at once.
pub const REVALIDATE: &str = "no-cache";

/// The headers for the file at `path` (relative to the site root).
pub fn headers_for(path: &str) -> FileHeaders {
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    let content_type = match extension {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
    let file = path.rsplit('/').next().unwrap_or(path);
    let hashed = file.split('.').count() == 3 && file.split('.').nth(1).is_some_and(is_hash);
    let cache_control = if hashed {
        IMMUTABLE
    } else if matches!(file, "index.html" | "config.json") {
        REVALIDATE
    } else {
        SHORT
    };
    FileHeaders {
        path: path.to_owned(),
        content_type: content_type.to_owned(),
        cache_control: cache_control.to_owned(),
    }
}

fn is_hash(part: &str) -> bool {
    part.len() == 12 && part.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Lists every file under `site` with its headers, sorted by path.
pub fn manifest(site: &Path) -> Result<Vec<FileHeaders>> {
    let mut files = Vec::new();
    collect(site, site, &mut files)?;
    files.sort();
    Ok(files.iter().map(|path| headers_for(path)).collect())
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else {
            let relative = path.strip_prefix(root)?.to_string_lossy().replace('\\', "/");
            files.push(relative);
        }
    }
    Ok(())
}

/// Writes [`manifest`] of `site` to `path` as JSON.
pub fn write_manifest(site: &Path, path: &Path) -> Result<()> {
    fs::write(path, serde_json::to_vec_pretty(&manifest(site)?)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_extension() {
        let name = hashed_name("spin_bg.wasm", b"\0asm");
        assert!(name.starts_with("spin_bg.") && name.ends_with(".wasm"));
        assert!(is_hash(name.split('.').nth(1).unwrap()));
        assert_ne!(name, hashed_name("spin_bg.wasm", b"\0asm2"));
    }

    #[test]
    fn only_whole_quoted_names_are_rewritten() {
        let html =
            r#"<link href="style.css"><script src="boot.js"></script><a href="mystyle.css">"#;
        let rewritten = rewrite_references(html, "style.css", "style.0123456789ab.css");
        assert!(rewritten.contains(r#"href="style.0123456789ab.css""#));
        assert!(rewritten.contains(r#"href="mystyle.css""#));
        let js = "import init from \"./spin.js\"; new URL('spin_bg.wasm', import.meta.url)";
        let js = rewrite_references(js, "spin.js", "spin.aaaaaaaaaaaa.js");
        let js = rewrite_references(&js, "spin_bg.wasm", "spin_bg.bbbbbbbbbbbb.wasm");
        assert_eq!(
            js,
            "import init from \"./spin.aaaaaaaaaaaa.js\"; new URL('spin_bg.bbbbbbbbbbbb.wasm', import.meta.url)"
        );
    }

    #[test]
    fn each_kind_of_file_gets_its_headers() {
        let wasm = headers_for("spin_bg.0123456789ab.wasm");
        assert_eq!(
            (wasm.content_type.as_str(), wasm.cache_control.as_str()),
            ("application/wasm", IMMUTABLE)
        );
        assert_eq!(headers_for("index.html").cache_control, REVALIDATE);
        assert_eq!(headers_for("config.json").cache_control, REVALIDATE);
        assert_eq!(headers_for("config.json").content_type, "application/json");
        let symbol = headers_for("symbols/cherry.svg");
        assert_eq!(
            (symbol.content_type.as_str(), symbol.cache_control.as_str()),
            ("image/svg+xml", SHORT)
        );
        assert_eq!(
            headers_for("spin.js").cache_control,
            SHORT,
            "an unhashed name is not immutable"
        );
    }
}

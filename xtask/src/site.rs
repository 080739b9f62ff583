//! Builds the static site: the Yew front end compiled to wasm and bound with
//! `wasm-bindgen-cli-support` (a library pinned to the exact `wasm-bindgen` version, so no
//! tool is downloaded), next to the files in `static/`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::prerequisites::ensure_npm_packages;
use crate::toolchain::{cargo, ensure_targets, run};
use crate::{Result, target_dir, workspace_root};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The Cargo profile for the browser build: release, tuned for size (see Cargo.toml).
pub const WEB_PROFILE: &str = "web";
/// The name of the generated module: `spin.js` and `spin_bg.wasm`.
pub const MODULE: &str = "spin";

/// `cargo xtask build` (and `serve`): builds the site into `target/site/` and returns that
/// folder.
pub fn build() -> Result<PathBuf> {
    let out = target_dir().join("site");
    build_into(&out)?;
    Ok(out)
}

/// Builds the site into `out` (emptied first). Tests build into a folder of their own, so
/// they never touch the site a developer is serving.
pub fn build_into(out: &Path) -> Result<()> {
    ensure_targets(&[WASM_TARGET])?;
    ensure_npm_packages()?;
    run(cargo()
        .args(["build", "--package", "spin-frontend", "--target", WASM_TARGET])
        .args(["--profile", WEB_PROFILE]))?;
    let wasm = target_dir().join(WASM_TARGET).join(WEB_PROFILE).join("spin-frontend.wasm");
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    copy_dir(&workspace_root().join("static"), out)?;
    append_generated_css(&out.join("style.css"))?;
    prerender_into(&out.join("index.html"))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name(MODULE)
        .web(true)?
        .typescript(false)
        .omit_default_module_path(false)
        .generate(out)
        .map_err(|error| format!("wasm-bindgen failed on {}: {error}", wasm.display()))?;
    shorten_import_names(out)?;
    minify(out)?;
    optimize_wasm(&out.join(format!("{MODULE}_bg.wasm")))
}

/// Adds the rules the front end makes from its own constants, so the stylesheet never restates
/// them: the animations' durations, and the reels' bands painted from the rules crate's strips.
fn append_generated_css(style: &Path) -> Result<()> {
    let mut css = fs::read_to_string(style)?;
    css.push_str("\n/* The animations' durations (spin_frontend::root_css). */\n");
    css.push_str(&spin_frontend::root_css());
    css.push_str(
        "/* The reels' bands, from the rules crate's strips (spin_frontend::band_css). */\n",
    );
    css.push_str(&spin_frontend::band_css());
    fs::write(style, css)?;
    Ok(())
}

/// Minifies the site's JavaScript (the generated bindings and `boot.js`) and its stylesheet in
/// place with esbuild (from npm): about 2.4 kB less of the first load after brotli, measured
/// with `cargo xtask bench --only weight`.
fn minify(out: &Path) -> Result<()> {
    let esbuild = workspace_root().join("node_modules/.bin/esbuild");
    for file in [format!("{MODULE}.js"), "boot.js".to_owned(), "style.css".to_owned()] {
        let path = out.join(&file);
        let mut command = std::process::Command::new(&esbuild);
        command.arg(&path).arg("--minify").arg("--log-level=warning").arg("--allow-overwrite");
        if file.ends_with(".js") {
            command.arg("--format=esm");
        }
        run(command.arg(format!("--outfile={}", path.display())))?;
    }
    Ok(())
}

/// Renames the functions the wasm imports from its bindings to one or two letters, in the wasm
/// and in `spin.js` alike. wasm-bindgen names each after its JavaScript function and a hash
/// (`__wbg_createElement_de4a31ed2fb252be`): about 120 names, each written once in either file,
/// whose hashes brotli cannot compress. Short names save about 3 kB of the first load after
/// brotli (`cargo xtask bench --only weight`). A name the bindings do not hold exactly once
/// stops the build rather than ship a page that cannot start.
fn shorten_import_names(out: &Path) -> Result<()> {
    let wasm_path = out.join(format!("{MODULE}_bg.wasm"));
    let js_path = out.join(format!("{MODULE}.js"));
    let mut module = walrus::Module::from_file(&wasm_path)
        .map_err(|error| format!("cannot read {}: {error}", wasm_path.display()))?;
    let mut js = fs::read_to_string(&js_path)?;
    let bindings = format!("./{MODULE}_bg.js");
    let imports = module.imports.iter_mut().filter(|import| import.module == bindings);
    for (index, import) in imports.enumerate() {
        let short = short_name(index);
        js = replace_identifier(&js, &import.name, &short).ok_or_else(|| {
            format!("{} does not define the import {} exactly once", js_path.display(), import.name)
        })?;
        import.name = short;
    }
    module
        .emit_wasm_file(&wasm_path)
        .map_err(|error| format!("cannot write {}: {error}", wasm_path.display()))?;
    fs::write(js_path, js)?;
    Ok(())
}

/// The `index`th name of `a`, …, `z`, `A`, …, `Z`, `aa`, `ab`, …: valid JavaScript property
/// names, none of them a keyword that could matter as a key.
fn short_name(mut index: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[index % LETTERS.len()]);
        index /= LETTERS.len();
        if index == 0 {
            break;
        }
        index -= 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// `js` with the one whole-identifier occurrence of `name` replaced by `with`, or `None` if
/// `name` occurs as an identifier other than exactly once.
fn replace_identifier(js: &str, name: &str, with: &str) -> Option<String> {
    let part_of_identifier = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut found = js.match_indices(name).filter(|&(at, _)| {
        let before = js[..at].chars().next_back();
        let after = js[at + name.len()..].chars().next();
        !before.is_some_and(part_of_identifier) && !after.is_some_and(part_of_identifier)
    });
    let (at, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    Some(format!("{}{with}{}", &js[..at], &js[at + name.len()..]))
}

/// The marker in `static/index.html` that the prerendered first screen replaces.
const PRERENDER_SLOT: &str = "<!-- prerendered game -->";

/// Renders the game's first screen natively (Yew's server renderer) into `index.html`, so the
/// page paints complete, at its final size, before the wasm has even downloaded.
fn prerender_into(index: &Path) -> Result<()> {
    let html = fs::read_to_string(index)?;
    // On a thread of its own, so callers already inside an async runtime (tests) can build.
    let screen = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                Ok::<_, std::io::Error>(runtime.block_on(spin_frontend::prerender()))
            })
            .join()
            .map_err(|_| "prerendering panicked")
    })??;
    if !html.contains(PRERENDER_SLOT) {
        return Err(format!("{} lacks the {PRERENDER_SLOT} marker", index.display()).into());
    }
    fs::write(index, html.replace(PRERENDER_SLOT, &screen))?;
    Ok(())
}

/// Shrinks the module with binaryen's `wasm-opt -Oz` (from npm, so nothing is downloaded
/// outside a registry): about a third smaller, and a fifth smaller after brotli (see
/// BENCHMARKS.md). It reads the wasm features to allow from the module's own
/// `target_features` section before dropping it.
fn optimize_wasm(wasm: &Path) -> Result<()> {
    let wasm_opt = workspace_root().join("node_modules/.bin/wasm-opt");
    // Then drop the producers and target-features sections, which only tools read.
    // `--low-memory-unused` lets it fold address arithmetic into load and store offsets: a
    // Rust wasm's memory starts with its stack, which grows down towards address 0, so the
    // first 1 kB is reached only by a stack about to overflow (about 0.4 kB brotli).
    run(std::process::Command::new(wasm_opt)
        .args(["-Oz", "--low-memory-unused", "--strip-producers", "--strip-target-features"])
        .arg(wasm)
        .arg("-o")
        .arg(wasm))
}

/// Points the site at the API: writes the `config.json` the front end reads at start-up, and
/// the page's Content-Security-Policy, which lets it connect to that API's origin and no other.
pub fn write_config(site: &Path, api_url: &str) -> Result<()> {
    let config = serde_json::json!({ "apiUrl": api_url });
    fs::write(site.join("config.json"), serde_json::to_vec_pretty(&config)?)?;
    let index = site.join("index.html");
    let html = fs::read_to_string(&index)?;
    fs::write(&index, with_policy(&html, &content_security_policy(&origin_of(api_url)?)))?;
    Ok(())
}

/// The site's policy: its own scripts, styles and images only, wasm compilation allowed
/// (`'wasm-unsafe-eval'`, nothing else evaluated), and connections to itself (for
/// `config.json`) and to the API. No inline script or style is needed, so none is allowed.
pub fn content_security_policy(api_origin: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self'; connect-src 'self' {api_origin}; base-uri 'none'; form-action 'none'"
    )
}

/// `scheme://host[:port]` of an absolute URL.
fn origin_of(url: &str) -> Result<String> {
    let uri: http::Uri = url.parse().map_err(|_| format!("{url:?} is not a URL"))?;
    match (uri.scheme_str(), uri.authority()) {
        (Some(scheme @ ("http" | "https")), Some(authority)) => {
            Ok(format!("{scheme}://{authority}"))
        }
        _ => Err(format!("{url:?} is not an http(s) URL").into()),
    }
}

const CSP_META: &str = r#"<meta http-equiv="Content-Security-Policy""#;

/// `html` with exactly one CSP `<meta>`, right after the charset (it must come before any
/// element it governs).
fn with_policy(html: &str, policy: &str) -> String {
    let without: Vec<&str> = html.lines().filter(|line| !line.contains(CSP_META)).collect();
    let meta = format!(r#"  {CSP_META} content="{policy}">"#);
    let mut lines = Vec::with_capacity(without.len() + 1);
    for line in without {
        lines.push(line.to_owned());
        if line.contains("<meta charset=") {
            lines.push(meta.clone());
        }
    }
    lines.join("\n") + "\n"
}

/// Copies the tree at `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_api_origin_only() {
        assert_eq!(
            origin_of("https://abc.execute-api.eu-west-1.amazonaws.com").unwrap(),
            "https://abc.execute-api.eu-west-1.amazonaws.com"
        );
        assert_eq!(origin_of("http://127.0.0.1:9000/dev").unwrap(), "http://127.0.0.1:9000");
        assert!(origin_of("ftp://x").is_err() && origin_of("/spin").is_err());
        let policy = content_security_policy("https://api.example.com");
        assert!(policy.contains("connect-src 'self' https://api.example.com;"));
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn the_page_gets_exactly_one_policy_after_its_charset() {
        let html = "<head>\n  <meta charset=\"utf-8\">\n  <title>Spin</title>\n</head>\n";
        let once = with_policy(html, "default-src 'none'");
        let twice = with_policy(&once, "default-src 'self'");
        assert_eq!(twice.matches(CSP_META).count(), 1);
        assert!(twice.contains("content=\"default-src 'self'\""));
        let charset = twice.find("charset").unwrap();
        assert!(
            charset < twice.find(CSP_META).unwrap()
                && twice.find(CSP_META).unwrap() < twice.find("<title>").unwrap()
        );
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!((names[0].as_str(), names[51].as_str()), ("a", "Z"));
        assert_eq!((names[52].as_str(), names[53].as_str()), ("aa", "ab"));
        let distinct: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(names.iter().all(|name| name.bytes().all(|b| b.is_ascii_alphabetic())));
    }

    #[test]
    fn an_import_is_renamed_only_where_it_is_the_whole_identifier_and_only_once() {
        let js = "{__wbg_f_1:function(){},__wbg_f_12:function(){return x.__wbg_f_1x}}";
        assert_eq!(
            replace_identifier(js, "__wbg_f_1", "a").as_deref(),
            Some("{a:function(){},__wbg_f_12:function(){return x.__wbg_f_1x}}")
        );
        assert_eq!(replace_identifier(js, "__wbg_g_1", "a"), None, "absent");
        assert_eq!(replace_identifier("__wbg_f_1;__wbg_f_1", "__wbg_f_1", "a"), None, "twice");
    }
}

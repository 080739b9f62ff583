//! Builds the static site: the Yew front end compiled to wasm and bound with
//! `wasm-bindgen-cli-support` (a library pinned to the exact `wasm-bindgen` version, so no
//! tool is downloaded), next to the files in `static/`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::toolchain::{cargo, ensure_targets, run};
use crate::{Result, target_dir, workspace_root};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The Cargo profile for the browser build: release, tuned for size (see Cargo.toml).
pub const WEB_PROFILE: &str = "web";
/// The name of the generated module: `spin.js` and `spin_bg.wasm`.
pub const MODULE: &str = "spin";

/// Builds the site into `target/site/` and returns that folder.
pub fn build() -> Result<PathBuf> {
    ensure_targets(&[WASM_TARGET])?;
    run(cargo()
        .args(["build", "--package", "spin-frontend", "--target", WASM_TARGET])
        .args(["--profile", WEB_PROFILE]))?;
    let wasm = target_dir().join(WASM_TARGET).join(WEB_PROFILE).join("spin-frontend.wasm");
    let out = target_dir().join("site");
    if out.exists() {
        fs::remove_dir_all(&out)?;
    }
    copy_dir(&workspace_root().join("static"), &out)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name(MODULE)
        .web(true)?
        .typescript(false)
        .omit_default_module_path(false)
        .generate(&out)
        .map_err(|error| format!("wasm-bindgen failed on {}: {error}", wasm.display()))?;
    Ok(out)
}

/// Writes the `config.json` the front end reads at start-up to find the API.
pub fn write_config(site: &Path, api_url: &str) -> Result<()> {
    let config = serde_json::json!({ "apiUrl": api_url });
    fs::write(site.join("config.json"), serde_json::to_vec_pretty(&config)?)?;
    Ok(())
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

//! The Lambda function as AWS runs it: the release `spin-lambda` built as a static musl
//! executable for the function's architecture, zipped as `bootstrap` (the layout
//! `cargo lambda build --output-format zip` produces).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::toolchain::{cargo, ensure_targets, run};
use crate::{Result, target_dir};

/// A CPU architecture Lambda runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    Arm64,
    X86_64,
}

impl Arch {
    /// The Rust target that builds a static executable for it.
    pub fn target(self) -> &'static str {
        match self {
            Arch::Arm64 => "aarch64-unknown-linux-musl",
            Arch::X86_64 => "x86_64-unknown-linux-musl",
        }
    }

    /// The name in the SAM template's `Architectures` (and on the command line).
    pub fn lambda_name(self) -> &'static str {
        match self {
            Arch::Arm64 => "arm64",
            Arch::X86_64 => "x86_64",
        }
    }

    /// Reads `arm64` or `x86_64`.
    pub fn parse(name: &str) -> Result<Arch> {
        [Arch::Arm64, Arch::X86_64]
            .into_iter()
            .find(|arch| arch.lambda_name() == name)
            .ok_or_else(|| format!("architecture {name:?}: use arm64 or x86_64").into())
    }
}

/// Builds the release `spin-lambda` for `arch` and returns the executable.
pub fn build(arch: Arch) -> Result<PathBuf> {
    build_binary(Some(arch), &["--package", "spin-lambda"], "spin-lambda")
}

/// Builds a release executable of this workspace (`cargo build --release` plus `selection`,
/// e.g. a package and an example) for `arch`, or for this machine with `None`, and returns its
/// path, found under `relative` in the release folder.
pub fn build_binary(arch: Option<Arch>, selection: &[&str], relative: &str) -> Result<PathBuf> {
    let mut command = cargo();
    command.args(["build", "--release"]).args(selection);
    let mut dir = target_dir();
    if let Some(arch) = arch {
        ensure_targets(&[arch.target()])?;
        command.args(["--target", arch.target()]);
        dir = dir.join(arch.target());
    }
    run(&mut command)?;
    Ok(dir.join("release").join(relative))
}

/// Zips `executable` as `bootstrap` with mode 0755: Lambda runs the file of that name, and
/// only if it is executable.
pub fn package(executable: &Path, zip_path: &Path) -> Result<()> {
    fs::create_dir_all(zip_path.parent().expect("zip path has a folder"))?;
    let mut zip = zip::ZipWriter::new(fs::File::create(zip_path)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o755);
    zip.start_file("bootstrap", options)?;
    zip.write_all(&fs::read(executable)?)?;
    zip.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn architectures_read_their_lambda_names() {
        assert_eq!(Arch::parse("arm64").unwrap(), Arch::Arm64);
        assert_eq!(Arch::parse("x86_64").unwrap(), Arch::X86_64);
        assert!(Arch::parse("aarch64").is_err());
    }
}

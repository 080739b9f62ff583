//! The deployable artefacts of `cargo xtask dist`, and the upload step of `cargo xtask deploy`
//! against a real S3 API implementation (moto's server) on loopback.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use lambda_emulator::{Emulator, Outcome};
use spin_game::SpinResponse;
use spin_tests::EXAMPLE_ORIGIN;
use spin_tests::events::{Door, HttpAnswer};
use xtask::aws::Aws;
use xtask::dist::{self, Dist, FileHeaders};
use xtask::lambda::Arch;
use xtask::prerequisites::tool;

/// What `cargo xtask dist` builds, once per test run, into a folder of the tests' own (never
/// the developer's `dist/`).
fn dist() -> &'static Dist {
    static DIST: OnceLock<Dist> = OnceLock::new();
    DIST.get_or_init(|| {
        xtask::test::check_prepared().unwrap_or_else(|missing| panic!("{missing}"));
        let out = xtask::target_dir().join("tests/dist");
        dist::build_into(Arch::Arm64, &out).expect("dist builds")
    })
}

/// Every file under `site`, as paths relative to it, sorted: read from the
/// folder itself, to hold the manifest against.
fn site_files(site: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                files.push(path.strip_prefix(root).unwrap().to_str().unwrap().to_owned());
            }
        }
    }
    let mut files = Vec::new();
    walk(site, site, &mut files);
    files.sort();
    files
}

fn named<'a>(files: &'a [String], stem: &str, extension: &str) -> &'a str {
    let found: Vec<_> = files
        .iter()
        .filter(|f| f.starts_with(&format!("{stem}.")) && f.ends_with(extension))
        .collect();
    assert_eq!(found.len(), 1, "one {stem}.*{extension} in {files:?}");
    found[0]
}

#[test]
fn the_site_is_fingerprinted_and_every_reference_resolves() {
    let dist = dist();
    let files = site_files(&dist.site);
    let wasm = named(&files, "spin_bg", ".wasm");
    let module = named(&files, "spin", ".js");
    let boot = named(&files, "boot", ".js");
    let style = named(&files, "style", ".css");
    for hashed in [wasm, module, boot, style] {
        assert_eq!(dist::headers_for(hashed).cache_control, dist::IMMUTABLE, "{hashed}");
    }
    assert!(files.contains(&"index.html".to_owned()) && files.contains(&"favicon.svg".to_owned()));
    assert!(!files.contains(&"config.json".to_owned()), "deploy writes the real config.json");
    for symbol in spin_game::Symbol::ALL {
        assert!(
            files.contains(&format!("symbols/{}", symbol.file_name())),
            "{symbol:?} keeps its name"
        );
    }

    let read = |name: &str| std::fs::read_to_string(dist.site.join(name)).unwrap();
    let index = read("index.html");
    for reference in
        [format!("href=\"{style}\""), format!("src=\"{boot}\""), format!("href=\"{module}\"")]
    {
        assert!(index.contains(&reference), "index.html lacks {reference}");
    }
    assert!(read(boot).contains(&format!("\"./{module}\"")));
    // The module is minified: whichever quotes it uses, it names the hashed wasm.
    let module_text = read(module);
    assert!(
        module_text.contains(&format!("'{wasm}'")) || module_text.contains(&format!("\"{wasm}\""))
    );

    let manifest: Vec<FileHeaders> =
        serde_json::from_slice(&std::fs::read(&dist.manifest).unwrap()).unwrap();
    assert_eq!(
        manifest.iter().map(|f| f.path.clone()).collect::<Vec<_>>(),
        files,
        "the manifest lists every file"
    );
    let wasm_headers = manifest.iter().find(|f| f.path == wasm).unwrap();
    assert_eq!(wasm_headers.content_type, "application/wasm");
    let index_headers = manifest.iter().find(|f| f.path == "index.html").unwrap();
    assert_eq!(index_headers.cache_control, dist::REVALIDATE);
}

/// The `bootstrap` executable from the zip, as Lambda would unpack it.
fn bootstrap_from_zip(zip_path: &Path) -> (Vec<u8>, u32) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    assert_eq!(archive.len(), 1, "the zip holds bootstrap and nothing else");
    let mut entry = archive.by_name("bootstrap").expect("an entry named bootstrap");
    let mode = entry.unix_mode().expect("unix permissions are stored");
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).unwrap();
    (bytes, mode)
}

#[test]
fn the_lambda_zip_holds_a_static_arm64_bootstrap_with_its_execute_bit() {
    let dist = dist();
    let (bytes, mode) = bootstrap_from_zip(&dist.lambda_zip);
    assert_eq!(mode & 0o777, 0o755, "bootstrap must be executable");
    assert_eq!(&bytes[..4], b"\x7fELF");
    assert_eq!(u16::from_le_bytes([bytes[18], bytes[19]]), 0xb7, "ELF machine is AArch64");
    assert!(!bytes.windows(20).any(|w| w == b"/lib/ld-linux-aarch6"), "no dynamic loader: static");
    println!(
        "bootstrap {} bytes; bootstrap.zip {} bytes",
        bytes.len(),
        std::fs::metadata(&dist.lambda_zip).unwrap().len()
    );
}

#[tokio::test]
async fn the_arm64_bootstrap_serves_a_spin_under_the_runtime_api() {
    let dist = dist();
    let (bytes, _) = bootstrap_from_zip(&dist.lambda_zip);
    let dir = tempfile::tempdir().unwrap();
    let bootstrap = dir.path().join("bootstrap");
    std::fs::write(&bootstrap, bytes).unwrap();
    std::fs::set_permissions(&bootstrap, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .unwrap();

    // An arm64 machine is what Lambda gives it; here qemu runs it on x86_64.
    let emulator = Emulator::start().await.unwrap();
    let _function = emulator
        .command("qemu-aarch64-static")
        .arg(&bootstrap)
        .env("ALLOWED_ORIGINS", EXAMPLE_ORIGIN)
        .stdout(Stdio::null())
        .spawn()
        .expect("qemu-aarch64-static: run `cargo xtask test`, which installs qemu-user-static");
    let event = Door::HttpApiV2Default.event().json;
    let invocation = tokio::time::timeout(Duration::from_secs(60), emulator.invoke(&event))
        .await
        .unwrap()
        .unwrap();
    let Outcome::Response(response) = invocation.outcome else {
        panic!("{:?}", invocation.outcome)
    };
    let answer = HttpAnswer::parse(Door::HttpApiV2Default, &response);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let spin: SpinResponse = serde_json::from_str(&answer.body).unwrap();
    assert!(spin.verify().is_ok());
}

/// moto's S3 server on a free loopback port, stopped when dropped.
struct LocalS3 {
    child: Child,
    aws: Aws,
}

impl LocalS3 {
    fn start() -> LocalS3 {
        let port = xtask::free_port().unwrap();
        let child = tool("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server: run `cargo xtask test`, which installs tools/requirements.txt");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let env = [
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_CONFIG_FILE", "/nonexistent"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
        ];
        let aws = Aws {
            region: Some("us-east-1".into()),
            endpoint_url: Some(format!("http://127.0.0.1:{port}")),
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        };
        LocalS3 { child, aws }
    }
}

impl Drop for LocalS3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn upload_gives_every_object_the_headers_in_the_manifest() {
    let dist = dist();
    let s3 = LocalS3::start();
    let site = tempfile::tempdir().unwrap();
    xtask::site::copy_dir(&dist.site, site.path()).unwrap();
    xtask::site::write_config(site.path(), "https://abc123.execute-api.us-east-1.amazonaws.com")
        .unwrap();
    let manifest = dist::manifest(site.path()).unwrap();
    assert!(manifest.iter().any(|f| f.path == "config.json"));

    s3.aws.output(["s3", "mb", "s3://spin-site"]).unwrap();
    xtask::deploy::upload(site.path(), &manifest, "spin-site", &s3.aws).unwrap();

    let listed: serde_json::Value = serde_json::from_str(
        &s3.aws.output(["s3api", "list-objects-v2", "--bucket", "spin-site"]).unwrap(),
    )
    .unwrap();
    let mut keys: Vec<String> = listed["Contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["Key"].as_str().unwrap().to_owned())
        .collect();
    keys.sort();
    assert_eq!(keys, manifest.iter().map(|f| f.path.clone()).collect::<Vec<_>>());

    for file in &manifest {
        let head: serde_json::Value = serde_json::from_str(
            &s3.aws
                .output(["s3api", "head-object", "--bucket", "spin-site", "--key", &file.path])
                .unwrap(),
        )
        .unwrap();
        assert_eq!(head["ContentType"], file.content_type.as_str(), "{}", file.path);
        assert_eq!(head["CacheControl"], file.cache_control.as_str(), "{}", file.path);
        let size = std::fs::metadata(site.path().join(&file.path)).unwrap().len();
        assert_eq!(head["ContentLength"], size, "{}", file.path);
    }
}

/// A small site of one release: the page, code with the hashes given, and a symbol.
fn release_site(hashes: &[&str]) -> (tempfile::TempDir, Vec<FileHeaders>) {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("symbols")).unwrap();
    std::fs::write(site.path().join("index.html"), hashes.join(" ")).unwrap();
    std::fs::write(site.path().join("symbols/bar.svg"), "<svg/>").unwrap();
    for hash in hashes {
        std::fs::write(site.path().join(hash), *hash).unwrap();
    }
    let manifest = dist::manifest(site.path()).unwrap();
    (site, manifest)
}

fn bucket_keys(s3: &LocalS3, bucket: &str) -> Vec<String> {
    let listed = s3
        .aws
        .output(["s3api", "list-objects-v2", "--bucket", bucket, "--query", "Contents[].Key"])
        .unwrap();
    let mut keys: Vec<String> = serde_json::from_str(&listed).unwrap();
    keys.sort();
    keys
}

#[test]
fn deploying_keeps_the_previous_release_and_removes_the_one_before() {
    // Release 1, 2 and 3 each have new code; the style stays the same from 2 on.
    let first = ["spin.000000000001.js", "style.00000000000a.css"];
    let second = ["spin.000000000002.js", "style.00000000000b.css"];
    let third = ["spin.000000000003.js", "style.00000000000b.css"];
    let s3 = LocalS3::start();
    s3.aws.output(["s3", "mb", "s3://spin-prune"]).unwrap();
    let deploy = |hashes: &[&str]| {
        let (site, manifest) = release_site(hashes);
        xtask::deploy::publish(site.path(), &manifest, "spin-prune", &s3.aws).unwrap()
    };
    let expect = |code: &[&str]| {
        let mut expected: Vec<String> = code.iter().map(|key| key.to_string()).collect();
        expected.extend(["index.html", "releases.json", "symbols/bar.svg"].map(String::from));
        expected.sort();
        expected.dedup();
        assert_eq!(bucket_keys(&s3, "spin-prune"), expected);
    };

    assert!(deploy(&first).is_empty());
    expect(&first);
    assert!(deploy(&second).is_empty(), "the release before the live one stays");
    expect(&[&first[..], &second[..]].concat());
    assert_eq!(deploy(&third), first.map(String::from), "release 1 goes once 3 is live");
    expect(&[&second[..], &third[..]].concat());
    assert!(deploy(&third).is_empty(), "a redeploy of the same release keeps release 2");
    expect(&[&second[..], &third[..]].concat());
}

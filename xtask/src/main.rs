//! `cargo xtask <command>`: Spin's developer commands. Run `cargo xtask help`.

use std::net::SocketAddr;

/// `serve`'s API answers many small requests; mimalloc makes each cheaper than the system
/// allocator does (measured in BENCHMARKS.md, local API throughput).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

use xtask::aws::Aws;
use xtask::deploy::{self, Hosting};
use xtask::dist::{self, Arch};
use xtask::{Result, serve, site};

const HELP: &str = "\
Spin developer commands

USAGE:
    cargo xtask serve [--site-addr ADDR] [--api-addr ADDR]
        Build the front end and serve the game on http://127.0.0.1:8080/ with the API on
        http://127.0.0.1:9000/ (defaults), as deployed: hashed code cached for a year.
        Ctrl-C stops.
    cargo xtask test
        Install what is missing, then check formatting, lints, the SAM template, and run
        every test.
    cargo xtask build
        Build the static site into target/site/.
    cargo xtask dist [--arch arm64|x86_64]
        Build the deployable artefacts: dist/site/ (with dist/manifest.json) and
        dist/lambda/bootstrap.zip (arm64 by default).
    cargo xtask deploy --stack NAME [--region REGION] [--hosting s3-website|cloudfront]
        Build, deploy the SAM stack, upload the site; prints the site URL. Needs AWS
        credentials (the usual AWS_* variables or ~/.aws).
    cargo xtask teardown --stack NAME [--region REGION]
        Empty the site bucket and delete the stack.
    cargo xtask bench [--only NAME,...]
        Measure cold start, warm latency, local throughput, page weight, package size,
        engine speed and Lighthouse scores, each against a baseline; rewrites the table in
        BENCHMARKS.md. --only runs some of: cold, warm, load, weight, package, engine,
        lighthouse (and leaves BENCHMARKS.md alone).
    cargo xtask help
        Show this text.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, options) = args.split_first().map_or(("help", &[][..]), |(c, o)| (c.as_str(), o));
    let result = match command {
        "serve" => serve_command(options),
        "test" => no_options(options).and_then(|()| xtask::check::all()),
        "build" => no_options(options)
            .and_then(|()| site::build())
            .map(|dir| println!("site built in {}", dir.display())),
        "dist" => dist_command(options),
        "deploy" => deploy_command(options),
        "teardown" => teardown_command(options),
        "bench" => bench_command(options),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n\n{HELP}").into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `--flag value` pairs, refusing flags not in `known`.
fn flags<'a>(args: &'a [String], known: &[&str]) -> Result<Vec<(&'a str, &'a str)>> {
    args.chunks(2)
        .map(|pair| match pair {
            [flag, value] if known.contains(&flag.as_str()) => Ok((flag.as_str(), value.as_str())),
            [flag, ..] => Err(format!("unexpected {flag:?}\n\n{HELP}").into()),
            [] => unreachable!("chunks are never empty"),
        })
        .collect()
}

fn flag<'a>(flags: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    flags.iter().find(|(flag, _)| *flag == name).map(|(_, value)| *value)
}

fn no_options(args: &[String]) -> Result<()> {
    flags(args, &[]).map(drop)
}

fn addr(value: Option<&str>, flag: &str, default: &str) -> Result<SocketAddr> {
    let value = value.unwrap_or(default);
    value
        .parse()
        .map_err(|_| format!("{flag} {value:?} is not an address like 127.0.0.1:8080").into())
}

fn serve_command(args: &[String]) -> Result<()> {
    let flags = flags(args, &["--site-addr", "--api-addr"])?;
    let site_addr = addr(flag(&flags, "--site-addr"), "--site-addr", "127.0.0.1:8080")?;
    let api_addr = addr(flag(&flags, "--api-addr"), "--api-addr", "127.0.0.1:9000")?;
    // Served as deployed: code under content-hashed names, cached for a year.
    let site = xtask::target_dir().join("site-served");
    if site.exists() {
        std::fs::remove_dir_all(&site)?;
    }
    dist::fingerprint(&site::build()?, &site)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let servers = serve::start(site, site_addr, api_addr).await?;
        println!("Spin is ready: open {}/", servers.site_url());
        println!("API: POST {}/spin", servers.api_url());
        tokio::signal::ctrl_c().await?;
        drop(servers);
        Ok(())
    })
}

fn dist_command(args: &[String]) -> Result<()> {
    let flags = flags(args, &["--arch"])?;
    let arch = match flag(&flags, "--arch").unwrap_or("arm64") {
        "arm64" => Arch::Arm64,
        "x86_64" => Arch::X86_64,
        other => return Err(format!("--arch {other:?}: use arm64 or x86_64").into()),
    };
    let dist = dist::build(arch)?;
    println!("site:     {}", dist.site.display());
    println!("manifest: {}", dist.manifest.display());
    println!("lambda:   {} ({})", dist.lambda_zip.display(), arch.lambda_name());
    Ok(())
}

fn aws_from(flags: &[(&str, &str)]) -> Aws {
    Aws { region: flag(flags, "--region").map(str::to_owned), ..Aws::default() }
}

fn deploy_command(args: &[String]) -> Result<()> {
    let flags = flags(args, &["--stack", "--region", "--hosting"])?;
    let stack = flag(&flags, "--stack").ok_or("deploy needs --stack NAME")?;
    let hosting = Hosting::parse(flag(&flags, "--hosting").unwrap_or("s3-website"))?;
    let site_url = deploy::deploy(stack, &aws_from(&flags), hosting)?;
    println!("Spin is live: {site_url}");
    Ok(())
}

fn teardown_command(args: &[String]) -> Result<()> {
    let flags = flags(args, &["--stack", "--region"])?;
    let stack = flag(&flags, "--stack").ok_or("teardown needs --stack NAME")?;
    deploy::teardown(stack, &aws_from(&flags))?;
    println!("stack {stack} deleted");
    Ok(())
}

fn bench_command(args: &[String]) -> Result<()> {
    let flags = flags(args, &["--only"])?;
    let only: Vec<&str> =
        flag(&flags, "--only").map(|list| list.split(',').collect()).unwrap_or_default();
    xtask::bench::measure(&only)
}

//! `cargo xtask <command>`: Spin's developer commands. Run `cargo xtask help`.

use std::net::SocketAddr;
use std::process::ExitCode;

use xtask::aws::Aws;
use xtask::deploy::{self, Hosting};
use xtask::dist;
use xtask::lambda::Arch;
use xtask::{Result, load, serve, site};

/// `serve`'s API answers many small requests; mimalloc makes each cheaper than the system
/// allocator does (measured in BENCHMARKS.md, local API throughput).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A command: its name, its usage (the first line is its synopsis), what runs it.
struct Command {
    name: &'static str,
    usage: &'static str,
    run: fn(&[String]) -> Result<()>,
}

const COMMANDS: [Command; 9] = [
    Command {
        name: "serve",
        usage: "cargo xtask serve [--site-addr ADDR] [--api-addr ADDR]
    Build the front end and serve the game on http://127.0.0.1:8080/ with the API on
    http://127.0.0.1:9000/ (the defaults), as deployed: hashed code cached for a year.
    Ctrl-C stops.",
        run: serve_command,
    },
    Command {
        name: "test",
        usage: "cargo xtask test
    Install what is missing, then check formatting, lints, the SAM template and the
    dependencies, and run every test.",
        run: test_command,
    },
    Command {
        name: "build",
        usage: "cargo xtask build
    Build the static site into target/site/.",
        run: build_command,
    },
    Command {
        name: "dist",
        usage: "cargo xtask dist [--arch arm64|x86_64]
    Build the deployable artefacts: dist/site/ (with dist/manifest.json) and
    dist/lambda/bootstrap.zip (arm64 by default).",
        run: dist_command,
    },
    Command {
        name: "deploy",
        usage: "cargo xtask deploy --stack NAME [--region REGION] [--hosting s3-website|cloudfront]
    Build, deploy the SAM stack, upload the site; prints the site URL. Needs AWS
    credentials (the usual AWS_* variables or ~/.aws).",
        run: deploy_command,
    },
    Command {
        name: "teardown",
        usage: "cargo xtask teardown --stack NAME [--region REGION]
    Empty the site bucket and delete the stack.",
        run: teardown_command,
    },
    Command {
        name: "bench",
        usage: "cargo xtask bench [--only NAME,...]
    Measure cold start, warm latency, local throughput, page weight, package size,
    engine speed, Lighthouse scores and the main thread during spins, each against a
    baseline; rewrites the table in BENCHMARKS.md. --only runs some of: cold, warm, load,
    weight, package, engine, lighthouse, spin (building only what they measure, and
    leaving BENCHMARKS.md alone).",
        run: bench_command,
    },
    Command {
        name: "load",
        usage: "cargo xtask load [--url URL] [--rate N] [--duration D] [--concurrency C]
    POST /spin N times a second (default 20) for D (default 10s; 30s, 2m, 1h) over C
    connections (default 4) to the API at URL (https://….execute-api.….amazonaws.com),
    or, without --url, to the local API, started for the run. Prints progress, then
    requests, errors by status, throughput, latency p50/p90/p99/max, the observed return
    to player and the chi-squared test of the stops. At most 1 000 000 requests and 1 h.",
        run: load_command,
    },
    Command {
        name: "help",
        usage: "cargo xtask help
    Show this text. Every command also answers --help.",
        run: |_| {
            print!("{}", help());
            Ok(())
        },
    },
];

fn help() -> String {
    let usages: Vec<String> = COMMANDS.iter().map(|c| format!("    {}", indent(c.usage))).collect();
    format!("Spin developer commands\n\nUSAGE:\n{}\n", usages.join("\n"))
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n    ")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (name, options) = args.split_first().map_or(("help", &[][..]), |(c, o)| (c.as_str(), o));
    let name = if matches!(name, "--help" | "-h") { "help" } else { name };
    let result: Result<()> = match COMMANDS.iter().find(|command| command.name == name) {
        Some(command) if options.iter().any(|o| o == "--help" || o == "-h") => {
            println!("USAGE:\n    {}", indent(command.usage));
            Ok(())
        }
        Some(command) => (command.run)(options)
            .map_err(|error| format!("{error}\n\nUSAGE:\n    {}", indent(command.usage)).into()),
        None => Err(format!("unknown command {name:?}\n\n{}", help()).into()),
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
            [flag] if known.contains(&flag.as_str()) => Err(format!("{flag} needs a value").into()),
            [flag, ..] => Err(format!("unexpected {flag:?}").into()),
            [] => unreachable!("chunks are never empty"),
        })
        .collect()
}

fn flag<'a>(flags: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    flags.iter().find(|(flag, _)| *flag == name).map(|(_, value)| *value)
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
    let site = site::build()?;
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

fn test_command(args: &[String]) -> Result<()> {
    flags(args, &[])?;
    xtask::test::all()
}

fn build_command(args: &[String]) -> Result<()> {
    flags(args, &[])?;
    let dir = site::build()?;
    println!("site built in {}", dir.display());
    Ok(())
}

fn dist_command(args: &[String]) -> Result<()> {
    let flags = flags(args, &["--arch"])?;
    let arch = Arch::parse(flag(&flags, "--arch").unwrap_or("arm64"))?;
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

fn load_command(args: &[String]) -> Result<()> {
    let flags = flags(args, &["--url", "--rate", "--duration", "--concurrency"])?;
    let defaults = load::Options::default();
    let number = |name: &str| -> Result<Option<u64>> {
        flag(&flags, name)
            .map(|value| value.parse().map_err(|_| format!("{name} {value:?} is not a number")))
            .transpose()
            .map_err(Into::into)
    };
    let options = load::Options {
        url: flag(&flags, "--url").map(str::to_owned),
        rate: number("--rate")?.map_or(Ok(defaults.rate), u32::try_from)?,
        duration: flag(&flags, "--duration").map_or(Ok(defaults.duration), load::parse_duration)?,
        concurrency: number("--concurrency")?.map_or(defaults.concurrency, |c| c as usize),
    };
    eprintln!(
        "POST /spin at {} per second for {:.0?} over {} connections to {}",
        options.rate,
        options.duration,
        options.concurrency,
        options.url.as_deref().unwrap_or("the local API")
    );
    let report = load::run(&options)?;
    println!("{report}");
    Ok(())
}

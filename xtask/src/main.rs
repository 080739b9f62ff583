//! `cargo xtask <command>`: Spin's developer commands. Run `cargo xtask help`.

use std::net::SocketAddr;
use std::process::ExitCode;

use xtask::{Result, serve, site};

const HELP: &str = "\
Spin developer commands

USAGE:
    cargo xtask serve [--site-addr ADDR] [--api-addr ADDR]
        Build the front end and serve the game on http://127.0.0.1:8080/ with the API on
        http://127.0.0.1:9000/ (defaults). Ctrl-C stops.
    cargo xtask test
        Install what is missing, then check formatting, lints and run every test.
    cargo xtask build
        Build the static site into target/site/.
    cargo xtask help
        Show this text.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve_command(&args[1..]),
        Some("test") => xtask::check::all(),
        Some("build") => site::build().map(|dir| println!("site built in {}", dir.display())),
        None | Some("help" | "--help" | "-h") => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{HELP}").into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The value after `--flag`, parsed as a socket address, or `default`.
fn addr_flag(args: &[String], flag: &str, default: &str) -> Result<SocketAddr> {
    let value = match args.iter().position(|a| a == flag) {
        Some(i) => args.get(i + 1).ok_or(format!("{flag} needs an address like 127.0.0.1:8080"))?,
        None => default,
    };
    value
        .parse()
        .map_err(|_| format!("{flag} {value:?} is not an address like 127.0.0.1:8080").into())
}

fn serve_command(args: &[String]) -> Result<()> {
    let known = ["--site-addr", "--api-addr"];
    if let Some(unknown) = args.iter().step_by(2).find(|a| !known.contains(&a.as_str())) {
        return Err(format!("unknown option {unknown:?}\n\n{HELP}").into());
    }
    let site_addr = addr_flag(args, "--site-addr", "127.0.0.1:8080")?;
    let api_addr = addr_flag(args, "--api-addr", "127.0.0.1:9000")?;
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

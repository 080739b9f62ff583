//! The `spin-lambda` executable: what AWS Lambda starts as `bootstrap`.

use lambda_http::Error;
use spin_api::{Config, Secret, env_var};
use spin_lambda::log::JsonLogs;
use spin_lambda::secrets_extension;
use spin_lambda::xray::XrayLayer;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, filter_fn};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// TLSF rather than musl's malloc, which the static build would otherwise use: each warm spin
/// allocates and frees many small blocks (the event, its header map, the answer), and with
/// musl's allocator it took about 0.1× of the bare runtime's time longer (BENCHMARKS.md).
/// Pure Rust, so the arm64 build needs no C toolchain.
#[global_allocator]
static ALLOCATOR: rlsf::GlobalTlsf = rlsf::GlobalTlsf::new();

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    init_tracing();
    let config = Config::from_env().unwrap_or_else(|error| {
        // Lambda records a process that exits during init as an init failure; the log line
        // says why.
        tracing::error!(%error, "invalid configuration");
        std::process::exit(1)
    });
    let config = with_fairness_secret(config);
    // Counters land in CloudWatch as Embedded Metric Format lines on stdout, one per invocation.
    let metrics = metrics_cloudwatch_embedded::Builder::new()
        .cloudwatch_namespace("Spin")
        .emit_zeros(true)
        .init()?;
    spin_lambda::runtime::run(metrics, spin_lambda::service(&config)).await
}

/// Where the fairness secret comes from: `SPIN_SECRET` itself (read by `Config::from_env`),
/// else the Secrets Manager secret `SPIN_SECRET_ARN` names, read on the first request that
/// needs it (never during init), else a random secret for this process, with a warning.
fn with_fairness_secret(config: Config) -> Config {
    if env_var("SPIN_SECRET").is_some() {
        return config;
    }
    match env_var("SPIN_SECRET_ARN") {
        Some(arn) => config.with_secret(Secret::fetched_once(move || {
            let arn = arn.clone();
            async move { secrets_extension::read_secret(&arn).await }
        })),
        None => {
            tracing::warn!(
                "neither SPIN_SECRET nor SPIN_SECRET_ARN is set: this process draws with a \
                 random secret of its own, so its seeds cannot be revealed after it ends"
            );
            config
        }
    }
}

/// JSON log lines (one object per event) that CloudWatch Logs Insights can query by field
/// ([`spin_lambda::log`]), and, where Lambda runs an X-Ray daemon (active tracing), each spin's
/// span as a subsegment ([`spin_lambda::xray`]). The log level comes from Lambda's
/// `AWS_LAMBDA_LOG_LEVEL`, else `RUST_LOG`, else `info`; it filters the log lines only, so
/// traces keep their spans at any level. A plain level, not `EnvFilter`: per-module directives
/// are not needed here, and the simpler check is cheaper per event and leaves the regex engine
/// out of the binary.
fn init_tracing() {
    let level = std::env::var("AWS_LAMBDA_LOG_LEVEL")
        .or_else(|_| std::env::var("RUST_LOG"))
        .ok()
        .and_then(|level| level.to_lowercase().replace("fatal", "error").parse().ok())
        .unwrap_or(LevelFilter::INFO);
    let traces = XrayLayer::from_env().map(|layer| layer.with_filter(filter_fn(XrayLayer::wants)));
    let logs = match traces {
        Some(_) => JsonLogs::new(level).without_level_hint(),
        None => JsonLogs::new(level),
    };
    tracing_subscriber::registry().with(logs).with(traces).init();
}

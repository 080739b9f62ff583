//! The Spin API alone on a loopback port, as `cargo xtask serve` runs it, for load tests and
//! benchmarks of a release build: `serve_api 127.0.0.1:9000`.

/// The same allocator as `cargo xtask serve` (see xtask's main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:9000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    let app = spin_api::app(&spin_api::Config::from_env()?);
    axum::serve(listener, axum::ServiceExt::<axum::extract::Request>::into_make_service(app))
        .await?;
    Ok(())
}

//! The benchmarks' baseline HTTP server: axum on hyper answering `POST /spin` with a fixed
//! body and nothing else, so the difference to `serve_api` is the cost of Spin itself.

use axum::Router;
use axum::routing::post;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:9001".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, Router::new().route("/spin", post(|| async { "hello" }))).await?;
    Ok(())
}

//! The baseline for the benchmarks: the smallest useful Lambda function in Rust, a bare
//! `lambda_runtime` that answers every event with a fixed HTTP response. `cargo xtask bench`
//! builds it with the same profile and target as `spin-lambda` and compares the two.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

async fn hello(_event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(json!({ "statusCode": 200, "headers": { "content-type": "text/plain" }, "body": "hello" }))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(hello)).await
}

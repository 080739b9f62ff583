//! The fairness secret in AWS: read from Secrets Manager through the AWS Parameters and
//! Secrets Lambda Extension, a layer that serves `GET /secretsmanager/get?secretId=…` on
//! `localhost` over plain HTTP. The function so needs neither an AWS SDK nor TLS (its zip stays
//! small), and the extension signs the call to Secrets Manager with the function's role.
//! See <https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html>.

use http::Request;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;

/// Where the extension listens unless `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` says otherwise.
const DEFAULT_PORT: &str = "2773";

/// The part of the extension's answer (Secrets Manager's `GetSecretValue`) we read.
#[derive(Deserialize)]
struct SecretValue {
    #[serde(rename = "SecretString")]
    secret_string: String,
}

/// Reads the secret `secret_id` (its ARN) and decodes its hex into the secret's bytes.
pub async fn read_secret(secret_id: &str) -> Result<Vec<u8>, String> {
    let port = std::env::var("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT")
        .unwrap_or_else(|_| DEFAULT_PORT.to_owned());
    // The extension only answers callers that show the function's session token.
    let token = std::env::var("AWS_SESSION_TOKEN")
        .map_err(|_| "AWS_SESSION_TOKEN is not set, so the extension cannot be asked")?;
    let id: String = form_urlencoded::byte_serialize(secret_id.as_bytes()).collect();
    let request = Request::get(format!("http://localhost:{port}/secretsmanager/get?secretId={id}"))
        .header("X-Aws-Parameters-Secrets-Token", token)
        .body(Empty::<Bytes>::new())
        .map_err(|error| format!("could not build the request to the extension: {error}"))?;
    let client = Client::builder(TokioExecutor::new()).build_http();
    let response = client
        .request(request)
        .await
        .map_err(|error| format!("the secrets extension on port {port} did not answer: {error}"))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|error| format!("the secrets extension's answer broke off: {error}"))?
        .to_bytes();
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body);
        return Err(format!("the secrets extension answered {status}: {}", text.trim()));
    }
    let value: SecretValue = serde_json::from_slice(&body).map_err(|error| {
        format!("the secrets extension's answer is not a secret value: {error}")
    })?;
    spin_api::secret_from_hex(&value.secret_string)
        .map_err(|why| format!("the secret {secret_id} {why}"))
}

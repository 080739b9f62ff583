//! The API contract over real HTTP: `cargo xtask serve`'s servers on loopback ports, called
//! with a real client, exactly as the browser's page calls them from another origin.

use std::net::SocketAddr;

use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use spin_game::{Bet, SpinResponse, Symbol};
use xtask::serve::Servers;

const ANY_PORT: &str = "127.0.0.1:0";

/// Site and API on fresh ports, with a copy of `static/` as the site.
async fn servers() -> (Servers, tempfile::TempDir) {
    let site = tempfile::tempdir().unwrap();
    xtask::site::copy_dir(&xtask::workspace_root().join("static"), site.path()).unwrap();
    let addr: SocketAddr = ANY_PORT.parse().unwrap();
    let servers = xtask::serve::start(site.path().to_owned(), addr, addr).await.unwrap();
    (servers, site)
}

fn spin_url(servers: &Servers) -> String {
    format!("{}/spin", servers.api_url())
}

async fn error_of(response: reqwest::Response) -> String {
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    body["error"].as_str().expect("error message").to_owned()
}

#[tokio::test]
async fn a_spin_names_symbol_images_the_site_serves() {
    let (servers, _site) = servers().await;
    let client = Client::new();
    let response = client.post(spin_url(&servers)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let spin: SpinResponse = response.json().await.unwrap();
    assert_eq!(spin.bet, Bet::MIN, "an empty body bets 1");
    assert_eq!(spin.win, spin.payout > 0);
    assert!(spin.verify().is_ok());
    for symbol in spin.reels {
        let image = client
            .get(format!("{}/symbols/{}", servers.site_url(), symbol.file_name()))
            .send()
            .await
            .unwrap();
        assert_eq!(image.status(), StatusCode::OK, "{symbol:?}");
        assert_eq!(image.headers()["content-type"], "image/svg+xml");
    }
}

#[tokio::test]
async fn the_bet_is_taken_from_the_body() {
    let (servers, _site) = servers().await;
    let client = Client::new();
    for bet in [1, 7, 10] {
        let response = client
            .post(spin_url(&servers))
            .header("content-type", "application/json")
            .body(format!(r#"{{"bet": {bet}}}"#))
            .send()
            .await
            .unwrap();
        let spin: SpinResponse = response.json().await.unwrap();
        assert_eq!(spin.bet.credits(), bet);
        assert_eq!(spin.verify().unwrap().payout, spin.payout);
    }
}

#[tokio::test]
async fn bad_requests_get_400_with_a_reason() {
    let (servers, _site) = servers().await;
    let client = Client::new();
    let cases = [
        ("{", "invalid spin request"),
        (r#"{"bet": 0}"#, "bet must be from 1 to 10 credits, got 0"),
        (r#"{"bet": 11}"#, "bet must be from 1 to 10 credits, got 11"),
        (r#"{"bet": "3"}"#, "whole number of credits from 1 to 10"),
        (r#"{"bet": 1.5}"#, "whole number of credits from 1 to 10"),
        (r#"{"bet": null}"#, "whole number of credits from 1 to 10"),
        ("{}", "missing field `bet`"),
        (r#"{"bet": 1, "credits": 999}"#, "unknown field `credits`"),
        ("[1]", "send a JSON object"),
    ];
    for (body, reason) in cases {
        let response = client.post(spin_url(&servers)).body(body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error = error_of(response).await;
        assert!(error.contains(reason), "{body}: {error}");
    }
}

#[tokio::test]
async fn unknown_paths_and_other_methods_are_refused_in_json() {
    let (servers, _site) = servers().await;
    let client = Client::new();
    let missing = client.post(format!("{}/jackpot", servers.api_url())).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(error_of(missing).await.contains("POST /spin"));

    for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
        let response = client.request(method.clone(), spin_url(&servers)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert!(response.headers()["allow"].to_str().unwrap().contains("POST"));
        assert!(error_of(response).await.contains("POST"));
    }
}

#[tokio::test]
async fn bodies_over_one_kibibyte_are_refused_before_parsing() {
    let (servers, _site) = servers().await;
    let client = Client::new();
    let padded = format!(r#"{{"bet": 1, "x": "{}"}}"#, " ".repeat(1100));
    let declared = client.post(spin_url(&servers)).body(padded.clone()).send().await.unwrap();
    assert_eq!(declared.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(error_of(declared).await.contains("larger than 1024 bytes"));

    // Chunked, with no Content-Length: the limit holds while the body streams in.
    let chunks = padded
        .into_bytes()
        .chunks(100)
        .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
        .collect::<Vec<_>>();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let streamed = client.post(spin_url(&servers)).body(body).send().await.unwrap();
    assert_eq!(streamed.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Exactly 1 KiB of valid JSON is fine.
    let exact = format!(r#"{{"bet": 2}}{}"#, " ".repeat(1024 - 10));
    assert_eq!(exact.len(), 1024);
    let ok = client.post(spin_url(&servers)).body(exact).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn cors_admits_the_site_and_nobody_else() {
    let (servers, _site) = servers().await;
    let client = Client::new();
    let site = servers.site_url();

    let preflight = client
        .request(Method::OPTIONS, spin_url(&servers))
        .header("origin", &site)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], site.as_str());
    assert!(headers["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    assert!(headers["access-control-allow-headers"].to_str().unwrap().contains("content-type"));
    assert!(headers["access-control-max-age"].to_str().unwrap().parse::<u32>().unwrap() > 0);

    // Spins and errors alike carry exactly one grant for the site, so the page can read them.
    let spin = client.post(spin_url(&servers)).header("origin", &site).send().await.unwrap();
    let error =
        client.post(spin_url(&servers)).header("origin", &site).body("{").send().await.unwrap();
    let missing = client
        .get(format!("{}/nope", servers.api_url()))
        .header("origin", &site)
        .send()
        .await
        .unwrap();
    for response in [&spin, &error, &missing] {
        let grants: Vec<_> =
            response.headers().get_all("access-control-allow-origin").iter().collect();
        assert_eq!(grants, [site.as_str()], "{}", response.status());
        assert!(response.headers()["vary"].to_str().unwrap().contains("origin"));
    }

    // `localhost` names the same loopback site.
    let localhost = format!("http://localhost:{}", servers.site_addr.port());
    let via_name =
        client.post(spin_url(&servers)).header("origin", &localhost).send().await.unwrap();
    assert_eq!(via_name.headers()["access-control-allow-origin"], localhost.as_str());

    for stranger in ["https://evil.example", "http://127.0.0.1:1", "null"] {
        let response =
            client.post(spin_url(&servers)).header("origin", stranger).send().await.unwrap();
        assert!(response.headers().get("access-control-allow-origin").is_none(), "{stranger}");
        assert!(response.headers()["vary"].to_str().unwrap().contains("origin"));
    }
}

#[tokio::test]
async fn the_site_serves_config_and_symbols_with_the_right_types() {
    let (servers, _site) = servers().await;
    let client = Client::new();
    let config: Value = client
        .get(format!("{}/config.json", servers.site_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["apiUrl"], servers.api_url());
    for symbol in Symbol::ALL {
        let url = format!("{}/symbols/{}", servers.site_url(), symbol.file_name());
        let response = client.get(url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "image/svg+xml");
    }
}

#[tokio::test]
async fn no_request_input_is_reflected_into_response_headers() {
    let (servers, _site) = servers().await;
    let client = Client::new();
    let allowed_names = [
        "content-type",
        "content-length",
        "date",
        "vary",
        "cache-control",
        "x-content-type-options",
        "allow",
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-max-age",
    ];
    let hostile_origins = [
        "https://evil.example",
        "https://spin.example.com.evil.example",
        "http://127.0.0.1:8080.evil",
        &format!("{}/", servers.site_url()),
        &"x".repeat(4000),
        "null",
    ];
    for origin in hostile_origins {
        for method in [Method::POST, Method::OPTIONS, Method::GET] {
            let response = client
                .request(method.clone(), spin_url(&servers))
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "x-evil, content-type")
                .header("x-forwarded-host", "evil.example")
                .body(r#"{"bet": 1}"#)
                .send()
                .await
                .unwrap();
            for (name, value) in response.headers() {
                assert!(
                    allowed_names.contains(&name.as_str()),
                    "{method} from {origin:.40}: unexpected header {name}"
                );
                let value = value.to_str().unwrap();
                assert!(
                    !value.contains("evil") && !value.contains("xxxx"),
                    "{name}: {value} echoes the request"
                );
            }
            assert!(
                response.headers().get("access-control-allow-origin").is_none(),
                "{origin:.40}"
            );
        }
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused_from_its_length_before_it_is_sent() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (servers, _site) = servers().await;
    let mut stream = tokio::net::TcpStream::connect(servers.api_addr).await.unwrap();
    // Promise a megabyte and send none of it: the answer must come anyway.
    let head = format!(
        "POST /spin HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n",
        servers.api_addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("answered without waiting for the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("larger than 1024 bytes"), "{answer}");
}

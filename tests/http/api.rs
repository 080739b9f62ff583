//! The API over real HTTP: `cargo xtask serve`'s servers on loopback ports, called with a real
//! client, exactly as the browser's page calls them from another origin. Only what needs a
//! socket is here (two servers, the site's files, every header a real server sends, a body
//! refused before it is sent); the API's routes, statuses, messages and CORS rules are tested
//! on the router itself, in `api/tests/router.rs`.

use std::net::SocketAddr;

use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use spin_game::Symbol;
use spin_tests::EXAMPLE_ORIGIN;
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

/// The servers `cargo xtask serve` starts admit the site's own origin, under either name a
/// person may type for loopback, and no other (the CORS rules themselves are tested on the
/// router, in `api/tests/router.rs`).
#[tokio::test]
async fn the_api_admits_the_site_it_is_served_with_and_nobody_else() {
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
    assert_eq!(preflight.status(), StatusCode::OK);
    assert_eq!(preflight.headers()["access-control-allow-origin"], site.as_str());

    let localhost = format!("http://localhost:{}", servers.site_addr.port());
    for origin in [&site, &localhost] {
        let spin = client.post(spin_url(&servers)).header("origin", origin).send().await.unwrap();
        assert_eq!(spin.status(), StatusCode::OK);
        let grants: Vec<_> = spin.headers().get_all("access-control-allow-origin").iter().collect();
        assert_eq!(grants, [origin.as_str()]);
    }

    let other_port = format!("http://127.0.0.1:{}", servers.api_addr.port());
    let stranger =
        client.post(spin_url(&servers)).header("origin", &other_port).send().await.unwrap();
    assert!(stranger.headers().get("access-control-allow-origin").is_none());
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
        &format!("{EXAMPLE_ORIGIN}.evil.example"),
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

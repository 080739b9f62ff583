//! The Lambda handler, called directly with real event JSON for every front door: REST API
//! (v1), HTTP API (v2, `$default` and a named stage), Function URL and ALB. Each event goes
//! is read as the function reads it and goes through lambda_http's own adapter, so the
//! response JSON is exactly what Lambda returns.

use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, LambdaEvent, Service};
use serde_json::Value;
use spin_api::Config;
use spin_game::SpinResponse;
use spin_lambda::event::HttpEvent;
use spin_tests::EXAMPLE_ORIGIN;
use spin_tests::events::{Door, Event, HttpAnswer};

/// Hands `event` to the handler as the Lambda runtime would, and reads the answer.
async fn handle(event: Event) -> HttpAnswer {
    let config = Config::with_allowed_origins(EXAMPLE_ORIGIN).unwrap();
    let mut adapter = Adapter::from(spin_lambda::service(&config));
    // Read as the function reads it (`HttpEvent`), from the bytes the runtime receives.
    let bytes = serde_json::to_vec(&event.json).unwrap();
    let HttpEvent(request) = serde_json::from_slice(&bytes).expect("a valid HTTP event");
    let response = adapter.call(LambdaEvent::new(request, Context::default())).await.unwrap();
    let response: Value = serde_json::to_value(response).unwrap();
    HttpAnswer::parse(event.door, &response)
}

fn error_message(answer: &HttpAnswer) -> String {
    answer.json()["error"].as_str().expect("an error message").to_owned()
}

#[tokio::test]
async fn every_door_spins_with_the_requested_bet() {
    for door in Door::ALL {
        let answer = handle(door.event()).await;
        assert_eq!(answer.status, 200, "{door:?}: {}", answer.body);
        assert_eq!(answer.one("content-type"), "application/json", "{door:?}");
        assert_eq!(answer.one("cache-control"), "no-store", "{door:?}");
        assert_eq!(answer.one("x-content-type-options"), "nosniff", "{door:?}");
        assert_eq!(answer.one("access-control-allow-origin"), EXAMPLE_ORIGIN, "{door:?}");
        assert!(answer.all("vary").iter().any(|v| v.contains("origin")), "{door:?}");
        let spin: SpinResponse = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(spin.bet.credits(), 3, "{door:?}");
        assert!(spin.verify().is_ok(), "{door:?}: {spin:?}");
    }
}

#[tokio::test]
async fn every_door_bets_one_without_a_body() {
    for door in Door::ALL {
        let answer = handle(door.event().no_body().without_header("content-type")).await;
        assert_eq!(answer.status, 200, "{door:?}: {}", answer.body);
        assert_eq!(answer.json()["bet"], 1, "{door:?}");
    }
}

#[tokio::test]
async fn every_door_refuses_a_bad_bet_with_a_readable_error() {
    for door in Door::ALL {
        let answer = handle(door.event().body(r#"{"bet": 11}"#)).await;
        assert_eq!(answer.status, 400, "{door:?}");
        assert!(error_message(&answer).contains("bet must be from 1 to 10"), "{door:?}");
        assert_eq!(
            answer.one("access-control-allow-origin"),
            EXAMPLE_ORIGIN,
            "{door:?}: errors carry CORS"
        );
    }
}

#[tokio::test]
async fn every_door_routes_unknown_paths_and_methods_to_errors() {
    for door in Door::ALL {
        let missing = handle(door.event().path("/jackpot")).await;
        assert_eq!(missing.status, 404, "{door:?}");
        assert!(error_message(&missing).contains("POST /spin"), "{door:?}");

        let wrong_method = handle(door.event().method("GET").no_body()).await;
        assert_eq!(wrong_method.status, 405, "{door:?}");
        assert!(wrong_method.one("allow").contains("POST"), "{door:?}");
        assert_eq!(wrong_method.one("access-control-allow-origin"), EXAMPLE_ORIGIN, "{door:?}");
    }
}

#[tokio::test]
async fn stage_prefixes_never_leak_into_routing() {
    // REST API: lambda_http reports /Prod/spin. HTTP API named stage: rawPath is /dev/spin.
    for door in [Door::RestApiV1, Door::HttpApiV2Stage] {
        let answer = handle(door.event()).await;
        assert_eq!(answer.status, 200, "{door:?}");
    }
    // A path that merely starts like the stage is not the stage.
    let mut event = Door::HttpApiV2Stage.event();
    event.json["rawPath"] = "/devspin".into();
    assert_eq!(handle(event).await.status, 404);
    // The stage alone is the root, which is not an endpoint.
    assert_eq!(handle(Door::RestApiV1.event().path("/")).await.status, 404);
}

#[tokio::test]
async fn every_door_answers_a_preflight_from_the_site() {
    for door in Door::ALL {
        let preflight = door
            .event()
            .method("OPTIONS")
            .no_body()
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type");
        let answer = handle(preflight).await;
        assert!((200..300).contains(&answer.status), "{door:?}: {}", answer.status);
        assert_eq!(answer.one("access-control-allow-origin"), EXAMPLE_ORIGIN, "{door:?}");
        assert!(answer.one("access-control-allow-methods").contains("POST"), "{door:?}");
        assert!(answer.one("access-control-allow-headers").contains("content-type"), "{door:?}");
        assert!(answer.one("access-control-max-age").parse::<u32>().unwrap() > 0, "{door:?}");
    }
}

#[tokio::test]
async fn other_origins_get_no_cors_grant() {
    for door in Door::ALL {
        let answer = handle(door.event().header("origin", "https://evil.example")).await;
        assert_eq!(answer.status, 200, "{door:?}");
        assert!(answer.all("access-control-allow-origin").is_empty(), "{door:?}");
        assert!(answer.all("vary").iter().any(|v| v.contains("origin")), "{door:?}");
    }
}

#[tokio::test]
async fn every_door_refuses_bodies_over_one_kibibyte() {
    let big = format!(r#"{{"bet": 1, "pad": "{}"}}"#, "x".repeat(2000));
    for door in Door::ALL {
        let answer = handle(door.event().body(&big)).await;
        assert_eq!(answer.status, 413, "{door:?}");
        assert!(error_message(&answer).contains("larger than 1024 bytes"), "{door:?}");
    }
}

#[tokio::test]
async fn every_door_serves_the_fairness_routes_with_cors_and_under_stages() {
    for door in Door::ALL {
        let document = handle(door.event().method("GET").no_body().path("/fairness")).await;
        assert_eq!(document.status, 200, "{door:?}: {}", document.body);
        assert_eq!(document.one("access-control-allow-origin"), EXAMPLE_ORIGIN, "{door:?}");
        let current = document.json()["current"]["epoch"].as_u64().expect("a current epoch");

        let ended = handle(
            door.event().method("GET").no_body().path(&format!("/fairness/{}", current - 1)),
        )
        .await;
        assert_eq!(ended.status, 200, "{door:?}: {}", ended.body);
        assert_eq!(ended.one("cache-control"), "public, max-age=31536000, immutable", "{door:?}");
        assert_eq!(ended.json()["seed"].as_str().map(str::len), Some(64), "{door:?}");
        assert_eq!(ended.one("access-control-allow-origin"), EXAMPLE_ORIGIN, "{door:?}");

        let preflight = door
            .event()
            .method("OPTIONS")
            .no_body()
            .path("/fairness")
            .header("access-control-request-method", "GET");
        let answer = handle(preflight).await;
        assert!(answer.one("access-control-allow-methods").contains("GET"), "{door:?}");
    }
}

/// The front door an event was read as.
fn door(request: &LambdaRequest) -> &'static str {
    match request {
        LambdaRequest::ApiGatewayV1(_) => "REST API",
        LambdaRequest::ApiGatewayV2(_) => "HTTP API",
        LambdaRequest::Alb(_) => "ALB",
        _ => "another door",
    }
}

#[test]
fn events_that_fit_two_doors_read_as_lambda_http_reads_them() {
    let http_api = Door::HttpApiV2Default.event().json;
    // A REST API event that also carries an HTTP API `requestContext.http`.
    let mut both = Door::RestApiV1.event().json;
    both["requestContext"]["http"] = http_api["requestContext"]["http"].clone();
    // The same with every `httpMethod` key spelled with a `\u` escape.
    let escaped =
        serde_json::to_string(&both).unwrap().replace(r#""httpMethod""#, r#""http\u004dethod""#);
    for bytes in [serde_json::to_vec(&both).unwrap(), escaped.into_bytes()] {
        let HttpEvent(ours) = serde_json::from_slice(&bytes).unwrap();
        let theirs: LambdaRequest = serde_json::from_slice(&bytes).unwrap();
        // lambda_http tries the REST API first, and both read as one.
        assert_eq!((door(&ours), door(&theirs)), ("REST API", "REST API"));
    }
}

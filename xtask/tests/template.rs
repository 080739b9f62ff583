//! The alarms and the dashboard in `infra/template.yaml` watch metrics that exist.
//!
//! The function's own counters are read from a real Embedded Metric Format line: the release
//! `spin-lambda` (the build Lambda runs) is started under the Runtime API emulator and handed one
//! HTTP API event, and its stdout is what CloudWatch Logs would receive. Every alarm and
//! dashboard metric in the function's namespace must carry a name and dimensions from that line;
//! every other metric must be one AWS publishes for Lambda or HTTP APIs. The return-to-player
//! alarm's band is recomputed from the rules crate, so a paytable change that moves it fails
//! here.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::time::Duration;

use lambda_emulator::{Emulator, Outcome};
use serde_json::Value as Json;
use serde_norway::Value as Yaml;
use spin_game::{Bet, every_spin, return_to_player};
use tokio::io::{AsyncBufReadExt, BufReader};
use xtask::lambda::{self, Arch};
use xtask::workspace_root;

/// A metric as a template names it: namespace, name and dimensions (name → value, values as
/// the template writes them, e.g. `!Ref SpinApi` or `${SpinApi}` both read `SpinApi`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Metric {
    namespace: String,
    name: String,
    dimensions: BTreeMap<String, String>,
}

/// What one EMF line declares: its namespace, metric names and dimension sets.
#[derive(Debug)]
struct Emf {
    namespace: String,
    names: BTreeSet<String>,
    dimension_sets: Vec<BTreeMap<String, String>>,
}

impl Emf {
    fn parse(line: &Json) -> Emf {
        let directives = line["_aws"]["CloudWatchMetrics"].as_array().expect("CloudWatchMetrics");
        assert_eq!(directives.len(), 1, "one metric directive: {line}");
        let directive = &directives[0];
        let names: BTreeSet<String> = directive["Metrics"]
            .as_array()
            .expect("Metrics")
            .iter()
            .map(|m| m["Name"].as_str().expect("metric name").to_owned())
            .collect();
        for name in &names {
            assert!(line[name].is_number(), "EMF declares {name} but carries no value: {line}");
        }
        // Each dimension set lists keys; their values are top-level members of the line.
        let dimension_sets = directive["Dimensions"]
            .as_array()
            .expect("Dimensions")
            .iter()
            .map(|set| {
                set.as_array()
                    .expect("a dimension set")
                    .iter()
                    .map(|key| {
                        let key = key.as_str().expect("dimension name");
                        let value = line[key].as_str().expect("dimension value");
                        (key.to_owned(), value.to_owned())
                    })
                    .collect()
            })
            .collect();
        let namespace = directive["Namespace"].as_str().expect("Namespace").to_owned();
        Emf { namespace, names, dimension_sets }
    }
}

/// Runs the release function once on the HTTP API fixture and returns its EMF line.
async fn emf_line_from_the_function() -> Json {
    let executable =
        tokio::task::spawn_blocking(|| lambda::build(Arch::X86_64)).await.unwrap().unwrap();
    let emulator = Emulator::start().await.unwrap();
    let mut child = emulator
        .command(&executable)
        .env("ALLOWED_ORIGINS", "https://spin.example.com")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let fixture = workspace_root().join("tests/fixtures/events/http-api-v2-default.json");
    let event: Json = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let invocation = tokio::time::timeout(Duration::from_secs(10), emulator.invoke(&event))
        .await
        .expect("the function answers within 10 s")
        .expect("the emulator is running");
    match &invocation.outcome {
        Outcome::Response(response) => assert_eq!(response["statusCode"], 200, "{response}"),
        other => panic!("expected a spin, got {other:?}"),
    }
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    loop {
        let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
            .await
            .unwrap_or_else(|_| panic!("no EMF line within 10 s; stdout was {seen:#?}"))
            .unwrap()
            .unwrap_or_else(|| panic!("stdout closed without an EMF line: {seen:#?}"));
        if let Ok(json) = serde_json::from_str::<Json>(&line)
            && json.get("_aws").is_some()
        {
            return json;
        }
        seen.push(line);
    }
}

/// The template, with CloudFormation's short tags (`!Ref`, `!Sub`, …) kept as tagged values.
fn template() -> Yaml {
    let text = std::fs::read_to_string(workspace_root().join("infra/template.yaml")).unwrap();
    serde_norway::from_str(&text).unwrap()
}

fn resources_of_type<'a>(template: &'a Yaml, kind: &str) -> Vec<(String, &'a Yaml)> {
    let resources = template["Resources"].as_mapping().expect("Resources");
    resources
        .iter()
        .filter(|(_, resource)| resource["Type"].as_str() == Some(kind))
        .map(|(name, resource)| (name.as_str().unwrap().to_owned(), &resource["Properties"]))
        .collect()
}

/// A scalar as the template writes it: plain text, or the target of `!Ref` / `!GetAtt`.
fn scalar(value: &Yaml) -> String {
    match value {
        Yaml::String(text) => text.clone(),
        Yaml::Number(number) => number.to_string(),
        Yaml::Tagged(tagged) if tagged.tag == "Ref" => scalar(&tagged.value),
        other => panic!("expected a plain value or !Ref, got {other:?}"),
    }
}

/// `Namespace`, `MetricName` and `Dimensions` of an alarm, or of a `MetricStat.Metric`.
fn template_metric(properties: &Yaml) -> Metric {
    let dimensions = properties["Dimensions"]
        .as_sequence()
        .map(|list| list.iter().map(|d| (scalar(&d["Name"]), scalar(&d["Value"]))).collect())
        .unwrap_or_default();
    Metric {
        namespace: scalar(&properties["Namespace"]),
        name: scalar(&properties["MetricName"]),
        dimensions,
    }
}

/// Every metric of every alarm, keyed by alarm and by metric-math id (the id is empty for an
/// alarm on one metric).
fn alarm_metrics(template: &Yaml) -> Vec<(String, String, Metric)> {
    let mut found = Vec::new();
    for (alarm, properties) in resources_of_type(template, "AWS::CloudWatch::Alarm") {
        if properties["MetricName"].is_string() {
            found.push((alarm.clone(), String::new(), template_metric(properties)));
        }
        for query in properties["Metrics"].as_sequence().into_iter().flatten() {
            if !query["MetricStat"].is_null() {
                let metric = template_metric(&query["MetricStat"]["Metric"]);
                found.push((alarm.clone(), scalar(&query["Id"]), metric));
            }
        }
    }
    found
}

/// The dashboard body as JSON: `!Sub` variables inside strings keep their names
/// (`"${SpinApi}"` reads `"SpinApi"`); bare ones (numbers) read 0.
fn dashboard(template: &Yaml) -> Json {
    let (_, properties) = resources_of_type(template, "AWS::CloudWatch::Dashboard")
        .into_iter()
        .next()
        .expect("a dashboard");
    let Yaml::Tagged(body) = &properties["DashboardBody"] else { panic!("DashboardBody is !Sub") };
    assert!(body.tag == "Sub", "DashboardBody is !Sub");
    let text = body.value.as_str().expect("one !Sub string");
    let mut json = String::new();
    let mut in_string = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${") {
            let end = after.find('}').expect("closed ${");
            json.push_str(if in_string { &after[..end] } else { "0" });
            rest = &after[end + 1..];
            continue;
        }
        if c == '\\' && in_string {
            json.push_str(&rest[..2]);
            rest = &rest[2..];
            continue;
        }
        if c == '"' {
            in_string = !in_string;
        }
        json.push(c);
        rest = &rest[c.len_utf8()..];
    }
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("dashboard body is not JSON: {e}"))
}

/// Every metric row of every metric widget, with its `id` if it has one. Expression rows
/// (`[{"expression": …}]`) are skipped; the `"..."` shorthand is not used in this template.
fn dashboard_metrics(dashboard: &Json) -> Vec<(String, Metric)> {
    let mut found = Vec::new();
    for widget in dashboard["widgets"].as_array().expect("widgets") {
        if widget["type"] != "metric" {
            continue;
        }
        for row in widget["properties"]["metrics"].as_array().expect("metrics") {
            let row = row.as_array().expect("a metric row");
            let texts: Vec<&str> = row.iter().map_while(Json::as_str).collect();
            if texts.is_empty() {
                continue;
            }
            assert!(!texts.contains(&"...") && !texts.contains(&"."), "spell out {row:?}");
            assert!(
                texts.len() >= 2 && texts.len().is_multiple_of(2),
                "namespace, name, pairs: {row:?}"
            );
            let dimensions =
                texts[2..].chunks(2).map(|p| (p[0].to_owned(), p[1].to_owned())).collect();
            let id = row.last().and_then(|o| o["id"].as_str()).unwrap_or_default();
            let metric = Metric { namespace: texts[0].into(), name: texts[1].into(), dimensions };
            found.push((id.to_owned(), metric));
        }
    }
    found
}

/// AWS's own metrics the template may use: (namespace, names, dimensions as the template
/// writes them).
fn aws_metrics() -> Vec<(&'static str, Vec<&'static str>, BTreeMap<String, String>)> {
    let dims = |pairs: &[(&str, &str)]| {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>()
    };
    vec![
        (
            "AWS/Lambda",
            vec!["Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"],
            dims(&[("FunctionName", "SpinFunction")]),
        ),
        (
            "AWS/ApiGateway",
            vec!["Count", "4xx", "5xx", "Latency", "IntegrationLatency", "DataProcessed"],
            dims(&[("ApiId", "SpinApi"), ("Stage", "$default")]),
        ),
    ]
}

/// The numbers after `op` in a metric-math expression, in order.
fn numbers_after(expression: &str, op: &str) -> Vec<f64> {
    let tokens: Vec<&str> = expression.split_whitespace().collect();
    tokens
        .windows(2)
        .filter(|pair| pair[0] == op)
        .map(|pair| {
            let number = pair[1].trim_end_matches([')', ',']);
            number.parse().unwrap_or_else(|_| panic!("{number:?} after {op} in {expression}"))
        })
        .collect()
}

/// The return-to-player alarm's band: from the lowest number of spins judged, the exact
/// spread of the payout per credit bet and the worst mix of bets. Returns (spins, lower,
/// upper), as the template writes them (4 decimals).
fn rtp_band() -> (u32, f64, f64) {
    const MIN_SPINS: u32 = 10_000;
    const SIGMAS_BELOW: f64 = 4.0;
    const SIGMAS_ABOVE: f64 = 8.0;
    let rtp = return_to_player().to_f64();
    let (n, sum_squares) = every_spin(Bet::MIN)
        .fold((0u64, 0u64), |(n, sq), spin| (n + 1, sq + u64::from(spin.payout).pow(2)));
    let sigma = (sum_squares as f64 / n as f64 - rtp * rtp).sqrt();
    // Σb²/(Σb)² ≤ (min + max)² / (4 · min · max) / N for bets between min and max (reached
    // when one spin in eleven bets 10 and the others 1).
    let (low, high) = (f64::from(Bet::MIN.credits()), f64::from(Bet::MAX.credits()));
    let worst_mix = (low + high).powi(2) / (4.0 * low * high);
    let standard_error = sigma * worst_mix.sqrt() / f64::from(MIN_SPINS).sqrt();
    let round = |x: f64| (x * 1e4).round() / 1e4;
    (
        MIN_SPINS,
        round(rtp - SIGMAS_BELOW * standard_error),
        round(rtp + SIGMAS_ABOVE * standard_error),
    )
}

#[tokio::test]
async fn alarms_and_dashboard_watch_the_metrics_the_function_writes() {
    let emf = Emf::parse(&emf_line_from_the_function().await);
    let template = template();
    let alarms = alarm_metrics(&template);
    let dashboard = dashboard(&template);
    let on_dashboard = dashboard_metrics(&dashboard);

    let used: Vec<(String, &Metric)> = alarms
        .iter()
        .map(|(alarm, _, metric)| (format!("alarm {alarm}"), metric))
        .chain(on_dashboard.iter().map(|(_, metric)| ("the dashboard".to_owned(), metric)))
        .collect();
    for (place, metric) in &used {
        if metric.namespace == emf.namespace {
            assert!(
                emf.names.contains(&metric.name),
                "{place} watches {metric:?}, but the function writes only {:?}",
                emf.names
            );
            assert!(
                emf.dimension_sets.contains(&metric.dimensions),
                "{place} watches {metric:?}; the function's EMF line has the dimension sets {:?}",
                emf.dimension_sets
            );
        } else {
            let known = aws_metrics().into_iter().any(|(namespace, names, dimensions)| {
                metric.namespace == namespace
                    && names.contains(&metric.name.as_str())
                    && metric.dimensions == dimensions
            });
            assert!(known, "{place} watches {metric:?}, which neither AWS nor Spin publishes");
        }
    }

    // Every counter the function writes is on the dashboard and in the RTP alarm.
    let rtp_alarm: BTreeMap<&str, &Metric> = alarms
        .iter()
        .filter(|(alarm, _, _)| alarm == "RtpAlarm")
        .map(|(_, id, metric)| (id.as_str(), metric))
        .collect();
    for name in &emf.names {
        assert!(rtp_alarm.values().any(|m| &m.name == name), "RtpAlarm lacks {name}");
        assert!(on_dashboard.iter().any(|(_, m)| &m.name == name), "the dashboard lacks {name}");
    }

    // The alarm divides what was paid by what was bet, and counts spins, with these ids.
    for (id, name) in [("spins", "Spins"), ("bet", "CreditsBet"), ("paid", "CreditsPaid")] {
        assert_eq!(rtp_alarm.get(id).map(|m| m.name.as_str()), Some(name), "RtpAlarm id {id}");
        let on_graph = on_dashboard.iter().find(|(graph_id, _)| graph_id == id);
        assert_eq!(on_graph.map(|(_, m)| m.name.as_str()), Some(name), "dashboard id {id}");
    }
    let resources = &template["Resources"];
    let queries = resources["RtpAlarm"]["Properties"]["Metrics"].as_sequence().unwrap();
    let expression =
        queries.iter().find_map(|q| q["Expression"].as_str()).expect("RtpAlarm has an expression");
    assert!(expression.contains("paid / bet < ") && expression.contains("paid / bet > "));

    // The band is the one the rules give (README, "Alarms").
    let (spins, lower, upper) = rtp_band();
    assert_eq!(numbers_after(expression, ">="), [f64::from(spins)], "{expression}");
    assert_eq!(numbers_after(expression, "<"), [lower], "{expression}");
    assert_eq!(numbers_after(expression, ">"), [upper], "{expression}");
    let rtp_widget = dashboard["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["properties"]["title"].as_str().is_some_and(|t| t.contains("Return to player")))
        .expect("an RTP widget");
    let lines: Vec<f64> = rtp_widget["properties"]["annotations"]["horizontal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].as_f64().unwrap())
        .collect();
    let percent =
        |x: f64, places: i32| (x * 100.0 * 10f64.powi(places)).round() / 10f64.powi(places);
    assert_eq!(
        lines,
        [percent(return_to_player().to_f64(), 4), percent(lower, 2), percent(upper, 2)],
        "the RTP widget's lines: proven RTP, then the alarm band"
    );

    // Cold starts come from the function's own log group.
    let log_widgets: Vec<&Json> =
        dashboard["widgets"].as_array().unwrap().iter().filter(|w| w["type"] == "log").collect();
    assert!(!log_widgets.is_empty());
    for widget in log_widgets {
        let query = widget["properties"]["query"].as_str().unwrap();
        assert!(query.starts_with("SOURCE 'SpinLogGroup'"), "{query}");
        assert!(query.contains("@initDuration"), "{query}");
    }
}

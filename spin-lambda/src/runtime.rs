//! The Lambda runtime loop around [`crate::service`]: events read with [`HttpEvent`], a span
//! per invocation (`lambda_runtime`'s `TracingLayer`, which puts the request and X-Ray trace
//! ids in every log line), and after each invocation one Embedded Metric Format line with its
//! counters.

use std::io::Write;

use lambda_http::lambda_runtime::layers::TracingLayer;
use lambda_http::lambda_runtime::{self, LambdaInvocation, Runtime};
use lambda_http::tower::{self, Service, ServiceExt};
use lambda_http::{Adapter, LambdaEvent};
use metrics_cloudwatch_embedded::Collector;

use crate::SpinService;
use crate::event::HttpEvent;

/// The property naming the invocation in each metrics line.
const REQUEST_ID: &str = "RequestId";

type BoxError = lambda_runtime::Error;

/// Serves invocations until the process ends.
pub async fn run(metrics: &'static Collector, service: SpinService) -> Result<(), BoxError> {
    let handler = Adapter::from(service).map_request(|event: LambdaEvent<HttpEvent>| {
        LambdaEvent::new(event.payload.0, event.context)
    });
    Runtime::new(handler)
        .layer(TracingLayer::new())
        .layer(tower::layer::layer_fn(move |inner| with_metrics_lines(metrics, inner)))
        .run()
        .await
}

/// What `metrics_cloudwatch_embedded`'s `MetricsLayer` does, with one difference: the line
/// is written to stdout in one write. That crate serialises straight into `Stdout`, which
/// locks stdout and scans for a newline on each of the serialiser's dozens of small writes.
fn with_metrics_lines<S>(
    metrics: &'static Collector,
    inner: S,
) -> impl Service<LambdaInvocation, Response = (), Error = BoxError>
where
    S: Service<LambdaInvocation, Response = (), Error = BoxError>,
{
    inner
        .map_request(move |invocation: LambdaInvocation| {
            metrics.set_property(REQUEST_ID, invocation.context.request_id.clone());
            invocation
        })
        .map_result(move |result| {
            let mut line = Vec::with_capacity(512);
            metrics.flush(&mut line).expect("writing to memory cannot fail");
            std::io::stdout().lock().write_all(&line).expect("failed to flush metrics");
            result
        })
}

//! JSON logs, OpenTelemetry traces (exported over OTLP when configured) and
//! the Prometheus recorder, set up once per process.
//!
//! The OpenTelemetry layer is installed even without an exporter: it gives
//! every request a real trace id for the logs and the `traceparent` that
//! travels in HTTP headers and event envelopes.

use std::{collections::HashMap, sync::OnceLock};

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use opentelemetry::{global, trace::TracerProvider as _};
use opentelemetry_sdk::{Resource, propagation::TraceContextPropagator, trace::SdkTracerProvider};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::{EnvFilter, layer::SubscriberExt, util::SubscriberInitExt};

use crate::config::Settings;

/// Keeps exporters alive; flushes traces when dropped.
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(p) = self.provider.take() {
            let _ = p.shutdown();
        }
    }
}

/// Logs (JSON lines on stderr), traces and metrics for this process.
/// Safe to call more than once: later calls keep the first setup.
pub fn init(settings: &Settings, process: &str) -> anyhow::Result<TelemetryGuard> {
    global::set_text_map_propagator(TraceContextPropagator::new());
    metrics_handle();
    let resource = Resource::builder().with_service_name(format!("quickcare-{process}")).build();
    let mut builder = SdkTracerProvider::builder().with_resource(resource);
    if let Some(endpoint) = settings.otlp_endpoint.as_deref() {
        use opentelemetry_otlp::WithExportConfig;
        let exporter =
            opentelemetry_otlp::SpanExporter::builder().with_tonic().with_endpoint(endpoint).build()?;
        builder = builder.with_batch_exporter(exporter);
    }
    let provider = builder.build();
    let tracer = provider.tracer("quickcare");
    global::set_tracer_provider(provider.clone());
    let filter = EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(tracing_opentelemetry::layer().with_tracer(tracer))
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .flatten_event(true)
                .with_current_span(true)
                .with_span_list(false)
                .with_writer(std::io::stderr),
        )
        .try_init();
    Ok(TelemetryGuard { provider: installed.is_ok().then_some(provider) })
}

/// The process-wide Prometheus recorder (installed on first use).
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Suffix("duration_seconds".into()),
                &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
            )
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Fails only if another recorder is installed; ours still renders
        // (empty), which is the right degradation for a library.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// W3C `traceparent` of the current span, when there is a trace. A
/// disabled span (the level filtered out) belongs to no trace: answered
/// without asking the propagator, as it is on every forwarded request.
pub fn current_traceparent() -> Option<String> {
    let span = tracing::Span::current();
    if span.is_disabled() {
        return None;
    }
    let cx = span.context();
    let mut carrier = HashMap::new();
    global::get_text_map_propagator(|p| p.inject_context(&cx, &mut carrier));
    carrier.remove("traceparent")
}

/// Makes `span` a child of the remote trace in `traceparent` (from an HTTP
/// header or an event envelope).
pub fn set_parent_from_traceparent(span: &tracing::Span, traceparent: Option<&str>) {
    let Some(tp) = traceparent else { return };
    let carrier = HashMap::from([("traceparent".to_owned(), tp.to_owned())]);
    let cx = global::get_text_map_propagator(|p| p.extract(&carrier));
    let _ = span.set_parent(cx);
}

/// Trace id of the current span, for log lines (`None` outside a trace).
pub fn current_trace_id() -> Option<String> {
    use opentelemetry::trace::TraceContextExt;
    let cx = tracing::Span::current().context();
    let id = cx.span().span_context().trace_id();
    (id != opentelemetry::trace::TraceId::INVALID).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remote_traceparent_becomes_the_parent() {
        let settings = crate::testing::default_settings();
        let _guard = init(&settings, "test").unwrap();
        let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let span = tracing::info_span!("request");
        set_parent_from_traceparent(&span, Some(parent));
        let (trace, propagated) = span.in_scope(|| (current_trace_id(), current_traceparent()));
        assert_eq!(trace.as_deref(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
        let propagated = propagated.unwrap();
        assert!(propagated.starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-"), "{propagated}");
        assert!(!propagated.contains("00f067aa0ba902b7"), "a new span id for the child");
    }
}

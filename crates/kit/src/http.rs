//! The standard HTTP stack every service router gets: health, metrics,
//! request ids, a trace span and one log line per request, RED metrics,
//! body size limit, idempotency keys, the JWT verifier extension, the
//! outbox relay woken after each request that wrote an event,
//! panic → 500 problem, 404/405 problems.

use std::{sync::Arc, time::Instant};

use axum::{
    Extension, Router,
    extract::{DefaultBodyLimit, MatchedPath, Request, State},
    http::{HeaderName, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::json;
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
};
use tracing::Instrument;

use crate::{
    Problem, client_ip::ClientIpPolicy, error::InternalCause, events::Bus, json::Json, metric_handles::Memo,
    service::ServiceContext,
};

/// Default body limit for JSON APIs; upload routes set their own.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps a service's API routes with the standard stack.
pub fn finish(api: Router, ctx: &ServiceContext) -> Router {
    let api = api
        .layer(middleware::from_fn_with_state(ctx.db.clone(), crate::idempotency::layer))
        .layer(middleware::from_fn(wake_relay));
    let readiness = Readiness { service: ctx.name, db: ctx.db.clone(), bus: ctx.bus.clone() };
    let health = Router::new().route("/health/ready", get(ready)).with_state(readiness);
    let routes = api
        .merge(health)
        .merge(platform_routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    let client_ip = ClientIpPolicy::new(&ctx.settings, ctx.keyring.clone());
    edge(routes, ctx.name, Arc::new(client_ip))
        .layer(Extension(ctx.verifier.clone()))
        .layer(Extension(ctx.keyring.clone()))
}

/// `/health/live` and `/metrics`, which every process serves.
pub fn platform_routes() -> Router {
    Router::new().route("/health/live", get(live)).route("/metrics", get(metrics))
}

/// The layers both services and the gateway put around everything:
/// the client's address, request id, observation (span, log line,
/// metrics), panics, body limit, security headers.
pub fn edge(router: Router, process: &'static str, client_ip: Arc<ClientIpPolicy>) -> Router {
    // The recorder must exist before the first request is counted.
    crate::telemetry::metrics_handle();
    router
        .layer(DefaultBodyLimit::max(DEFAULT_BODY_LIMIT))
        .layer(middleware::from_fn_with_state(process, observe))
        .layer(CatchPanicLayer::custom(|_| {
            // Outside the request log's layer (a panic unwinds through it).
            tracing::error!("handler panicked");
            crate::Error::internal(anyhow::anyhow!("handler panicked")).into_response()
        }))
        .layer(middleware::from_fn(crate::security_headers::apply))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, UuidV7))
        .layer(middleware::from_fn_with_state(client_ip, crate::client_ip::layer))
}

#[derive(Clone, Copy)]
struct UuidV7;

impl MakeRequestId for UuidV7 {
    fn make_request_id<B>(&mut self, _: &http::Request<B>) -> Option<RequestId> {
        http::HeaderValue::from_str(&uuid::Uuid::now_v7().to_string()).ok().map(RequestId::new)
    }
}

/// A request is a unit of work: the events it wrote leave once it is done
/// (see [`crate::events::after_commit`]).
async fn wake_relay(req: Request, next: Next) -> Response {
    crate::events::after_commit(next.run(req)).await
}

pub async fn not_found() -> Problem {
    Problem::not_found()
}

async fn method_not_allowed() -> Problem {
    Problem::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed on this resource")
}

async fn live() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

#[derive(Clone)]
struct Readiness {
    service: &'static str,
    db: sea_orm::DatabaseConnection,
    bus: Arc<dyn Bus>,
}

/// How long a probe waits for each dependency: under Kubernetes' default
/// probe timeout (1 s; deploy/k8s keeps it), so a hung one answers "down"
/// instead of failing the probe by silence.
const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(800);

/// Ready = can serve: the database answers. The bus is reported (body and
/// the `event_bus_up` / `database_up` gauges) but never makes an instance
/// unready: while it is away the outbox keeps every event and writes still
/// succeed, and failing readiness on it would take every instance out of
/// the load balancer at once.
async fn ready(State(r): State<Readiness>) -> Response {
    let (db, bus) = tokio::join!(
        tokio::time::timeout(PROBE_TIMEOUT, crate::db::ping(&r.db)),
        tokio::time::timeout(PROBE_TIMEOUT, r.bus.ping()),
    );
    let (db, bus) = (matches!(db, Ok(Ok(()))), matches!(bus, Ok(Ok(()))));
    metrics::gauge!("database_up", "service" => r.service).set(f64::from(u8::from(db)));
    metrics::gauge!("event_bus_up", "service" => r.service).set(f64::from(u8::from(bus)));
    let state = |up: bool| if up { "ok" } else { "down" };
    if db {
        Json(json!({"status": "ok", "checks": {"database": "ok", "bus": state(bus)}})).into_response()
    } else {
        let mut p = Problem::service_unavailable(format!("database down, bus {}", state(bus)));
        p.retry_after = Some(1);
        p.into_response()
    }
}

async fn metrics() -> impl IntoResponse {
    ([(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], crate::telemetry::metrics_handle().render())
}

/// One span per request (continuing an incoming `traceparent`, naming the
/// client's address as decided by [`crate::client_ip`]), one JSON
/// log line when it ends, and RED metrics labelled by route template —
/// never by raw path, query or body, which may carry PHI or tokens.
///
/// Every request of every process passes here, so it costs little when
/// nobody listens: the span's fields are only computed when its level is
/// enabled (the span macro evaluates them lazily), and the metric handles
/// of each label set are looked up once ([`crate::metric_handles`]).
async fn observe(State(process): State<&'static str>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let span = tracing::info_span!(
        "request",
        service = process,
        method = %method,
        route = route.as_ref().map_or("unmatched", MatchedPath::as_str),
        request_id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default(),
        client_ip = %req.extensions().get::<ClientIp>().map(ClientIp::label).unwrap_or_default(),
        trace_id = tracing::field::Empty,
        user_id = tracing::field::Empty,
    );
    if !span.is_disabled() {
        let parent = req.headers().get("traceparent").and_then(|v| v.to_str().ok());
        crate::telemetry::set_parent_from_traceparent(&span, parent);
        if let Some(id) = span.in_scope(crate::telemetry::current_trace_id) {
            span.record("trace_id", id);
        }
    }
    let in_flight = in_flight(process);
    in_flight.increment(1.0);
    let response = next.run(req).instrument(span.clone()).await;
    in_flight.decrement(1.0);
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let (duration, total) =
        request_metrics(process, &method, route.as_ref().map_or("unmatched", MatchedPath::as_str), status);
    duration.record(elapsed.as_secs_f64());
    total.increment(1);
    span.in_scope(|| {
        // The one place an unexpected failure is logged (crate::error).
        if let Some(InternalCause(cause)) = response.extensions().get::<InternalCause>() {
            if status == 503 {
                tracing::warn!(error = %cause, "database unavailable for now");
            } else {
                tracing::error!(error = %cause, "internal error");
            }
        }
        tracing::info!(status, latency_ms = elapsed.as_secs_f64() * 1000.0, "request");
    });
    response
}

type RequestHandles = (metrics::Histogram, metrics::Counter);

thread_local! {
    static REQUESTS: std::cell::RefCell<Memo<(&'static str, &'static str, u16), RequestHandles>> =
        std::cell::RefCell::default();
    static IN_FLIGHT: std::cell::RefCell<Memo<(), metrics::Gauge>> = std::cell::RefCell::default();
}

/// `http_request_duration_seconds` and `http_requests_total` of one label set.
fn request_metrics(process: &'static str, method: &http::Method, route: &str, status: u16) -> RequestHandles {
    let method = method_label(method);
    REQUESTS.with(|memo| {
        memo.borrow_mut().get(route, (process, method, status), || {
            let labels = [
                metrics::Label::from_static_parts("service", process),
                metrics::Label::from_static_parts("method", method),
                metrics::Label::new("route", route.to_owned()),
                metrics::Label::new("status", status.to_string()),
            ];
            (
                metrics::histogram!("http_request_duration_seconds", labels.iter()),
                metrics::counter!("http_requests_total", labels.iter()),
            )
        })
    })
}

/// The method as a label: the standard ones by name, any other as `other`,
/// so a client inventing methods adds neither series nor memo entries.
fn method_label(method: &http::Method) -> &'static str {
    use http::Method;
    [
        (Method::GET, "GET"),
        (Method::HEAD, "HEAD"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::PATCH, "PATCH"),
        (Method::DELETE, "DELETE"),
        (Method::OPTIONS, "OPTIONS"),
        (Method::TRACE, "TRACE"),
        (Method::CONNECT, "CONNECT"),
    ]
    .into_iter()
    .find_map(|(known, label)| (known == *method).then_some(label))
    .unwrap_or("other")
}

fn in_flight(process: &'static str) -> metrics::Gauge {
    IN_FLIGHT.with(|memo| {
        memo.borrow_mut().get(
            process,
            (),
            || metrics::gauge!("http_requests_in_flight", "service" => process),
        )
    })
}

/// The client's address (see [`crate::client_ip`]).
pub use crate::client_ip::ClientIp;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(method_label(&http::Method::PATCH), "PATCH");
        let invented = http::Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&invented), "other");
    }
}

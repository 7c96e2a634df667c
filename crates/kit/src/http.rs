//! The standard HTTP stack every service router gets: health, metrics,
//! request ids, a trace span and one log line per request, RED metrics,
//! body size limit, idempotency keys, the JWT verifier extension,
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

use crate::{Problem, events::Bus, json::Json, service::ServiceContext};

/// Default body limit for JSON APIs; upload routes set their own.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps a service's API routes with the standard stack.
pub fn finish(api: Router, ctx: &ServiceContext) -> Router {
    let api = api.layer(middleware::from_fn_with_state(ctx.db.clone(), crate::idempotency::layer));
    let readiness = Readiness { db: ctx.db.clone(), bus: ctx.bus.clone() };
    let health = Router::new().route("/health/ready", get(ready)).with_state(readiness);
    let routes = api
        .merge(health)
        .merge(platform_routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    edge(routes, ctx.name).layer(Extension(ctx.verifier.clone()))
}

/// `/health/live` and `/metrics`, which every process serves.
pub fn platform_routes() -> Router {
    Router::new().route("/health/live", get(live)).route("/metrics", get(metrics))
}

/// The layers both services and the gateway put around everything:
/// request id, observation (span, log line, metrics), panics, body limit,
/// security headers.
pub fn edge(router: Router, process: &'static str) -> Router {
    // The recorder must exist before the first request is counted.
    crate::telemetry::metrics_handle();
    router
        .layer(DefaultBodyLimit::max(DEFAULT_BODY_LIMIT))
        .layer(middleware::from_fn_with_state(process, observe))
        .layer(CatchPanicLayer::custom(|_| Problem::internal("handler panicked").into_response()))
        .layer(middleware::from_fn(crate::security_headers::apply))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, UuidV7))
}

#[derive(Clone, Copy)]
struct UuidV7;

impl MakeRequestId for UuidV7 {
    fn make_request_id<B>(&mut self, _: &http::Request<B>) -> Option<RequestId> {
        http::HeaderValue::from_str(&uuid::Uuid::now_v7().to_string()).ok().map(RequestId::new)
    }
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
    db: sea_orm::DatabaseConnection,
    bus: Arc<dyn Bus>,
}

async fn ready(State(r): State<Readiness>) -> Response {
    let db = crate::db::ping(&r.db).await.is_ok();
    let bus = r.bus.ping().await.is_ok();
    let state = |up: bool| if up { "ok" } else { "down" };
    if db && bus {
        Json(json!({"status": "ok", "checks": {"database": "ok", "bus": "ok"}})).into_response()
    } else {
        let mut p = Problem::service_unavailable(format!("database {}, bus {}", state(db), state(bus)));
        p.retry_after = Some(1);
        p.into_response()
    }
}

async fn metrics() -> impl IntoResponse {
    ([(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], crate::telemetry::metrics_handle().render())
}

/// One span per request (continuing an incoming `traceparent`), one JSON
/// log line when it ends, and RED metrics labelled by route template —
/// never by raw path, query or body, which may carry PHI or tokens.
async fn observe(State(process): State<&'static str>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let request_id =
        req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let span = tracing::info_span!(
        "request",
        service = process,
        method = %method,
        route = %route,
        request_id = %request_id,
        trace_id = tracing::field::Empty,
        user_id = tracing::field::Empty,
    );
    let parent = req.headers().get("traceparent").and_then(|v| v.to_str().ok());
    crate::telemetry::set_parent_from_traceparent(&span, parent);
    if let Some(id) = span.in_scope(crate::telemetry::current_trace_id) {
        span.record("trace_id", id);
    }
    let in_flight = metrics::gauge!("http_requests_in_flight", "service" => process);
    in_flight.increment(1.0);
    let response = next.run(req).instrument(span.clone()).await;
    in_flight.decrement(1.0);
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let labels = [
        ("service", process.to_owned()),
        ("method", method.to_string()),
        ("route", route),
        ("status", status.to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(elapsed.as_secs_f64());
    span.in_scope(|| {
        tracing::info!(status, latency_ms = elapsed.as_secs_f64() * 1000.0, "request");
    });
    response
}

/// The client's IP: the left-most `X-Forwarded-For` entry (the gateway
/// overwrites that header with the peer it saw, so clients cannot forge
/// it through the gateway), else the socket peer.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|ip| ip.trim().parse().ok());
        let peer =
            parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientIp(forwarded.or(peer)))
    }
}

//! Forwarding a request to a service: an in-process router (embedded) or a
//! pooled HTTP/1.1 client to the service's instances (distributed), with
//! retries on another instance for idempotent requests only.

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, HeaderName, Method, Request, Response, StatusCode, Uri, header},
    response::IntoResponse,
};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use kit::{Problem, metric_handles::Memo};
use tower::ServiceExt;

use crate::pool::Pool;

/// Retries after the first attempt, each on another instance when possible.
const RETRIES: usize = 2;

pub enum Backend {
    /// The service's router in this process.
    InProcess(Router),
    /// Its instances over HTTP.
    Remote(Arc<Pool>),
}

type HttpClient = Client<HttpConnector, Body>;

/// This thread's client for the services' instances. One pool per thread
/// rather than per process: hyper drives each upstream connection in a
/// task on the runtime that opened it, so a pool shared by the gateway's
/// event loops (see `quickcare`'s `event_loops`) would hand a request on
/// one loop a connection driven by another, and every answer would cross
/// threads on its way back.
fn thread_client(timeout: Duration) -> HttpClient {
    thread_local! {
        static CLIENT: std::cell::OnceCell<HttpClient> = const { std::cell::OnceCell::new() };
    }
    CLIENT.with(|c| c.get_or_init(|| client(timeout)).clone())
}

fn client(timeout: Duration) -> HttpClient {
    let mut connector = HttpConnector::new();
    connector.set_connect_timeout(Some(timeout.min(Duration::from_secs(2))));
    connector.set_nodelay(true);
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(64)
        .build(connector)
}

/// Connection-level headers that must not be forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "upgrade",
];

pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let listed: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(|s| s.trim().to_owned()).collect::<Vec<_>>())
        .filter_map(|n| HeaderName::try_from(n).ok())
        .collect();
    for name in listed {
        headers.remove(name);
    }
    for name in HOP_BY_HOP {
        headers.remove(*name);
    }
}

/// Safe to send twice: the method is idempotent and there is no body to resend.
fn retryable(parts: &http::request::Parts) -> bool {
    let idempotent = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS | Method::DELETE);
    let bodyless = parts.headers.get(header::CONTENT_LENGTH).is_none_or(|v| v == "0")
        && !parts.headers.contains_key(header::TRANSFER_ENCODING);
    idempotent && bodyless
}

pub async fn forward(upstream: &Backend, timeout: Duration, req: Request<Body>) -> Response<Body> {
    match upstream {
        Backend::InProcess(router) => match router.clone().oneshot(req).await {
            Ok(res) => res,
            Err(never) => match never {},
        },
        Backend::Remote(pool) => remote(pool, &thread_client(timeout), timeout, req).await,
    }
}

async fn remote(pool: &Pool, client: &HttpClient, timeout: Duration, req: Request<Body>) -> Response<Body> {
    let (mut parts, body) = req.into_parts();
    let can_retry = retryable(&parts);
    let path_and_query =
        parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
    let mut body = Some(body);
    let mut tried: Vec<String> = Vec::new();
    let attempts = if can_retry { 1 + RETRIES } else { 1 };
    let mut last_error = Problem::service_unavailable(format!("no {} instance is available", pool.service));
    last_error.retry_after = Some(1);
    for attempt in 1..=attempts {
        let Some(base) = pool.pick(&tried).or_else(|| if can_retry { pool.pick(&[]) } else { None }) else {
            break;
        };
        tried.push(base.clone());
        let Ok(uri) = format!("{base}{path_and_query}").parse::<Uri>() else {
            return kit::Error::internal(anyhow::anyhow!("bad upstream URL")).into_response();
        };
        // Only what goes on the wire: the request's extensions stay here,
        // and the last attempt takes the headers instead of a copy.
        let mut out = Request::new(body.take().unwrap_or_else(Body::empty));
        *out.method_mut() = parts.method.clone();
        *out.uri_mut() = uri;
        *out.version_mut() = parts.version;
        *out.headers_mut() =
            if attempt == attempts { std::mem::take(&mut parts.headers) } else { parts.headers.clone() };
        let started = std::time::Instant::now();
        let result = tokio::time::timeout(timeout, client.request(out)).await;
        let outcome = match result {
            Ok(Ok(res))
                if matches!(res.status(), StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE)
                    && can_retry =>
            {
                if !sheds_load(&res) {
                    pool.failure(&base, false);
                }
                last_error =
                    Problem::new(res.status(), format!("{} answered {}", pool.service, res.status()));
                "retry_status"
            }
            Ok(Ok(res)) => {
                if sheds_load(&res) {
                    // Alive and answering; neither a failure nor proof of health.
                } else if res.status().is_server_error() {
                    pool.failure(&base, false);
                } else {
                    pool.success(&base);
                }
                record(pool, &base, "ok", started);
                let (mut head, body) = res.into_parts();
                strip_hop_by_hop(&mut head.headers);
                return Response::from_parts(head, Body::new(body));
            }
            Ok(Err(e)) => {
                // Refused or reset: this instance is gone for now.
                pool.failure(&base, e.is_connect());
                tracing::warn!(service = pool.service, instance = %base, error = %e, "upstream call failed");
                last_error =
                    Problem::new(StatusCode::BAD_GATEWAY, format!("{} is unreachable", pool.service));
                "error"
            }
            Err(_) => {
                pool.failure(&base, true);
                last_error = Problem::new(
                    StatusCode::GATEWAY_TIMEOUT,
                    format!("{} did not answer in time", pool.service),
                );
                "timeout"
            }
        };
        record(pool, &base, outcome, started);
    }
    last_error.into_response()
}

/// A `503` with `Retry-After` is an instance shedding load on purpose (its
/// password checks or database are busy for now), not a broken one:
/// counting it as a failure would let a login flood trip the breaker and
/// take the instance — for a single instance, the service — out for everyone.
fn sheds_load<B>(res: &Response<B>) -> bool {
    res.status() == StatusCode::SERVICE_UNAVAILABLE && res.headers().contains_key(header::RETRY_AFTER)
}

type UpstreamHandles = (metrics::Histogram, metrics::Counter);

thread_local! {
    /// Handles by instance, then service and outcome (see `kit::metric_handles`).
    static UPSTREAM: std::cell::RefCell<Memo<(&'static str, &'static str), UpstreamHandles>> =
        std::cell::RefCell::default();
}

fn record(pool: &Pool, base: &str, outcome: &'static str, started: std::time::Instant) {
    let (duration, total) = UPSTREAM.with(|memo| {
        memo.borrow_mut().get(base, (pool.service, outcome), || {
            let labels = [
                metrics::Label::from_static_parts("service", pool.service),
                metrics::Label::new("instance", base.to_owned()),
                metrics::Label::from_static_parts("outcome", outcome),
            ];
            (
                metrics::histogram!("gateway_upstream_duration_seconds", labels.iter()),
                metrics::counter!("gateway_upstream_requests_total", labels.iter()),
            )
        })
    });
    duration.record(started.elapsed().as_secs_f64());
    total.increment(1);
}

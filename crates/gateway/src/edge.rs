//! What the gateway checks before a request reaches a service: a presented
//! token must verify (401 here, not after a hop), and every client stays
//! within its rate limit. Services check tokens again themselves.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderValue,
    middleware::Next,
    response::{IntoResponse, Response},
};
use kit::{
    Problem,
    identity::{JwtVerifier, bearer_token},
    ratelimit::{Decision, SyncedLimiter},
};

#[derive(Clone)]
pub struct Edge {
    pub verifier: Arc<JwtVerifier>,
    /// `QUICKCARE_RATE_LIMIT_PER_MINUTE` per client: counted locally,
    /// shared through Redis in the background.
    pub limiter: Arc<SyncedLimiter>,
}

/// The window of the edge limit.
pub const WINDOW: Duration = Duration::from_secs(60);

pub async fn guard(State(edge): State<Edge>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let (parts, body) = req.into_parts();
    let token = bearer_token(&parts);
    req = Request::from_parts(parts, body);
    let mut key = format!("gw:ip:{}", peer.map(|p| p.to_string()).unwrap_or_else(|| "local".into()));
    if let Some(token) = token {
        match edge.verifier.verify(&token).await {
            Ok(claims) => key = format!("gw:user:{}", claims.sub),
            Err(e) => return Problem::unauthorized(e.to_string()).into_response(),
        }
    }
    let decision = edge.limiter.hit(&key);
    if !decision.allowed {
        let mut res = Problem::too_many_requests(decision.retry_after_secs()).into_response();
        rate_headers(&mut res, &decision);
        return res;
    }
    // The service sees the peer this gateway saw, never a client-supplied chain.
    let headers = req.headers_mut();
    headers.remove("x-forwarded-for");
    if let Some(ip) = peer.and_then(|p| HeaderValue::from_str(&p.to_string()).ok()) {
        headers.insert("x-forwarded-for", ip);
    }
    headers.insert("x-forwarded-proto", HeaderValue::from_static("http"));
    headers.remove("traceparent");
    if let Some(tp) = kit::telemetry::current_traceparent().and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers.insert("traceparent", tp);
    }
    let mut res = next.run(req).await;
    rate_headers(&mut res, &decision);
    res
}

/// `RateLimit-*` (IETF draft) on every answer.
fn rate_headers(res: &mut Response, d: &Decision) {
    let h = res.headers_mut();
    h.insert("ratelimit-limit", HeaderValue::from(d.limit));
    h.insert("ratelimit-remaining", HeaderValue::from(d.remaining));
    h.insert("ratelimit-reset", HeaderValue::from(d.retry_after_secs()));
}

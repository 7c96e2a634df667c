//! What the gateway checks before a request reaches a service: a presented
//! token must verify (401 here, not after a hop), and every client stays
//! within its rate limit. Services check tokens again themselves. It also
//! tells the service who the client is (see `kit::client_ip`).

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{Request, State},
    http::HeaderValue,
    middleware::Next,
    response::{IntoResponse, Response},
};
use kit::{
    Problem,
    client_ip::{ClientIp, ClientIpPolicy, seal},
    identity::{JwtVerifier, bearer_token},
    ratelimit::{Decision, SyncedLimiter},
};

#[derive(Clone)]
pub struct Edge {
    pub verifier: Arc<JwtVerifier>,
    /// `QUICKCARE_RATE_LIMIT_PER_MINUTE` per client: counted locally,
    /// shared through Redis in the background.
    pub limiter: Arc<SyncedLimiter>,
    pub client_ip: Arc<ClientIpPolicy>,
}

/// The window of the edge limit.
pub const WINDOW: Duration = Duration::from_secs(60);

pub async fn guard(State(edge): State<Edge>, mut req: Request, next: Next) -> Response {
    // Decided by the outermost layer: the peer, or behind trusted proxies
    // the right-most hop they did not add themselves.
    let client = req.extensions().get::<ClientIp>().and_then(|c| c.0);
    let (parts, body) = req.into_parts();
    let token = bearer_token(&parts);
    req = Request::from_parts(parts, body);
    let mut key = format!("gw:ip:{}", client.map(|p| p.to_string()).unwrap_or_else(|| "local".into()));
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
    // The service learns the client this gateway decided on, sealed so
    // that it can believe it; never a client-supplied chain.
    let headers = req.headers_mut();
    headers.remove("x-forwarded-for");
    headers.remove("forwarded");
    headers.remove(seal::HEADER);
    if let Some(ip) = client {
        if let Ok(v) = HeaderValue::from_str(&ip.to_string()) {
            headers.insert("x-forwarded-for", v);
        }
        if let Ok(v) = HeaderValue::from_str(&edge.client_ip.seal(ip)) {
            headers.insert(seal::HEADER, v);
        }
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

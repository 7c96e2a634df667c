//! What the gateway checks before a request reaches a service: a presented
//! token must verify (401 here, not after a hop), and every client stays
//! within its rate limit. Services check tokens again themselves. It also
//! tells the service who the client is (see `kit::client_ip`).

use std::{sync::Arc, time::Duration};

use axum::{
    extract::Request,
    http::HeaderValue,
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

impl Edge {
    /// Lets `req` through with its rate decision (to be put on the answer
    /// with [`rate_headers`]), or answers it here: 401 for a token that does
    /// not verify, 429 over the limit. A plain function rather than a
    /// middleware layer: it runs on every API request, and a layer costs a
    /// boxed service and future per request.
    pub async fn admit(&self, req: Request) -> Result<(Request, Decision), Response> {
        // Decided by the outermost layer: the peer, or behind trusted proxies
        // the right-most hop they did not add themselves.
        let client = req.extensions().get::<ClientIp>().and_then(|c| c.0);
        let (parts, body) = req.into_parts();
        let token = bearer_token(&parts);
        let mut req = Request::from_parts(parts, body);
        let key = match token {
            Some(token) => match self.verifier.verify(&token).await {
                Ok(claims) => format!("gw:user:{}", claims.sub),
                Err(e) => return Err(Problem::unauthorized(e.to_string()).into_response()),
            },
            None => match client {
                Some(ip) => format!("gw:ip:{ip}"),
                None => "gw:ip:local".to_owned(),
            },
        };
        let decision = self.limiter.hit(&key);
        if !decision.allowed {
            let mut res = Problem::too_many_requests(decision.retry_after_secs()).into_response();
            rate_headers(&mut res, &decision);
            return Err(res);
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
            if let Ok(v) = HeaderValue::from_str(&self.client_ip.seal(ip)) {
                headers.insert(seal::HEADER, v);
            }
        }
        headers.insert("x-forwarded-proto", HeaderValue::from_static("http"));
        headers.remove("traceparent");
        if let Some(tp) = kit::telemetry::current_traceparent().and_then(|t| HeaderValue::from_str(&t).ok()) {
            headers.insert("traceparent", tp);
        }
        Ok((req, decision))
    }
}

/// `RateLimit-*` (IETF draft) on every answer.
pub fn rate_headers(res: &mut Response, d: &Decision) {
    let h = res.headers_mut();
    h.insert("ratelimit-limit", HeaderValue::from(d.limit));
    h.insert("ratelimit-remaining", HeaderValue::from(d.remaining));
    h.insert("ratelimit-reset", HeaderValue::from(d.retry_after_secs()));
}

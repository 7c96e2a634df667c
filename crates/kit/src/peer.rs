//! Calls from one service to another, for the few steps that need an
//! answer now (an admin creating a doctor needs the new account's id in
//! the same response). Everything else travels as events.
//!
//! One interface, two transports: embedded, the other service's router is
//! called in process (no network, same middleware as any request);
//! distributed, its instances from `QUICKCARE_SERVICES` are called over
//! HTTP with a timeout, round robin, and one attempt per instance for
//! requests that are safe to repeat — GETs, and POSTs carrying an
//! `Idempotency-Key`, which the callee deduplicates. Read models that
//! miss ask the owner through here too (see [`crate::internal`]).

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use axum::{Router, body::Body};
use http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde::{Serialize, de::DeserializeOwned};
use tower::ServiceExt;

use crate::{config::Settings, discovery, idempotency};

/// The most a peer's answer may weigh; answers are small JSON documents.
const MAX_ANSWER: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    #[error("service {0} is not reachable from here (not in QUICKCARE_SERVICES)")]
    Unknown(String),
    #[error("service {service} did not answer: {cause}")]
    Unavailable { service: String, cause: String },
    /// The peer answered, with an error status; `body` is its problem document.
    #[error("service {service} answered {status}")]
    Status { service: String, status: StatusCode, body: serde_json::Value },
    #[error("bad answer from {service}: {cause}")]
    Decode { service: String, cause: String },
}

enum Target {
    Local(Router),
    Remote { bases: Vec<String>, next: AtomicUsize },
}

/// The services this process can call, by name.
pub struct Peers {
    targets: RwLock<HashMap<String, Arc<Target>>>,
    client: reqwest::Client,
}

/// A JSON answer and its status.
pub struct Answer<T> {
    pub status: StatusCode,
    pub body: T,
}

impl Peers {
    /// No peers yet: embedded mode registers routers as services start.
    pub fn empty() -> Self {
        Self { targets: RwLock::new(HashMap::new()), client: reqwest::Client::new() }
    }

    /// Peers from `QUICKCARE_SERVICES` (distributed mode); DNS targets are
    /// called by name, so the platform's resolver spreads the load.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder().timeout(settings.upstream_timeout()).build()?;
        let mut targets = HashMap::new();
        if let Some(spec) = settings.services.as_deref() {
            for (name, list) in discovery::parse_services(spec)? {
                let bases = list.iter().map(discovery::Target::base_url).collect();
                targets.insert(name, Arc::new(Target::Remote { bases, next: AtomicUsize::new(0) }));
            }
        }
        Ok(Self { targets: RwLock::new(targets), client })
    }

    /// Embedded mode: `name` answers in process from now on.
    pub fn register_local(&self, name: &str, router: Router) {
        if let Ok(mut t) = self.targets.write() {
            t.insert(name.to_owned(), Arc::new(Target::Local(router)));
        }
    }

    /// POSTs `body` as JSON to `service` at `path`, with the caller's
    /// bearer token when there is one (authorization stays the callee's
    /// decision) and an idempotency key (so a retry cannot act twice).
    pub async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        service: &str,
        path: &str,
        bearer: Option<&str>,
        idempotency_key: &str,
        body: &B,
    ) -> Result<Answer<T>, PeerError> {
        let bearer = bearer.map(|token| (http::header::AUTHORIZATION.as_str(), format!("Bearer {token}")));
        self.post(service, path, bearer, idempotency_key, body).await
    }

    /// [`Peers::post_json`] as a service rather than for a user: with a
    /// service credential header (see [`crate::internal`]) instead of a
    /// bearer token.
    pub async fn post_json_as_service<B: Serialize, T: DeserializeOwned>(
        &self,
        service: &str,
        path: &str,
        credential: (&str, &str),
        idempotency_key: &str,
        body: &B,
    ) -> Result<Answer<T>, PeerError> {
        let credential = Some((credential.0, credential.1.to_owned()));
        self.post(service, path, credential, idempotency_key, body).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        service: &str,
        path: &str,
        extra: Option<(&str, String)>,
        idempotency_key: &str,
        body: &B,
    ) -> Result<Answer<T>, PeerError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| PeerError::Decode { service: service.into(), cause: e.to_string() })?;
        let mut headers = vec![
            (http::header::CONTENT_TYPE.as_str(), "application/json".to_owned()),
            (idempotency::HEADER, idempotency_key.to_owned()),
        ];
        headers.extend(extra);
        self.call(service, Method::POST, path, &headers, bytes).await
    }

    /// GETs `path` from `service` with one extra header (a service
    /// credential, see [`crate::internal`]).
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        service: &str,
        path: &str,
        header: (&str, &str),
    ) -> Result<Answer<T>, PeerError> {
        self.call(service, Method::GET, path, &[(header.0, header.1.to_owned())], Vec::new()).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        service: &str,
        method: Method,
        path: &str,
        headers: &[(&str, String)],
        bytes: Vec<u8>,
    ) -> Result<Answer<T>, PeerError> {
        let target = self
            .targets
            .read()
            .ok()
            .and_then(|t| t.get(service).cloned())
            .ok_or_else(|| PeerError::Unknown(service.into()))?;
        let (status, answer) = match target.as_ref() {
            Target::Local(router) => local(router, service, method, path, headers, bytes).await?,
            Target::Remote { bases, next } => {
                self.remote(service, bases, next, method, path, headers, bytes).await?
            }
        };
        let body: serde_json::Value = serde_json::from_slice(&answer).unwrap_or(serde_json::Value::Null);
        if !status.is_success() {
            return Err(PeerError::Status { service: service.into(), status, body });
        }
        let body = serde_json::from_value(body)
            .map_err(|e| PeerError::Decode { service: service.into(), cause: e.to_string() })?;
        Ok(Answer { status, body })
    }

    #[allow(clippy::too_many_arguments)]
    async fn remote(
        &self,
        service: &str,
        bases: &[String],
        next: &AtomicUsize,
        method: Method,
        path: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<(StatusCode, Vec<u8>), PeerError> {
        let mut last = String::from("no instances");
        let start = next.fetch_add(1, Ordering::Relaxed);
        for i in 0..bases.len() {
            let base = &bases[(start + i) % bases.len()];
            let mut req = self.client.request(method.clone(), format!("{base}{path}")).body(body.clone());
            for (k, v) in headers {
                req = req.header(*k, v);
            }
            if let Some(trace) = crate::telemetry::current_traceparent() {
                req = req.header("traceparent", trace);
            }
            match req.send().await {
                // A 5xx from one instance: another may do better (the key
                // makes the repeat safe); 4xx is the answer.
                Ok(res) if !res.status().is_server_error() => {
                    let status = res.status();
                    let bytes = res.bytes().await.map_err(|e| PeerError::Unavailable {
                        service: service.into(),
                        cause: e.to_string(),
                    })?;
                    if bytes.len() > MAX_ANSWER {
                        return Err(PeerError::Decode {
                            service: service.into(),
                            cause: "answer too large".into(),
                        });
                    }
                    return Ok((status, bytes.to_vec()));
                }
                Ok(res) => last = format!("{base}: {}", res.status()),
                Err(e) => last = format!("{base}: {e}"),
            }
        }
        Err(PeerError::Unavailable { service: service.into(), cause: last })
    }
}

async fn local(
    router: &Router,
    service: &str,
    method: Method,
    path: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> Result<(StatusCode, Vec<u8>), PeerError> {
    let mut req = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let req = req
        .body(Body::from(body))
        .map_err(|e| PeerError::Unavailable { service: service.into(), cause: e.to_string() })?;
    let unavailable = |cause: String| PeerError::Unavailable { service: service.into(), cause };
    let res = router.clone().oneshot(req).await.map_err(|e| unavailable(e.to_string()))?;
    let status = res.status();
    let limited = http_body_util::Limited::new(res.into_body(), MAX_ANSWER);
    let bytes = limited.collect().await.map_err(|e| unavailable(e.to_string()))?.to_bytes();
    Ok((status, bytes.to_vec()))
}

impl PeerError {
    /// What the caller's client should see: a peer's 4xx answer passes
    /// through (its status and detail), anything else is 503.
    pub fn into_problem(self) -> crate::Problem {
        match self {
            PeerError::Status { status, body, .. } if status.is_client_error() => {
                let detail = body.get("detail").and_then(|d| d.as_str()).unwrap_or("refused").to_owned();
                crate::Problem::new(status, detail)
            }
            other => {
                tracing::warn!(error = %other, "peer call failed");
                crate::Problem::service_unavailable("a service this request needs is unavailable; try again")
            }
        }
    }
}

impl std::fmt::Debug for Peers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.targets.read().map(|t| t.keys().cloned().collect()).unwrap_or_default();
        f.debug_struct("Peers").field("services", &names).finish()
    }
}

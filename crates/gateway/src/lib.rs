//! The API gateway: one URL for the whole platform. It routes each path to
//! its service (in-process routers when embedded, load-balanced HTTP
//! instances when distributed), checks tokens and rate limits at the edge,
//! and serves the merged OpenAPI document, the docs page and the web app.

mod breaker;
mod docs;
mod edge;
mod pool;
mod proxy;
mod routing;
mod web;

use std::{path::PathBuf, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderValue, Method, header},
    response::{IntoResponse, Response},
    routing::get,
};
use kit::{
    Problem, client_ip::ClientIpPolicy, config::Settings, crypto::Keyring, identity::JwtVerifier, json::Json,
    ratelimit::SyncedLimiter,
};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tower_http::{
    cors::{AllowOrigin, Any, CorsLayer},
    limit::RequestBodyLimitLayer,
};

pub use kit::discovery::{ParseError, Target, parse_services};

use crate::{edge::Edge, pool::Pool, proxy::Backend, routing::Routes, web::WebApp};

/// Largest request body the edge lets through (uploads); services set
/// tighter limits per route.
pub const EDGE_BODY_LIMIT: usize = 10 * 1024 * 1024;

/// Where one service is.
pub enum Upstream {
    /// Its router, in this process (embedded mode).
    InProcess(Router),
    /// Its instances over HTTP (distributed mode).
    Remote(Vec<Target>),
}

pub struct GatewayConfig {
    pub settings: Arc<Settings>,
    pub upstreams: Vec<(&'static str, Upstream)>,
    pub verifier: Arc<JwtVerifier>,
    /// Seals the client's address for the services (see `kit::client_ip`).
    pub keyring: Arc<Keyring>,
    /// Each service's name and OpenAPI document: merged into
    /// `/api/openapi.json`, and what decides which path goes where.
    pub openapi: Vec<(&'static str, utoipa::openapi::OpenApi)>,
    /// A built web app to serve instead of the one embedded in the binary.
    pub web_dir: Option<PathBuf>,
    /// Stops the health checks.
    pub shutdown: CancellationToken,
}

/// Everything that is not the gateway's own route: API paths through the
/// edge checks to their service, anything else to the web app.
struct Dispatch {
    routes: Routes,
    edge: Edge,
    backends: Vec<(&'static str, Backend)>,
    timeout: Duration,
    web: Option<WebApp>,
}

/// The gateway's router and its background tasks (health checks).
pub async fn build(config: GatewayConfig) -> anyhow::Result<(Router, Vec<JoinHandle<()>>)> {
    let mut backends = Vec::new();
    let mut tasks = Vec::new();
    let mut pools = Vec::new();
    for (name, upstream) in config.upstreams {
        let backend = match upstream {
            Upstream::InProcess(router) => Backend::InProcess(router),
            Upstream::Remote(targets) => {
                let pool = Pool::new(name, targets).await;
                tasks.push(pool.spawn_checks(config.shutdown.clone()));
                pools.push(pool.clone());
                Backend::Remote(pool)
            }
        };
        backends.push((name, backend));
    }
    let routes = Routes::from_documents(config.openapi.iter().map(|(name, doc)| (*name, doc)))?;
    let client_ip = Arc::new(ClientIpPolicy::new(&config.settings, config.keyring));
    let limiter = SyncedLimiter::start(
        &config.settings,
        config.settings.rate_limit_per_minute,
        edge::WINDOW,
        config.shutdown.clone(),
    )
    .await?;
    let edge = Edge { verifier: config.verifier.clone(), limiter, client_ip: client_ip.clone() };
    let web = WebApp::locate(config.web_dir);
    let dispatch = Arc::new(Dispatch {
        routes,
        edge,
        backends,
        timeout: config.settings.upstream_timeout(),
        web: web.clone(),
    });
    let doc = Arc::new(docs::merge(config.openapi.into_iter().map(|(_, doc)| doc).collect()));
    let everything_else: Router = Router::new()
        .fallback(dispatch_request)
        .with_state(dispatch)
        .layer(RequestBodyLimitLayer::new(EDGE_BODY_LIMIT));
    let router = Router::new()
        .route("/health/ready", get(ready))
        .with_state(Arc::new(pools))
        .route("/api/openapi.json", get(move || async move { Json(doc.as_ref().clone()) }))
        .route("/api/docs", get(docs::page))
        .route("/api/docs/{file}", get(docs::asset))
        .with_state(web)
        .merge(kit::http::platform_routes())
        .merge(everything_else);
    let router = kit::http::edge(router, "gateway", client_ip).layer(cors(&config.settings));
    Ok((router, tasks))
}

/// Ready when every remote service has a healthy instance.
async fn ready(State(pools): State<Arc<Vec<Arc<Pool>>>>) -> Response {
    let down: Vec<&str> = pools.iter().filter(|p| !p.any_healthy()).map(|p| p.service).collect();
    if down.is_empty() {
        Json(serde_json::json!({"status": "ok"})).into_response()
    } else {
        let mut p = Problem::service_unavailable(format!("no healthy instance of: {}", down.join(", ")));
        p.retry_after = Some(2);
        p.into_response()
    }
}

/// API paths go through the edge checks to their service; anything else
/// is the web app (or the landing page).
///
/// Both branches are boxed: their futures are large (token checks,
/// retries, the upstream call; file serving), and the layers around this
/// handler move its future by value several times per request — behind a
/// box they move a pointer.
async fn dispatch_request(State(d): State<Arc<Dispatch>>, req: Request) -> Response {
    if let Some(service) = d.routes.service_for(req.uri().path()) {
        return Box::pin(d.api(service, req)).await;
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return Problem::not_found().into_response();
    }
    match &d.web {
        Some(web) => Box::pin(web.respond(req.uri().path(), req.headers())).await,
        None if req.uri().path() == "/" => docs::landing().await.into_response(),
        None => Problem::not_found().into_response(),
    }
}

impl Dispatch {
    /// One API request: the edge checks, then its service, with the rate
    /// decision on the answer.
    async fn api(&self, service: &'static str, req: Request) -> Response {
        let (req, decision) = match self.edge.admit(req).await {
            Ok(admitted) => admitted,
            Err(refused) => return refused,
        };
        let mut res = match self.backends.iter().find(|(name, _)| *name == service) {
            Some((_, backend)) => {
                let (mut parts, body) = req.into_parts();
                proxy::strip_hop_by_hop(&mut parts.headers);
                proxy::forward(backend, self.timeout, Request::from_parts(parts, body)).await
            }
            None => Problem::not_found().into_response(),
        };
        edge::rate_headers(&mut res, &decision);
        res
    }
}

fn cors(settings: &Settings) -> CorsLayer {
    let Some(origins) = settings.cors_origins.as_deref().map(str::trim).filter(|o| !o.is_empty()) else {
        return CorsLayer::new();
    };
    let allow = if origins == "*" {
        AllowOrigin::from(Any)
    } else {
        AllowOrigin::list(origins.split(',').filter_map(|o| HeaderValue::from_str(o.trim()).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::HeaderName::from_static("ratelimit-limit"),
            header::HeaderName::from_static("ratelimit-remaining"),
            header::HeaderName::from_static("ratelimit-reset"),
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(Duration::from_secs(600))
}

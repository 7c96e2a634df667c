//! The gateway against real HTTP upstreams on loopback: spreading, retries
//! for idempotent requests only, ejection and rejoining, edge checks.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{Router, http::Method, routing::get};
use gateway::{GatewayConfig, Upstream, parse_services};
use kit::{
    config::Settings,
    identity::{JwtVerifier, Role},
    testing::{
        Backend, TestClient, TestIssuer, backends, default_settings, eventually, redis_url, unique_namespace,
    },
};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// What a service answers while it sheds load (busy password checks, a
/// busy database): 503 with `Retry-After`.
async fn busy() -> kit::Problem {
    let mut p = kit::Problem::service_unavailable("busy");
    p.retry_after = Some(1);
    p
}

/// An upstream instance answering with its name and counting requests.
struct Instance {
    addr: SocketAddr,
    hits: Arc<AtomicUsize>,
    posts: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

async fn instance(name: &'static str, port: u16) -> Instance {
    let hits = Arc::new(AtomicUsize::new(0));
    let posts = Arc::new(AtomicUsize::new(0));
    let (h, p) = (hits.clone(), posts.clone());
    let app = Router::new()
        .route("/health/ready", get(|| async { "ok" }))
        .route(
            "/api/v1/patients/me",
            get(move || {
                h.fetch_add(1, Ordering::SeqCst);
                async move { name }
            })
            .post(move || {
                p.fetch_add(1, Ordering::SeqCst);
                async move { name }
            }),
        )
        .route("/api/v1/patients/big", get(|| async { vec![7u8; 5 * 1024 * 1024] }))
        .route("/api/v1/patients/busy", axum::routing::post(busy));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Instance { addr, hits, posts, task }
}

struct Gw {
    url: String,
    issuer: Arc<TestIssuer>,
    _shutdown: CancellationToken,
}

async fn gateway(spec: &str, per_minute: u32, cors: Option<&str>) -> Gw {
    let mut settings = default_settings();
    settings.rate_limit_per_minute = per_minute;
    settings.cors_origins = cors.map(str::to_owned);
    gateway_with(spec, settings).await
}

async fn gateway_with(spec: &str, mut settings: Settings) -> Gw {
    settings.upstream_timeout_ms = 2000;
    let issuer = TestIssuer::new();
    let shutdown = CancellationToken::new();
    let upstreams = parse_services(spec)
        .unwrap()
        .into_iter()
        .map(|(name, targets)| {
            (if name == "patient" { "patient" } else { "auth" }, Upstream::Remote(targets))
        })
        .collect();
    let (router, _tasks) = gateway::build(GatewayConfig {
        settings: Arc::new(settings),
        upstreams,
        verifier: Arc::new(JwtVerifier::new(issuer.clone())),
        keyring: Arc::new(kit::crypto::Keyring::from_settings(&default_settings()).unwrap()),
        openapi: vec![("patient", patient_document())],
        web_dir: None,
        shutdown: shutdown.clone(),
    })
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    Gw { url, issuer, _shutdown: shutdown }
}

/// What routes `/api/v1/patients/…` to the patient instances: a document
/// with one patient path (the gateway derives its routes from documents).
fn patient_document() -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{HttpMethod, OpenApiBuilder, PathItem, PathsBuilder, path::OperationBuilder};
    let item = PathItem::new(HttpMethod::Get, OperationBuilder::new().build());
    OpenApiBuilder::new().paths(PathsBuilder::new().path("/api/v1/patients/me", item)).build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spreads_retries_gets_and_never_posts_and_rejoins() {
    let a = instance("a", 0).await;
    let b = instance("b", 0).await;
    let gw = gateway(&format!("patient=http://{},http://{}", a.addr, b.addr), 100_000, None).await;
    let client = TestClient::url(&gw.url);
    let get = || client.get("/api/v1/patients/me").send();
    for _ in 0..20 {
        assert_eq!(get().await.status, 200);
    }
    assert_eq!(a.hits.load(Ordering::SeqCst), 10, "round robin");
    assert_eq!(b.hits.load(Ordering::SeqCst), 10);

    // b dies: GETs keep working (retried on a), b is ejected.
    let b_port = b.addr.port();
    b.task.abort();
    tokio::time::sleep(Duration::from_millis(50)).await;
    for _ in 0..10 {
        assert_eq!(get().await.status, 200);
    }
    // A POST is never sent twice: when it lands on a dead instance it fails.
    let mut failed_posts = 0;
    for _ in 0..6 {
        let r = client.post("/api/v1/patients/me").body("text/plain", "{}").send().await;
        if !r.status.is_success() {
            failed_posts += 1;
        }
    }
    assert_eq!(a.posts.load(Ordering::SeqCst) + failed_posts, 6, "each POST went to at most one instance");

    // b comes back on the same port and rejoins after a health check.
    let b2 = instance("b", b_port).await;
    eventually("the restarted instance to get traffic", || async {
        get().await;
        (b2.hits.load(Ordering::SeqCst) > 0).then_some(())
    })
    .await;

    // Large bodies stream through intact.
    let big = client.get("/api/v1/patients/big").send().await.bytes;
    assert_eq!(big.len(), 5 * 1024 * 1024);
    assert!(big.iter().all(|b| *b == 7));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_instance_answers_503_and_unrouted_paths_404() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let gw = gateway(&format!("patient=http://{dead}"), 100_000, None).await;
    let client = TestClient::url(&gw.url);
    let r = client.get("/api/v1/patients/me").send().await;
    assert!(r.status.is_server_error(), "{}", r.status);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let r = client.get("/api/v1/ratings").send().await;
    assert_eq!(r.status, 404, "a service not configured is absent");
    assert_eq!(client.get("/api/v1/patientsX").send().await.status, 404);
}

/// The edge limit counts in windows aligned to the minute: a test that
/// must stay inside one window starts with at least 15 s of it left.
async fn fresh_minute() {
    while chrono::Utc::now().timestamp() % 60 > 45 {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_gateways_share_one_limit_through_redis() {
    if !backends().contains(&Backend::MySql) {
        return;
    }
    let a = instance("a", 0).await;
    let spec = format!("patient=http://{}", a.addr);
    let mut settings = default_settings();
    settings.namespace = unique_namespace();
    settings.redis_url = Some(redis_url());
    settings.rate_limit_per_minute = 20;
    let (one, two) = (gateway_with(&spec, settings.clone()).await, gateway_with(&spec, settings).await);
    let (via_one, via_two) = (TestClient::url(&one.url), TestClient::url(&two.url));
    fresh_minute().await;
    // One client (one IP) spends its 20 on the first gateway …
    let mut first = Vec::new();
    for _ in 0..25 {
        first.push(via_one.get("/api/v1/patients/me").send().await.status);
    }
    assert_eq!(first.iter().filter(|s| **s == 200).count(), 20, "{first:?}");
    assert_eq!(first.iter().filter(|s| **s == 429).count(), 5);
    // … and the second gateway, which alone would let 20 more through,
    // refuses it as soon as it has synced with Redis (one round of its own).
    let mut second = Vec::new();
    loop {
        let status = via_two.get("/api/v1/patients/me").send().await.status;
        second.push(status);
        if status == 429 {
            break;
        }
        assert!(second.len() < 20, "the second gateway kept its own count: {second:?}");
        tokio::time::sleep(kit::ratelimit::SYNC_EVERY * 2).await;
    }
    let after = via_two.get("/api/v1/patients/me").send().await;
    assert_eq!(after.status, 429, "stays over the shared limit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edge_checks_tokens_limits_and_cors() {
    fresh_minute().await;
    let a = instance("a", 0).await;
    let gw = gateway(&format!("patient=http://{}", a.addr), 5, Some("https://app.example.com")).await;
    let client = TestClient::url(&gw.url);
    let url = "/api/v1/patients/me";

    let stranger = TestIssuer::new();
    for bad in [stranger.token(1, Role::Admin), gw.issuer.expired_token(1, Role::Patient), "x.y.z".to_owned()]
    {
        assert_eq!(client.get(url).bearer(&bad).send().await.status, 401);
    }
    assert_eq!(a.hits.load(Ordering::SeqCst), 0, "refused tokens never reach the service");
    let good = gw.issuer.token(1, Role::Patient);
    let r = client.get(url).bearer(&good).send().await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("ratelimit-limit"), Some("5"));

    // Anonymous: 5 per minute per IP, then 429 with Retry-After.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(client.get(url).send().await);
    }
    let last = statuses.pop().unwrap();
    assert_eq!(last.status, 429);
    assert!(last.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    assert_eq!(last.header("ratelimit-remaining"), Some("0"));

    let pre = client
        .request(Method::OPTIONS, url)
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "GET")
        .send()
        .await;
    assert_eq!(pre.header("access-control-allow-origin"), Some("https://app.example.com"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_shedding_load_stays_in_rotation() {
    let a = instance("a", 0).await;
    let gw = gateway(&format!("patient=http://{}", a.addr), 1_000_000, None).await;
    let http = TestClient::url(&gw.url);
    // Far more 503 + Retry-After answers than the 5 failures that trip a breaker.
    for _ in 0..20 {
        let r = http.post("/api/v1/patients/busy").send().await;
        assert_eq!(r.status, 503);
        assert!(r.header("retry-after").is_some());
    }
    let r = http.post("/api/v1/patients/me").send().await;
    assert_eq!(r.status, 200, "still routed to: {}", r.text());
}

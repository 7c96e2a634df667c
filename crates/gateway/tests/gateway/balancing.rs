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

use axum::{Router, routing::get};
use gateway::{GatewayConfig, Upstream, parse_services};
use kit::{
    config::Settings,
    identity::{JwtVerifier, Role},
    testing::{Backend, TestIssuer, backends, default_settings, eventually, redis_url, unique_namespace},
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
    let client = reqwest::Client::new();
    let get = || client.get(format!("{}/api/v1/patients/me", gw.url)).send();
    for _ in 0..20 {
        assert_eq!(get().await.unwrap().status(), 200);
    }
    assert_eq!(a.hits.load(Ordering::SeqCst), 10, "round robin");
    assert_eq!(b.hits.load(Ordering::SeqCst), 10);

    // b dies: GETs keep working (retried on a), b is ejected.
    let b_port = b.addr.port();
    b.task.abort();
    tokio::time::sleep(Duration::from_millis(50)).await;
    for _ in 0..10 {
        assert_eq!(get().await.unwrap().status(), 200);
    }
    // A POST is never sent twice: when it lands on a dead instance it fails.
    let mut failed_posts = 0;
    for _ in 0..6 {
        let r = client.post(format!("{}/api/v1/patients/me", gw.url)).body("{}").send().await.unwrap();
        if !r.status().is_success() {
            failed_posts += 1;
        }
    }
    assert_eq!(a.posts.load(Ordering::SeqCst) + failed_posts, 6, "each POST went to at most one instance");

    // b comes back on the same port and rejoins after a health check.
    let b2 = instance("b", b_port).await;
    eventually("the restarted instance to get traffic", || async {
        get().await.unwrap();
        (b2.hits.load(Ordering::SeqCst) > 0).then_some(())
    })
    .await;

    // Large bodies stream through intact.
    let big =
        client.get(format!("{}/api/v1/patients/big", gw.url)).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(big.len(), 5 * 1024 * 1024);
    assert!(big.iter().all(|b| *b == 7));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_instance_answers_503_and_unrouted_paths_404() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let gw = gateway(&format!("patient=http://{dead}"), 100_000, None).await;
    let client = reqwest::Client::new();
    let r = client.get(format!("{}/api/v1/patients/me", gw.url)).send().await.unwrap();
    assert!(r.status().is_server_error(), "{}", r.status());
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = client.get(format!("{}/api/v1/ratings", gw.url)).send().await.unwrap();
    assert_eq!(r.status(), 404, "a service not configured is absent");
    let r = client.get(format!("{}/api/v1/patientsX", gw.url)).send().await.unwrap();
    assert_eq!(r.status(), 404);
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
    let client = reqwest::Client::new();
    fresh_minute().await;
    // One client (one IP) spends its 20 on the first gateway …
    let mut first = Vec::new();
    for _ in 0..25 {
        first.push(client.get(format!("{}/api/v1/patients/me", one.url)).send().await.unwrap().status());
    }
    assert_eq!(first.iter().filter(|s| **s == 200).count(), 20, "{first:?}");
    assert_eq!(first.iter().filter(|s| **s == 429).count(), 5);
    // … and the second gateway, which alone would let 20 more through,
    // refuses it as soon as it has synced with Redis (one round of its own).
    let mut second = Vec::new();
    loop {
        let status = client.get(format!("{}/api/v1/patients/me", two.url)).send().await.unwrap().status();
        second.push(status);
        if status == 429 {
            break;
        }
        assert!(second.len() < 20, "the second gateway kept its own count: {second:?}");
        tokio::time::sleep(kit::ratelimit::SYNC_EVERY * 2).await;
    }
    let after = client.get(format!("{}/api/v1/patients/me", two.url)).send().await.unwrap();
    assert_eq!(after.status(), 429, "stays over the shared limit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edge_checks_tokens_limits_and_cors() {
    fresh_minute().await;
    let a = instance("a", 0).await;
    let gw = gateway(&format!("patient=http://{}", a.addr), 5, Some("https://app.example.com")).await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/patients/me", gw.url);

    let stranger = TestIssuer::new();
    for bad in [stranger.token(1, Role::Admin), gw.issuer.expired_token(1, Role::Patient), "x.y.z".to_owned()]
    {
        let r = client.get(&url).bearer_auth(bad).send().await.unwrap();
        assert_eq!(r.status(), 401);
    }
    assert_eq!(a.hits.load(Ordering::SeqCst), 0, "refused tokens never reach the service");
    let good = gw.issuer.token(1, Role::Patient);
    let r = client.get(&url).bearer_auth(&good).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["ratelimit-limit"], "5");

    // Anonymous: 5 per minute per IP, then 429 with Retry-After.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(client.get(&url).send().await.unwrap());
    }
    let last = statuses.pop().unwrap();
    assert_eq!(last.status(), 429);
    assert!(last.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    assert_eq!(last.headers()["ratelimit-remaining"], "0");

    let pre = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.headers()["access-control-allow-origin"], "https://app.example.com");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_shedding_load_stays_in_rotation() {
    let a = instance("a", 0).await;
    let gw = gateway(&format!("patient=http://{}", a.addr), 1_000_000, None).await;
    let http = reqwest::Client::new();
    // Far more 503 + Retry-After answers than the 5 failures that trip a breaker.
    for _ in 0..20 {
        let r = http.post(format!("{}/api/v1/patients/busy", gw.url)).send().await.unwrap();
        assert_eq!(r.status(), 503);
        assert!(r.headers().contains_key("retry-after"));
    }
    let r = http.post(format!("{}/api/v1/patients/me", gw.url)).send().await.unwrap();
    assert_eq!(r.status(), 200, "still routed to: {}", r.text().await.unwrap());
}

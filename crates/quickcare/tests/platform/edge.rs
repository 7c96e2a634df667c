//! The edge as deployments see it: a reverse proxy in front of the gateway
//! (only a trusted one is believed about who the client is), login
//! throttling that stops a guesser but not the owner, and a login flood
//! that neither exhausts memory nor keeps the owner out.
//!
//! Loopback has a whole /8: each party below sends from its own 127.0.0.x,
//! so "another address" is a real other socket peer.

use std::{
    collections::BTreeMap,
    net::{IpAddr, SocketAddr},
    time::{Duration, Instant},
};

use crate::support::{
    Options,
    api::{Api, PASSWORD, unique_cin, unique_email},
};
use axum::{
    Router,
    body::Body,
    extract::{ConnectInfo, Request, State},
    response::Response,
};
use reqwest::StatusCode;

/// The proxy's own address towards the gateway: the one trusted.
const PROXY_SOURCE: &str = "127.0.0.3";

fn from(base: &str, source: &str) -> Api {
    Api::from_address(base, source.parse().unwrap())
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    client: reqwest::Client,
}

/// A plain reverse proxy, as an Ingress is: forwards everything and
/// appends the peer it saw to `X-Forwarded-For`.
async fn relay(State(p): State<Proxy>, ConnectInfo(peer): ConnectInfo<SocketAddr>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let url = format!("{}{}", p.upstream, parts.uri.path_and_query().map(|x| x.as_str()).unwrap_or("/"));
    let mut headers = parts.headers.clone();
    headers.remove("host");
    let chain = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(prior) => format!("{prior}, {}", peer.ip()),
        None => peer.ip().to_string(),
    };
    headers.insert("x-forwarded-for", chain.parse().unwrap());
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let res = p.client.request(parts.method, url).headers(headers).body(body).send().await.unwrap();
    let mut out = Response::builder().status(res.status());
    for (k, v) in res.headers() {
        out = out.header(k, v);
    }
    out.body(Body::from(res.bytes().await.unwrap())).unwrap()
}

async fn start_proxy(upstream: String) -> String {
    let source: IpAddr = PROXY_SOURCE.parse().unwrap();
    let client = reqwest::Client::builder().local_address(source).build().unwrap();
    let app = Router::new().fallback(relay).with_state(Proxy { upstream, client });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    url
}

/// Statuses of `n` wrong logins in a row.
async fn guesses(api: &Api, email: &str, n: usize, forge: impl Fn(usize) -> Option<String>) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..n {
        let mut req = api
            .client
            .post("/api/v1/auth/login")
            .json(&serde_json::json!({"email": email, "password": "not the password"}));
        if let Some(xff) = forge(i) {
            req = req.header("x-forwarded-for", xff.as_str()).header("forwarded", format!("for={xff}"));
        }
        statuses.push(req.send().await.status.as_u16());
    }
    statuses
}

fn count(statuses: &[u16], s: u16) -> usize {
    statuses.iter().filter(|x| **x == s).count()
}

kit::per_backend! {
    async fn only_a_trusted_proxy_is_believed_about_the_client(backend: Backend) {
        let mode = crate::support::mode(backend);
        let opts = Options {
            env: BTreeMap::from([("QUICKCARE_TRUSTED_PROXIES".to_owned(), format!("{PROXY_SOURCE}/32"))]),
            ..Options::default()
        };
        let p = crate::support::start(mode, opts).await;
        let proxy = start_proxy(p.url()).await;
        let victim = unique_email("behind-proxy");
        from(&p.url(), "127.0.0.1").register(&victim, &unique_cin()).await;

        // Behind the proxy: an attacker (who also forges a chain, which the
        // proxy appends to) is throttled as the address the proxy saw...
        let attacker = from(&proxy, "127.0.0.4");
        let statuses = guesses(&attacker, &victim, 30, |i| Some(format!("10.1.0.{i}"))).await;
        assert_eq!(count(&statuses, 401), 10, "{mode:?}: {statuses:?}");
        assert_eq!(count(&statuses, 429), 20, "{mode:?}: {statuses:?}");
        assert_eq!(attacker.login(&victim, PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
        // ...while another client behind the same proxy logs in.
        let owner = from(&proxy, "127.0.0.5");
        let r = owner.login(&victim, PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{mode:?}: {}", r.body);

        // Straight to the gateway (an untrusted peer), a forged
        // X-Forwarded-For / Forwarded changes nothing: a new "address" per
        // guess, still one address to the throttle.
        let other = unique_email("direct");
        from(&p.url(), "127.0.0.1").register(&other, &unique_cin()).await;
        let forger = from(&p.url(), "127.0.0.6");
        let statuses = guesses(&forger, &other, 30, |i| Some(format!("10.2.0.{i}"))).await;
        assert_eq!(count(&statuses, 401), 10, "{mode:?}: forged hops were believed: {statuses:?}");
        assert_eq!(count(&statuses, 429), 20);
        let r = from(&p.url(), "127.0.0.7").login(&other, PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{mode:?}: owner direct from elsewhere: {}", r.body);
        p.stop().await;
    }
}

/// Resident memory of a process, from `/proc/PID/status`.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

kit::per_backend! {
    async fn a_login_flood_is_bounded_and_the_owner_still_gets_in(backend: Backend) {
        let mode = crate::support::mode(backend);
        // Every flood login reaches the password check (no address limit),
        // so what bounds memory here is the hashing gate alone.
        let opts = Options {
            env: BTreeMap::from([("QUICKCARE_LOGIN_MAX_FAILURES_PER_IP".to_owned(), "100000".to_owned())]),
            ..Options::default()
        };
        let p = crate::support::start(mode, opts).await;
        let auth = p.auth.as_ref().unwrap_or(&p.gateway);
        let pid = auth.pid().unwrap();
        let owner = unique_email("owner");
        from(&p.url(), "127.0.0.1").register(&owner, &unique_cin()).await;
        // Warm the login path once, so the baseline includes its steady
        // state; the second is the same login's latency without a flood,
        // on this machine under its current load.
        assert_eq!(from(&p.url(), "127.0.0.8").login(&owner, PASSWORD).await.status, StatusCode::OK);
        let quiet = Instant::now();
        assert_eq!(from(&p.url(), "127.0.0.8").login(&owner, PASSWORD).await.status, StatusCode::OK);
        let quiet = quiet.elapsed();
        let before = rss_kib(pid);

        let sampling = tokio::spawn(async move {
            let mut peak = 0;
            for _ in 0..600 {
                peak = peak.max(rss_kib(pid));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            peak
        });
        let flood = from(&p.url(), "127.0.0.1");
        let logins = (0..200).map(|i| {
            let api = flood.clone();
            tokio::spawn(
                async move { api.login(&format!("flood{i}@example.com"), "guess").await.status.as_u16() },
            )
        });
        let flood = futures::future::join_all(logins);
        let legit = async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let api = from(&p.url(), "127.0.0.9");
            let started = Instant::now();
            let mut busy = 0;
            loop {
                let r = api.login(&owner, PASSWORD).await;
                if r.status == StatusCode::SERVICE_UNAVAILABLE && busy < 10 {
                    busy += 1;
                    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
                    tokio::time::sleep(Duration::from_secs(wait)).await;
                    continue;
                }
                return (r.status, started.elapsed(), busy);
            }
        };
        let (statuses, (legit_status, latency, busy)) = tokio::join!(flood, legit);
        let statuses: Vec<u16> = statuses.into_iter().map(Result::unwrap).collect();
        let peak = sampling.await.unwrap().max(rss_kib(pid));
        let growth_mib = peak.saturating_sub(before) / 1024;
        println!(
            "{mode:?}: 200 concurrent logins: RSS {} MiB before, peak {} MiB (+{growth_mib} MiB); \
             401 {}, 503 {}; owner's login {legit_status} in {latency:?} after {busy} busy answers \
             ({quiet:?} without the flood)",
            before / 1024,
            peak / 1024,
            count(&statuses, 401),
            count(&statuses, 503),
        );
        assert_eq!(legit_status, StatusCode::OK, "{mode:?}: the owner's login");
        assert!(growth_mib < 256, "{mode:?}: RSS grew by {growth_mib} MiB");
        assert!(statuses.iter().all(|s| [401, 503].contains(s)), "{mode:?}: {statuses:?}");
        p.stop().await;
    }
}

//! Login throttling and bounded hashing on the auth service itself (router
//! in process, real databases, Redis counters on the MySQL backend). The
//! client's address is what the gateway hands an in-process service: a
//! `ClientIp` in the request's extensions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::IpAddr;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use http_body_util::BodyExt;
use kit::{
    http::ClientIp,
    testing::{TestEnv, TestIssuer, backends},
};
use serde_json::{Value, json};
use tower::ServiceExt;

const PASSWORD: &str = "long enough pw";

async fn start(env: &TestEnv) -> Router {
    let ctx = env.context("auth", &TestIssuer::new()).await;
    auth::start(ctx).await.unwrap().router
}

struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
    body: Value,
}

async fn post(app: &Router, path: &str, from: &str, body: Value, key: Option<&str>) -> Answer {
    let ip: IpAddr = from.parse().unwrap();
    let mut req = Request::builder().method("POST").uri(path).header("content-type", "application/json");
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let mut req = req.body(Body::from(body.to_string())).unwrap();
    req.extensions_mut().insert(ClientIp(Some(ip)));
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let retry_after = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer { status, retry_after, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

async fn login(app: &Router, from: &str, email: &str, password: &str) -> Answer {
    post(app, "/api/v1/auth/login", from, json!({"email": email, "password": password}), None).await
}

async fn register(app: &Router, email: &str) {
    let body = json!({"name": "Salma", "email": email, "password": PASSWORD, "gender": "female",
        "phone": "0611223344", "cin": "CD98765", "birth_date": "1990-02-03",
        "address": {"street": "4 Rue Atlas", "city": "Rabat"}});
    let r = post(app, "/api/v1/auth/register", "198.51.100.1", body, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

/// Statuses of many logins sent at once.
async fn at_once(app: &Router, attempts: Vec<(String, String)>) -> Vec<StatusCode> {
    let calls = attempts.into_iter().map(|(from, email)| {
        let app = app.clone();
        tokio::spawn(async move { login(&app, &from, &email, "not the password").await.status })
    });
    futures::future::join_all(calls).await.into_iter().map(Result::unwrap).collect()
}

fn count(statuses: &[StatusCode], s: StatusCode) -> usize {
    statuses.iter().filter(|x| **x == s).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_guesses_never_get_past_the_limits() {
    for backend in backends() {
        let env = TestEnv::new(backend);
        let app = start(&env).await;
        let victim = "victim@example.com";
        register(&app, victim).await;

        // 100 guesses at one account from one address, all at once: only the
        // pair limit (10) is ever checked against the password.
        let statuses = at_once(&app, (0..100).map(|_| ("203.0.113.5".into(), victim.into())).collect()).await;
        // Past the throttle: checked (401), or refused by the hashing gate
        // (503, the guesser's share of it is full) — never more than the limit.
        let past =
            count(&statuses, StatusCode::UNAUTHORIZED) + count(&statuses, StatusCode::SERVICE_UNAVAILABLE);
        println!(
            "{backend:?}: 100 concurrent guesses at one account: {past} past the throttle (limit 10), {} checked",
            count(&statuses, StatusCode::UNAUTHORIZED)
        );
        assert!(past <= 10, "{backend:?}: {past} past the throttle: {statuses:?}");
        assert_eq!(past + count(&statuses, StatusCode::TOO_MANY_REQUESTS), 100, "{statuses:?}");
        // The owner, from an address without failures, is not locked out.
        let owner = login(&app, "198.51.100.7", victim, PASSWORD).await;
        assert_eq!(owner.status, StatusCode::OK, "{backend:?}: {}", owner.body);

        // 150 guesses from one address, each at another (unknown) account:
        // the address limit (50) holds; nothing beyond it is hashed.
        let spray = (0..150).map(|i| ("203.0.113.6".into(), format!("nobody{i}@example.com"))).collect();
        let statuses = at_once(&app, spray).await;
        let past =
            count(&statuses, StatusCode::UNAUTHORIZED) + count(&statuses, StatusCode::SERVICE_UNAVAILABLE);
        println!(
            "{backend:?}: 150 concurrent guesses from one address: {past} past the throttle (limit 50), {} checked",
            count(&statuses, StatusCode::UNAUTHORIZED)
        );
        assert!(past <= 50, "{backend:?}: {past} past the throttle");
        assert_eq!(past + count(&statuses, StatusCode::TOO_MANY_REQUESTS), 150, "{statuses:?}");
        assert!(
            statuses.iter().all(|s| [401, 429, 503].contains(&s.as_u16())),
            "only 401, 429 and busy: {statuses:?}"
        );
        env.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guesser_is_throttled_and_the_owner_is_not() {
    for backend in backends() {
        let mut env = TestEnv::new(backend);
        env.settings.login_max_failures_per_account = 25;
        let app = start(&env).await;
        let owner = "owner@example.com";
        register(&app, owner).await;

        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(login(&app, "203.0.113.9", owner, "guess").await.status);
        }
        assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), 10, "{backend:?}: {statuses:?}");
        let throttled = login(&app, "203.0.113.9", owner, PASSWORD).await;
        assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS, "even the right password from there");
        assert!(throttled.retry_after.is_some());
        for _ in 0..5 {
            let r = login(&app, "198.51.100.20", owner, PASSWORD).await;
            assert_eq!(r.status, StatusCode::OK, "{backend:?}: the owner elsewhere: {}", r.body);
        }

        // Successes do not use up the account's hourly allowance (25 here,
        // 10 failures so far): 14 more failures from other addresses still
        // leave the owner in, the 15th locks the account for everyone.
        for i in 0..14 {
            let from = format!("192.0.2.{}", 10 + i % 3);
            assert_eq!(login(&app, &from, owner, "guess").await.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(login(&app, "198.51.100.20", owner, PASSWORD).await.status, StatusCode::OK);
        assert_eq!(login(&app, "192.0.2.50", owner, "guess").await.status, StatusCode::UNAUTHORIZED);
        let locked = login(&app, "198.51.100.21", owner, PASSWORD).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{backend:?}: account limit reached");
        env.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exhausted_pool_answers_503_with_retry_after() {
    for backend in backends() {
        let mut env = TestEnv::new(backend);
        // Two: migrations on MySQL hold one (a named lock) while using another.
        env.settings.database_max_connections = Some(2);
        env.settings.database_acquire_timeout_ms = 1000;
        let ctx = env.context("auth", &TestIssuer::new()).await;
        let db = ctx.db.clone();
        let app = auth::start(ctx).await.unwrap().router;

        // Every connection of the pool, held by someone else (background
        // work may have one for a moment: wait our turn).
        let mut held = Vec::new();
        for _ in 0..40 {
            if let Ok(txn) = sea_orm::TransactionTrait::begin(&db).await {
                held.push(txn);
            }
            if held.len() == 2 {
                break;
            }
        }
        assert_eq!(held.len(), 2, "the pool's connections");
        let r = login(&app, "198.51.100.30", "someone@example.com", PASSWORD).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{backend:?}: {}", r.body);
        assert_eq!(r.retry_after.as_deref(), Some("1"));
        assert_eq!(r.body["status"], 503);
        // Through the idempotency layer too.
        let body = json!({"email": "someone@example.com", "password": PASSWORD});
        let r = post(&app, "/api/v1/auth/login", "198.51.100.30", body, Some("k1")).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{backend:?}: {}", r.body);
        assert!(r.retry_after.is_some());
        drop(held);

        let r = login(&app, "198.51.100.30", "someone@example.com", PASSWORD).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{backend:?}: served again: {}", r.body);
        env.cleanup().await;
    }
}

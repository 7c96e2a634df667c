//! Login throttling and bounded hashing. The client's address is what the
//! gateway hands an in-process service: a `ClientIp` in the request's
//! extensions.

use std::sync::Arc;

use axum::http::StatusCode;
use kit::testing::TestEnv;
use serde_json::json;

use crate::support::{PASSWORD, TestApp, unshare};

/// Statuses of many wrong-password logins sent at once (each its own task,
/// so they run in parallel), `(from, email)` each.
async fn at_once(app: &Arc<TestApp>, attempts: Vec<(String, String)>) -> Vec<StatusCode> {
    let calls = attempts.into_iter().map(|(from, email)| {
        let app = app.clone();
        tokio::spawn(async move { app.login_from(&from, &email, "not the password").await.status })
    });
    futures::future::join_all(calls).await.into_iter().map(Result::unwrap).collect()
}

fn count(statuses: &[StatusCode], s: StatusCode) -> usize {
    statuses.iter().filter(|x| **x == s).count()
}

kit::per_backend! {
    async fn concurrent_guesses_at_one_account_never_get_past_the_pair_limit(backend: Backend) {
        let app = Arc::new(TestApp::start(backend).await);
        let victim = "victim@example.com";
        app.register(victim).await;

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
        let owner = app.login_from("198.51.100.7", victim, PASSWORD).await;
        assert_eq!(owner.status, StatusCode::OK, "{backend:?}: {}", owner.body);
        unshare(app).cleanup().await;
    }

    async fn concurrent_guesses_from_one_address_never_get_past_the_address_limit(backend: Backend) {
        let app = Arc::new(TestApp::start(backend).await);
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
        unshare(app).cleanup().await;
    }

    async fn a_guesser_is_throttled_and_the_owner_is_not(backend: Backend) {
        let mut env = TestEnv::new(backend);
        env.settings.login_max_failures_per_account = 25;
        let app = TestApp::start_in(env).await;
        let owner = "owner@example.com";
        app.register(owner).await;

        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(app.login_from("203.0.113.9", owner, "guess").await.status);
        }
        assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), 10, "{backend:?}: {statuses:?}");
        let throttled = app.login_from("203.0.113.9", owner, PASSWORD).await;
        assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS, "even the right password from there");
        assert!(throttled.header("retry-after").is_some());
        for _ in 0..5 {
            let r = app.login_from("198.51.100.20", owner, PASSWORD).await;
            assert_eq!(r.status, StatusCode::OK, "{backend:?}: the owner elsewhere: {}", r.body);
        }

        // Successes do not use up the account's hourly allowance (25 here,
        // 10 failures so far): 14 more failures from other addresses still
        // leave the owner in, the 15th locks the account for everyone.
        for i in 0..14 {
            let from = format!("192.0.2.{}", 10 + i % 3);
            assert_eq!(app.login_from(&from, owner, "guess").await.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(app.login_from("198.51.100.20", owner, PASSWORD).await.status, StatusCode::OK);
        assert_eq!(app.login_from("192.0.2.50", owner, "guess").await.status, StatusCode::UNAUTHORIZED);
        let locked = app.login_from("198.51.100.21", owner, PASSWORD).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{backend:?}: account limit reached");
        app.cleanup().await;
    }

    async fn an_exhausted_pool_answers_503_with_retry_after(backend: Backend) {
        let mut env = TestEnv::new(backend);
        // Two: migrations on MySQL hold one (a named lock) while using another.
        env.settings.database_max_connections = Some(2);
        env.settings.database_acquire_timeout_ms = 1000;
        let app = TestApp::start_in(env).await;

        // Every connection of the pool, held by someone else (background
        // work may have one for a moment: wait our turn).
        let mut held = Vec::new();
        for _ in 0..40 {
            if let Ok(txn) = sea_orm::TransactionTrait::begin(&app.ctx.db).await {
                held.push(txn);
            }
            if held.len() == 2 {
                break;
            }
        }
        assert_eq!(held.len(), 2, "the pool's connections");
        let r = app.login_from("198.51.100.30", "someone@example.com", PASSWORD).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{backend:?}: {}", r.body);
        assert_eq!(r.header("retry-after"), Some("1"));
        assert_eq!(r.body["status"], 503);
        // Through the idempotency layer too.
        let body = json!({"email": "someone@example.com", "password": PASSWORD});
        let r = app.post_from("/api/v1/auth/login", "198.51.100.30", body, Some("k1")).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{backend:?}: {}", r.body);
        assert!(r.header("retry-after").is_some());
        drop(held);

        let r = app.login_from("198.51.100.30", "someone@example.com", PASSWORD).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{backend:?}: served again: {}", r.body);
        app.cleanup().await;
    }
}

//! Refresh rotation: single use, the replay window for racing refreshes
//! (reloads, two tabs), and reuse after it revoking the family.

use std::sync::Arc;

use axum::http::StatusCode;
use kit::testing::Reply;

use crate::support::{Session, TestApp, unshare};

/// `n` refreshes of `token` sent at once, each its own task (in parallel).
async fn at_once(
    app: &Arc<TestApp>,
    n: usize,
    refresh: impl Fn(Arc<TestApp>) -> tokio::task::JoinHandle<Reply>,
) -> Vec<Reply> {
    let calls = (0..n).map(|_| refresh(app.clone()));
    futures::future::join_all(calls).await.into_iter().map(Result::unwrap).collect()
}

kit::per_backend! {
    async fn a_refresh_rotates_the_token_once(backend: Backend) {
        let app = TestApp::start(backend).await;
        let first = app.register("once@example.com").await.refresh_token();
        let answer = app.refresh(&first).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let next = answer.refresh_token();
        assert_ne!(next, first);
        assert_eq!(
            app.api.get("/api/v1/auth/me").bearer(&answer.access_token()).send().await.status,
            StatusCode::OK
        );
        assert_eq!(app.refresh(&next).await.status, StatusCode::OK, "the successor rotates in turn");
        app.cleanup().await;
    }

    async fn concurrent_refreshes_with_one_token_all_get_the_same_new_pair(backend: Backend) {
        let app = Arc::new(TestApp::start(backend).await);
        let token = app.register("race@example.com").await.refresh_token();
        let answers = at_once(&app, 8, |app| {
            let token = token.clone();
            tokio::spawn(async move { app.refresh(&token).await })
        })
        .await;
        for a in &answers {
            assert_eq!(a.status, StatusCode::OK, "{backend:?}: {}", a.body);
        }
        let pairs: std::collections::HashSet<(String, String)> =
            answers.iter().map(|a| (a.access_token(), a.refresh_token())).collect();
        assert_eq!(pairs.len(), 1, "{backend:?}: {} different pairs for one token", pairs.len());
        let (access, next) = pairs.into_iter().next().unwrap();
        assert_ne!(next, token);
        assert_eq!(
            app.api.get("/api/v1/auth/me").bearer(&access).send().await.status,
            StatusCode::OK,
            "the session lives"
        );
        let rows = app.query_strings("SELECT family_id FROM refresh_tokens").await;
        assert_eq!(rows.len(), 2, "{backend:?}: one successor was issued, not eight");
        assert_eq!(app.refresh(&next).await.status, StatusCode::OK, "the shared successor still rotates");
        unshare(app).cleanup().await;
    }

    async fn concurrent_browser_refreshes_with_one_cookie_all_get_the_same_new_cookie(backend: Backend) {
        let app = Arc::new(TestApp::start(backend).await);
        let cookie = app.register_in_browser("tabs@example.com").await.cookie_pair();
        let answers = at_once(&app, 2, |app| {
            let cookie = cookie.clone();
            tokio::spawn(async move { app.refresh_in_browser(&cookie).await })
        })
        .await;
        for a in &answers {
            assert_eq!(a.status, StatusCode::OK, "{backend:?}: {}", a.body);
            assert!(a.body.get("refresh_token").is_none(), "the token stays in the cookie");
        }
        assert_eq!(answers[0].cookie_pair(), answers[1].cookie_pair(), "{backend:?}: one successor cookie");
        assert_ne!(answers[0].cookie_pair(), cookie);
        assert_eq!(answers[0].access_token(), answers[1].access_token());
        let next = app.refresh_in_browser(&answers[0].cookie_pair()).await;
        assert_eq!(next.status, StatusCode::OK, "the shared cookie still rotates");
        unshare(app).cleanup().await;
    }

    async fn a_reload_within_the_window_gets_the_same_pair_again(backend: Backend) {
        let app = TestApp::start(backend).await;
        let token = app.register("reload@example.com").await.refresh_token();
        let first = app.refresh(&token).await;
        let again = app.refresh(&token).await;
        assert_eq!(again.status, StatusCode::OK, "{backend:?}: {}", again.body);
        assert_eq!(
            (again.access_token(), again.refresh_token()),
            (first.access_token(), first.refresh_token())
        );
        let expires_in = again.body["expires_in"].as_i64().unwrap();
        assert!((1..=900).contains(&expires_in), "the access token's remaining lifetime: {expires_in}");
        app.cleanup().await;
    }

    async fn reuse_after_the_window_revokes_the_family(backend: Backend) {
        let app = TestApp::start(backend).await;
        let token = app.register("reuse@example.com").await.refresh_token();
        let rotated = app.refresh(&token).await;
        app.age_rotations(auth::rotation::REPLAY_WINDOW.num_seconds() + 1).await;
        assert_eq!(app.refresh(&token).await.status, StatusCode::UNAUTHORIZED, "{backend:?}: reuse");
        assert_eq!(
            app.refresh(&rotated.refresh_token()).await.status,
            StatusCode::UNAUTHORIZED,
            "{backend:?}: the whole family is revoked"
        );
        app.cleanup().await;
    }

    async fn no_token_is_stored_in_clear(backend: Backend) {
        let app = TestApp::start(backend).await;
        let token = app.register("clear@example.com").await.refresh_token();
        let rotated = app.refresh(&token).await;
        let stored = app
            .query_strings("SELECT token_hash FROM refresh_tokens UNION ALL SELECT successor_sealed FROM refresh_tokens WHERE successor_sealed IS NOT NULL")
            .await;
        assert_eq!(stored.len(), 3, "two hashes and one sealed successor");
        for value in &stored {
            for secret in [&token, &rotated.refresh_token(), &rotated.access_token()] {
                assert!(!value.contains(secret.as_str()), "{backend:?}: a token in clear");
            }
        }
        app.cleanup().await;
    }
}

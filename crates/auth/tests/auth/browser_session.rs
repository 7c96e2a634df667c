//! The refresh token as an HttpOnly cookie (the web app's sessions).

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{BROWSER, PASSWORD, Session, TestApp};

/// A browser session's cookie, rotated once (so it is a fresh, unused one).
async fn rotated_cookie(app: &TestApp) -> String {
    let cookie = app.register_in_browser("cookie@example.com").await.cookie_pair();
    app.refresh_in_browser(&cookie).await.cookie_pair()
}

kit::per_backend! {
    async fn browser_sessions_keep_the_refresh_token_in_an_httponly_cookie(backend: Backend) {
        let app = TestApp::start(backend).await;
        let answer = app.register_in_browser("cookie@example.com").await;
        let body = &answer.body;
        assert!(body.get("refresh_token").is_none(), "{backend:?}: token left in the body: {body}");
        assert!(body["access_token"].is_string());
        let issued = answer.set_cookie();
        for attr in ["qc_refresh=", "HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age="] {
            assert!(issued.contains(attr), "{backend:?}: {attr} missing in {issued}");
        }
        assert!(!issued.contains("Secure"), "plain http public URL: no Secure flag");
        app.cleanup().await;
    }

    async fn a_refresh_with_the_cookie_alone_rotates_it(backend: Backend) {
        let app = TestApp::start(backend).await;
        let cookie = app.register_in_browser("cookie@example.com").await.cookie_pair();
        let answer = app.refresh_in_browser(&cookie).await;
        assert_eq!(answer.status, StatusCode::OK, "{backend:?}: {}", answer.body);
        assert!(answer.body.get("refresh_token").is_none() && answer.body["access_token"].is_string());
        assert_ne!(answer.cookie_pair(), cookie);
        app.cleanup().await;
    }

    async fn the_cookie_is_not_honoured_without_the_header(backend: Backend) {
        let app = TestApp::start(backend).await;
        let rotated = rotated_cookie(&app).await;
        // The CSRF guard.
        let answer = app
            .api
            .post("/api/v1/auth/refresh")
            .headers(&[("cookie", &rotated)])
            .json(&json!({}))
            .send()
            .await;
        assert!(answer.status.is_client_error() && answer.status != StatusCode::OK);
        app.cleanup().await;
    }

    async fn a_request_from_another_site_is_refused_before_anything_is_read(backend: Backend) {
        let app = TestApp::start(backend).await;
        let rotated = rotated_cookie(&app).await;
        let cross = [BROWSER, ("cookie", rotated.as_str()), ("origin", "https://evil.example")];
        let answer = app.api.post("/api/v1/auth/refresh").headers(&cross).json(&Value::Null).send().await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
        let cross = [BROWSER, ("cookie", rotated.as_str()), ("sec-fetch-site", "cross-site")];
        assert_eq!(
            app.api.post("/api/v1/auth/refresh").headers(&cross).json(&Value::Null).send().await.status,
            StatusCode::FORBIDDEN
        );
        // Same origin passes (the rotated cookie is still unused).
        let same =
            [BROWSER, ("cookie", rotated.as_str()), ("origin", "http://app.test"), ("host", "app.test")];
        let answer = app.api.post("/api/v1/auth/refresh").headers(&same).json(&Value::Null).send().await;
        assert_eq!(answer.status, StatusCode::OK, "{backend:?}: {}", answer.body);
        assert!(answer.set_cookie().starts_with("qc_refresh="));
        app.cleanup().await;
    }

    async fn reusing_a_rotated_cookie_after_the_replay_window_is_refused_and_clears_it(backend: Backend) {
        let app = TestApp::start(backend).await;
        let cookie = app.register_in_browser("cookie@example.com").await.cookie_pair();
        let rotated = app.refresh_in_browser(&cookie).await.cookie_pair();
        app.age_rotations(auth::rotation::REPLAY_WINDOW.num_seconds() + 1).await;
        let answer = app.refresh_in_browser(&cookie).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert!(answer.set_cookie().contains("Max-Age=0"), "{}", answer.set_cookie());
        let answer = app.refresh_in_browser(&rotated).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{backend:?}: the family is revoked");
        app.cleanup().await;
    }

    async fn json_clients_keep_the_body_fields(backend: Backend) {
        let app = TestApp::start(backend).await;
        app.register_in_browser("cookie@example.com").await;
        let answer = app.login("cookie@example.com", PASSWORD).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert!(answer.body["refresh_token"].is_string() && answer.set_cookie().is_empty());
        app.cleanup().await;
    }

    async fn logout_with_the_cookie_ends_the_session_and_clears_it(backend: Backend) {
        let app = TestApp::start(backend).await;
        app.register_in_browser("cookie@example.com").await;
        let login = json!({"email": "cookie@example.com", "password": PASSWORD});
        let session = app.api.post("/api/v1/auth/login").headers(&[BROWSER]).json(&login).send().await;
        let session_cookie = session.cookie_pair();
        let bearer = format!("Bearer {}", session.access_token());
        let answer = app
            .api
            .post("/api/v1/auth/logout")
            .headers(&[BROWSER, ("cookie", &session_cookie), ("authorization", &bearer)])
            .json(&Value::Null)
            .send()
            .await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT);
        assert!(answer.set_cookie().contains("Max-Age=0"));
        let answer = app.refresh_in_browser(&session_cookie).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "logged-out cookie no longer refreshes");
        app.cleanup().await;
    }
}

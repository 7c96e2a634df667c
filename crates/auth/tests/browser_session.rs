//! The refresh token as an HttpOnly cookie (the web app's sessions).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::{
    Router,
    body::Body,
    http::{Request, Response, StatusCode},
};
use http_body_util::BodyExt;
use kit::{
    identity::JwtVerifier,
    testing::{TestEnv, TestIssuer, backends},
};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn start(env: &TestEnv) -> Router {
    let mut ctx = env.context("auth", &TestIssuer::new()).await;
    ctx.verifier =
        Arc::new(JwtVerifier::new(Arc::new(auth::LocalJwks::new(ctx.db.clone(), ctx.keyring.clone()))));
    auth::start(ctx).await.unwrap().router
}

async fn post(app: &Router, path: &str, headers: &[(&str, &str)], body: Value) -> (Response<()>, Value) {
    let mut req = Request::builder().method("POST").uri(path).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (Response::from_parts(parts, ()), serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn set_cookie(res: &Response<()>) -> String {
    res.headers().get("set-cookie").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// `qc_refresh=<value>` as a browser would send it back.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

fn registration(email: &str) -> Value {
    json!({"name": "Salma", "email": email, "password": "long enough pw", "gender": "female", "phone": "0611223344",
           "cin": "CD12345", "birth_date": "1990-02-03", "address": {"street": "3 Rue Atlas", "city": "Rabat"}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sessions_keep_the_refresh_token_in_an_httponly_cookie() {
    for backend in backends() {
        let env = TestEnv::new(backend);
        let app = start(&env).await;
        let browser = [("x-refresh-cookie", "1")];

        let (res, body) =
            post(&app, "/api/v1/auth/register", &browser, registration("cookie@example.com")).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{body}");
        assert!(body.get("refresh_token").is_none(), "{backend:?}: token left in the body: {body}");
        assert!(body["access_token"].is_string());
        let issued = set_cookie(&res);
        for attr in ["qc_refresh=", "HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age="] {
            assert!(issued.contains(attr), "{backend:?}: {attr} missing in {issued}");
        }
        assert!(!issued.contains("Secure"), "plain http public URL: no Secure flag");

        // Refresh with the cookie alone rotates it.
        let cookie = cookie_pair(&issued);
        let (res, body) =
            post(&app, "/api/v1/auth/refresh", &[browser[0], ("cookie", &cookie)], Value::Null).await;
        assert_eq!(res.status(), StatusCode::OK, "{backend:?}: {body}");
        assert!(body.get("refresh_token").is_none() && body["access_token"].is_string());
        let rotated = cookie_pair(&set_cookie(&res));
        assert_ne!(rotated, cookie);

        // Without the header the cookie is not honoured (CSRF guard) ...
        let (res, _) = post(&app, "/api/v1/auth/refresh", &[("cookie", &rotated)], json!({})).await;
        assert!(res.status().is_client_error() && res.status() != StatusCode::OK);
        // ... and a request from another site is refused before anything is read.
        let cross = [browser[0], ("cookie", rotated.as_str()), ("origin", "https://evil.example")];
        let (res, body) = post(&app, "/api/v1/auth/refresh", &cross, Value::Null).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{body}");
        let cross = [browser[0], ("cookie", rotated.as_str()), ("sec-fetch-site", "cross-site")];
        assert_eq!(
            post(&app, "/api/v1/auth/refresh", &cross, Value::Null).await.0.status(),
            StatusCode::FORBIDDEN
        );
        // Same origin passes (the rotated cookie is still unused).
        let same =
            [browser[0], ("cookie", rotated.as_str()), ("origin", "http://app.test"), ("host", "app.test")];
        let (res, body) = post(&app, "/api/v1/auth/refresh", &same, Value::Null).await;
        assert_eq!(res.status(), StatusCode::OK, "{backend:?}: {body}");
        assert!(set_cookie(&res).starts_with("qc_refresh="));

        // Reusing a rotated cookie is refused and clears the cookie.
        let (res, _) =
            post(&app, "/api/v1/auth/refresh", &[browser[0], ("cookie", &cookie)], Value::Null).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert!(set_cookie(&res).contains("Max-Age=0"), "{}", set_cookie(&res));

        // JSON clients keep the body fields.
        let login = json!({"email": "cookie@example.com", "password": "long enough pw"});
        let (res, body) = post(&app, "/api/v1/auth/login", &[], login.clone()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(body["refresh_token"].is_string() && set_cookie(&res).is_empty());

        // Logout with the cookie ends the session and clears it.
        let login_res = post(&app, "/api/v1/auth/login", &browser, login).await;
        let session_cookie = cookie_pair(&set_cookie(&login_res.0));
        let bearer = format!("Bearer {}", login_res.1["access_token"].as_str().unwrap());
        let (res, _) = post(
            &app,
            "/api/v1/auth/logout",
            &[browser[0], ("cookie", &session_cookie), ("authorization", &bearer)],
            Value::Null,
        )
        .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert!(set_cookie(&res).contains("Max-Age=0"));
        let (res, _) =
            post(&app, "/api/v1/auth/refresh", &[browser[0], ("cookie", &session_cookie)], Value::Null).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "logged-out cookie no longer refreshes");
        env.cleanup().await;
    }
}

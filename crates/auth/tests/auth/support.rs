//! [`TestApp`]: one auth service with typed calls, for every test module.

use std::{net::IpAddr, sync::Arc};

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode},
};
use http_body_util::BodyExt;
use kit::{
    http::ClientIp,
    identity::JwtVerifier,
    service::ServiceContext,
    testing::{Backend, TestEnv, TestIssuer},
};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The password every account of these tests registers with.
pub const PASSWORD: &str = "long enough pw";

/// The header a browser client sends for the cookie transport.
pub const BROWSER: (&str, &str) = ("x-refresh-cookie", "1");

/// An auth service whose tokens its own verifier checks (with the
/// revocations of its env), as in production.
pub struct TestApp {
    pub env: TestEnv,
    pub ctx: ServiceContext,
    pub router: Router,
}

/// What came back: status, headers and the body (JSON, or `Null`).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Set-Cookie` header, or "".
    pub fn set_cookie(&self) -> &str {
        self.header("set-cookie").unwrap_or_default()
    }

    /// `qc_refresh=<value>` as a browser would send the cookie back.
    pub fn cookie_pair(&self) -> String {
        self.set_cookie().split(';').next().unwrap_or_default().to_owned()
    }

    pub fn access_token(&self) -> String {
        self.body["access_token"].as_str().unwrap().to_owned()
    }

    pub fn refresh_token(&self) -> String {
        self.body["refresh_token"].as_str().unwrap().to_owned()
    }
}

/// The app back from the tasks it was shared with (all finished).
pub fn unshare(app: Arc<TestApp>) -> TestApp {
    Arc::into_inner(app).expect("every task holding the app has finished")
}

/// A patient registration with `email` and [`PASSWORD`].
pub fn registration(email: &str) -> Value {
    json!({"name": "Omar", "email": email, "password": PASSWORD, "gender": "male", "phone": "0611223344",
           "cin": "AB12345", "birth_date": "1985-06-01", "address": {"street": "2 Rue Fassi", "city": "Fès"}})
}

impl TestApp {
    pub async fn start(backend: Backend) -> Self {
        Self::start_in(TestEnv::new(backend)).await
    }

    /// In `env`, for tests that change its settings first.
    pub async fn start_in(env: TestEnv) -> Self {
        let mut ctx = env.context("auth", &TestIssuer::new()).await;
        let source = Arc::new(auth::LocalJwks::new(ctx.db.clone(), ctx.keyring.clone()));
        ctx.verifier = Arc::new(JwtVerifier::new(source).with_revocations(env.revocations().await));
        let router = auth::start(ctx.clone()).await.unwrap().router;
        Self { env, ctx, router }
    }

    pub async fn cleanup(self) {
        self.env.cleanup().await;
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let (parts, body) = res.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes().to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status: parts.status, headers: parts.headers, bytes, body }
    }

    /// A request with `headers` and a body of type `content_type`.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        content_type: &str,
        body: impl Into<Body>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(path).header("content-type", content_type);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(body.into()).unwrap()).await
    }

    /// A JSON request, with the bearer `token` when given.
    pub async fn json(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Answer {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = bearer.iter().map(|b| ("authorization", b.as_str())).collect();
        self.call(method, path, &headers, "application/json", body.to_string()).await
    }

    /// A JSON POST with extra headers (a browser's cookie and origin).
    pub async fn post_with(&self, path: &str, headers: &[(&str, &str)], body: Value) -> Answer {
        self.call("POST", path, headers, "application/json", body.to_string()).await
    }

    /// A JSON POST as the gateway hands it over from client address `from`,
    /// with an `Idempotency-Key` when given.
    pub async fn post_from(&self, path: &str, from: &str, body: Value, key: Option<&str>) -> Answer {
        let ip: IpAddr = from.parse().unwrap();
        let mut req = Request::builder().method("POST").uri(path).header("content-type", "application/json");
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        let mut req = req.body(Body::from(body.to_string())).unwrap();
        req.extensions_mut().insert(ClientIp(Some(ip)));
        self.send(req).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = bearer.iter().map(|b| ("authorization", b.as_str())).collect();
        self.call("GET", path, &headers, "application/json", Body::empty()).await
    }

    /// Registers a patient (201 asserted) and returns the session answer.
    pub async fn register(&self, email: &str) -> Answer {
        let answer = self.json("POST", "/api/v1/auth/register", None, registration(email)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        answer
    }

    pub async fn login(&self, email: &str, password: &str) -> Answer {
        self.json("POST", "/api/v1/auth/login", None, json!({"email": email, "password": password})).await
    }

    /// A login from client address `from`.
    pub async fn login_from(&self, from: &str, email: &str, password: &str) -> Answer {
        self.post_from("/api/v1/auth/login", from, json!({"email": email, "password": password}), None).await
    }

    /// Registers a patient with the browser's cookie transport (201
    /// asserted) and returns the answer, its cookie in `Set-Cookie`.
    pub async fn register_in_browser(&self, email: &str) -> Answer {
        let answer = self.post_with("/api/v1/auth/register", &[BROWSER], registration(email)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        answer
    }

    /// A browser's refresh: the header and the `qc_refresh=…` cookie pair.
    pub async fn refresh_in_browser(&self, cookie: &str) -> Answer {
        self.post_with("/api/v1/auth/refresh", &[BROWSER, ("cookie", cookie)], Value::Null).await
    }

    /// A JSON client's refresh.
    pub async fn refresh(&self, refresh_token: &str) -> Answer {
        self.json("POST", "/api/v1/auth/refresh", None, json!({"refresh_token": refresh_token})).await
    }

    /// One row of a raw query's first column, as text.
    pub async fn query_strings(&self, sql: &str) -> Vec<String> {
        let backend = self.ctx.db.get_database_backend();
        let rows = self.ctx.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
        rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
    }

    /// Moves every rotation back by `secs`, as if that long had passed
    /// since the used refresh tokens were used.
    pub async fn age_rotations(&self, secs: i64) {
        let backend = self.ctx.db.get_database_backend();
        let at = chrono::Utc::now() - chrono::TimeDelta::seconds(secs);
        let sql = "UPDATE refresh_tokens SET used_at = ? WHERE used_at IS NOT NULL";
        self.ctx.db.execute_raw(Statement::from_sql_and_values(backend, sql, [at.into()])).await.unwrap();
    }
}

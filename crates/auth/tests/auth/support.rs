//! [`TestApp`]: one auth service with typed calls, for every test module.

use std::{net::IpAddr, sync::Arc};

use axum::http::StatusCode;
use kit::{
    http::ClientIp,
    identity::JwtVerifier,
    service::ServiceContext,
    testing::{Backend, Reply, TestClient, TestEnv, TestIssuer},
};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// The password every account of these tests registers with.
pub const PASSWORD: &str = "long enough pw";

/// The header a browser client sends for the cookie transport.
pub const BROWSER: (&str, &str) = ("x-refresh-cookie", "1");

/// An auth service whose tokens its own verifier checks (with the
/// revocations of its env), as in production.
pub struct TestApp {
    pub env: TestEnv,
    pub ctx: ServiceContext,
    /// Calls the router in process.
    pub api: TestClient,
}

/// What an auth answer carries besides its status and body: the session
/// cookie and the tokens.
pub trait Session {
    /// The `Set-Cookie` header, or "".
    fn set_cookie(&self) -> &str;
    /// `qc_refresh=<value>` as a browser would send the cookie back.
    fn cookie_pair(&self) -> String;
    fn access_token(&self) -> String;
    fn refresh_token(&self) -> String;
}

impl Session for Reply {
    fn set_cookie(&self) -> &str {
        self.header("set-cookie").unwrap_or_default()
    }

    fn cookie_pair(&self) -> String {
        self.set_cookie().split(';').next().unwrap_or_default().to_owned()
    }

    fn access_token(&self) -> String {
        self.body["access_token"].as_str().unwrap().to_owned()
    }

    fn refresh_token(&self) -> String {
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
        let api = TestClient::router(auth::start(ctx.clone()).await.unwrap().router);
        Self { env, ctx, api }
    }

    pub async fn cleanup(self) {
        self.env.cleanup().await;
    }

    /// A JSON POST as the gateway hands it over from client address `from`,
    /// with an `Idempotency-Key` when given.
    pub async fn post_from(&self, path: &str, from: &str, body: Value, key: Option<&str>) -> Reply {
        let ip: IpAddr = from.parse().unwrap();
        let call = self.api.post(path).json(&body).extension(ClientIp(Some(ip)));
        match key {
            Some(k) => call.header("idempotency-key", k),
            None => call,
        }
        .send()
        .await
    }

    /// Registers a patient (201 asserted) and returns the session answer.
    pub async fn register(&self, email: &str) -> Reply {
        let answer = self.api.post("/api/v1/auth/register").json(&registration(email)).send().await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        answer
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.api.post("/api/v1/auth/login").json(&json!({"email": email, "password": password})).send().await
    }

    /// A login from client address `from`.
    pub async fn login_from(&self, from: &str, email: &str, password: &str) -> Reply {
        self.post_from("/api/v1/auth/login", from, json!({"email": email, "password": password}), None).await
    }

    /// Registers a patient with the browser's cookie transport (201
    /// asserted) and returns the answer, its cookie in `Set-Cookie`.
    pub async fn register_in_browser(&self, email: &str) -> Reply {
        let answer = self
            .api
            .post("/api/v1/auth/register")
            .headers(&[BROWSER])
            .json(&registration(email))
            .send()
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        answer
    }

    /// A browser's refresh: the header and the `qc_refresh=…` cookie pair.
    pub async fn refresh_in_browser(&self, cookie: &str) -> Reply {
        self.api
            .post("/api/v1/auth/refresh")
            .headers(&[BROWSER, ("cookie", cookie)])
            .json(&Value::Null)
            .send()
            .await
    }

    /// A JSON client's refresh.
    pub async fn refresh(&self, refresh_token: &str) -> Reply {
        self.api.post("/api/v1/auth/refresh").json(&json!({"refresh_token": refresh_token})).send().await
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

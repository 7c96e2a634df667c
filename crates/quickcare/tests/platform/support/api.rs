//! A thin HTTP client for the platform's API, as a web client would use it.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Self { base: base.trim_end_matches('/').to_owned(), http: reqwest::Client::new() }
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut req =
            self.http.request(method, format!("{}{path}", self.base)).timeout(Duration::from_secs(30));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply { status, headers, body }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    /// Registers a patient; returns (user id, access token, refresh token).
    pub async fn register(&self, email: &str, cin: &str) -> (i64, String, String) {
        let r = self.post("/api/v1/auth/register", None, registration(email, cin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "register {email}: {}", r.body);
        (
            r.body["user"]["id"].as_i64().unwrap(),
            r.body["access_token"].as_str().unwrap().to_owned(),
            r.body["refresh_token"].as_str().unwrap().to_owned(),
        )
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post("/api/v1/auth/login", None, json!({"email": email, "password": password})).await
    }

    /// An admin (`admin` is their token) enrols doctor `name` in `specialty`;
    /// the doctor's id and access token.
    pub async fn create_doctor(&self, admin: &str, specialty: &Value, name: &str) -> (i64, String) {
        let email = unique_email("doc");
        let enrolment = json!({"name": name, "email": email, "password": PASSWORD, "gender": "female",
            "phone": "0522123456", "birth_date": "1975-03-03", "address": {"street": "1 Rue Oqba", "city": "Rabat"},
            "degree": "MD", "specialty_id": specialty, "timezone": "Africa/Casablanca"});
        let created = self.post("/api/v1/doctors", Some(admin), enrolment).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let token = self.login(&email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
        (created.body["id"].as_i64().unwrap(), token)
    }

    /// Polls `GET /patients/me` until the profile exists; returns it and how long it took.
    pub async fn wait_profile(&self, token: &str, deadline: Duration) -> (Value, Duration) {
        let start = Instant::now();
        loop {
            let r = self.get("/api/v1/patients/me", Some(token)).await;
            if r.status == StatusCode::OK {
                return (r.body, start.elapsed());
            }
            assert!(
                start.elapsed() < deadline,
                "no patient profile after {deadline:?}: {} {}",
                r.status,
                r.body
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

pub const PASSWORD: &str = "correct horse battery";

pub fn registration(email: &str, cin: &str) -> Value {
    json!({
        "name": "Amina El Amrani",
        "email": email,
        "password": PASSWORD,
        "gender": "female",
        "phone": "0612345678",
        "cin": cin,
        "birth_date": "1990-04-12",
        "address": {"street": "12 Rue Tazi", "city": "Rabat"}
    })
}

pub fn unique_email(tag: &str) -> String {
    format!("{tag}-{}@example.com", &uuid::Uuid::new_v4().simple().to_string()[..10])
}

pub fn unique_cin() -> String {
    format!("BK{}", &uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase())
}

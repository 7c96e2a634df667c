//! The platform's API as a web client uses it: a [`TestClient`] on the
//! gateway's URL, and the account flows most tests begin with.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::{net::IpAddr, time::Duration};

pub use kit::testing::Reply;
use kit::testing::{TestClient, eventually_within};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[derive(Clone)]
pub struct Api {
    /// Every request goes through it.
    pub client: TestClient,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Self { client: TestClient::url(base) }
    }

    /// From local address `local` (each party of an edge test has its own).
    pub fn from_address(base: &str, local: IpAddr) -> Self {
        Self { client: TestClient::url_from(base, local) }
    }

    /// The gateway's base URL.
    pub fn base(&self) -> &str {
        self.client.base().unwrap_or_default()
    }

    /// `GET path`, as `token` when given.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.client.get(path).maybe_bearer(token).send().await
    }

    /// `POST path` with a JSON `body`, as `token` when given.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.client.post(path).maybe_bearer(token).json(&body).send().await
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

    /// Polls `GET /patients/me` until the profile exists (it comes by
    /// event), for up to `limit`; the profile.
    pub async fn wait_profile(&self, token: &str, limit: Duration) -> Value {
        eventually_within("the patient profile", limit, || async {
            let r = self.get("/api/v1/patients/me", Some(token)).await;
            (r.status == StatusCode::OK).then_some(r.body)
        })
        .await
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

//! The appointment service served on a loopback port, with its read
//! models fed through the real bus, for the service's own tests.
#![allow(dead_code)]

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use kit::{
    events::{Event, catalog},
    identity::Role,
    service::ServiceContext,
    testing::{Backend, TestEnv, TestIssuer},
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub struct Fixture {
    pub env: TestEnv,
    pub issuer: Arc<TestIssuer>,
    pub ctx: ServiceContext,
    pub base: String,
    pub http: reqwest::Client,
    pub admin: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Fixture {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(TestEnv::new(backend)).await
    }

    pub async fn start_with(env: TestEnv) -> Self {
        let issuer = TestIssuer::new();
        let ctx = env.context("appointment", &issuer).await;
        let base = serve(ctx.clone()).await;
        let admin = issuer.token(1, Role::Admin);
        Self { env, issuer, ctx, base, http: reqwest::Client::new(), admin }
    }

    /// Another instance of the service on the same database and bus.
    pub async fn replica(&self) -> String {
        serve(self.env.context("appointment", &self.issuer).await).await
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        call(&self.http, &self.base, method, path, token, body).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// A doctor known to the service (as the doctor service would announce it).
    pub async fn doctor(&self, doctor_id: i64, user_id: i64, timezone: &str) -> String {
        let data = catalog::DoctorChanged {
            doctor_id,
            user_id,
            name: format!("Dr {doctor_id}"),
            specialty_id: 1,
            city: Some("Rabat".into()),
            timezone: timezone.into(),
            status: "active".into(),
        };
        self.publish(catalog::DOCTOR_CHANGED, serde_json::to_value(data).unwrap()).await;
        let token = self.issuer.token(user_id, Role::Doctor);
        self.wait_until(&format!("/api/v1/availability?doctor_id={doctor_id}&date=2030-01-01"), None).await;
        token
    }

    /// A patient known to the service (as the patient service would announce it).
    pub async fn patient(&self, patient_id: i64, user_id: i64) -> String {
        let data = catalog::PatientRegistered { patient_id, user_id, name: format!("Patient {patient_id}") };
        self.publish(catalog::PATIENT_REGISTERED, serde_json::to_value(data).unwrap()).await;
        let token = self.issuer.token(user_id, Role::Patient);
        self.wait_until("/api/v1/appointments", Some(&token)).await;
        token
    }

    pub async fn publish(&self, kind: &str, data: Value) {
        self.ctx.bus.publish(&Event::new("test", kind, None, data)).await.unwrap();
    }

    async fn wait_until(&self, path: &str, token: Option<&str>) {
        for _ in 0..400 {
            if self.get(path, token).await.status == StatusCode::OK {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{path} never answered 200");
    }

    /// Creates a slot and returns its id.
    pub async fn slot(&self, doctor_token: &str, body: Value) -> i64 {
        let r = self.post("/api/v1/schedules", doctor_token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body["id"].as_i64().unwrap()
    }

    /// A one-off slot starting `minutes_ahead` from now (rounded up to the
    /// minute) in `tz`; returns (schedule id, date).
    pub async fn slot_in(&self, doctor_token: &str, tz: Tz, minutes_ahead: i64) -> (i64, NaiveDate) {
        let start = Utc::now() + chrono::Duration::minutes(minutes_ahead);
        let local = start.with_timezone(&tz);
        let date = local.date_naive();
        let time =
            NaiveTime::from_hms_opt(chrono::Timelike::hour(&local), chrono::Timelike::minute(&local), 0)
                .unwrap()
                + chrono::Duration::minutes(1);
        let end = time + chrono::Duration::minutes(30);
        assert!(end > time, "slot would cross midnight; the caller picks another offset");
        let id = self
            .slot(
                doctor_token,
                json!({"specific_date": date, "start": time.format("%H:%M").to_string(), "end": end.format("%H:%M").to_string()}),
            )
            .await;
        (id, date)
    }

    pub async fn book(&self, token: &str, doctor_id: i64, schedule_id: i64, date: NaiveDate) -> Reply {
        self.post(
            "/api/v1/appointments",
            token,
            json!({"doctor_id": doctor_id, "schedule_id": schedule_id, "date": date, "reason": "checkup"}),
        )
        .await
    }

    pub async fn cleanup(self) {
        self.ctx.shutdown.cancel();
        self.env.cleanup().await;
    }
}

pub async fn call(
    http: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut req = http.request(method, format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let body = res.json::<Value>().await.unwrap_or(Value::Null);
    Reply { status, body }
}

/// Starts the service and serves it on a fresh loopback port.
async fn serve(ctx: ServiceContext) -> String {
    let handle = appointment::start(ctx.clone()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = ctx.shutdown.clone();
    tokio::spawn(async move {
        axum::serve(listener, handle.router.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await
            .unwrap();
    });
    format!("http://{addr}")
}

/// The next date on or after `from` that falls on `day`.
pub fn next_weekday(from: NaiveDate, day: chrono::Weekday) -> NaiveDate {
    let mut d = from;
    while chrono::Datelike::weekday(&d) != day {
        d = d.succ_opt().unwrap();
    }
    d
}

pub fn instant(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

//! The appointment service served on a loopback port, with its read
//! models fed through the real bus, and typed calls for its API.

pub mod clinic;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use kit::ids::{DoctorId, PatientId, SpecialtyId, UserId};
use kit::{
    events::{Event, catalog},
    identity::Role,
    service::ServiceContext,
    testing::{Backend, Reply, TestClient, TestEnv, TestIssuer, eventually},
};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

pub struct TestApp {
    pub env: TestEnv,
    pub issuer: Arc<TestIssuer>,
    pub ctx: ServiceContext,
    /// Calls the service over HTTP.
    pub api: TestClient,
    pub admin: String,
}

impl TestApp {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(TestEnv::new(backend)).await
    }

    pub async fn start_with(env: TestEnv) -> Self {
        let issuer = TestIssuer::new();
        let ctx = env.context("appointment", &issuer).await;
        let api = TestClient::url(&serve(ctx.clone()).await);
        let admin = issuer.token(1, Role::Admin);
        Self { env, issuer, ctx, api, admin }
    }

    /// Another instance of the service on the same database and bus.
    pub async fn replica(&self) -> TestClient {
        TestClient::url(&serve(self.env.context("appointment", &self.issuer).await).await)
    }

    /// A doctor known to the service (as the doctor service would announce
    /// it); returns the doctor's token.
    pub async fn doctor(&self, doctor_id: i64, user_id: i64, timezone: &str) -> String {
        let data = catalog::DoctorChanged {
            doctor_id: DoctorId(doctor_id),
            user_id: UserId(user_id),
            name: format!("Dr {doctor_id}"),
            specialty_id: SpecialtyId(1),
            city: Some("Rabat".into()),
            timezone: timezone.into(),
            status: catalog::DoctorStatus::Active,
        };
        self.publish(catalog::EventType::DoctorChanged, serde_json::to_value(data).unwrap()).await;
        let token = self.issuer.token(user_id, Role::Doctor);
        self.answers_ok(&format!("/api/v1/availability?doctor_id={doctor_id}&date=2030-01-01"), None).await;
        token
    }

    /// A patient known to the service (as the patient service would
    /// announce it); returns the patient's token.
    pub async fn patient(&self, patient_id: i64, user_id: i64) -> String {
        let data = catalog::PatientRegistered {
            patient_id: PatientId(patient_id),
            user_id: UserId(user_id),
            name: format!("Patient {patient_id}"),
        };
        self.publish(catalog::EventType::PatientRegistered, serde_json::to_value(data).unwrap()).await;
        let token = self.issuer.token(user_id, Role::Patient);
        self.answers_ok("/api/v1/appointments", Some(&token)).await;
        token
    }

    pub async fn publish(&self, kind: catalog::EventType, data: Value) {
        self.ctx.bus.publish(&Event::new("test", kind, None, data)).await.unwrap();
    }

    async fn answers_ok(&self, path: &str, token: Option<&str>) {
        eventually(&format!("{path} to answer 200"), || async {
            (self.api.get(path).maybe_bearer(token).send().await.status == StatusCode::OK).then_some(())
        })
        .await;
    }

    /// `POST /api/v1/schedules`.
    pub async fn create_slot(&self, token: &str, body: Value) -> Reply {
        self.api.post("/api/v1/schedules").bearer(token).json(&body).send().await
    }

    /// Creates a slot and returns its id.
    pub async fn slot(&self, doctor_token: &str, body: Value) -> i64 {
        let r = self.create_slot(doctor_token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.id()
    }

    /// The first of `offsets` (minutes ahead) whose [`slot_in`](Self::slot_in)
    /// slot in `tz` ends on its own day (late in the evening a slot soon
    /// after now would cross midnight).
    pub fn same_day_in(tz: Tz, offsets: &[i64]) -> i64 {
        let fits = |minutes: i64| {
            let local = (Utc::now() + chrono::Duration::minutes(minutes)).with_timezone(&tz);
            chrono::Timelike::hour(&local) * 60 + chrono::Timelike::minute(&local) < 23 * 60 + 25
        };
        offsets.iter().copied().find(|m| fits(*m)).unwrap_or(offsets[offsets.len() - 1])
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

    /// `PATCH /api/v1/schedules/{id}`.
    pub async fn update_slot(&self, token: &str, id: i64, body: Value) -> Reply {
        self.api.patch(&format!("/api/v1/schedules/{id}")).bearer(token).json(&body).send().await
    }

    /// `DELETE /api/v1/schedules/{id}`.
    pub async fn delete_slot(&self, token: &str, id: i64) -> Reply {
        self.api.delete(&format!("/api/v1/schedules/{id}")).bearer(token).send().await
    }

    /// `GET /api/v1/availability?{query}`, unauthenticated as the API allows.
    pub async fn availability(&self, query: &str) -> Reply {
        self.api.get(&format!("/api/v1/availability?{query}")).send().await
    }

    pub async fn book(&self, token: &str, doctor_id: i64, schedule_id: i64, date: NaiveDate) -> Reply {
        self.book_on(&self.api, token, doctor_id, schedule_id, date).await
    }

    /// [`book`](Self::book) through `instance` (a replica).
    pub async fn book_on(
        &self,
        instance: &TestClient,
        token: &str,
        doctor_id: i64,
        schedule_id: i64,
        date: NaiveDate,
    ) -> Reply {
        let body =
            json!({"doctor_id": doctor_id, "schedule_id": schedule_id, "date": date, "reason": "checkup"});
        instance.post("/api/v1/appointments").bearer(token).json(&body).send().await
    }

    /// `GET /api/v1/appointments/{id}`.
    pub async fn appointment(&self, token: &str, id: i64) -> Reply {
        self.api.get(&format!("/api/v1/appointments/{id}")).bearer(token).send().await
    }

    /// `GET /api/v1/appointments?{query}`.
    pub async fn list(&self, token: Option<&str>, query: &str) -> Reply {
        self.api.get(&format!("/api/v1/appointments?{query}")).maybe_bearer(token).send().await
    }

    /// `POST /api/v1/appointments/{id}/{action}` (approve, cancel, complete,
    /// no-show, check-in, check-out) with `body`.
    pub async fn act(&self, token: &str, id: i64, action: &str, body: Value) -> Reply {
        self.api.post(&format!("/api/v1/appointments/{id}/{action}")).bearer(token).json(&body).send().await
    }

    /// `POST /api/v1/appointments/{id}/reschedule`.
    pub async fn reschedule(&self, token: &str, id: i64, schedule_id: i64, date: NaiveDate) -> Reply {
        self.act(token, id, "reschedule", json!({"schedule_id": schedule_id, "date": date})).await
    }

    /// A GET whose body is a file: (status, content type, bytes).
    pub async fn download(&self, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
        let file = self.api.get(path).bearer(token).send().await;
        let mime = file.header("content-type").unwrap_or_default().to_owned();
        (file.status, mime, file.bytes)
    }

    /// The single integer `sql` selects from the service's database.
    pub async fn count(&self, sql: &str) -> i64 {
        let backend = self.ctx.db.get_database_backend();
        let row = self.ctx.db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// Events of `kind` written to the outbox so far.
    pub async fn announced(&self, kind: catalog::EventType) -> i64 {
        let sql = "SELECT COUNT(*) FROM kit_outbox WHERE kind = ?";
        let stmt =
            Statement::from_sql_and_values(self.ctx.db.get_database_backend(), sql, [kind.as_str().into()]);
        let row = self.ctx.db.query_one_raw(stmt).await.unwrap().unwrap();
        row.try_get_by_index(0).unwrap()
    }

    /// The payloads' `data` of the events of `kind` in the outbox.
    pub async fn announcements(&self, kind: catalog::EventType) -> Vec<Value> {
        let sql = "SELECT payload FROM kit_outbox WHERE kind = ?";
        let stmt =
            Statement::from_sql_and_values(self.ctx.db.get_database_backend(), sql, [kind.as_str().into()]);
        let rows = self.ctx.db.query_all_raw(stmt).await.unwrap();
        rows.iter()
            .map(|row| {
                let event: Value = serde_json::from_str(&row.try_get_by_index::<String>(0).unwrap()).unwrap();
                event["data"].clone()
            })
            .collect()
    }

    pub async fn cleanup(self) {
        self.ctx.shutdown.cancel();
        self.env.cleanup().await;
    }
}

/// Starts the service and serves it on a fresh loopback port.
async fn serve(ctx: ServiceContext) -> String {
    let handle = appointment::start(ctx.clone()).await.unwrap();
    kit::testing::serve(handle.router, ctx.shutdown.clone()).await
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

//! The rating service served on a loopback port, with its read models fed
//! through the real bus, for the service's own tests.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kit::ids::{AppointmentId, DoctorId, PatientId, UserId};
use kit::{
    events::{Event, catalog},
    identity::Role,
    service::ServiceContext,
    testing::{Backend, Reply, TestClient, TestEnv, TestIssuer},
};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement, Value as SqlValue};
use serde_json::{Value, json};

/// The rating service on one backend, with typed calls for what the
/// tests do (rate, announce a patient or a visit, read the outbox).
pub struct TestApp {
    pub env: TestEnv,
    pub issuer: Arc<TestIssuer>,
    pub ctx: ServiceContext,
    /// Calls the service over HTTP.
    pub api: TestClient,
    pub admin: String,
}

/// A patient as the tests know them: record id, account id, token.
#[derive(Clone)]
pub struct Patient {
    pub patient_id: i64,
    pub user_id: i64,
    pub token: String,
}

impl TestApp {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(TestEnv::new(backend)).await
    }

    pub async fn start_with(env: TestEnv) -> Self {
        let issuer = TestIssuer::new();
        let ctx = env.context("rating", &issuer).await;
        let api = TestClient::url(&serve(ctx.clone()).await);
        let admin = issuer.token(1, Role::Admin);
        Self { env, issuer, ctx, api, admin }
    }

    /// POST /api/v1/ratings.
    pub async fn rate(&self, token: &str, doctor_id: i64, rating: i64, comment: Option<&str>) -> Reply {
        let body = json!({"doctor_id": doctor_id, "rating": rating, "comment": comment});
        self.api.post("/api/v1/ratings").bearer(token).json(&body).send().await
    }

    pub async fn publish(&self, kind: catalog::EventType, data: Value) {
        self.publish_event(Event::new("test", kind, None, data)).await;
    }

    pub async fn publish_event(&self, event: Event) {
        self.ctx.bus.publish(&event).await.unwrap();
    }

    /// Announces patient `patient_id` (account `user_id`) without waiting.
    pub async fn announce_patient(&self, patient_id: i64, user_id: i64) -> Patient {
        let data = catalog::PatientRegistered {
            patient_id: PatientId(patient_id),
            user_id: UserId(user_id),
            name: format!("Patient {patient_id}"),
        };
        self.publish(catalog::EventType::PatientRegistered, serde_json::to_value(data).unwrap()).await;
        Patient { patient_id, user_id, token: self.issuer.token(user_id, Role::Patient) }
    }

    /// A patient known to the service (as the patient service would announce it).
    pub async fn patient(&self, patient_id: i64, user_id: i64) -> Patient {
        let p = self.announce_patient(patient_id, user_id).await;
        self.wait_for("SELECT COUNT(*) FROM patient_directory WHERE patient_id = ?", [patient_id.into()], 1)
            .await;
        p
    }

    /// The appointment event that puts `appointment_id` in `status`.
    pub fn visit_event(
        &self,
        appointment_id: i64,
        p: &Patient,
        doctor_id: i64,
        status: &str,
        start_at: DateTime<Utc>,
    ) -> Event {
        let kind = match status {
            "completed" => catalog::EventType::AppointmentCompleted,
            "approved" => catalog::EventType::AppointmentApproved,
            "cancelled" => catalog::EventType::AppointmentCancelled,
            _ => catalog::EventType::AppointmentBooked,
        };
        let data = catalog::AppointmentChanged {
            appointment_id: AppointmentId(appointment_id),
            patient_id: PatientId(p.patient_id),
            patient_user_id: UserId(p.user_id),
            doctor_id: DoctorId(doctor_id),
            doctor_user_id: UserId(9000 + doctor_id),
            status: catalog::AppointmentStatus::parse(status).unwrap(),
            start_at,
            end_at: start_at + chrono::Duration::minutes(30),
            travel_time_minutes: None,
        };
        Event::new("appointment", kind, None, serde_json::to_value(data).unwrap())
    }

    /// Appointment `appointment_id` of `p` with `doctor_id` is now `status`
    /// (as the appointment service would announce it); waits until seen.
    pub async fn visit(
        &self,
        appointment_id: i64,
        p: &Patient,
        doctor_id: i64,
        status: &str,
        start_at: DateTime<Utc>,
    ) {
        self.publish_event(self.visit_event(appointment_id, p, doctor_id, status, start_at)).await;
        self.wait_for(
            "SELECT COUNT(*) FROM visits WHERE appointment_id = ? AND status = ?",
            [appointment_id.into(), status.into()],
            1,
        )
        .await;
    }

    /// A single number from SQL run on the service's database.
    pub async fn scalar<const N: usize>(&self, sql: &str, values: [SqlValue; N]) -> i64 {
        let backend = self.ctx.db.get_database_backend();
        let row =
            self.ctx.db.query_one_raw(Statement::from_sql_and_values(backend, sql, values)).await.unwrap();
        row.unwrap().try_get_by_index::<i64>(0).unwrap()
    }

    pub async fn execute<const N: usize>(&self, sql: &str, values: [SqlValue; N]) {
        let backend = self.ctx.db.get_database_backend();
        self.ctx.db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await.unwrap();
    }

    /// Waits until `sql` counts `n` (read models fill asynchronously).
    pub async fn wait_for<const N: usize>(&self, sql: &str, values: [SqlValue; N], n: i64) {
        kit::testing::eventually(&format!("`{sql}` to count {n}"), || {
            let values = values.clone();
            async move { (self.scalar(sql, values).await == n).then_some(()) }
        })
        .await;
    }

    /// Data of every `rating.summary_changed` event in the outbox, in order.
    pub async fn summary_events(&self) -> Vec<Value> {
        let backend = self.ctx.db.get_database_backend();
        let rows = self
            .ctx
            .db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                "SELECT payload FROM kit_outbox WHERE kind = ? ORDER BY id",
                [catalog::EventType::RatingSummaryChanged.as_str().into()],
            ))
            .await
            .unwrap();
        rows.into_iter()
            .map(|r| {
                let payload: String = r.try_get_by_index(0).unwrap();
                let event: Event = serde_json::from_str(&payload).unwrap();
                event.data
            })
            .collect()
    }

    /// The newest summary event of `doctor_id`, without its `version`
    /// (the concurrency test checks versions).
    pub async fn last_summary_event(&self, doctor_id: i64) -> Value {
        let mut last =
            self.summary_events().await.into_iter().rev().find(|d| d["doctor_id"] == doctor_id).unwrap();
        last.as_object_mut().unwrap().remove("version");
        last
    }

    pub async fn summary(&self, doctor_id: i64) -> Value {
        let r = self.api.get(&format!("/api/v1/ratings/summary?doctor_id={doctor_id}")).send().await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    }

    /// Ids of the published ratings of `doctor_id`.
    pub async fn public_ids(&self, doctor_id: i64) -> Vec<i64> {
        let r = self.api.get(&format!("/api/v1/ratings?doctor_id={doctor_id}&per_page=100")).send().await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body["data"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect()
    }

    pub async fn cleanup(self) {
        self.ctx.shutdown.cancel();
        self.env.cleanup().await;
    }
}

/// Starts the service and serves it on a fresh loopback port.
async fn serve(ctx: ServiceContext) -> String {
    let handle = rating::start(ctx.clone()).await.unwrap();
    kit::testing::serve(handle.router, ctx.shutdown.clone()).await
}

pub fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

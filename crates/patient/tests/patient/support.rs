//! [`TestApp`]: one patient service with typed calls, for every test module.

use std::sync::Arc;

use axum::{Router, http::StatusCode};
use chrono::Utc;
use kit::ids::{AppointmentId, DoctorId, PatientId, UserId};
use kit::{
    events::{Event, catalog},
    identity::Role,
    service::ServiceContext,
    testing::{Backend, TestClient, TestEnv, TestIssuer, eventually},
};
use serde_json::Value;

/// A patient service fed by the test's own events on its bus.
pub struct TestApp {
    pub env: TestEnv,
    pub issuer: Arc<TestIssuer>,
    pub ctx: ServiceContext,
    pub router: Router,
    /// Calls the router in process.
    pub api: TestClient,
}

impl TestApp {
    pub async fn start(backend: Backend) -> Self {
        Self::start_in(TestEnv::new(backend)).await
    }

    /// In `env`, for tests that change its settings first.
    pub async fn start_in(env: TestEnv) -> Self {
        let issuer = TestIssuer::new();
        let ctx = env.context("patient", &issuer).await;
        let router = patient::start(ctx.clone()).await.unwrap().router;
        let api = TestClient::router(router.clone());
        Self { env, issuer, ctx, router, api }
    }

    /// Stops the consumer and drops the env's databases.
    pub async fn cleanup(self) {
        self.ctx.shutdown.cancel();
        self.env.cleanup().await;
    }

    /// A token for `user_id` in `role`, as auth would issue it.
    pub fn token(&self, user_id: i64, role: Role) -> String {
        self.issuer.token(user_id, role)
    }

    /// Delivers `data` as an event of `kind` on the service's bus.
    pub async fn publish(&self, kind: catalog::EventType, data: impl serde::Serialize) {
        let event = Event::new("test", kind, None, serde_json::to_value(data).unwrap());
        self.ctx.bus.publish(&event).await.unwrap();
    }

    /// Auth's `user.registered` for patient account `user_id` with `cin`.
    pub fn registration(&self, user_id: i64, cin: &str) -> catalog::UserRegistered {
        catalog::UserRegistered {
            user_id: UserId(user_id),
            name: format!("Patient {user_id}"),
            email: format!("p{user_id}@example.com"),
            role: Role::Patient,
            gender: "female".into(),
            phone: "0612345678".into(),
            cin_sealed: Some(self.ctx.keyring.seal_str(cin)),
            birth_date: chrono::NaiveDate::from_ymd_opt(1990, 1, 1),
            address: Some(catalog::Address { street: "1 Rue Tazi".into(), city: "Rabat".into() }),
            doctor: None,
        }
    }

    /// Registers patient account `user_id` by event and returns its
    /// profile once the service shows it.
    pub async fn register(&self, user_id: i64, cin: &str) -> Value {
        self.publish(catalog::EventType::UserRegistered, self.registration(user_id, cin)).await;
        self.profile_of(user_id).await
    }

    /// The profile of patient account `user_id`, once there.
    pub async fn profile_of(&self, user_id: i64) -> Value {
        let token = self.token(user_id, Role::Patient);
        eventually("the patient's profile", || async {
            let answer = self.api.get("/api/v1/patients/me").bearer(&token).send().await;
            (answer.status == StatusCode::OK).then_some(answer.body)
        })
        .await
    }

    /// The appointment service's `appointment.booked` between patient
    /// record `patient_id` (account `patient_user_id`) and a doctor account.
    pub async fn book(&self, patient_id: i64, patient_user_id: i64, doctor_user_id: i64) {
        let booked = catalog::AppointmentChanged {
            appointment_id: AppointmentId(1),
            patient_id: PatientId(patient_id),
            patient_user_id: UserId(patient_user_id),
            doctor_id: DoctorId(5),
            doctor_user_id: UserId(doctor_user_id),
            status: catalog::AppointmentStatus::Pending,
            start_at: Utc::now(),
            end_at: Utc::now(),
            travel_time_minutes: None,
        };
        self.publish(catalog::EventType::AppointmentBooked, booked).await;
    }

    /// Waits until `path` answers `status` to `token`.
    pub async fn until_status(&self, what: &str, path: &str, token: &str, status: StatusCode) {
        eventually(what, || async {
            (self.api.get(path).bearer(token).send().await.status == status).then_some(())
        })
        .await;
    }

    /// Serves the router on a loopback port (with the peer's address, as
    /// in production) until the app is cleaned up; its base URL.
    pub async fn serve(&self) -> String {
        kit::testing::serve(self.router.clone(), self.ctx.shutdown.clone()).await
    }
}

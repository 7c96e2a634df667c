//! The notification service under test: a real instance on loopback with
//! its own storage, a real SMTP sink and SMS provider, and typed calls for
//! what the tests do to it ([`TestApp`]).

pub mod mail;
pub mod sms;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kit::{
    events::{Event, catalog},
    identity::Role,
    service::ServiceContext,
    testing::{Backend, Reply, SmtpSink, TestClient, TestEnv, TestIssuer, eventually},
};
use reqwest::StatusCode;
use serde_json::Value;

use self::sms::SmsProvider;
use kit::ids::{AppointmentId, DoctorId, PatientId, SpecialtyId, UserId};

/// Starts the service of `ctx` on a loopback port; its base URL. It stops
/// when `ctx` is shut down.
pub async fn serve(ctx: ServiceContext) -> String {
    let handle = notification::start(ctx.clone()).await.unwrap();
    kit::testing::serve(handle.router, ctx.shutdown.clone()).await
}

/// One notification service, mailing `smtp` and texting `sms`.
pub struct TestApp {
    pub env: TestEnv,
    pub ctx: ServiceContext,
    /// Calls the service over HTTP.
    pub api: TestClient,
    pub issuer: Arc<TestIssuer>,
}

impl TestApp {
    pub async fn start(backend: Backend, smtp: &SmtpSink, sms: &SmsProvider) -> Self {
        let mut env = TestEnv::new(backend);
        env.settings.smtp_url = Some(smtp.url());
        env.settings.sms_url = Some(sms.url.clone());
        env.settings.delivery_retry_base_ms = 30;
        let issuer = TestIssuer::new();
        let mut ctx = env.context("notification", &issuer).await;
        // The test context keeps mail in the dev mailbox; these tests talk SMTP.
        ctx.mailer = kit::mail::from_settings(&env.settings).unwrap();
        let api = TestClient::url(&serve(ctx.clone()).await);
        Self { env, ctx, api, issuer }
    }

    /// Shuts the service down and drops its storage.
    pub async fn stop(self) {
        self.ctx.shutdown.cancel();
        self.env.cleanup().await;
    }

    /// Publishes an event of `kind` carrying `data`, as another service would.
    pub async fn publish(&self, kind: catalog::EventType, data: impl serde::Serialize) {
        let event = Event::new("test", kind, None, serde_json::to_value(data).unwrap());
        self.ctx.bus.publish(&event).await.unwrap();
    }

    /// Publishes `event` as it is (a redelivery publishes the same id again).
    pub async fn publish_event(&self, event: &Event) {
        self.ctx.bus.publish(event).await.unwrap();
    }

    pub async fn get(&self, path: &str, user: i64, role: Role) -> Value {
        self.api.get(path).bearer(&self.issuer.token(user, role)).send().await.body
    }

    /// The answer of `path` once `check` holds for it.
    pub async fn until(&self, path: &str, user: i64, role: Role, check: impl Fn(&Value) -> bool) -> Value {
        eventually(&format!("{path} to satisfy the check"), || async {
            let v = self.get(path, user, role).await;
            check(&v).then_some(v)
        })
        .await
    }

    /// `PUT /notifications/preferences` as patient `user`.
    pub async fn put_preferences(&self, user: i64, preferences: Value) -> StatusCode {
        let token = self.issuer.token(user, Role::Patient);
        self.api
            .put("/api/v1/notifications/preferences")
            .bearer(&token)
            .json(&preferences)
            .send()
            .await
            .status
    }

    /// `PUT /notifications/{id}/read` as `user`.
    pub async fn mark_read(&self, user: i64, role: Role, id: i64) -> StatusCode {
        let token = self.issuer.token(user, role);
        self.api.put(&format!("/api/v1/notifications/{id}/read")).bearer(&token).send().await.status
    }

    /// `POST /notifications/read-all` as `user`.
    pub async fn read_all(&self, user: i64, role: Role) -> StatusCode {
        let token = self.issuer.token(user, role);
        self.api.post("/api/v1/notifications/read-all").bearer(&token).send().await.status
    }

    /// `PUT /notification-templates/{key}` as an admin.
    pub async fn put_template(&self, key: &str, template: &Value) -> Reply {
        let admin = self.issuer.token(1, Role::Admin);
        self.api
            .put(&format!("/api/v1/notification-templates/{key}"))
            .bearer(&admin)
            .json(template)
            .send()
            .await
    }

    /// Patient 900 (Amina El Amrani) and doctor 5 (user 901, Dr Tazi, in
    /// Casablanca), known to the service.
    pub async fn people(&self) {
        self.contact(900, "Amina El Amrani", Role::Patient).await;
        self.contact(901, "Dr Tazi", Role::Doctor).await;
        let doctor = catalog::DoctorChanged {
            doctor_id: DoctorId(5),
            user_id: UserId(901),
            name: "Dr Tazi".into(),
            specialty_id: SpecialtyId(1),
            city: None,
            timezone: "Africa/Casablanca".into(),
            status: catalog::DoctorStatus::Active,
        };
        self.publish(catalog::EventType::DoctorChanged, doctor).await;
    }

    /// Appointment `id` of patient 900 with doctor 5 at `start` went through `kind`.
    pub async fn appointment(&self, kind: catalog::EventType, id: i64, start: DateTime<Utc>) {
        let data = catalog::AppointmentChanged {
            appointment_id: AppointmentId(id),
            patient_id: PatientId(40),
            patient_user_id: UserId(900),
            doctor_id: DoctorId(5),
            doctor_user_id: UserId(901),
            status: catalog::AppointmentStatus::Pending,
            start_at: start,
            end_at: start + chrono::Duration::minutes(30),
            travel_time_minutes: None,
        };
        self.publish(kind, data).await;
    }

    /// Registers an account and waits for its welcome notification: the
    /// contact is then known.
    pub async fn contact(&self, user_id: i64, name: &str, role: Role) {
        let registered = catalog::UserRegistered {
            user_id: UserId(user_id),
            name: name.into(),
            email: format!("u{user_id}@example.com"),
            role,
            gender: "female".into(),
            phone: format!("+2126000{user_id}"),
            cin_sealed: None,
            birth_date: None,
            address: None,
            doctor: None,
        };
        self.publish(catalog::EventType::UserRegistered, registered).await;
        self.until("/api/v1/notifications", user_id, role, |v| v["total"] == 1).await;
    }

    /// The stored payloads of the deliveries of `template`, straight from the table.
    pub async fn payloads(&self, template: &str) -> Vec<String> {
        use sea_orm::ConnectionTrait;
        let backend = self.ctx.db.get_database_backend();
        let stmt = sea_orm::Statement::from_sql_and_values(
            backend,
            "SELECT payload FROM notification_deliveries WHERE template = ?",
            [template.into()],
        );
        let rows = self.ctx.db.query_all_raw(stmt).await.unwrap();
        rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
    }

    /// Admin's view of the deliveries of `template` once `n` of them are sent.
    pub async fn sent(&self, template: &str, n: usize) -> Vec<Value> {
        let path = "/api/v1/notification-deliveries?status=sent&per_page=100";
        let of = |v: &Value| -> Vec<Value> {
            v["data"].as_array().unwrap().iter().filter(|d| d["template"] == template).cloned().collect()
        };
        of(&self.until(path, 1, Role::Admin, |v| of(v).len() >= n).await)
    }
}

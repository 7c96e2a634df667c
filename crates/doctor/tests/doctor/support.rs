//! What every doctor test shares: the service started on a real
//! database and bus ([`TestApp`]), requests through its router
//! ([`TestApp::api`]), the events tests feed it and the outbox it writes.

pub use axum::http::StatusCode;
pub use kit::{
    events::{Event, catalog},
    identity::Role,
    testing::{Backend, Reply},
};
pub use serde_json::{Value, json};

use kit::ids::{SpecialtyId, UserId};
use kit::{
    events::Bus,
    service::ServiceContext,
    testing::{TestClient, TestEnv, TestIssuer},
};
use sea_orm::{ConnectionTrait, Statement};

pub fn event(kind: catalog::EventType, data: impl serde::Serialize) -> Event {
    Event::new("test", kind, None, serde_json::to_value(data).unwrap())
}

/// `user.registered` of a doctor account with a profile seed.
pub fn doctor_registered(user_id: i64, name: &str, specialty_id: i64, city: &str) -> Event {
    event(
        catalog::EventType::UserRegistered,
        catalog::UserRegistered {
            user_id: UserId(user_id),
            name: name.into(),
            email: format!("d{user_id}@example.com"),
            role: Role::Doctor,
            gender: "female".into(),
            phone: "0612345678".into(),
            cin_sealed: None,
            birth_date: chrono::NaiveDate::from_ymd_opt(1980, 5, 17),
            address: Some(catalog::Address { street: "1 Rue Tazi".into(), city: city.into() }),
            doctor: Some(catalog::DoctorProfileSeed {
                degree: "MD".into(),
                specialty_id: SpecialtyId(specialty_id),
                timezone: None,
            }),
        },
    )
}

/// Kinds of the events in the service's outbox, oldest first.
pub async fn outbox(ctx: &ServiceContext) -> Vec<(String, Value)> {
    let backend = ctx.db.get_database_backend();
    let rows = ctx
        .db
        .query_all_raw(Statement::from_string(backend, "SELECT kind, payload FROM kit_outbox ORDER BY id"))
        .await
        .unwrap();
    rows.into_iter()
        .map(|r| {
            let kind: String = r.try_get_by_index(0).unwrap();
            let payload: String = r.try_get_by_index(1).unwrap();
            (kind, serde_json::from_str::<Value>(&payload).unwrap()["data"].clone())
        })
        .collect()
}

/// The doctor service on `backend`, its router called in process.
pub struct TestApp {
    pub env: TestEnv,
    pub ctx: ServiceContext,
    /// Calls the router in process.
    pub api: TestClient,
    pub bus: std::sync::Arc<dyn Bus>,
    pub issuer: std::sync::Arc<TestIssuer>,
}

/// Migrates and starts the service on a fresh database of `backend`.
pub async fn start(backend: Backend) -> TestApp {
    let env = TestEnv::new(backend);
    let issuer = TestIssuer::new();
    let ctx = env.context("doctor", &issuer).await;
    let expected = if backend == Backend::MySql { "mysql" } else { "sqlite" };
    assert_eq!(kit::db::backend_name(&ctx.db), expected);
    let bus = ctx.bus.clone();
    let api = TestClient::router(doctor::start(ctx.clone()).await.unwrap().router);
    TestApp { env, ctx, api, bus, issuer }
}

impl TestApp {
    /// Stops the service and drops its databases.
    pub async fn stop(self) {
        self.ctx.shutdown.cancel();
        self.env.cleanup().await;
    }

    /// Registers a doctor account through the bus and waits for the profile.
    pub async fn register(&self, user_id: i64, name: &str, specialty_id: i64, city: &str) -> Value {
        self.bus.publish(&doctor_registered(user_id, name, specialty_id, city)).await.unwrap();
        let token = self.issuer.token(user_id, Role::Doctor);
        self.wait_for("/api/v1/doctors/me", Some(&token), StatusCode::OK).await
    }

    /// Polls `path` until it answers `want` (events arrive asynchronously);
    /// the body of that answer.
    pub async fn wait_for(&self, path: &str, token: Option<&str>, want: StatusCode) -> Value {
        kit::testing::eventually(&format!("{path} to answer {want}"), || async {
            let reply = self.api.get(path).maybe_bearer(token).send().await;
            (reply.status == want).then_some(reply.body)
        })
        .await
    }

    /// POSTs to an `/internal/` path as `service`, with its service credential.
    pub async fn internal_post(&self, service: &str, path: &str, body: &Value) -> Reply {
        let credential = kit::internal::credential(&self.ctx.keyring, service);
        self.api.post(path).header(kit::internal::HEADER, &credential).json(body).send().await
    }

    /// Sets a rating directly (quicker than summary events, for listing tests).
    pub async fn rate(&self, doctor_id: i64, avg: f64, count: i64) {
        let backend = self.ctx.db.get_database_backend();
        let sql =
            format!("UPDATE doctors SET avg_rating = {avg}, rating_count = {count} WHERE id = {doctor_id}");
        self.ctx.db.execute_raw(Statement::from_string(backend, sql)).await.unwrap();
    }
}

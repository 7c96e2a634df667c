//! The appointment service: doctors' schedules, availability, booking with
//! the no-double-booking rule enforced by the database, the appointment
//! status machine, home-visit check-ins, and the expiry and reminder jobs.

pub mod actor;
mod announce;
pub mod availability;
pub mod booking;
pub mod documents;
pub mod entity;
mod events;
pub mod import;
pub mod jobs;
mod learn;
pub mod lifecycle;
mod migration;
mod migration_patient_availability;
pub mod reports;
mod routes;
pub mod schedules;
pub mod scope;
pub mod seed;
pub mod slots;
mod state;
pub mod status;
#[cfg(test)]
mod test_db;

use std::{sync::Arc, time::Duration};

use kit::service::{Consumes, ServiceContext, ServiceHandle};
use sea_orm::DatabaseConnection;

use crate::state::AppState;

/// The service's OpenAPI document: its routes' own `utoipa::path`s (see
/// `routes::api`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::api().into_openapi()
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    kit::db::migrate::<migration::Migrator>(db).await
}

/// Migrates, then starts the scheduled jobs, the consumer, the relay and
/// the router.
pub async fn start(ctx: ServiceContext) -> anyhow::Result<ServiceHandle> {
    migrate(&ctx.db).await?;
    let jobs = jobs::spawn(
        ctx.db.clone(),
        Duration::from_millis(ctx.settings.jobs_interval_ms.max(50)),
        chrono::Duration::minutes(ctx.settings.reminder_lead_minutes),
        ctx.shutdown.clone(),
    );
    let consumes = Consumes { types: events::TYPES, handler: Arc::new(events::AppointmentEvents) };
    let (router, openapi) = routes::router(AppState { ctx: ctx.clone() });
    Ok(ctx.launch(router, openapi, Some(consumes), vec![jobs]).await)
}

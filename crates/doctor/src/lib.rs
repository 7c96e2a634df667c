//! The doctor service: specialties, doctor profiles (created from
//! `user.registered`, kept in step with user events, announced as
//! `doctor.changed` / `doctor.deleted`), doctors' credentials, metrics fed
//! by appointment events, and applications to practise; the legacy
//! monolith's share comes in through [`import`].

mod announce;
pub mod applications;
mod cv;
pub mod directory;
pub mod entity;
mod events;
pub mod import;
pub mod import_history;
mod learn;
pub mod metrics;
mod migration;
mod migration_intake;
mod migration_rating_version;
pub mod profiles;
mod read_models;
mod routes;
mod seed;
pub mod specialties;
mod state;
pub mod stats;

use std::sync::Arc;

use kit::service::{Consumes, ServiceContext, ServiceHandle};
use sea_orm::DatabaseConnection;

pub use seed::{LEGACY_SPECIALTIES, seed_demo};

use crate::state::AppState;

/// The service's OpenAPI document: its routes' own `utoipa::path`s (see
/// `routes::api`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::api().into_openapi()
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    kit::db::migrate::<migration::Migrator>(db).await
}

/// Migrates, then starts the consumer, the relay and the router.
pub async fn start(ctx: ServiceContext) -> anyhow::Result<ServiceHandle> {
    migrate(&ctx.db).await?;
    let consumes = Consumes { types: events::TYPES, handler: Arc::new(events::DoctorEvents) };
    let (router, openapi) = routes::router(AppState { ctx: ctx.clone() });
    Ok(ctx.launch(router, openapi, Some(consumes), Vec::new()).await)
}

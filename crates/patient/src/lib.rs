//! The patient service: profiles (created from `user.registered`),
//! medical history, insurance, preferences and the record access log.
//! National id, history and insurance numbers are encrypted at rest.

pub mod access;
mod entity;
mod events;
pub mod history;
pub mod import;
pub mod insurance;
mod learn;
mod migration;
mod migration_client_ip;
pub mod preferences;
pub mod profiles;
mod routes;
mod state;
mod stats;

use std::sync::Arc;

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

/// Migrates, then starts the consumer, the relay and the router.
pub async fn start(ctx: ServiceContext) -> anyhow::Result<ServiceHandle> {
    migrate(&ctx.db).await?;
    let consumes = Consumes { types: events::TYPES, handler: Arc::new(events::PatientEvents) };
    let (router, openapi) = routes::router(AppState { ctx: ctx.clone() });
    Ok(ctx.launch(router, openapi, Some(consumes), Vec::new()).await)
}

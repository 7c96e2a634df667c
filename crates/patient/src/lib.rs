//! The patient service: profiles (created from `user.registered`),
//! medical history, insurance, preferences and the record access log.
//! National id, history and insurance numbers are encrypted at rest.

mod access;
mod entity;
mod error;
mod events;
mod migration;
mod routes;
mod state;

use std::sync::Arc;

use kit::service::{ServiceContext, ServiceHandle};
use sea_orm::DatabaseConnection;
use utoipa::OpenApi;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(
        routes::profile::me, routes::profile::patch_me, routes::profile::get, routes::profile::list,
        routes::history::list, routes::history::create, routes::insurance::get, routes::insurance::put,
        routes::preferences::get, routes::preferences::put, routes::access_log::list,
    ),
    tags((name = "patients", description = "Patient records"))
)]
struct ApiDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    kit::db::migrate::<migration::Migrator>(db).await
}

/// Migrates, starts the event consumer (before the relay, see
/// `kit::events::spawn_consumer`) and returns the finished router.
pub async fn start(ctx: ServiceContext) -> anyhow::Result<ServiceHandle> {
    migrate(&ctx.db).await?;
    let consumer = kit::events::spawn_consumer(
        ctx.db.clone(),
        ctx.bus.clone(),
        "patient",
        events::TYPES,
        Arc::new(events::PatientEvents),
        ctx.shutdown.clone(),
    )
    .await;
    let relay = kit::events::spawn_relay(ctx.db.clone(), ctx.bus.clone(), ctx.shutdown.clone());
    let router = kit::http::finish(routes::router(AppState { ctx: ctx.clone() }), &ctx);
    Ok(ServiceHandle { name: "patient", router, openapi: openapi(), tasks: vec![consumer, relay] })
}

//! The patient service's HTTP API (the "Patients" rows of api.md).
//!
//! [`api`] is the one list of routes: each documented handler brings its
//! path and method from its own `utoipa::path`, so the router and the
//! OpenAPI document cannot disagree. `/internal/` routes are plain axum
//! routes, left out of the document.

pub mod access_log;
pub mod history;
pub mod insurance;
pub mod preferences;
pub mod profile;
pub mod stats;

use axum::{Router, routing::get};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(tags((name = "patients", description = "Patient records")))]
struct ApiDoc;

/// Every route of the service, without its state.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(profile::list))
        .routes(routes!(stats::get))
        .routes(routes!(profile::me, profile::patch_me))
        .routes(routes!(insurance::get, insurance::put))
        .routes(routes!(preferences::get, preferences::put))
        .routes(routes!(access_log::list))
        .routes(routes!(profile::get))
        .routes(routes!(history::list, history::create))
        .route("/internal/patients/by-user/{user_id}", get(crate::learn::by_user))
        .route("/internal/patients/{id}/registered", get(crate::learn::registered))
}

/// The service's router and its OpenAPI document, both from [`api`].
pub fn router(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    api().with_state(state).split_for_parts()
}

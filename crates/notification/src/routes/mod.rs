//! The notification service's HTTP API (the "Notifications" rows of api.md).
//!
//! [`api`] is the one list of routes: each handler brings its path and
//! method from its own `utoipa::path`, so the router and the OpenAPI
//! document cannot disagree.

pub mod admin;
pub mod deliveries;
pub mod inbox;
pub mod preferences;
pub mod templates;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(tags((name = "notifications", description = "In-app notifications, preferences, templates and deliveries")))]
struct ApiDoc;

/// Every route of the service, without its state.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(inbox::list, admin::notify))
        .routes(routes!(inbox::read_all))
        .routes(routes!(crate::stream::stream))
        .routes(routes!(preferences::get, preferences::put))
        .routes(routes!(inbox::read))
        .routes(routes!(templates::list))
        .routes(routes!(templates::put))
        .routes(routes!(templates::preview))
        .routes(routes!(deliveries::list))
        .routes(routes!(deliveries::stats))
}

/// The service's router and its OpenAPI document, both from [`api`].
pub fn router(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    api().with_state(state).split_for_parts()
}

//! The rating service's HTTP API (the "Ratings" rows of api.md).
//!
//! [`api`] is the one list of routes: each handler brings its path and
//! method from its own `utoipa::path`, so the router and the OpenAPI
//! document cannot disagree.

pub mod lists;
pub mod moderation;
pub mod ratings;
pub mod reports;
pub mod stats;
pub mod summary;
pub mod view;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(tags((name = "ratings", description = "Ratings of doctors: submission, moderation, summaries, analytics")))]
struct ApiDoc;

/// Every route of the service, without its state.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(lists::list, ratings::create))
        .routes(routes!(summary::summary))
        .routes(routes!(summary::analytics))
        .routes(routes!(stats::get))
        .routes(routes!(moderation::queue))
        .routes(routes!(ratings::update, ratings::delete))
        .routes(routes!(reports::report))
        .routes(routes!(moderation::approve))
        .routes(routes!(moderation::reject))
}

/// The service's router and its OpenAPI document, both from [`api`].
pub fn router(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    api().with_state(state).split_for_parts()
}

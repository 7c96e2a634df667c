//! The doctor service's HTTP API (the "Doctors" rows of api.md; doctor
//! registration by token is answered by auth, see `applications`).
//!
//! [`api`] is the one list of routes: each documented handler brings its
//! path and method from its own `utoipa::path`, so the router and the
//! OpenAPI document cannot disagree. `/internal/` routes are plain axum
//! routes, left out of the document.

pub mod applications;
pub mod credentials;
pub mod doctors;
pub mod enrol;
pub mod me;
pub mod metrics;
pub mod specialties;
pub mod stats;

use axum::{Router, extract::DefaultBodyLimit, routing::get, routing::post};
use kit::internal::registration;
use utoipa::OpenApi;
use utoipa_axum::{
    router::{OpenApiRouter, UtoipaMethodRouterExt},
    routes,
};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(tags(
    (name = "doctors", description = "Specialties, doctor profiles, credentials and metrics"),
    (name = "doctor-applications", description = "Applications to practise, and their registration tokens"),
))]
struct ApiDoc;

/// Every route of the service, without its state.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(specialties::list, specialties::create))
        .routes(routes!(specialties::update, specialties::delete))
        .routes(routes!(doctors::list, enrol::create))
        .routes(routes!(me::get, me::patch))
        .routes(routes!(credentials::list, credentials::create))
        .routes(routes!(credentials::delete))
        .routes(routes!(doctors::get, doctors::update, doctors::delete))
        .routes(routes!(metrics::get))
        .routes(routes!(stats::get))
        .routes(
            routes!(applications::list, applications::submit)
                .layer(DefaultBodyLimit::max(applications::MAX_CV_BYTES + 64 * 1024)),
        )
        .routes(routes!(applications::delete))
        .routes(routes!(applications::cv_file))
        .routes(routes!(applications::approve))
        .routes(routes!(applications::reject))
        .route(registration::REDEEM, post(applications::redeem))
        .route(registration::RELEASE, post(applications::release))
        .route("/internal/doctors/by-user/{user_id}", get(crate::learn::by_user))
        .route("/internal/doctors/{id}/changed", get(crate::learn::changed))
}

/// The service's router and its OpenAPI document, both from [`api`].
pub fn router(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    api().with_state(state).split_for_parts()
}

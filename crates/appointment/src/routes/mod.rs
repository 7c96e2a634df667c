//! The appointment service's HTTP API (the "Schedules and appointments"
//! rows of api.md).
//!
//! [`api`] is the one list of routes: each documented handler brings its
//! path and method from its own `utoipa::path`, so the router and the
//! OpenAPI document cannot disagree. `/internal/` routes are plain axum
//! routes, left out of the document.

pub mod appointments;
pub mod availability;
pub mod policy;
pub mod reports;
pub mod schedules;
pub mod stats;
pub mod transitions;

use axum::{Router, routing::get};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(tags(
    (name = "schedules", description = "Doctors' slots and free availability"),
    (name = "appointments", description = "Booking and the appointment lifecycle"),
    (name = "reports", description = "Appointment and travel-time reports"),
))]
struct ApiDoc;

/// Every route of the service, without its state.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(schedules::list, schedules::create))
        .routes(routes!(schedules::update, schedules::delete))
        .routes(routes!(availability::get))
        .routes(routes!(appointments::list, appointments::book))
        .routes(routes!(policy::get))
        .routes(routes!(stats::get))
        .routes(routes!(appointments::get))
        .routes(routes!(appointments::pdf))
        .routes(routes!(transitions::approve))
        .routes(routes!(transitions::cancel))
        .routes(routes!(transitions::reschedule))
        .routes(routes!(transitions::complete))
        .routes(routes!(transitions::no_show))
        .routes(routes!(transitions::check_in))
        .routes(routes!(transitions::check_out))
        .routes(routes!(reports::appointments))
        .routes(routes!(reports::travel_times))
        .route("/internal/visits/{patient_id}/{doctor_id}", get(crate::learn::seen))
}

/// The service's router and its OpenAPI document, both from [`api`].
pub fn router(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    api().with_state(state).split_for_parts()
}

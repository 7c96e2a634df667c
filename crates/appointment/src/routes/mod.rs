//! The appointment service's HTTP API (the "Schedules and appointments"
//! rows of api.md).

pub mod appointments;
pub mod availability;
pub mod policy;
pub mod reports;
pub mod schedules;
pub mod transitions;

use axum::{
    Router,
    routing::{get, patch, post},
};

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/schedules", get(schedules::list).post(schedules::create))
        .route("/api/v1/schedules/{id}", patch(schedules::update).delete(schedules::delete))
        .route("/api/v1/availability", get(availability::get))
        .route("/api/v1/appointments", get(appointments::list).post(appointments::book))
        .route("/api/v1/appointments/policy", get(policy::get))
        .route("/api/v1/appointments/{id}", get(appointments::get))
        .route("/api/v1/appointments/{id}/pdf", get(appointments::pdf))
        .route("/api/v1/appointments/{id}/approve", post(transitions::approve))
        .route("/api/v1/appointments/{id}/cancel", post(transitions::cancel))
        .route("/api/v1/appointments/{id}/reschedule", post(transitions::reschedule))
        .route("/api/v1/appointments/{id}/complete", post(transitions::complete))
        .route("/api/v1/appointments/{id}/no-show", post(transitions::no_show))
        .route("/api/v1/appointments/{id}/check-in", post(transitions::check_in))
        .route("/api/v1/appointments/{id}/check-out", post(transitions::check_out))
        .route("/api/v1/reports/appointments", get(reports::appointments))
        .route("/api/v1/reports/travel-times", get(reports::travel_times))
        .route("/internal/visits/{patient_id}/{doctor_id}", get(crate::learn::seen))
        .with_state(state)
}

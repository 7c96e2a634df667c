//! The doctor service's HTTP API (the "Doctors" rows of api.md; doctor
//! registration by token is answered by auth, see `applications`).

pub mod applications;
pub mod credentials;
pub mod doctors;
pub mod enrol;
pub mod me;
pub mod metrics;
pub mod specialties;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{delete, get, patch, post},
};

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/specialties", get(specialties::list).post(specialties::create))
        .route("/api/v1/specialties/{id}", patch(specialties::update).delete(specialties::delete))
        .route("/api/v1/doctors", get(doctors::list).post(enrol::create))
        .route("/api/v1/doctors/me", get(me::get).patch(me::patch))
        .route("/api/v1/doctors/me/credentials", get(credentials::list).post(credentials::create))
        .route("/api/v1/doctors/me/credentials/{cid}", delete(credentials::delete))
        .route("/api/v1/doctors/{id}", get(doctors::get).patch(doctors::update).delete(doctors::delete))
        .route("/api/v1/doctors/{id}/metrics", get(metrics::get))
        .route(
            "/api/v1/doctor-applications",
            get(applications::list)
                .post(applications::submit)
                .layer(DefaultBodyLimit::max(applications::MAX_CV_BYTES + 64 * 1024)),
        )
        .route("/api/v1/doctor-applications/redeem", post(applications::redeem))
        .route("/api/v1/doctor-applications/release", post(applications::release))
        .route("/api/v1/doctor-applications/{id}", delete(applications::delete))
        .route("/api/v1/doctor-applications/{id}/cv", get(applications::cv_file))
        .route("/api/v1/doctor-applications/{id}/approve", post(applications::approve))
        .route("/api/v1/doctor-applications/{id}/reject", post(applications::reject))
        .route("/internal/doctors/by-user/{user_id}", get(crate::learn::by_user))
        .route("/internal/doctors/{id}/changed", get(crate::learn::changed))
        .with_state(state)
}

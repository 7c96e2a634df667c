//! The patient service's HTTP API (the "Patients" rows of api.md).

pub mod access_log;
pub mod history;
pub mod insurance;
pub mod preferences;
pub mod profile;

use axum::{Router, routing::get};

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/patients", get(profile::list))
        .route("/api/v1/patients/me", get(profile::me).patch(profile::patch_me))
        .route("/api/v1/patients/me/insurance", get(insurance::get).put(insurance::put))
        .route("/api/v1/patients/me/preferences", get(preferences::get).put(preferences::put))
        .route("/api/v1/patients/me/access-log", get(access_log::list))
        .route("/api/v1/patients/{id}", get(profile::get))
        .route("/api/v1/patients/{id}/medical-history", get(history::list).post(history::create))
        .route("/internal/patients/by-user/{user_id}", get(crate::learn::by_user))
        .route("/internal/patients/{id}/registered", get(crate::learn::registered))
        .with_state(state)
}

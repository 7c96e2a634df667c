//! The rating service's HTTP API (the "Ratings" rows of api.md).

pub mod lists;
pub mod moderation;
pub mod ratings;
pub mod reports;
pub mod summary;
pub mod view;

use axum::{
    Router,
    routing::{get, post, put},
};

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/ratings", get(lists::list).post(ratings::create))
        .route("/api/v1/ratings/summary", get(summary::summary))
        .route("/api/v1/ratings/analytics", get(summary::analytics))
        .route("/api/v1/ratings/moderation", get(moderation::queue))
        .route("/api/v1/ratings/{id}", put(ratings::update).delete(ratings::delete))
        .route("/api/v1/ratings/{id}/report", post(reports::report))
        .route("/api/v1/ratings/{id}/approve", post(moderation::approve))
        .route("/api/v1/ratings/{id}/reject", post(moderation::reject))
        .with_state(state)
}
